//! The traps of ../shared/docs/pitfalls.md that show only end to end; the
//! tokenizer's own traps are unit tests in src/tokenizer.rs.

use std::sync::Arc;

use plansearch::error::Error;
use plansearch::indexer::{INFO_FILE, IndexConfig, build_index, open_index};
use plansearch::search::{SearchRequest, search};
use plansearch::tokenizer::{Dictionary, WORDS, register};

use crate::common::{open, ranking_index, shipped_index};

#[test]
fn analyzer_clones_share_one_dictionary() {
    // tantivy clones the analyzer on every tokenizers().get(); with tantivy-jieba's
    // with_jieba that copies the dictionary (2.4 ms each). Ours clones an Arc.
    // (A dictionary of this test's own, so that no other test counts with it.)
    let index = tantivy::Index::create_in_ram(plansearch::schema::build());
    let dictionary = Dictionary::new(["百千工程"]);
    register(&index, &dictionary);
    let before = Arc::strong_count(dictionary.jieba());
    let analyzers: Vec<_> = (0..10)
        .map(|_| index.tokenizers().get(WORDS).unwrap())
        .collect();
    assert_eq!(
        Arc::strong_count(dictionary.jieba()),
        before + analyzers.len()
    );
    // Without user words, an index's dictionary is the built-in jieba that
    // extraction uses: one per process.
    let open = open(ranking_index());
    assert!(open.dictionary.user_words().is_empty());
    assert!(Arc::ptr_eq(
        open.dictionary.jieba(),
        Dictionary::builtin().jieba()
    ));
}

#[test]
fn punctuation_in_a_query_does_not_require_a_punctuation_term() {
    // Pitfall: a "，" token in the query would have to occur in the text.
    let r = search(
        &open(shipped_index()),
        &SearchRequest {
            query: "特色农业，农产品".into(),
            limit: Some(5),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(r.total > 0);
}

#[test]
fn snippets_hold_about_120_characters_not_bytes() {
    let r = search(
        &open(shipped_index()),
        &SearchRequest {
            query: "乡村振兴".into(),
            limit: Some(10),
            ..Default::default()
        },
    )
    .unwrap();
    for hit in &r.hits {
        let n = hit.snippet.chars().count();
        assert!(n <= 122, "{n}");
        if hit.text.chars().count() > 122 {
            assert!(n >= 100, "a long passage gives a full snippet, got {n}");
        }
    }
}

#[test]
fn an_index_from_another_schema_is_refused_with_advice() {
    // tantivy has no schema migration: plansearch must notice and rebuild.
    let dir = tempfile::TempDir::new().unwrap();
    let index = dir.path().join("index");
    let mut config = IndexConfig::new(crate::common::root().join("tests/fixtures/ranking"), &index);
    config.threads = 1;
    config.memory_budget = 32 << 20;
    build_index(&config, &mut |_| {}).unwrap();
    let info_path = index.join(INFO_FILE);
    let mut info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info_path).unwrap()).unwrap();
    info["schema_version"] = 0.into();
    std::fs::write(&info_path, info.to_string()).unwrap();
    match open_index(&index) {
        Err(e @ Error::StaleIndex { .. }) => {
            // The library speaks of the index, the CLI adds the command.
            assert!(e.to_string().contains("must be rebuilt"), "{e}");
            assert!(!e.to_string().contains("--"), "{e}");
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a stale index opened"),
    }
}

#[test]
fn writer_budget_is_at_least_15_mb_per_thread() {
    let config = IndexConfig::new("corpus", "index");
    assert!(config.memory_budget / config.threads >= 15 << 20);
    assert!(config.threads <= 8);
}
