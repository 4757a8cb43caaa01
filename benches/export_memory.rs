//! Peak memory of a streamed export, as the README reports it.
//!
//! ```sh
//! cargo bench --bench export_memory     # over ../shared/corpus
//! PLANSEARCH_BENCH_CORPUS=DIR PLANSEARCH_BENCH_QUERIES=发展,的 cargo bench --bench export_memory
//! PLANSEARCH_BENCH_INDEX=DIR cargo bench --bench export_memory   # reuse a built index
//! ```
//!
//! Builds an index of the corpus (unless given one), then runs the release
//! binary under `/usr/bin/time -v` and reads its maximum resident set size:
//! a search printing 10 hits (the baseline: dictionary, index and query), the
//! same query exported whole with `--csv` and with `--jsonl` (streamed: hits
//! are built and written one at a time), and, for comparison, `--json --limit
//! 0`, which holds every hit in memory before printing. Two queries, a common
//! word (发展, about 21,000 hits over ../shared/corpus) and the commonest (的,
//! about 154,000), show how memory grows with the number of hits. The figures
//! include the index files the process maps into memory. Memory is measured
//! here, never asserted in tests.

mod common;

use std::path::Path;
use std::process::Command;

fn main() {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        println!("no /usr/bin/time (GNU time) on this machine: cannot measure peak memory");
        return;
    }
    let queries =
        std::env::var("PLANSEARCH_BENCH_QUERIES").unwrap_or_else(|_| "发展,的".to_string());
    let work = tempfile::TempDir::new().expect("temp dir");
    let Some(index) = common::bench_index(
        work.path(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    ) else {
        return;
    };
    let index_arg = index.to_str().expect("UTF-8 path").to_string();
    println!();
    println!("| query | run | hits | peak RSS | wall time |");
    println!("|---|---|---|---|---|");
    for query in queries.split(',').map(str::trim).filter(|q| !q.is_empty()) {
        measure(&index_arg, query);
    }
}

fn measure(index_arg: &str, query: &str) {
    let time = Path::new("/usr/bin/time");
    let runs: [(&str, Vec<&str>); 4] = [
        (
            "search, 10 hits shown",
            vec!["--limit", "10", "--no-facets"],
        ),
        (
            "--csv, every hit (streamed)",
            vec!["--csv", "-o", "/dev/null"],
        ),
        (
            "--jsonl, every hit (streamed)",
            vec!["--jsonl", "-o", "/dev/null"],
        ),
        (
            "--json --limit 0 (every hit in memory)",
            vec!["--json", "--limit", "0", "--no-facets"],
        ),
    ];
    for (name, extra) in runs {
        let mut args = vec![
            "-v",
            env!("CARGO_BIN_EXE_plansearch"),
            "search",
            "--index",
            &index_arg,
            &query,
        ];
        args.extend(extra);
        let out = Command::new(time)
            .args(&args)
            .output()
            .expect("/usr/bin/time runs");
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if let Some(problem) = err.lines().find(|l| l.starts_with("plansearch:")) {
            println!("| {query} | {name} | failed: {problem} | | |");
            continue;
        }
        let field = |label: &str| {
            err.lines()
                .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()))
                .unwrap_or_else(|| "?".into())
        };
        let rss_kb: f64 = field("Maximum resident set size (kbytes):")
            .parse()
            .unwrap_or(0.0);
        let hits = err
            .lines()
            .find_map(|l| {
                l.strip_prefix("wrote ")
                    .and_then(|r| r.split(' ').next())
                    .map(str::to_string)
            })
            .or_else(|| {
                stdout
                    .lines()
                    .next()
                    .and_then(|l| l.split(' ').next())
                    .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
                    .map(|n| format!("{n} match, 10 shown"))
            })
            .or_else(|| {
                serde_json::from_str::<serde_json::Value>(&stdout)
                    .ok()
                    .and_then(|v| v["hits"].as_array().map(|h| h.len().to_string()))
            })
            .unwrap_or_else(|| "?".into());
        println!(
            "| {query} | {name} | {hits} | {:.0} MB | {} |",
            rss_kb / 1024.0,
            field("Elapsed (wall clock) time (h:mm:ss or m:ss):")
        );
    }
}
