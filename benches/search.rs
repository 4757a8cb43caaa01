//! Query latency (criterion), in process, on an index of the shipped corpus
//! (corpus/, 356 documents) built once into a temporary folder:
//!
//! - `top10_ids`: a two-word query, tantivy's top 10 passages by score and the
//!   hit count, no stored fields read;
//! - `top10`: the same as `plansearch search` returns it without facets (each
//!   hit read from the store, with snippet and highlights);
//! - `facets`: with facet counts (region, year, type, sector) too;
//! - `similar`: `plansearch similar` for the first hit of the query.
//!
//! ```sh
//! cargo bench --bench search
//! ```
//!
//! Latency over ../shared/bench/queries.txt on the full corpus (p50/p99) is
//! measured by `cargo run --release --example query_latency` (benches/compare.sh).

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use plansearch::indexer::{IndexConfig, build_index, open_index};
use plansearch::search::{self, HitUnit, PreparedSearch, SearchRequest};
use plansearch::similar::{SimilarRequest, SimilarTo, similar};
use tantivy::collector::{Count, TopDocs};

const QUERY: &str = "乡村振兴 产业";

fn searches(c: &mut Criterion) {
    let work = tempfile::TempDir::new().expect("temp dir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let dir = work.path().join("index");
    build_index(&IndexConfig::new(&corpus, &dir), &mut |_| {}).expect("build");
    let index = open_index(&dir).expect("open");
    let snapshot = index.snapshot().expect("snapshot");
    let searcher = &snapshot.searcher;
    let fields = &index.fields;
    let request = |facets: bool| SearchRequest {
        query: QUERY.to_string(),
        limit: Some(10),
        unit: HitUnit::Passage,
        facets,
        ..SearchRequest::default()
    };
    let first = search::run(
        searcher,
        fields,
        &snapshot.paths,
        &PreparedSearch::new(&index, &request(false)).expect("query"),
    )
    .expect("search");
    assert!(!first.hits.is_empty(), "{QUERY} finds something");

    let mut group = c.benchmark_group("search");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("top10_ids", |b| {
        b.iter(|| {
            let prepared = PreparedSearch::new(&index, &request(false)).expect("query");
            searcher
                .search(
                    prepared.query(),
                    &(TopDocs::with_limit(10).order_by_score(), Count),
                )
                .expect("search")
        })
    });
    for (name, facets) in [("top10", false), ("facets", true)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let prepared = PreparedSearch::new(&index, &request(facets)).expect("query");
                search::run(searcher, fields, &snapshot.paths, &prepared).expect("search")
            })
        });
    }
    let source = SimilarRequest::new(SimilarTo::Passage(first.hits[0].id.clone()));
    group.bench_function("similar", |b| {
        b.iter(|| similar(&index, &source).expect("similar"))
    });
    group.finish();
}

criterion_group!(benches, searches);
criterion_main!(benches);
