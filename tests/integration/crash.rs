//! The indexer as a process: killed (SIGKILL), interrupted (Ctrl-C), started
//! twice, and searched while it works.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use plansearch::error::Error;
use plansearch::indexer::{build_index, open_index};
use plansearch::search::{SearchRequest, search};
use tempfile::TempDir;

use crate::common::{
    Inventory, add_documents, clean_build, corpus_with, inventory, plansearch, shipped_documents,
    spawn_plansearch, stderr, test_config,
};

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Kills the indexer with SIGKILL once `count` lines with `pattern` were logged,
/// checking that it was still running.
fn kill_after(args: &[&str], pattern: &str, count: usize) {
    let mut run = spawn_plansearch(args);
    run.wait_for(pattern, count);
    run.child.kill().expect("SIGKILL");
    let (status, log) = run.finish();
    assert_eq!(status.signal(), Some(9), "killed mid-run:\n{log}");
}

/// Runs the indexer to the end; returns its stderr.
fn index_to_the_end(args: &[&str]) -> String {
    let mut all = vec!["index"];
    all.extend_from_slice(args);
    let out = plansearch(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

fn total(index: &Path, query: &str) -> u64 {
    let open = open_index(index).expect("the index opens");
    search(
        &open,
        &SearchRequest {
            query: query.into(),
            limit: Some(1),
            ..Default::default()
        },
    )
    .expect("search works")
    .total
}

fn generation(index: &Path) -> Option<String> {
    open_index(index).unwrap().info.generation
}

#[test]
fn killed_at_any_moment_the_index_opens_at_its_last_commit_and_the_next_run_completes_it() {
    let docs = shipped_documents();
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &docs[..60]);
    let index = dir.path().join("index");
    let (c, i) = (path(&corpus), path(&index));

    // 1. The first build, killed after some checkpoints: there is no index yet
    //    to open, and the next run resumes the build.
    kill_after(
        &["index", "--corpus", c, "--index", i, "--checkpoint", "0"],
        "checkpoint:",
        3,
    );
    assert!(matches!(open_index(&index), Err(Error::NoIndex(_))));
    let log = index_to_the_end(&["--corpus", c, "--index", i]);
    assert!(log.contains("resuming the rebuild"), "{log}");
    let first = inventory(&index);
    assert_eq!(first, clean_build(&corpus));

    // 2. An update of the live index, killed at several moments: each time the
    //    index opens at its last commit and searches work.
    add_documents(&corpus, &docs[60..120]);
    let searched = total(&index, "乡村振兴");
    for after in [1, 12, 40] {
        kill_after(&["index", "--corpus", c, "--index", i], "indexed ", after);
        assert_eq!(inventory(&index), first, "killed after {after} files");
        assert_eq!(total(&index, "乡村振兴"), searched);
    }
    index_to_the_end(&["--corpus", c, "--index", i]);
    let second = inventory(&index);
    assert_eq!(second, clean_build(&corpus));

    // 3. A --full rebuild, killed: searches still see the live index; the next
    //    plain run resumes the rebuild and swaps it in. First killed early, at
    //    start-up, while it scans or creates its generation...
    let live = generation(&index);
    for wait_ms in [0, 50, 250] {
        let mut run =
            crate::common::spawn_plansearch(&["index", "--full", "--corpus", c, "--index", i]);
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        run.child.kill().expect("SIGKILL");
        let (status, log) = run.finish();
        assert_eq!(status.signal(), Some(9), "killed mid-run:\n{log}");
        assert_eq!(generation(&index), live);
        assert_eq!(inventory(&index), second, "killed after {wait_ms} ms");
    }
    // ... then once it has committed checkpoints.
    kill_after(
        &[
            "index",
            "--full",
            "--corpus",
            c,
            "--index",
            i,
            "--checkpoint",
            "0",
        ],
        "checkpoint:",
        3,
    );
    assert_eq!(generation(&index), live);
    assert_eq!(inventory(&index), second);
    let log = index_to_the_end(&["--corpus", c, "--index", i]);
    assert!(log.contains("resuming the rebuild"), "{log}");
    assert_ne!(generation(&index), live);
    assert_eq!(inventory(&index), second);
}

#[test]
fn ctrl_c_commits_what_is_done_and_the_next_run_finishes() {
    let docs = shipped_documents();
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &docs[..5]);
    let index = dir.path().join("index");
    build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap();
    let base = inventory(&index);
    add_documents(&corpus, &docs[5..45]);

    let mut run = spawn_plansearch(&["index", "--corpus", path(&corpus), "--index", path(&index)]);
    run.wait_for("indexed ", 8);
    run.signal("INT");
    let (status, log) = run.finish();
    assert_eq!(status.code(), Some(130), "{log}");
    assert!(
        log.contains("interrupted: what was done is committed"),
        "{log}"
    );
    let partial = inventory(&index);
    assert!(
        partial.files.len() > base.files.len() && partial.files.len() < 45,
        "{} files committed",
        partial.files.len()
    );
    assert!(
        base.files
            .iter()
            .all(|(p, k)| partial.files.get(p) == Some(k))
    );

    index_to_the_end(&["--corpus", path(&corpus), "--index", path(&index)]);
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn a_second_indexer_fails_at_once_naming_the_lock() {
    let docs = shipped_documents();
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &docs[..2]);
    let index = dir.path().join("index");
    let (c, i) = (path(&corpus), path(&index));
    // A watching indexer holds the lock for as long as it runs.
    let mut watcher = spawn_plansearch(&["index", "--watch", "--corpus", c, "--index", i]);
    watcher.wait_for("watching", 1);

    let second = plansearch(&["index", "--corpus", c, "--index", i]);
    assert_eq!(second.status.code(), Some(2));
    let message = stderr(&second);
    assert!(message.contains("plansearch.lock"), "{message}");
    assert!(
        message.contains(&format!("pid {}", watcher.child.id())),
        "{message}"
    );
    assert!(watcher.is_running());

    watcher.signal("INT");
    let (status, log) = watcher.finish();
    assert_eq!(status.code(), Some(130), "{log}");
    // The lock goes with its holder.
    index_to_the_end(&["--corpus", c, "--index", i]);
}

