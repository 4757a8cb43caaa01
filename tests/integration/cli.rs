//! The command line as a user runs it: JSON shapes, exit codes, messages.

use serde_json::Value;

use crate::common::{plansearch, shipped_index, stderr, stdout};

fn search_json(args: &[&str]) -> Value {
    let index = shipped_index().to_str().unwrap().to_string();
    let mut all = vec!["search", "--index", &index, "--json"];
    all.extend_from_slice(args);
    let out = plansearch(&all);
    assert!(
        out.status.success(),
        "{args:?}: {} {}",
        out.status,
        stderr(&out)
    );
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
                && h["text"].as_str().unwrap().contains("千头肉牛养殖场")),
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
            "id", "path", "title", "region", "year", "doc_type", "sectors", "heading", "text",
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
            .any(|s| s.as_str().unwrap().starts_with("农业农村/"))
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
    // No document of 2025 says it: no hits, exit code 1 as grep has it.
    let index = shipped_index().to_str().unwrap().to_string();
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "--json",
        "县域城镇化率",
        "--year",
        "2025",
        "--limit",
        "0",
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["path"] != "seeds/001_50fc5b672f9dfdcb.txt"),
        "{v}"
    );
}

/// Runs a search that must fail, and returns its one-line message.
fn search_error(index: &str, args: &[&str]) -> String {
    let mut all = vec!["search", "--index", index];
    all.extend_from_slice(args);
    let out = plansearch(&all);
    let message = stderr(&out);
    let args: Vec<String> = args.iter().map(|a| a.chars().take(20).collect()).collect();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
    assert!(!message.contains("panicked"), "{args:?}: {message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{args:?}: {message}");
    assert!(stdout(&out).is_empty(), "{args:?}");
    message
}

#[test]
fn malformed_queries_get_one_line_messages() {
    let index = shipped_index().to_str().unwrap().to_string();
    let ten_thousand = "肉".repeat(10_000);
    let spaced = format!("{}肉", "肉牛 ".repeat(3_333));
    let deep = format!("{}肉牛{}", "(".repeat(40), ")".repeat(40));
    let cases: &[(&str, &str)] = &[
        ("\"乡村振兴", "unbalanced quotes"),
        ("“乡村振兴", "unbalanced quotes"),
        ("乡村振兴\" 产业", "unbalanced quotes"),
        ("(肉牛 OR 牛羊", "unbalanced parentheses"),
        ("肉牛 OR 牛羊)", "unbalanced parentheses"),
        ("title:(规划", "unbalanced parentheses"),
        ("foo:肉牛", "unknown field"),
        ("tilte:规划", "unknown field"),
        ("", "empty query"),
        ("   ", "empty query"),
        ("。、", "empty query"),
        ("\"\"", "empty phrase"),
        ("()", "empty parentheses"),
        (&ten_thousand, "10000 characters long"),
        (&spaced, "10000 characters long"),
        (&deep, "nested deeper"),
        ("-北京", "not only -exclusions"),
        ("肉牛 OR", "OR needs a word"),
        ("OR 肉牛", "OR needs a word"),
        ("region:", "needs a value"),
        ("region:(甘肃 OR 四川) 肉牛", "takes one value"),
        ("肉牛 year:明年", "bad year"),
        ("肉牛 year:2023..2018", "bad year range"),
        ("肉牛 region:火星", "unknown region"),
        ("肉牛 sector:航天", "unknown sector"),
        ("肉牛 type:小说", "unknown document type"),
    ];
    for (query, want) in cases {
        let message = search_error(&index, &[query]);
        let start: String = query.chars().take(20).collect();
        assert!(message.contains(want), "{start:?}: {message}");
    }
}

#[test]
fn an_exclusion_can_be_its_own_shell_word() {
    // `plansearch search 招商引资 -北京`: -北京 is no option, and flags after it
    // still work.
    let index = shipped_index().to_str().unwrap().to_string();
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "招商引资",
        "-北京",
        "--json",
        "--limit",
        "50",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["query"], "招商引资 -北京");
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        for field in ["text", "title", "heading"] {
            assert!(!h[field].as_str().unwrap().contains("北京"), "{h}");
        }
    }
}

