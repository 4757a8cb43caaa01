//! Following a question across batches: saved queries in the corpus
//! (`queries.toml`, `plansearch watch`), the new hits each `plansearch index`
//! run lists for them, and `search --new` / `--new-since`.

use std::path::Path;

use plansearch::indexer::open_index;
use plansearch::saved;
use serde_json::Value;
use tempfile::TempDir;

use crate::common::{
    add_documents, corpus_with, plansearch, plansearch_command, plansearch_on, shipped_documents,
    stderr, stdout,
};

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every hit of a search as JSON.
fn search_json(corpus: &Path, index: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "search",
        "--corpus",
        arg(corpus),
        "--index",
        arg(index),
        "--json",
        "-n",
        "0",
        "--per-doc",
        "0",
    ];
    args.extend_from_slice(extra);
    let out = plansearch(&args);
    assert!(out.status.code().unwrap_or(2) < 2, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

fn paths(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_saved_query_lists_the_new_hits_of_each_batch_and_new_finds_only_them() {
    let dir = TempDir::new().unwrap();
    let docs = shipped_documents();
    // The work reports of 上海 and 云南 first; 内蒙古's arrives in a second
    // batch. All three say 冷链物流 (内蒙古: "推动7个国家物流枢纽、4个国家骨干
    // 冷链物流基地提质升级").
    let corpus = corpus_with(dir.path(), &docs[..2]);
    let index = dir.path().join("index");
    let c = arg(&corpus);
    let i = arg(&index);

    let out = plansearch(&["watch", "add", "冷链", "冷链物流", "--corpus", c]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = plansearch(&[
        "watch",
        "add",
        "牧区",
        "草原 畜牧业",
        "--region",
        "内蒙古",
        "--corpus",
        c,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = plansearch(&["watch", "add", "冷链", "别的", "--corpus", c]);
    assert_eq!(again.status.code(), Some(2), "a name is saved once");
    let bad = plansearch(&["watch", "add", "坏", "x", "--year", "明年", "--corpus", c]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert_eq!(saved::load(&corpus).unwrap().len(), 2);

    // Batch 1: the first two reports; the query file is no document.
    let first = plansearch(&["index", "--corpus", c, "--index", i, "-q"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stderr(&first);
    assert!(text.contains("2 added"), "{text}");
    assert!(text.contains("batch 1 ("), "{text}");
    assert!(text.contains("冷链 (冷链物流): "), "{text}");
    let state = open_index(&index)
        .unwrap()
        .snapshot()
        .unwrap()
        .state
        .clone();
    assert!(state.files.keys().all(|p| p.starts_with("documents/")));
    assert_eq!(state.batches.len(), 1);

    // Batch 2: 内蒙古's report arrives.
    add_documents(&corpus, &docs[2..3]);
    let second = plansearch(&["index", "--corpus", c, "--index", i, "-q"]);
    assert!(second.status.success(), "{}", stderr(&second));
    let text = stderr(&second);
    assert!(text.contains("batch 2 ("), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("冷链 (冷链物流): "))
        .unwrap_or_else(|| panic!("the saved query is listed:\n{text}"));
    assert!(line.contains("1 new passage"), "{line}");
    assert!(
        text.contains("documents/00003.txt#"),
        "the new hit is shown:\n{text}"
    );
    assert!(
        text.contains("牧区 (草原 畜牧业 region:内蒙古): "),
        "{text}"
    );

    // --new: only what batch 2 added.
    let all = search_json(&corpus, &index, &["冷链物流"]);
    let new = search_json(&corpus, &index, &["冷链物流", "--new"]);
    assert!(paths(&all).len() > paths(&new).len(), "{all}");
    assert_eq!(paths(&new), ["documents/00003.txt"]);
    let snippet = new["hits"][0]["text"].as_str().unwrap();
    assert!(
        snippet.contains("4个国家骨干冷链物流基地提质升级"),
        "{snippet}"
    );
    // --new-since: from the start of time everything, from far on nothing.
    let since = search_json(&corpus, &index, &["冷链物流", "--new-since", "2000-01-01"]);
    assert_eq!(paths(&since), paths(&all));
    let later = plansearch(&[
        "search",
        "--index",
        i,
        "--corpus",
        c,
        "冷链物流",
        "--new-since",
        "2999-01-01",
    ]);
    assert_eq!(later.status.code(), Some(1), "{}", stderr(&later));
    let bad_date = plansearch(&[
        "search",
        "--index",
        i,
        "--corpus",
        c,
        "冷链物流",
        "--new-since",
        "昨天",
    ]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(
        stderr(&bad_date).contains("not a date"),
        "{}",
        stderr(&bad_date)
    );

    // A run that finds nothing new starts no batch: --new still means batch 2.
    let third = plansearch(&["index", "--corpus", c, "--index", i, "-q"]);
    assert!(
        stderr(&third).contains("no new passages"),
        "{}",
        stderr(&third)
    );
    assert_eq!(
        paths(&search_json(&corpus, &index, &["冷链物流", "--new"])),
        ["documents/00003.txt"]
    );

    // A rebuild adds nothing new by itself: each document keeps its batch.
    let full = plansearch(&["index", "--corpus", c, "--index", i, "-q", "--full"]);
    assert!(full.status.success(), "{}", stderr(&full));
    assert!(!stderr(&full).contains("batch 3"), "{}", stderr(&full));
    assert_eq!(
        paths(&search_json(&corpus, &index, &["冷链物流", "--new"])),
        ["documents/00003.txt"]
    );

    // The list shows each query with its hits in the last batch.
    let list = plansearch(&["watch", "list", "--corpus", c, "--index", i]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("last batch: 2"), "{text}");
    assert!(text.contains("冷链\t冷链物流  [1 new]"), "{text}");
    let gone = plansearch(&["saved", "remove", "冷链", "--corpus", c]);
    assert!(gone.status.success(), "{}", stderr(&gone));
    let names: Vec<String> = saved::load(&corpus)
        .unwrap()
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(names, ["牧区"]);
    let missing = plansearch(&["watch", "remove", "冷链", "--corpus", c]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn an_index_of_an_older_schema_is_rebuilt_with_its_batches_kept() {
    use plansearch::indexer::{INFO_FILE, build_index};
    let dir = TempDir::new().unwrap();
    let docs = shipped_documents();
    let corpus = corpus_with(dir.path(), &docs[..1]);
    let index = dir.path().join("index");
    let config = crate::common::test_config(&corpus, &index);
    let first = build_index(&config, &mut |_| {}).unwrap();
    assert_eq!(first.batch.map(|b| (b.number, b.documents)), Some((1, 1)));
    // As if built by schema 7, the one before batches.
    let info_path = index.join(INFO_FILE);
    let mut info: Value =
        serde_json::from_str(&std::fs::read_to_string(&info_path).unwrap()).unwrap();
    info["schema_version"] = 7.into();
    std::fs::write(&info_path, info.to_string()).unwrap();
    add_documents(&corpus, &docs[1..2]);
    let rebuilt = build_index(&config, &mut |_| {}).unwrap();
    assert!(
        rebuilt
            .rebuilt
            .as_deref()
            .unwrap()
            .contains("schema version 7"),
        "{:?}",
        rebuilt.rebuilt
    );
    // Only the file that arrived is new: the other keeps batch 1.
    let batch = rebuilt.batch.expect("a batch for the new file");
    assert_eq!((batch.number, batch.documents), (2, 1));
    let state = open_index(&index)
        .unwrap()
        .snapshot()
        .unwrap()
        .state
        .clone();
    let mut batches: Vec<u32> = state.docs.values().map(|d| d.batch).collect();
    batches.sort();
    assert_eq!(batches, [1, 2]);
    assert_eq!(state.batches.len(), 2);
}

#[test]
fn a_changed_file_brings_only_its_changed_passages_into_the_new_batch() {
    let dir = TempDir::new().unwrap();
    let docs = shipped_documents();
    // 上海's work report; its 农业 paragraph is corrected in a second batch
    // (8万亩 → 9万亩), as when a city re-publishes a report with a typo fixed.
    let corpus = corpus_with(dir.path(), &docs[..1]);
    let index = dir.path().join("index");
    let (c, i) = (arg(&corpus), arg(&index));
    let first = plansearch(&["index", "--corpus", c, "--index", i, "-q"]);
    assert!(first.status.success(), "{}", stderr(&first));

    let file = corpus.join("documents").join(docs[0].file_name().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    let changed = "深入落实耕地保护和粮食安全责任制，建设8万亩高标准农田。";
    assert!(
        text.contains(changed),
        "the shipped report has the sentence"
    );
    std::fs::write(&file, text.replace(changed, &changed.replace('8', "9"))).unwrap();
    // In 北京 time (a POSIX zone, so no time zone database is needed).
    let second = plansearch_command(&["index", "--corpus", c, "--index", i, "-q"])
        .env("TZ", "CST-8")
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    let summary = stderr(&second);
    assert!(
        summary.contains("1 new document, 1 new passage"),
        "{summary}"
    );
    assert!(summary.contains(" +08:00): "), "local time: {summary}");

    // The corrected paragraph (which also says 冷链物流) is new; the
    // paragraphs the file said before are not.
    let new = search_json(&corpus, &index, &["冷链物流", "--new"]);
    assert_eq!(paths(&new), ["documents/00001.txt"]);
    assert!(
        new["hits"][0]["text"]
            .as_str()
            .unwrap()
            .contains("建设9万亩高标准农田"),
        "{new}"
    );
    let unchanged = plansearch_on(&["search", "政务服务", "--new"], &corpus, &index);
    assert_eq!(unchanged.status.code(), Some(1), "{}", stdout(&unchanged));
    assert!(
        !paths(&search_json(&corpus, &index, &["政务服务"])).is_empty(),
        "the old paragraphs are still found"
    );

    // A rebuild keeps each passage's batch.
    let full = plansearch(&["index", "--corpus", c, "--index", i, "-q", "--full"]);
    assert!(full.status.success(), "{}", stderr(&full));
    assert_eq!(
        search_json(&corpus, &index, &["冷链物流", "--new"])["hits"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let unchanged = plansearch_on(&["search", "政务服务", "--new"], &corpus, &index);
    assert_eq!(unchanged.status.code(), Some(1), "{}", stdout(&unchanged));
}
