//! A small, bounded load test of `plansearch serve` over loopback, as the
//! README reports it.
//!
//! ```sh
//! cargo bench --bench serve_load                                   # the shipped corpus
//! PLANSEARCH_BENCH_CORPUS=../shared/corpus cargo bench --bench serve_load
//! PLANSEARCH_BENCH_INDEX=DIR cargo bench --bench serve_load        # reuse a built index
//! PLANSEARCH_BENCH_CLIENTS=50 PLANSEARCH_BENCH_REQUESTS=20 cargo bench --bench serve_load
//! ```
//!
//! Builds an index (unless given one), starts the release binary's `serve` on
//! 127.0.0.1 with a free port, then runs 50 client threads at once, each
//! sending a fixed number of searches (the researcher queries of
//! ../shared/bench/queries.txt, else a built-in list) as the page sends them:
//! ten hits and the facet tree. Prints requests per second and the latency
//! percentiles; every answer must be 200. Only loopback, a fixed number of
//! requests, and the server is stopped at the end.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BUILT_IN: &[&str] = &[
    "肉牛养殖",
    "营商环境",
    "乡村振兴",
    "冷链物流",
    "招商引资",
    "县域经济",
    "数字经济",
    "高标准农田",
];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clients = env_number("PLANSEARCH_BENCH_CLIENTS", 50).clamp(1, 200);
    let per_client = env_number("PLANSEARCH_BENCH_REQUESTS", 20).clamp(1, 1000);
    let work = tempfile::TempDir::new().expect("temp dir");
    let Some(index) = common::bench_index(work.path(), root.join("corpus")) else {
        return;
    };
    let queries: Vec<String> = std::fs::read_to_string(root.join("../shared/bench/queries.txt"))
        .map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        })
        .ok()
        .filter(|q: &Vec<String>| !q.is_empty())
        .unwrap_or_else(|| BUILT_IN.iter().map(|q| q.to_string()).collect());

    let mut server = Command::new(env!("CARGO_BIN_EXE_plansearch"))
        .args(["serve", "--index"])
        .arg(&index)
        .args(["--addr", "127.0.0.1:0", "--time-cap-ms", "60000"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("plansearch serve starts");
    let mut stderr = BufReader::new(server.stderr.take().expect("stderr"));
    let mut base = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("stderr") > 0 {
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap_or_default();
            base = Some(url.trim_end_matches('/').to_string());
            break;
        }
        line.clear();
    }
    let base = base.expect("the server says where it listens");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let ask = |agent: &ureq::Agent, q: &str| -> (u16, Duration) {
        let start = Instant::now();
        let mut response = agent
            .get(&format!("{base}/api/search"))
            .query("q", q)
            .query("limit", "10")
            .query("facets", "tree")
            .call()
            .expect("the server answers");
        let _ = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec();
        (response.status().as_u16(), start.elapsed())
    };
    // Warm up: each query once.
    for q in &queries {
        ask(&agent, q);
    }

    let start = Instant::now();
    let answers: Vec<(u16, Duration)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let agent = agent.clone();
                let queries = &queries;
                let ask = &ask;
                scope.spawn(move || {
                    (0..per_client)
                        .map(|i| ask(&agent, &queries[(c * 7 + i) % queries.len()]))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client"))
            .collect()
    });
    let wall = start.elapsed();
    let _ = server.kill();
    let _ = server.wait();

    let mut latencies: Vec<Duration> = answers.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{} requests ({clients} clients × {per_client}, {} queries, ten hits and the facet tree each) on {cores} cores in {:.2} s",
        answers.len(),
        queries.len(),
        wall.as_secs_f64()
    );
    println!(
        "{:.0} requests/s · latency p50 {:.0} ms · p90 {:.0} ms · p99 {:.0} ms · max {:.0} ms · {ok} of {} answered 200",
        answers.len() as f64 / wall.as_secs_f64(),
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0),
        answers.len()
    );
    assert_eq!(ok, answers.len(), "every request is answered with 200");
}
