//! Incremental indexing figures, as the README reports them.
//!
//! ```sh
//! cargo bench --bench incremental            # over ../shared/corpus
//! PLANSEARCH_BENCH_CORPUS=DIR cargo bench --bench incremental
//! ```
//!
//! Copies the corpus to a temporary folder less 10 documents, then times, in
//! process (so without process start, as the README states the targets):
//! a full build; re-runs with nothing changed; re-runs after adding the 10
//! documents (each time removed again, untimed, before the next); re-runs
//! after renaming 10 documents. It also times the whole `plansearch index`
//! command with nothing changed, process start included, and prints a
//! Markdown table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use plansearch::indexer::{IndexConfig, build_index};

const RUNS: usize = 5;
const BATCH: usize = 10;

fn main() {
    let source = std::env::var_os("PLANSEARCH_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if !source.is_dir() {
        println!(
            "no corpus at {}; set PLANSEARCH_BENCH_CORPUS to a folder of documents",
            source.display()
        );
        return;
    }
    let work = tempfile::TempDir::new().expect("temp dir");
    let corpus = work.path().join("corpus");
    let index = work.path().join("index");
    let held = work.path().join("held-back");
    std::fs::create_dir_all(&held).expect("folder");
    let documents = copy_corpus(&source, &corpus);
    let batch = pick(&documents, BATCH);
    for doc in &batch {
        std::fs::rename(corpus.join(doc), held.join(file_name(doc))).expect("hold back");
    }
    let config = IndexConfig::new(&corpus, &index);
    println!(
        "corpus: {} ({} documents, {:.1} MB), {} threads",
        source.display(),
        documents.len(),
        dir_bytes(&corpus) as f64 / 1e6,
        config.threads
    );

    let (full, summary) = timed(|| build_index(&config, &mut |_| {}).expect("full build"));
    println!(
        "full build: {:.2} s, {} documents, {} passages",
        full.as_secs_f64(),
        summary.documents,
        summary.passages
    );

    let unchanged = repeat(|| {
        let (t, s) = timed(|| build_index(&config, &mut |_| {}).expect("re-run"));
        assert!(s.changes.is_empty() && !s.committed, "nothing changed");
        t
    });

    let added = repeat(|| {
        for doc in &batch {
            std::fs::copy(held.join(file_name(doc)), corpus.join(doc)).expect("add");
        }
        let (t, s) = timed(|| build_index(&config, &mut |_| {}).expect("add run"));
        assert_eq!(
            s.changes.added.len() + s.changes.copies.len(),
            BATCH,
            "{:?}",
            s.changes
        );
        for doc in &batch {
            std::fs::remove_file(corpus.join(doc)).expect("remove");
        }
        build_index(&config, &mut |_| {}).expect("removal run");
        t
    });

    let renamed = repeat(|| {
        let rest: Vec<String> = documents
            .iter()
            .filter(|d| !batch.contains(d))
            .cloned()
            .collect();
        let some = pick(&rest, BATCH);
        for doc in &some {
            std::fs::rename(corpus.join(doc), corpus.join(format!("{doc}.moved.txt")))
                .expect("rename");
        }
        let (t, s) = timed(|| build_index(&config, &mut |_| {}).expect("rename run"));
        assert_eq!(s.changes.moved.len(), BATCH, "{:?}", s.changes);
        assert_eq!(s.analysed_bytes, 0);
        for doc in &some {
            std::fs::rename(corpus.join(format!("{doc}.moved.txt")), corpus.join(doc))
                .expect("rename back");
        }
        build_index(&config, &mut |_| {}).expect("rename-back run");
        t
    });

    let binary = env!("CARGO_BIN_EXE_plansearch");
    let start_only = repeat(|| {
        timed(|| {
            let out = Command::new(binary)
                .arg("--version")
                .output()
                .expect("runs");
            assert!(out.status.success());
        })
        .0
    });
    let command = repeat(|| {
        timed(|| {
            let out = Command::new(binary)
                .args(["index", "--quiet", "--corpus"])
                .arg(&corpus)
                .arg("--index")
                .arg(&index)
                .output()
                .expect("runs");
            assert!(out.status.success());
        })
        .0
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let pct = |d: Duration| 100.0 * d.as_secs_f64() / full.as_secs_f64();
    println!();
    println!("| run | median | max | share of a full build |");
    println!("|---|---|---|---|");
    println!("| full build | {:.0} ms | | 100% |", ms(full));
    for (name, times) in [
        ("nothing changed", &unchanged),
        ("10 documents added", &added),
        ("10 documents renamed", &renamed),
        (
            "`plansearch index`, nothing changed, process included",
            &command,
        ),
        ("`plansearch --version` (process start)", &start_only),
    ] {
        let (median, max) = stats(times);
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {:.1}% |",
            ms(median),
            ms(max),
            pct(median)
        );
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn repeat(mut f: impl FnMut() -> Duration) -> Vec<Duration> {
    (0..RUNS).map(|_| f()).collect()
}

fn stats(times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    (sorted[sorted.len() / 2], sorted[sorted.len() - 1])
}

/// Copies the corpus; returns its document paths, corpus-relative, sorted.
fn copy_corpus(source: &Path, target: &Path) -> Vec<String> {
    let mut documents = Vec::new();
    for entry in walkdir::WalkDir::new(source).sort_by_file_name() {
        let entry = entry.expect("readable corpus");
        let rel = entry.path().strip_prefix(source).expect("inside");
        let to = target.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("folder");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &to).expect("copy");
            let name = rel.to_string_lossy().replace('\\', "/");
            if plansearch::corpus::is_document_name(&file_name(&name)) {
                documents.push(name);
            }
        }
    }
    documents
}

/// `n` documents spread over the corpus.
fn pick(documents: &[String], n: usize) -> Vec<String> {
    let step = (documents.len() / n).max(1);
    documents
        .iter()
        .skip(step / 2)
        .step_by(step)
        .take(n)
        .cloned()
        .collect()
}

fn file_name(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_string()
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
