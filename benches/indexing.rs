//! Indexing throughput (criterion): a full build, in process, of a fixed
//! subset of the shipped corpus (the first 60 documents of corpus/documents,
//! about 2 MB): reading, cleaning, metadata extraction, both tokenizers and
//! tantivy's writer, committed.
//!
//! ```sh
//! cargo bench --bench indexing
//! ```
//!
//! Every iteration builds a new index in a fresh temporary folder. Throughput
//! is in bytes of source files. The whole-corpus figure (../shared/corpus,
//! whole process, peak memory) comes from benches/compare.sh.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use plansearch::indexer::{IndexConfig, build_index};

const DOCUMENTS: usize = 60;

fn subset(into: &Path) -> u64 {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/documents");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&source)
        .expect("corpus/documents")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    std::fs::create_dir_all(into).expect("folder");
    let mut bytes = 0;
    for path in names.iter().take(DOCUMENTS) {
        bytes += std::fs::copy(path, into.join(path.file_name().expect("name"))).expect("copy");
    }
    bytes
}

fn indexing(c: &mut Criterion) {
    let work = tempfile::TempDir::new().expect("temp dir");
    let corpus = work.path().join("corpus");
    let bytes = subset(&corpus);
    // The dictionary is built once per process, as in `plansearch index`.
    let _ = plansearch::tokenizer::Dictionary::builtin().jieba();
    let mut group = c.benchmark_group("indexing");
    group
        .throughput(Throughput::Bytes(bytes))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15));
    group.bench_function(format!("full_build_{DOCUMENTS}_docs"), |b| {
        b.iter_batched(
            || tempfile::TempDir::new().expect("temp dir"),
            |index| {
                let config = IndexConfig::new(&corpus, index.path().join("index"));
                build_index(&config, &mut |_| {}).expect("build");
                index
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, indexing);
criterion_main!(benches);