#[test]
fn timeline_and_crosstab_take_an_exclusion_as_search_does() {
    let index = shipped_index().to_str().unwrap().to_string();
    for command in ["timeline", "crosstab"] {
        let out = plansearch(&[command, "--index", &index, "招商引资", "-北京", "--json"]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["query"], "招商引资 -北京", "{command}");
    }
}

#[test]
fn explain_shows_the_reading_and_the_score_parts() {
    let index = shipped_index().to_str().unwrap().to_string();
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "放管服",
        "改革",
        "--explain",
        "--limit",
        "3",
    ]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("read as 放管服: literally 放管服"), "{text}");
    assert!(
        text.contains("read as 放管服: synonym 简政放权 + 放管结合 + 优化服务"),
        "{text}"
    );
    assert!(text.contains("改革 · literally (BM25 ×1)"), "{text}");
    // JSON carries the same.
    let v = search_json(&["放管服", "改革", "--explain", "--limit", "3"]);
    assert!(v["explain"].as_array().is_some_and(|r| r.len() == 3), "{v}");
    for h in v["hits"].as_array().unwrap() {
        let parts = h["explain"].as_array().unwrap();
        let sum: f64 = parts.iter().map(|p| p["score"].as_f64().unwrap()).sum();
        assert!((sum - h["score"].as_f64().unwrap()).abs() < 0.01, "{h}");
    }
    // Without --explain, no trace of it.
    let v = search_json(&["放管服", "--limit", "3"]);
    assert!(v.get("explain").is_none());
    assert!(v["hits"][0].get("explain").is_none());
}

