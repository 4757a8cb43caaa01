//! Metadata a researcher gives (metadata.csv, sidecars) wins over extraction in
//! the index and in inspect, and mistakes in it are reported with file and line.

use std::path::Path;

use serde_json::Value;

use crate::common::{plansearch, root, stderr, stdout};

const SEED_000: &str = "000_cca008fd74b9d59b.txt";
const SEED_003: &str = "003_0c8bad910db2f3a0.txt";

/// A corpus of seeds 000 and 003 with a metadata.csv (one bad row) and a sidecar.
fn corpus_with_overrides(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for seed in [SEED_000, SEED_003] {
        std::fs::copy(root().join("corpus/seeds").join(seed), corpus.join(seed)).unwrap();
    }
    std::fs::write(
        corpus.join("metadata.csv"),
        format!("path,county,year\n{SEED_000},临泽,2023\n{SEED_003},火星,\n"),
    )
    .unwrap();
    std::fs::write(
        corpus.join(format!("{SEED_003}.meta.toml")),
        "doc_type = \"规划\"\nyear = \"二〇一九\"\n",
    )
    .unwrap();
    corpus
}

/// Indexes `corpus` into `index`; returns stderr.
fn index(corpus: &Path, index: &Path) -> String {
    let out = crate::common::plansearch_on(&["index"], corpus, index);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// Searches 肉牛养殖 in `index` with `filters`; the JSON answer.
fn search(index: &Path, filters: &[&str]) -> Value {
    let mut args = vec![
        "search",
        "肉牛养殖",
        "--json",
        "--index",
        index.to_str().unwrap(),
    ];
    args.extend_from_slice(filters);
    let out = plansearch(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn given_metadata_wins_in_the_index_and_problems_are_reported() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = corpus_with_overrides(dir.path());
    let index_dir = dir.path().join("index");
    let err = index(&corpus, &index_dir);
    assert!(
        err.contains("metadata.csv:3: unknown region \"火星\""),
        "{err}"
    );
    assert!(
        err.contains(&format!("{SEED_003}.meta.toml:2: year \"二〇一九\"")),
        "{err}"
    );

    // Seed 000 is now 临泽县, 2023: the filters find it there.
    let v = search(&index_dir, &["--region", "临泽", "--year", "2023"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{v}");
    assert!(hits.iter().all(|h| h["path"] == SEED_000), "{v}");
    assert_eq!(hits[0]["region"]["county"], "临泽县");

    // Seed 003 keeps its extracted region (the given one was unknown) and
    // year (the given one was bad), and takes the sidecar's type.
    let v = search(&index_dir, &["--type", "规划"]);
    let hit = &v["hits"][0];
    assert_eq!(hit["path"], SEED_003, "{v}");
    assert_eq!(hit["region"]["city"], "张掖市");
    assert_eq!(hit["year"], 2018);
}

#[test]
fn inspect_shows_given_values_as_given() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = corpus_with_overrides(dir.path());
    let file = corpus.join(SEED_000);
    let out = plansearch(&["inspect", "--json", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["region"]["county"], "临泽县");
    assert_eq!(v["year"], 2023);
    assert_eq!(v["evidence"]["year"]["given"], true);
    assert_eq!(v["evidence"]["region"]["given"], true);
    assert_eq!(v["evidence"]["doc_type"]["given"], false);
    let evidence = v["evidence"]["year"]["evidence"][0].as_str().unwrap();
    assert!(evidence.contains("metadata.csv line 2"), "{evidence}");

    let out = plansearch(&["inspect", "--brief", file.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(text.contains("year      2023  (given)"), "{text}");
    // The bad row of the other file is still reported.
    assert!(
        stderr(&out).contains("unknown region \"火星\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn changing_what_is_given_re_indexes_that_file_alone() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = corpus_with_overrides(dir.path());
    let index_dir = dir.path().join("index");
    index(&corpus, &index_dir);
    let again = index(&corpus, &index_dir);
    assert!(again.contains("0 updated"), "{again}");
    // Problems are reported on every run, not only when a file is analysed.
    assert!(again.contains("year \"二〇一九\""), "{again}");
    std::fs::write(
        corpus.join("metadata.csv"),
        format!("path,county,year\n{SEED_000},临泽,2022\n{SEED_003},火星,\n"),
    )
    .unwrap();
    let changed = index(&corpus, &index_dir);
    assert!(changed.contains("1 updated"), "{changed}");
    assert!(
        changed.contains(&format!("updated  {SEED_000}")),
        "{changed}"
    );
    let v = search(&index_dir, &["--year", "2022"]);
    assert_eq!(v["hits"][0]["path"], SEED_000, "{v}");
}

/// The issue fields (issue 15): extracted from seed 003's header (市委发〔2018〕10号,
/// 中共张掖市委 张掖市人民政府, 2018年2月8日), filterable with any bracket and any
/// spelling of the issuer, overridable in a sidecar.
#[test]
fn issue_fields_are_filters_and_can_be_given() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for seed in [SEED_000, SEED_003] {
        std::fs::copy(root().join("corpus/seeds").join(seed), corpus.join(seed)).unwrap();
    }
    std::fs::write(
        corpus.join(format!("{SEED_000}.meta.toml")),
        "issuer = \"临泽县人民政府\"\nforce = \"工作文件\"\nwritten = \"2019-03-01\"\n",
    )
    .unwrap();
    let idx = dir.path().join("index");
    index(&corpus, &idx);
    let index = idx.as_path();
    let paths = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    let by_docno = search(index, &["--docno", "市委发[2018]10号"]);
    assert_eq!(paths(&by_docno), [SEED_003], "{by_docno}");
    let hit = &by_docno["hits"][0];
    assert_eq!(hit["doc_number"], "市委发〔2018〕10号");
    assert_eq!(hit["written"], "2018-02-08");
    let issuers: Vec<&str> = hit["issuers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(issuers, ["张掖市委", "张掖市人民政府"]);
    // 中共张掖市委 and 张掖市委 are one body.
    assert_eq!(
        paths(&search(index, &["--issuer", "中共张掖市委"])),
        [SEED_003]
    );
    // Given in the sidecar: issuer, level of force, date.
    let given = search(
        index,
        &["--issuer", "临泽县人民政府", "--force", "工作文件"],
    );
    assert_eq!(paths(&given), [SEED_000], "{given}");
    assert_eq!(given["hits"][0]["written"], "2019-03-01");
    // Newest first: the given 2019 before 2018.
    let newest = search(index, &["--sort", "newest", "--per-doc", "1"]);
    assert_eq!(paths(&newest), [SEED_000, SEED_003], "{newest}");
    // A bad level is refused with the list of levels.
    let out = plansearch(&[
        "search",
        "肉牛养殖",
        "--force",
        "法规",
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("地方性法规"), "{}", stderr(&out));
}
