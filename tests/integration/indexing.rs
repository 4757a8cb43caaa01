//! Incremental indexing through the library: what a re-run finds and what it
//! touches.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use plansearch::error::Error;
use plansearch::indexer::{Event, INFO_FILE, Summary, build_index, open_index};
use plansearch::search::{SearchRequest, search};
use plansearch::tokenizer::Dictionary;
use tempfile::TempDir;

use crate::common::{
    add_documents, clean_build, corpus_with, found, inventory, shipped_documents, test_config,
};

fn index_once(corpus: &Path, index: &Path) -> Summary {
    build_index(&test_config(corpus, index), &mut |_| {}).expect("index run")
}

/// Segment ids and deletions of the live commit: equal before and after a run
/// that re-indexed nothing.
fn segments(index: &Path) -> Vec<(String, u32)> {
    let open = open_index(index).unwrap();
    let mut s: Vec<(String, u32)> = open
        .index
        .searchable_segment_metas()
        .unwrap()
        .iter()
        .map(|m| (m.id().uuid_string(), m.num_deleted_docs()))
        .collect();
    s.sort();
    s
}

fn generation(index: &Path) -> String {
    open_index(index).unwrap().info.generation.unwrap()
}

/// A small corpus of `n` shipped documents in a temp folder.
fn small_corpus(n: usize) -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let docs = shipped_documents();
    let corpus = corpus_with(dir.path(), &docs[..n]);
    let index = dir.path().join("index");
    (dir, corpus, index)
}

/// A document of the corpus: its path on disk and in the corpus.
fn first_document(corpus: &Path) -> (PathBuf, String) {
    let path = std::fs::read_dir(corpus.join("documents"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let rel = format!("documents/{}", path.file_name().unwrap().to_str().unwrap());
    (path, rel)
}

#[test]
fn a_rerun_with_nothing_changed_touches_nothing() {
    let (_dir, corpus, index) = small_corpus(6);
    let first = index_once(&corpus, &index);
    assert_eq!(first.changes.added.len(), 6);
    assert!(first.rebuilt.is_some(), "the first run builds");
    let before = segments(&index);
    let again = index_once(&corpus, &index);
    assert_eq!(again.changes.unchanged, 6);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert!(!again.committed && again.rebuilt.is_none());
    assert_eq!(again.analysed_bytes, 0);
    assert_eq!(segments(&index), before);
}

#[test]
fn an_open_index_reuses_its_snapshot_until_a_commit_lands() {
    let docs = shipped_documents();
    let (_dir, corpus, index) = small_corpus(3);
    index_once(&corpus, &index);
    let open = open_index(&index).unwrap();
    let first = open.snapshot().unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&first, &open.snapshot().unwrap()),
        "no commit: the same snapshot"
    );
    add_documents(&corpus, &docs[3..5]);
    index_once(&corpus, &index);
    let after = open.snapshot().unwrap();
    assert!(
        !std::sync::Arc::ptr_eq(&first, &after),
        "a commit: a new one"
    );
    assert_eq!(first.state.docs.len(), 3);
    assert_eq!(after.state.docs.len(), 5);
    assert_eq!(
        after.searcher.num_docs(),
        open_index(&index)
            .unwrap()
            .snapshot()
            .unwrap()
            .searcher
            .num_docs()
    );
}

