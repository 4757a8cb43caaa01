//! What the whole-process benches share: the index they measure.

use std::path::{Path, PathBuf};

use plansearch::indexer::{IndexConfig, build_index};

/// The index a bench runs against: `PLANSEARCH_BENCH_INDEX` when set (to
/// reuse one), else one built in `work` from `PLANSEARCH_BENCH_CORPUS` or
/// `default_corpus`. `None`, said why, when there is no corpus to build from.
pub fn bench_index(work: &Path, default_corpus: PathBuf) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PLANSEARCH_BENCH_INDEX") {
        return Some(PathBuf::from(dir));
    }
    let corpus = std::env::var_os("PLANSEARCH_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or(default_corpus);
    if !corpus.is_dir() {
        println!(
            "no corpus at {}; set PLANSEARCH_BENCH_CORPUS to a folder of documents",
            corpus.display()
        );
        return None;
    }
    let index = work.join("index");
    let summary =
        build_index(&IndexConfig::new(&corpus, &index), &mut |_| {}).expect("index builds");
    println!(
        "indexed {}: {} documents, {} passages",
        corpus.display(),
        summary.documents,
        summary.passages
    );
    Some(index)
}
