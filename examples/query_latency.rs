//! In-process query latency over a query list, against an index on disk.
//!
//! ```sh
//! cargo run --release --example query_latency -- INDEX [QUERIES] [--rounds N] [--json]
//! ```
//!
//! QUERIES is a list in the format of ../shared/bench/queries.txt: one query a
//! line, `#` starts a comment, a space separates parts that must all occur
//! (which is also what a space means to `plansearch search`). The index is
//! opened once and the dictionary loaded before timing; every query is run once
//! untimed, then `--rounds` times in turn. Three modes are timed:
//!
//! - `top10-ids`: the compiled query and tantivy's top 10 by score with the hit
//!   count, no stored fields read (the search itself);
//! - `top10`: `plansearch search QUERY` without facets: top 10 passages, each
//!   read from the document store with its snippet and highlights;
//! - `facets`: the same with facet counts (region, year, type, sector), as the
//!   CLI prints by default.
//!
//! Prints p50, p99 and max per mode in milliseconds (or one JSON object).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use plansearch::indexer::open_index;
use plansearch::search::{self, HitUnit, PreparedSearch, SearchRequest};
use tantivy::collector::{Count, TopDocs};

#[derive(Parser)]
struct Args {
    /// Index folder (built by `plansearch index`).
    index: PathBuf,
    /// Query list.
    #[arg(default_value = "../shared/bench/queries.txt")]
    queries: PathBuf,
    /// Timed rounds over the whole list.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Also print each query's median per mode.
    #[arg(long)]
    per_query: bool,
}

fn read_queries(path: &PathBuf) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// The value at quantile `q` (nearest rank) of sorted samples, in ms.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() -> Result<()> {
    let args = Args::parse();
    let queries = read_queries(&args.queries)?;
    let index = open_index(&args.index)
        .with_context(|| format!("opening the index {}", args.index.display()))?;
    let snapshot = index.snapshot()?;
    let searcher = &snapshot.searcher;
    let fields = &index.fields;
    let request = |q: &str, facets: bool| SearchRequest {
        query: q.to_string(),
        limit: Some(10),
        unit: HitUnit::Passage,
        facets,
        ..SearchRequest::default()
    };

    let modes = ["top10-ids", "top10", "facets"];
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    let mut hits_of: Vec<u64> = vec![0; queries.len()];
    let mut per_query: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); modes.len()]; queries.len()];
    for round in 0..=args.rounds {
        for (qi, q) in queries.iter().enumerate() {
            for (mi, mode) in modes.iter().enumerate() {
                let start = Instant::now();
                match *mode {
                    "top10-ids" => {
                        let prepared = PreparedSearch::new(&index, &request(q, false))?;
                        let (top, count) = searcher.search(
                            prepared.query(),
                            &(TopDocs::with_limit(10).order_by_score(), Count),
                        )?;
                        std::hint::black_box(&top);
                        hits_of[qi] = count as u64;
                    }
                    _ => {
                        let prepared = PreparedSearch::new(&index, &request(q, mi == 2))?;
                        let results = search::run(searcher, fields, &snapshot.paths, &prepared)?;
                        std::hint::black_box(&results);
                    }
                }
                let ms = start.elapsed().as_secs_f64() * 1e3;
                if round > 0 {
                    samples[mi].push(ms);
                    per_query[qi][mi].push(ms);
                }
            }
        }
    }
    for s in samples.iter_mut().chain(per_query.iter_mut().flatten()) {
        s.sort_by(f64::total_cmp);
    }
    if args.per_query {
        for (qi, q) in queries.iter().enumerate() {
            let medians: Vec<String> = per_query[qi]
                .iter()
                .map(|s| format!("{:.3}", quantile(s, 0.5)))
                .collect();
            eprintln!("{q}\t{} hits\t{}", hits_of[qi], medians.join("\t"));
        }
    }
    if args.json {
        let mut out = serde_json::Map::new();
        out.insert("queries".into(), queries.len().into());
        out.insert("rounds".into(), args.rounds.into());
        for (mi, mode) in modes.iter().enumerate() {
            out.insert(
                mode.to_string(),
                serde_json::json!({
                    "p50_ms": quantile(&samples[mi], 0.5),
                    "p99_ms": quantile(&samples[mi], 0.99),
                    "max_ms": quantile(&samples[mi], 1.0),
                }),
            );
        }
        out.insert("hits".into(), serde_json::json!(hits_of));
        println!("{}", serde_json::Value::Object(out));
    } else {
        println!(
            "{} queries × {} rounds, index {}",
            queries.len(),
            args.rounds,
            args.index.display()
        );
        println!("| mode | p50 ms | p99 ms | max ms |");
        println!("|---|---|---|---|");
        for (mi, mode) in modes.iter().enumerate() {
            println!(
                "| {mode} | {:.3} | {:.3} | {:.3} |",
                quantile(&samples[mi], 0.5),
                quantile(&samples[mi], 0.99),
                quantile(&samples[mi], 1.0)
            );
        }
    }
    Ok(())
}