#[test]
fn changes_are_found_by_content_not_by_modification_time() {
    let (_dir, corpus, index) = small_corpus(4);
    index_once(&corpus, &index);
    let docs = corpus.join("documents");
    let first = std::fs::read_dir(&docs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let rel = format!("documents/{}", first.file_name().unwrap().to_str().unwrap());

    // A new modification time alone changes nothing.
    let file = std::fs::File::options().write(true).open(&first).unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    drop(file);
    let touched = index_once(&corpus, &index);
    assert!(touched.changes.is_empty(), "{:?}", touched.changes);

    // An edit that keeps the size and the modification time is still found.
    let mtime = std::fs::metadata(&first).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    let edited = text.replacen("发展", "振兴", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&first, edited).unwrap();
    let file = std::fs::File::options().write(true).open(&first).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);
    let changed = index_once(&corpus, &index);
    assert_eq!(changed.changes.updated, [rel]);
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn added_changed_and_removed_files_are_applied_together() {
    let docs = shipped_documents();
    let (_dir, corpus, index) = small_corpus(5);
    index_once(&corpus, &index);
    let live = generation(&index);

    add_documents(&corpus, &docs[5..7]);
    std::fs::remove_file(corpus.join("documents").join(docs[0].file_name().unwrap())).unwrap();
    let edited = corpus.join("documents").join(docs[1].file_name().unwrap());
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(
        &edited,
        format!("新建藜麦种植基地三处，带动农户增收。\n\n{text}"),
    )
    .unwrap();

    let s = index_once(&corpus, &index);
    let name = |i: usize| {
        format!(
            "documents/{}",
            docs[i].file_name().unwrap().to_str().unwrap()
        )
    };
    assert_eq!(s.changes.added, [name(5), name(6)]);
    assert_eq!(s.changes.updated, [name(1)]);
    assert_eq!(s.changes.removed, [name(0)]);
    assert_eq!(s.changes.unchanged, 3);
    assert!(s.committed && s.published && s.rebuilt.is_none());
    assert_eq!(generation(&index), live, "updated in place");
    assert_eq!(found(&index, "藜麦种植基地"), [name(1)]);
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn renaming_a_file_reindexes_nothing_but_its_path() {
    let (_dir, corpus, index) = small_corpus(3);
    let docs = corpus.join("documents");
    std::fs::write(
        docs.join("天祝县2023年藜麦产业报告.txt"),
        "天祝县大力发展藜麦种植，全县藜麦种植面积达到五万亩。\n\n建成藜麦加工企业三家。\n",
    )
    .unwrap();
    index_once(&corpus, &index);
    let before = inventory(&index);
    let segments_before = segments(&index);

    std::fs::create_dir(corpus.join("moved")).unwrap();
    std::fs::rename(
        docs.join("天祝县2023年藜麦产业报告.txt"),
        corpus.join("moved/藜麦.txt"),
    )
    .unwrap();
    let mut events = 0;
    let s = build_index(&test_config(&corpus, &index), &mut |e| {
        if let Event::Indexed(_) = e {
            events += 1;
        }
    })
    .unwrap();
    assert_eq!(events, 0, "nothing analysed");
    assert_eq!(s.analysed_bytes, 0);
    assert_eq!(
        s.changes.moved,
        [(
            "documents/天祝县2023年藜麦产业报告.txt".to_string(),
            "moved/藜麦.txt".to_string()
        )]
    );
    assert!(s.committed, "the new path is committed");
    assert_eq!(segments(&index), segments_before, "no passage rewritten");
    let after = inventory(&index);
    assert_eq!(after.passages, before.passages, "same passage ids");
    assert_eq!(found(&index, "藜麦种植"), ["moved/藜麦.txt"]);
    // A document without an extracted title shows its current file name.
    let r = search(
        &open_index(&index).unwrap(),
        &SearchRequest {
            query: "藜麦种植".into(),
            limit: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.hits[0].title, "藜麦.txt");
    assert_eq!(after, clean_build(&corpus));
}

#[test]
fn a_copy_is_indexed_once_and_outlives_its_original() {
    let (_dir, corpus, index) = small_corpus(3);
    let (original, rel) = first_document(&corpus);
    index_once(&corpus, &index);
    let passages = inventory(&index).passages;

    std::fs::copy(&original, corpus.join("copy.txt")).unwrap();
    let s = index_once(&corpus, &index);
    assert_eq!(s.changes.copies, [("copy.txt".to_string(), rel.clone())]);
    assert_eq!(s.analysed_bytes, 0);
    assert_eq!(inventory(&index).passages, passages, "indexed once");

    // The original goes; its document stays, found under the copy.
    std::fs::remove_file(&original).unwrap();
    let s = index_once(&corpus, &index);
    assert_eq!(s.changes.removed, [rel]);
    assert_eq!(s.analysed_bytes, 0);
    let after = inventory(&index);
    assert_eq!(after.passages, passages);
    assert_eq!(after, clean_build(&corpus));
}

#[test]
fn full_rebuild_builds_a_new_generation_and_swaps_it_in() {
    let (_dir, corpus, index) = small_corpus(4);
    index_once(&corpus, &index);
    let before = inventory(&index);
    let old = generation(&index);
    let mut config = test_config(&corpus, &index);
    config.full = true;
    let s = build_index(&config, &mut |_| {}).unwrap();
    assert_eq!(s.rebuilt.as_deref(), Some("a full rebuild was asked for"));
    assert_eq!(s.changes.added.len(), 4);
    let new = generation(&index);
    assert_ne!(new, old);
    assert!(!index.join(&old).exists(), "the old generation is removed");
    assert_eq!(inventory(&index), before);
}

#[test]
fn an_index_built_by_another_version_is_rebuilt_and_says_why() {
    let (_dir, corpus, index) = small_corpus(3);
    index_once(&corpus, &index);
    let old = generation(&index);
    for (field, value, why) in [
        ("schema_version", serde_json::json!(1), "schema version 1"),
        (
            "plansearch_version",
            serde_json::json!("0.0.1"),
            "plansearch 0.0.1",
        ),
        (
            "dictionary_digest",
            serde_json::json!("0000"),
            "another dictionary",
        ),
        (
            "rules_digest",
            serde_json::json!("0000"),
            "other rule tables",
        ),
        (
            "tokenizer",
            serde_json::json!("jieba v0"),
            "other analyzers",
        ),
    ] {
        let info_path = index.join(INFO_FILE);
        let mut info: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&info_path).unwrap()).unwrap();
        info[field] = value;
        std::fs::write(&info_path, info.to_string()).unwrap();
        let s = index_once(&corpus, &index);
        let rebuilt = s.rebuilt.expect("rebuilt");
        assert!(rebuilt.contains(why), "{field}: {rebuilt}");
        assert_ne!(generation(&index), old);
        assert_eq!(s.changes.added.len(), 3);
    }
}

#[test]
fn a_file_that_becomes_unindexable_is_removed_and_reported() {
    let (_dir, corpus, index) = small_corpus(3);
    let (victim, rel) = first_document(&corpus);
    index_once(&corpus, &index);
    std::fs::write(&victim, b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n").unwrap();
    let s = index_once(&corpus, &index);
    assert_eq!(s.changes.removed, std::slice::from_ref(&rel));
    assert_eq!(s.changes.skipped.len(), 1);
    assert_eq!(s.changes.skipped[0].path, rel);
    assert!(s.changes.skipped[0].reason.to_string().contains("PDF"));
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn a_missing_corpus_is_an_error_that_leaves_the_index_alone() {
    let (dir, corpus, index) = small_corpus(2);
    index_once(&corpus, &index);
    let before = inventory(&index);
    let missing = dir.path().join("no-such-corpus");
    let err = build_index(&test_config(&missing, &index), &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::NoCorpus(_)), "{err}");
    assert!(
        !err.to_string().contains("--"),
        "no CLI option in a library error: {err}"
    );
    assert_eq!(inventory(&index), before);
}

/// An unmounted share looks like an empty folder: a run that would remove
/// more than half of the index changes nothing unless told to; a normal
/// removal (here one file of four) goes through as before.
#[test]
fn a_run_that_would_empty_the_index_is_refused_until_allowed() {
    let (_dir, corpus, index) = small_corpus(4);
    index_once(&corpus, &index);
    let (one, _) = first_document(&corpus);
    std::fs::remove_file(one).unwrap();
    assert_eq!(index_once(&corpus, &index).changes.removed.len(), 1);
    let before = inventory(&index);

    for entry in std::fs::read_dir(corpus.join("documents")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let err = build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap_err();
    assert!(
        matches!(
            err,
            Error::MassRemoval {
                removed: 3,
                indexed: 3,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(inventory(&index), before);
    // --full is no way around it.
    let mut full = test_config(&corpus, &index);
    full.full = true;
    assert!(matches!(
        build_index(&full, &mut |_| {}),
        Err(Error::MassRemoval { .. })
    ));
    assert_eq!(inventory(&index), before);

    let mut allowed = test_config(&corpus, &index);
    allowed.allow_mass_removal = true;
    let summary = build_index(&allowed, &mut |_| {}).unwrap();
    assert_eq!((summary.changes.removed.len(), summary.documents), (3, 0));
}

/// The library reads a corpus's `dict.txt` as the command line does, in any
/// process: the index records the words, opens with them, and a run after
/// the file changed rebuilds.
#[test]
fn the_library_reads_the_corpus_dictionary_as_the_command_line_does() {
    let (_dir, corpus, index) = small_corpus(2);
    std::fs::write(corpus.join("dict.txt"), "# a programme\n百千工程\n").unwrap();
    assert!(index_once(&corpus, &index).rebuilt.is_some());
    let open = open_index(&index).unwrap();
    assert_eq!(open.dictionary.user_words(), ["百千工程"]);
    assert_eq!(open.dictionary.cut("百千工程"), ["百千工程"]);
    let asked = Dictionary::for_corpus(&corpus, None).unwrap();
    assert!(open.check_dictionary(&asked).is_ok());
    // Without the words the dictionary is another one: refused, with the reason.
    let err = open.check_dictionary(&Dictionary::default()).unwrap_err();
    assert!(err.to_string().contains("another dictionary"), "{err}");
    // An index of an earlier plansearch recorded the digest but not the
    // words: it cannot open with them, and the next run rebuilds it.
    let info_file = index.join(INFO_FILE);
    let mut info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info_file).unwrap()).unwrap();
    info.as_object_mut().unwrap().remove("user_words");
    std::fs::write(&info_file, info.to_string()).unwrap();
    let Err(err) = open_index(&index) else {
        panic!("an index without its words opened");
    };
    assert!(err.to_string().contains("another dictionary"), "{err}");
    let rebuilt = index_once(&corpus, &index).rebuilt.unwrap_or_default();
    assert!(rebuilt.contains("user dictionary"), "{rebuilt}");
    assert_eq!(
        open_index(&index).unwrap().dictionary.user_words(),
        ["百千工程"]
    );
    // The file removed, the next run rebuilds without the words.
    std::fs::remove_file(corpus.join("dict.txt")).unwrap();
    let rebuilt = index_once(&corpus, &index).rebuilt.unwrap_or_default();
    assert!(rebuilt.contains("another dictionary"), "{rebuilt}");
    assert!(
        open_index(&index)
            .unwrap()
            .dictionary
            .user_words()
            .is_empty()
    );
}

#[test]
fn a_stopped_update_commits_what_is_done_and_the_next_run_finishes() {
    let docs = shipped_documents();
    let (_dir, corpus, index) = small_corpus(3);
    index_once(&corpus, &index);
    let base = inventory(&index);
    add_documents(&corpus, &docs[3..15]);
    let config = test_config(&corpus, &index);
    let stop = config.stop.clone();
    let mut indexed = 0;
    let s = build_index(&config, &mut |e| {
        if let Event::Indexed(_) = e {
            indexed += 1;
            if indexed == 4 {
                stop.store(true, Ordering::Relaxed);
            }
        }
    })
    .unwrap();
    assert!(s.interrupted && s.committed && s.published);
    let partial = inventory(&index);
    assert_eq!(partial.files.len(), 3 + 4, "what was done is committed");
    assert!(
        base.files
            .iter()
            .all(|(p, k)| partial.files.get(p) == Some(k))
    );

    let rest = index_once(&corpus, &index);
    assert_eq!(rest.changes.added.len(), 12 - 4);
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn a_stopped_rebuild_is_invisible_and_resumes_from_its_checkpoint() {
    let docs = shipped_documents();
    let (_dir, corpus, index) = small_corpus(3);
    index_once(&corpus, &index);
    let base = inventory(&index);
    let live = generation(&index);
    add_documents(&corpus, &docs[3..12]);
    let mut config = test_config(&corpus, &index);
    config.full = true;
    config.checkpoint = Duration::ZERO;
    let stop = config.stop.clone();
    let mut indexed = 0;
    let s = build_index(&config, &mut |e| {
        if let Event::Indexed(_) = e {
            indexed += 1;
            if indexed == 5 {
                stop.store(true, Ordering::Relaxed);
            }
        }
    })
    .unwrap();
    assert!(s.interrupted && !s.published);
    assert_eq!(generation(&index), live, "searches still see the old index");
    assert_eq!(inventory(&index), base);

    let mut resumed_with = None;
    let s = build_index(&test_config(&corpus, &index), &mut |e| {
        if let Event::Resuming { documents, .. } = e {
            resumed_with = Some(documents);
        }
    })
    .unwrap();
    assert_eq!(resumed_with, Some(5), "resumes from the checkpoint");
    assert_eq!(s.changes.added.len(), 12 - 5);
    assert!(s.published);
    assert_ne!(generation(&index), live);
    assert_eq!(inventory(&index), clean_build(&corpus));
}
