//! Recall evaluation: plansearch against a literal-containment oracle.
//!
//! ```sh
//! cargo run --release --example eval_recall -- ../shared/corpus
//! ```
//!
//! Indexes CORPUS into a temporary folder (or uses `--index DIR`), reads the same
//! files independently into the oracle (`plansearch::eval`), and for every query
//! of the list compares the passages and documents (`--by doc`, no limit) that
//! plansearch returns with those whose cleaned text contains the query. Also
//! checks that every top-10 hit holds all query words. Exits 1 when recall is
//! below 100% or a top-10 hit lacks a word.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use plansearch::eval::{Oracle, Totals, evaluate, read_queries};
use plansearch::indexer::{IndexConfig, build_index, open_index};

#[derive(Parser)]
struct Args {
    /// Corpus folder.
    #[arg(default_value = "../shared/corpus")]
    corpus: PathBuf,
    /// Query list, one a line.
    #[arg(long, default_value = "tests/fixtures/recall_queries.txt")]
    queries: PathBuf,
    /// Use this index instead of building one in a temporary folder.
    #[arg(long)]
    index: Option<PathBuf>,
    /// Threads for indexing and the oracle.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Print every query, not only those that fall short.
    #[arg(long, short)]
    verbose: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("eval_recall: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    let queries = read_queries(
        &std::fs::read_to_string(&args.queries)
            .with_context(|| format!("reading {}", args.queries.display()))?,
    );
    let temp = tempfile::TempDir::new()?;
    let index_dir = match &args.index {
        Some(dir) => dir.clone(),
        None => {
            let dir = temp.path().join("index");
            let mut config = IndexConfig::new(&args.corpus, &dir);
            config.threads = args.threads;
            let summary = build_index(&config, &mut |_| {})?;
            eprintln!(
                "indexed {} documents, {} passages in {:.1} s",
                summary.documents, summary.passages, summary.seconds
            );
            dir
        }
    };
    let index = open_index(&index_dir)?;
    let start = Instant::now();
    let oracle = Oracle::load(&args.corpus, args.threads);
    eprintln!(
        "oracle: {} documents, {} passages in {:.1} s",
        oracle.paths.len(),
        oracle.passages.len(),
        start.elapsed().as_secs_f64()
    );

    let mut totals = Totals::default();
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>11} {:>7} {:>6}",
        "query", "literal", "found", "returned", "docs", "top10", "exact"
    );
    for q in &queries {
        let r = evaluate(&index, &oracle, q).with_context(|| format!("query {q}"))?;
        totals.add(&r);
        let short = !r.full_recall() || !r.top10_failures.is_empty();
        if args.verbose || short {
            let exact = r
                .exact_top10
                .map_or("-".to_string(), |(did, could)| format!("{did}/{could}"));
            println!(
                "{:<28} {:>9} {:>9} {:>9} {:>11} {:>7} {:>6}",
                q,
                r.oracle_passages,
                r.found_passages,
                r.returned_passages,
                format!("{}/{}", r.found_docs, r.oracle_docs),
                format!(
                    "{}/{}",
                    r.top10_checked - r.top10_failures.len(),
                    r.top10_checked
                ),
                exact
            );
            for m in &r.missed {
                println!("    missed {m}");
            }
            for f in &r.top10_failures {
                println!("    top-10 {f}");
            }
        }
    }
    println!();
    println!(
        "{} queries ({} with literal matches) over {} documents, {} passages",
        totals.queries,
        totals.queries_with_matches,
        oracle.paths.len(),
        oracle.passages.len()
    );
    println!(
        "passage recall {:.2}% ({} of {} literal passages)",
        totals.passage_recall(),
        totals.found_passages,
        totals.oracle_passages
    );
    println!(
        "document recall (--by doc) {:.2}% ({} of {} documents); {} of {} queries at 100%",
        totals.doc_recall(),
        totals.found_docs,
        totals.oracle_docs,
        totals.full_recall_queries,
        totals.queries
    );
    println!(
        "top-10 hits holding every query word: {} of {}",
        totals.top10_checked - totals.top10_failures,
        totals.top10_checked
    );
    println!(
        "queries whose top 10 hold the whole query as typed as often as possible: {} of {}",
        totals.exact_full, totals.exact_queries
    );
    let ok = totals.full_recall_queries == totals.queries && totals.top10_failures == 0;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