#[test]
fn synonyms_find_what_the_shorthand_stands_for() {
    // 双创 finds passages that only spell out 大众创业、万众创新.
    let v = search_json(&["双创", "--limit", "0"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(
        hits.iter().any(|h| {
            let p = h["text"].as_str().unwrap();
            !p.contains("双创") && p.contains("大众创业") && p.contains("万众创新")
        }),
        "{v}"
    );
    // A quoted phrase is never expanded.
    let quoted = search_json(&["\"双创\"", "--limit", "0"]);
    for h in quoted["hits"].as_array().unwrap() {
        let text = format!("{}{}{}", h["title"], h["heading"], h["text"]);
        assert!(text.contains("双创"), "{h}");
    }
}

#[test]
fn a_user_dictionary_is_used_at_index_and_query_time() {
    // 百千工程 (a 2025 provincial programme) is 百千 + 工程 to jieba.
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        crate::common::root().join("corpus/documents/00062.txt"),
        corpus.join("00062.txt"),
    )
    .unwrap();
    let dict = dir.path().join("words.txt");
    std::fs::write(&dict, "# researcher's words\n百千工程\n").unwrap();
    let (corpus, index, dict) = (
        corpus.to_str().unwrap(),
        dir.path().join("index"),
        dict.to_str().unwrap(),
    );
    let index = index.to_str().unwrap();
    let built = plansearch(&[
        "index", "--corpus", corpus, "--index", index, "--dict", dict, "--quiet",
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    let explained = |extra: &[&str]| {
        let mut args = vec![
            "search",
            "--corpus",
            corpus,
            "--index",
            index,
            "百千工程",
            "--explain",
        ];
        args.extend_from_slice(extra);
        plansearch(&args)
    };
    let out = explained(&["--dict", dict]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("read as 百千工程: literally 百千工程\n"),
        "{}",
        stdout(&out)
    );
    // Searching with another dictionary would miss words: refused, with advice.
    let message = search_error(index, &["--corpus", corpus, "百千工程"]);
    assert!(message.contains("another dictionary"), "{message}");
    // CORPUS/dict.txt is the default, for index and search alike.
    std::fs::write(format!("{corpus}/dict.txt"), "百千工程\n").unwrap();
    assert!(explained(&[]).status.success());
    std::fs::write(format!("{corpus}/dict.txt"), "百千工程\n强省会\n").unwrap();
    let message = search_error(index, &["--corpus", corpus, "百千工程"]);
    assert!(message.contains("another dictionary"), "{message}");
    let rebuilt = plansearch(&["index", "--corpus", corpus, "--index", index, "--quiet"]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let out = explained(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A dictionary that is not there is a one-line error.
    let message = search_error(index, &["--dict", "/nonexistent/words.txt", "百千工程"]);
    assert!(message.contains("/nonexistent/words.txt"), "{message}");
}

/// `plansearch index` on `corpus` into `index`, NO_COLOR; the whole output.
fn index_run(corpus: &std::path::Path, index: &std::path::Path) -> std::process::Output {
    plansearch(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ])
}

/// A file name with a newline cannot forge a line of the summary, and no
/// escape sequence from a name or a document reaches the terminal; JSON
/// keeps the name exact.
#[test]
fn names_and_texts_are_shown_escaped_never_obeyed() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        crate::common::root().join("corpus/seeds/003_0c8bad910db2f3a0.txt"),
        corpus.join("seed.txt"),
    )
    .unwrap();
    let index = dir.path().join("index");
    assert!(index_run(&corpus, &index).status.success());
    // Added after the first build, so that the summary lists them.
    let forged = "张掖.txt\n  removed  seed.txt";
    std::fs::write(
        corpus.join(forged),
        "关于印发张掖市肉牛产业发展实施方案的通知\n\n全市肉牛饲养量达到20万头。\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("red\x1b[31m.txt"),
        "关于推进肉牛产业发展的实施意见\n\n全县\x1b[31m肉牛饲养量达到40万头。\x1b[0m\n",
    )
    .unwrap();
    let out = index_run(&corpus, &index);
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("2 added"), "{log}");
    assert!(
        !log.lines().any(|l| l.starts_with("  removed")),
        "a forged line:\n{log}"
    );
    assert!(log.contains("张掖.txt\\n  removed  seed.txt"), "{log}");
    let search = plansearch(&["search", "--index", index.to_str().unwrap(), "肉牛饲养量"]);
    let shown = stdout(&search);
    assert!(shown.contains("red\\u{1b}[31m.txt#1"), "{shown}");
    for (what, bytes) in [("index", &out.stderr), ("search", &search.stdout)] {
        assert!(
            !bytes.contains(&0x1b),
            "{what}: {}",
            String::from_utf8_lossy(bytes)
        );
    }
    // JSON is exact.
    let json = plansearch(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "20万头",
    ]);
    let v: Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(v["hits"][0]["path"], forged);
}

/// `index … 2>&1 | head` that closes the pipe at once: the run goes on,
/// completes the index and exits 0 without a word.
#[test]
fn index_into_a_closed_pipe_completes_and_exits_0() {
    let dir = tempfile::TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let seeds = ["000_cca008fd74b9d59b.txt", "003_0c8bad910db2f3a0.txt"];
    for seed in seeds {
        std::fs::copy(
            crate::common::root().join("corpus/seeds").join(seed),
            corpus.join(seed),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plansearch"))
        .args(["index", "--corpus"])
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("plansearch starts");
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().expect("plansearch ends");
    assert_eq!(status.code(), Some(0));
    let mut found = crate::common::found(&index, "肉牛");
    found.sort();
    assert_eq!(found, seeds);
}

/// `stats` reports on an index and does not build one: with none, it says
/// so and how to build it.
#[test]
fn stats_without_an_index_says_how_to_build_one() {
    let dir = tempfile::TempDir::new().unwrap();
    let index = dir.path().join("index");
    let out = plansearch(&[
        "stats",
        "--corpus",
        crate::common::root().join("corpus").to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("no index at") && message.contains("plansearch index --corpus"),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(stdout(&out).is_empty());
    assert!(!index.exists(), "stats built an index");
}
