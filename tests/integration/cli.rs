//! The command line as a user runs it: JSON shapes, exit codes, messages.

use serde_json::Value;

use crate::common::{plansearch, shipped_index, stderr, stdout};

fn search_json(args: &[&str]) -> Value {
    let index = shipped_index().to_str().unwrap().to_string();
    let mut all = vec!["search", "--index", &index, "--json"];
    all.extend_from_slice(args);
    let out = plansearch(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("valid JSON")
}

fn inspect_json(file: &str) -> Value {
    let out = plansearch(&["inspect", "--json", file]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("valid JSON")
}

#[test]
fn cattle_farming_finds_the_seed_passage_in_the_top_three() {
    let v = search_json(&["肉牛养殖"]);
    let top3: Vec<&Value> = v["hits"].as_array().unwrap().iter().take(3).collect();
    assert!(
        top3.iter()
            .any(|h| h["path"] == "seeds/000_cca008fd74b9d59b.txt"
                && h["passage"].as_str().unwrap().contains("千头肉牛养殖场")),
        "{top3:#?}"
    );
}

#[test]
fn search_json_has_the_documented_shape() {
    let v = search_json(&["肉牛养殖", "--limit", "5"]);
    assert_eq!(v["query"], "肉牛养殖");
    assert!(v["total"].as_u64().unwrap() >= 2);
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    for hit in hits {
        for key in [
            "id", "path", "title", "region", "year", "doc_type", "sectors", "heading", "passage",
            "snippet", "score",
        ] {
            assert!(hit.get(key).is_some(), "missing {key} in {hit}");
        }
        for key in ["province", "city", "county"] {
            assert!(hit["region"].get(key).is_some(), "missing region.{key}");
        }
        assert!(hit["sectors"].is_array());
        assert!(hit["score"].is_number());
    }
    // Unknown stays null: seed 000 has no year and no county.
    let seed = hits
        .iter()
        .find(|h| h["path"] == "seeds/000_cca008fd74b9d59b.txt")
        .expect("seed 000 hit");
    assert!(seed["year"].is_null());
    assert!(seed["region"]["county"].is_null());
    assert_eq!(seed["region"]["province"], "甘肃省");
    for facet in ["region", "year", "sector", "doc_type"] {
        let values = v["facets"][facet]
            .as_array()
            .unwrap_or_else(|| panic!("facets.{facet}"));
        for fv in values {
            assert!(fv["value"].is_string() && fv["count"].is_u64(), "{fv}");
        }
    }
    assert!(!v["facets"]["region"].as_array().unwrap().is_empty());
}

/// File, province, city, county, year.
type SeedLabel = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<u64>,
);

#[test]
fn inspect_labels_the_seeds_as_a_careful_reader_would() {
    let cases: &[SeedLabel] = &[
        (
            "corpus/seeds/003_0c8bad910db2f3a0.txt",
            "甘肃省",
            Some("张掖市"),
            None,
            Some(2018),
        ),
        (
            "corpus/seeds/002_cf2980ef73398ada.txt",
            "黑龙江省",
            Some("七台河市"),
            Some("勃利县"),
            Some(2022),
        ),
        (
            "corpus/seeds/000_cca008fd74b9d59b.txt",
            "甘肃省",
            None,
            None,
            None,
        ),
        // Written about 2020 on a page dated 2022: the page's date is not its year.
        (
            "corpus/seeds/001_50fc5b672f9dfdcb.txt",
            "河南省",
            Some("开封市"),
            None,
            None,
        ),
    ];
    for (file, province, city, county, year) in cases {
        let v = inspect_json(file);
        assert_eq!(v["region"]["province"], *province, "{file}");
        assert_eq!(v["region"]["city"].as_str(), *city, "{file}");
        assert_eq!(v["region"]["county"].as_str(), *county, "{file}");
        assert_eq!(v["year"].as_u64(), *year, "{file}");
    }
}

#[test]
fn inspect_does_not_take_a_partners_park_for_the_county() {
    // Seed 004: Sichuan (贡嘎培优); 武侯(XX)智谷 is a partner's park, the county is
    // anonymised.
    let v = inspect_json("corpus/seeds/004_1fe79af4aebf8884.txt");
    assert_eq!(v["region"]["province"], "四川省");
    assert!(v["region"]["city"].is_null(), "{}", v["region"]);
    assert!(v["region"]["county"].is_null(), "{}", v["region"]);
}

#[test]
fn inspect_json_has_the_documented_shape() {
    let v = inspect_json("corpus/seeds/003_0c8bad910db2f3a0.txt");
    assert_eq!(v["path"], "corpus/seeds/003_0c8bad910db2f3a0.txt");
    assert_eq!(v["title"], "关于加快推进县域经济发展的工作方案");
    assert_eq!(v["doc_type"], "工作方案");
    assert!(v["region"]["code"].is_string());
    let passages = v["passages"].as_array().unwrap();
    assert!(passages.len() > 10);
    let with_heading = passages
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("持续实施玉米制种"))
        .expect("passage on 玉米制种");
    assert_eq!(
        with_heading["heading"],
        "二、重点任务及责任分工 > (一)加快发展特色产业,提升县域经济支撑能力"
    );
    assert!(
        with_heading["sectors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("/农业农村"))
    );
}

#[test]
fn inspect_explains_its_decisions() {
    let out = plansearch(&[
        "inspect",
        "--brief",
        "corpus/seeds/003_0c8bad910db2f3a0.txt",
    ]);
    let text = stdout(&out);
    assert!(text.contains("document number 〔2018〕10号"), "{text}");
    // 中共张掖市委 and 张掖市人民政府.
    assert!(text.contains("张掖市 ×2 in issuing body"), "{text}");
    assert!(text.contains("none dominant"), "{text}");
}

#[test]
fn search_without_an_index_builds_one_first_and_says_so() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for seed in ["000_cca008fd74b9d59b.txt", "003_0c8bad910db2f3a0.txt"] {
        std::fs::copy(
            crate::common::root().join("corpus/seeds").join(seed),
            corpus.join(seed),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    let out = plansearch(&[
        "search",
        "马铃薯",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("building it from"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("马铃薯"));
    assert!(index.join("plansearch.json").is_file());
}

#[test]
fn exit_codes_follow_ripgrep() {
    let index = shipped_index().to_str().unwrap().to_string();
    let none = plansearch(&["search", "--index", &index, "火星殖民地"]);
    assert_eq!(none.status.code(), Some(1));
    let bad = plansearch(&["search", "--index", &index, "\"乡村振兴"]);
    assert_eq!(bad.status.code(), Some(2));
    let message = stderr(&bad);
    assert!(message.contains("unbalanced quotes"), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(!message.contains("panicked"));
}

#[test]
fn bad_filters_say_what_to_write() {
    let index = shipped_index().to_str().unwrap().to_string();
    let cases: &[(&[&str], &str)] = &[
        (&["--region", "火星"], "unknown region"),
        (&["--region", "鼓楼区"], "ambiguous"),
        (&["--year", "明年"], "bad year"),
        (&["--sector", "航天"], "unknown sector"),
        (&["--type", "小说"], "unknown document type"),
    ];
    for (args, want) in cases {
        let mut all = vec!["search", "--index", &index, "发展"];
        all.extend_from_slice(args);
        let out = plansearch(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn text_output_shows_heading_snippet_and_facets() {
    let index = shipped_index().to_str().unwrap().to_string();
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "马铃薯精深加工",
        "--region",
        "张掖",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("关于加快推进县域经济发展的工作方案"),
        "{text}"
    );
    assert!(
        text.contains("二、重点任务及责任分工 > (一)加快发展特色产业"),
        "{text}"
    );
    assert!(
        text.contains("【马铃薯】") || text.contains("【马铃薯精深加工】"),
        "{text}"
    );
    assert!(text.contains("region: 张掖市"), "{text}");
}

#[test]
fn by_doc_returns_each_document_once() {
    let v = search_json(&["乡村振兴", "--by", "doc", "--limit", "0"]);
    let hits = v["hits"].as_array().unwrap();
    let mut paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    let n = paths.len();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), n);
    assert_eq!(v["total"].as_u64().unwrap() as usize, n);
    assert!(
        hits.iter()
            .all(|h| h["matching_passages"].as_u64().unwrap() >= 1)
    );
}

#[test]
fn target_years_are_searchable_apart_from_the_year() {
    // Seed 001 promises 到2025年 but is not of 2025 (its year is unknown).
    let v = search_json(&["县域城镇化率", "--target-year", "2025", "--limit", "0"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(
        hits.iter()
            .any(|h| h["path"] == "seeds/001_50fc5b672f9dfdcb.txt"),
        "{v}"
    );
    for h in hits {
        let targets: Vec<u64> = h["target_years"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        assert!(targets.contains(&2025), "{h}");
    }
    let v = search_json(&["县域城镇化率", "--year", "2025", "--limit", "0"]);
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["path"] != "seeds/001_50fc5b672f9dfdcb.txt"),
        "{v}"
    );
}