/// Searches the index again and again while `run` indexes; every answer must
/// be `before` or `after`, never something in between, and never an error.
fn search_while_indexing(
    index: &Path,
    query: &str,
    args: &[&str],
    before: u64,
    after: u64,
) -> Vec<u64> {
    let mut run = spawn_plansearch(args);
    run.wait_for("indexed ", 3);
    let mut seen = Vec::new();
    while run.is_running() {
        let n = total(index, query);
        assert!(
            n == before || n == after,
            "{n} hits, not {before} or {after}"
        );
        seen.push(n);
    }
    let (status, log) = run.finish();
    assert!(status.success(), "{log}");
    assert_eq!(total(index, query), after);
    seen
}

#[test]
fn searches_during_an_index_run_see_the_last_commit() {
    let docs = shipped_documents();
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &docs[..30]);
    let index = dir.path().join("index");
    build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap();
    let query = "乡村振兴";
    let small = total(&index, query);
    let reference_dir = TempDir::new().unwrap();
    let reference_corpus = corpus_with(reference_dir.path(), &docs[..90]);
    let reference_index = reference_dir.path().join("index");
    build_index(
        &test_config(&reference_corpus, &reference_index),
        &mut |_| {},
    )
    .unwrap();
    let large = total(&reference_index, query);
    assert_ne!(small, large);
    let (c, i) = (path(&corpus), path(&index));

    // An update: one commit at the end.
    add_documents(&corpus, &docs[30..90]);
    let seen = search_while_indexing(
        &index,
        query,
        &["index", "--corpus", c, "--index", i],
        small,
        large,
    );
    assert!(seen.contains(&small), "searched while the update ran");
    let updated: Inventory = inventory(&index);
    assert_eq!(updated, clean_build(&corpus));

    // A rebuild: invisible until swapped in.
    for doc in &docs[30..90] {
        std::fs::remove_file(corpus.join("documents").join(doc.file_name().unwrap())).unwrap();
    }
    let seen = search_while_indexing(
        &index,
        query,
        // Two thirds of the files go: allowed explicitly.
        &[
            "index",
            "--full",
            "--allow-empty",
            "--corpus",
            c,
            "--index",
            i,
        ],
        large,
        small,
    );
    assert!(seen.contains(&large), "searched while the rebuild ran");
}
