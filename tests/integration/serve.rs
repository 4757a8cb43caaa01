//! `plansearch serve` over loopback: every endpoint against the CLI's JSON,
//! every cap, bad input, reloading on commit and on a rebuild, 50 clients at
//! once. The real binary serves; a real HTTP client (ureq) asks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::common::{
    Running, add_documents, corpus_with, plansearch, shipped_documents, shipped_index,
    spawn_plansearch, stderr, stdout, test_config,
};

/// A running server, stopped when dropped; its client.
struct Server {
    running: Running,
    client: Client,
}

/// An HTTP client of a server.
struct Client {
    base: String,
    agent: ureq::Agent,
}

impl std::ops::Deref for Server {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Server {
    fn start(index: &Path, extra: &[&str]) -> Server {
        let index = index.to_str().expect("utf-8 path");
        let mut args = vec!["serve", "--index", index, "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut running = spawn_plansearch(&args);
        running.wait_for("listening on http://", 1);
        let line = running
            .seen
            .iter()
            .find(|l| l.contains("listening on http://"))
            .expect("address line");
        let start = line.find("http://").expect("url");
        let base = line[start..]
            .split_whitespace()
            .next()
            .expect("url")
            .trim_end_matches('/')
            .to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server {
            running,
            client: Client { base, agent },
        }
    }
}

impl Client {
    /// GET `path` (with its query string, already encoded): status and body.
    fn get(&self, path: &str) -> (u16, String) {
        self.get_with(path, &[])
    }

    /// GET `path` with query parameters, encoded by the client.
    fn get_with(&self, path: &str, query: &[(&str, &str)]) -> (u16, String) {
        let mut request = self.agent.get(&format!("{}{path}", self.base));
        for (k, v) in query {
            request = request.query(*k, *v);
        }
        let mut response = request.call().expect("the server answers");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(100 << 20)
            .read_to_string()
            .expect("body");
        (status, body)
    }

    fn json(&self, path: &str, query: &[(&str, &str)]) -> Value {
        let (status, body) = self.get_with(path, query);
        assert_eq!(status, 200, "{path} {query:?}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    /// A request over a cap or malformed: its status and error message.
    fn error(&self, path: &str, query: &[(&str, &str)]) -> (u16, String) {
        let (status, body) = self.get_with(path, query);
        let value: Value = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{path}: an error is JSON, got {body:?}"));
        let message = value["error"].as_str().expect("error message").to_string();
        (status, message)
    }

    /// Sends a raw request line, as a client that does not normalise paths.
    fn raw(&self, target: &str) -> (u16, String) {
        let addr = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connects");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("sends");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.running.child.kill();
        let _ = self.running.child.wait();
    }
}

fn cli_json(args: &[&str]) -> Value {
    let out = plansearch(args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out)).expect("CLI JSON")
}

fn shipped() -> (Server, String) {
    let index = shipped_index();
    (
        Server::start(index, &[]),
        index.to_str().expect("utf-8").to_string(),
    )
}

#[test]
fn every_endpoint_serves_the_json_of_the_cli() {
    let (server, index) = shipped();
    let index = index.as_str();

    // search: the same JSON as search --json, filters and all.
    let api = server.json(
        "/api/search",
        &[("q", "肉牛养殖"), ("region", "甘肃"), ("limit", "5")],
    );
    let cli = cli_json(&[
        "search",
        "肉牛养殖",
        "--region",
        "甘肃",
        "-n",
        "5",
        "--json",
        "--index",
        index,
    ]);
    assert_eq!(api, cli);
    assert!(api["total"].as_u64().unwrap() > 0);

    // Inline filters, by doc, a type filter, target years.
    let api = server.json(
        "/api/search",
        &[
            ("q", "县域经济 year:2018..2025"),
            ("by", "doc"),
            ("type", "工作方案"),
        ],
    );
    let cli = cli_json(&[
        "search",
        "县域经济 year:2018..2025",
        "--by",
        "doc",
        "--type",
        "工作方案",
        "--json",
        "--index",
        index,
    ]);
    assert_eq!(api, cli);

    // group-by, with the CLI's spelling of the parameter.
    let api = server.json("/api/search", &[("q", "冷链物流"), ("group-by", "region")]);
    let cli = cli_json(&[
        "search",
        "冷链物流",
        "--group-by",
        "region",
        "-n",
        "100",
        "--json",
        "--index",
        index,
    ]);
    assert_eq!(api, cli);
    assert!(api["groups"].as_array().unwrap().len() > 1);

    // The facet tree, in the search and on its own.
    let api = server.json("/api/search", &[("q", "县域经济"), ("facets", "tree")]);
    let cli = cli_json(&["search", "县域经济", "--facets", "--json", "--index", index]);
    assert_eq!(api, cli);
    let facets = server.json("/api/facets", &[("q", "县域经济")]);
    assert_eq!(facets["facet_tree"], cli["facet_tree"]);
    assert_eq!(facets["query"], "县域经济");

    // similar: by id, with other-regions; and a pasted text.
    let id = "2b29ce2e01909cf3:5";
    let api = server.json(
        "/api/similar",
        &[("ref", id), ("other-regions", "true"), ("limit", "3")],
    );
    let cli = cli_json(&[
        "similar",
        id,
        "--other-regions",
        "-n",
        "3",
        "--json",
        "--index",
        index,
    ]);
    assert_eq!(api, cli);
    assert_eq!(api["hits"].as_array().unwrap().len(), 3);
    let text = "发展肉牛养殖和优质牧草，建设农产品加工园区";
    let api = server.json("/api/similar", &[("text", text)]);
    let cli = cli_json(&["similar", "--text", text, "--json", "--index", index]);
    assert_eq!(api, cli);

    // stats.
    // The API names the folders, not their paths on the server.
    let api = server.json("/api/stats", &[]);
    let mut cli = cli_json(&["stats", "--json", "--index", index]);
    cli["index"] = "index".into();
    cli["corpus"] = "corpus".into();
    assert_eq!(api, cli);

    // export: the bytes of --csv.
    let (status, csv) = server.get_with(
        "/api/export.csv",
        &[("q", "县域经济"), ("type", "工作方案")],
    );
    assert_eq!(status, 200);
    let out = plansearch(&[
        "search",
        "县域经济",
        "--type",
        "工作方案",
        "--csv",
        "--index",
        index,
    ]);
    assert_eq!(csv, stdout(&out));
    assert!(csv.starts_with("\u{FEFF}id,path,title,province"));
    assert!(csv.lines().count() > 10);
}

/// The keys every passage has, wherever it is given (docs/usage.md, "One
/// passage shape").
const PASSAGE_KEYS: &[&str] = &[
    "passage_no",
    "heading",
    "text",
    "pages",
    "sectors",
    "instruments",
    "target_years",
    "targets",
];

#[test]
fn a_passage_has_one_shape_in_hits_similar_the_document_and_inspect() {
    let (server, _) = shipped();
    let hits = server.json("/api/search", &[("q", "肉牛养殖"), ("limit", "1")]);
    let hit = &hits["hits"][0];
    let id = hit["id"].as_str().unwrap();
    let similar = server.json("/api/similar", &[("ref", id), ("limit", "1")]);
    let doc = server.json(&format!("/api/doc/{id}"), &[]);
    let in_doc = doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == hit["id"])
        .expect("the hit's passage on its document's page")
        .clone();
    let path = crate::common::root()
        .join("corpus")
        .join(hit["path"].as_str().unwrap());
    let inspect = cli_json(&["inspect", "--json", path.to_str().unwrap()]);
    let in_inspect = inspect["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["passage_no"] == hit["passage_no"])
        .expect("the hit's passage in inspect")
        .clone();
    for (what, passage) in [
        ("search hit", hit),
        ("similar hit", &similar["hits"][0]),
        ("document passage", &in_doc),
        ("inspect passage", &in_inspect),
    ] {
        let object = passage.as_object().unwrap();
        for key in PASSAGE_KEYS {
            assert!(object.contains_key(*key), "{what} lacks {key}: {passage}");
        }
        assert!(!object.contains_key("passage"), "{what} still says passage");
    }
    for key in ["text", "heading", "sectors", "target_years", "pages"] {
        assert_eq!(hit[key], in_doc[key], "{key}");
        assert_eq!(hit[key], in_inspect[key], "{key}");
    }
}

#[test]
fn pages_follow_each_other() {
    let (server, _) = shipped();
    let all = server.json("/api/search", &[("q", "乡村振兴"), ("limit", "6")]);
    let ids = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let first = ids(&all);
    assert_eq!(first.len(), 6);
    let page2 = server.json(
        "/api/search",
        &[("q", "乡村振兴"), ("limit", "3"), ("page", "2")],
    );
    assert_eq!(ids(&page2), first[3..]);
    let offset = server.json(
        "/api/search",
        &[("q", "乡村振兴"), ("limit", "2"), ("offset", "1")],
    );
    assert_eq!(ids(&offset), first[1..3]);
    assert_eq!(page2["total"], all["total"]);
}

impl Client {
    /// POST `path` with a body: status and body.
    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
        let mut response = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Content-Type", content_type)
            .send(body)
            .expect("the server answers");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(100 << 20)
            .read_to_string()
            .expect("body");
        (status, body)
    }

    /// POST a JSON object to `/api/similar`.
    fn post_similar(&self, body: &Value) -> (u16, String) {
        self.post(
            "/api/similar",
            "application/json",
            body.to_string().as_bytes(),
        )
    }

    /// GET `target` over a raw connection with `Host: host`: status, head
    /// and body.
    fn get_as_host(&self, target: &str, host: &str) -> (u16, String, String) {
        let addr = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connects");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("sends");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        (status, head.to_ascii_lowercase(), body.to_string())
    }

    /// The port the server listens on.
    fn port(&self) -> &str {
        self.base.rsplit(':').next().expect("a port")
    }
}

/// 4,000 characters of a real document (a government work report), from
/// after its title lines.
fn long_chinese_text() -> String {
    let report = std::fs::read_to_string(crate::common::root().join("corpus/documents/00002.txt"))
        .expect("a shipped document");
    let text: String = report.chars().skip(300).take(4_000).collect();
    assert_eq!(text.chars().count(), 4_000);
    assert!(text.chars().filter(|c| *c >= '\u{4e00}').count() > 3_000);
    text
}

#[test]
fn similar_takes_a_long_pasted_text_by_post() {
    let (server, index) = shipped();
    let text = long_chinese_text();
    // GET cannot carry it: percent-encoded, 4,000 characters are 36 KB.
    let (status, _) = server.error("/api/similar", &[("text", &text)]);
    assert_eq!(status, 414);
    // POST can, and answers what the CLI prints.
    let (status, body) = server.post_similar(&serde_json::json!({"text": text, "limit": 5}));
    assert_eq!(status, 200, "{body}");
    let api: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(api["hits"].as_array().unwrap().len(), 5, "{body}");
    let cli = cli_json(&[
        "similar", "--text", &text, "-n", "5", "--json", "--index", &index,
    ]);
    assert_eq!(api, cli);

    // The parameters of the GET, a list for a repeated filter, `-` or `_`.
    let short = "发展肉牛养殖和优质牧草，建设农产品加工园区";
    let get = server.json(
        "/api/similar",
        &[
            ("text", short),
            ("region", "甘肃"),
            ("region", "河南"),
            ("limit", "3"),
        ],
    );
    let (status, body) = server.post_similar(&serde_json::json!({
        "text": short, "region": ["甘肃", "河南"], "limit": 3
    }));
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), get);
    let get = server.json(
        "/api/similar",
        &[("ref", "2b29ce2e01909cf3:5"), ("other-regions", "true")],
    );
    let (status, body) = server.post_similar(&serde_json::json!({
        "ref": "2b29ce2e01909cf3:5", "other-regions": true
    }));
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), get);

    // The caps and what is not a request, each a JSON error.
    let error = |(status, body): (u16, String)| -> (u16, String) {
        let value: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{body}"));
        (status, value["error"].as_str().expect("error").to_string())
    };
    let over: String = text.chars().chain(text.chars()).take(5_001).collect();
    let (status, message) = error(server.post_similar(&serde_json::json!({ "text": over })));
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("5000"), "{message}");
    let huge = format!(r#"{{"text": "{}"}}"#, "农".repeat(50_000));
    let (status, message) = error(server.post("/api/similar", "application/json", huge.as_bytes()));
    assert_eq!(status, 413, "{message}");
    assert!(message.contains("cap"), "{message}");
    let (status, message) = error(server.post("/api/similar", "text/plain", b"text=x"));
    assert_eq!(status, 415, "{message}");
    let (status, message) = error(server.post("/api/similar", "application/json", b"{\"text\": "));
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("not JSON"), "{message}");
    let (status, message) =
        error(server.post_similar(&serde_json::json!({"text": short, "colour": "red"})));
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("unknown parameter"), "{message}");
    let (status, message) = error(server.post(
        "/api/similar?limit=3",
        "application/json",
        br#"{"text": "x"}"#,
    ));
    assert_eq!(status, 400, "{message}");
    // Other endpoints still take GET only.
    let (status, _) = server.post("/api/stats", "application/json", b"{}");
    assert_eq!(status, 405);
}

#[test]
fn api_errors_speak_of_the_request_not_of_cli_flags() {
    let (server, index) = shipped();
    for (status, message) in [
        server.error("/api/similar", &[("text", "  ")]),
        server.error(
            "/api/similar",
            &[("text", "冷链物流"), ("other_regions", "true")],
        ),
    ] {
        assert_eq!(status, 400, "{message}");
        assert!(!message.contains("--"), "{message}");
    }
    let (status, body) = server.post_similar(&serde_json::json!({"text": "   "}));
    assert_eq!(status, 400);
    assert!(body.contains("the text to compare is empty"), "{body}");
    assert!(!body.contains("--"), "{body}");
    // The command line names its flag.
    let out = plansearch(&["similar", "--text", "  ", "--index", &index]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--text is empty"), "{}", stderr(&out));
}

#[test]
fn every_answer_has_the_security_headers() {
    let (server, _) = shipped();
    let headers_of = |path: &str| {
        let response = server
            .agent
            .get(&format!("{}{path}", server.base))
            .call()
            .unwrap();
        let get = |name: &str| {
            response
                .headers()
                .get(name)
                .unwrap_or_else(|| panic!("{path}: no {name}"))
                .to_str()
                .unwrap()
                .to_string()
        };
        (
            response.status().as_u16(),
            get("x-content-type-options"),
            get("x-frame-options"),
            get("referrer-policy"),
            get("content-security-policy"),
        )
    };
    // JSON, CSV, JSONL, a JSON error, the page and its files.
    for path in [
        "/api/search?q=%E8%82%89%E7%89%9B",
        "/api/stats",
        "/api/export.csv?q=%E8%82%89%E7%89%9B",
        "/api/export.jsonl?q=%E8%82%89%E7%89%9B",
        "/api/doc/0123456789abcdef",
        "/api/nothing",
        "/",
        "/app.js",
        "/style.css",
    ] {
        let (status, nosniff, frame, referrer, csp) = headers_of(path);
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert_eq!(nosniff, "nosniff", "{path}");
        assert_eq!(frame, "DENY", "{path}");
        assert_eq!(referrer, "no-referrer", "{path}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        if path == "/" {
            // The page's own script and style sheet, nothing inline.
            assert!(csp.contains("default-src 'self'"), "{csp}");
            assert!(
                !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
                "{csp}"
            );
        } else {
            assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        }
    }
    // The page has no inline script or style the policy would block.
    let (_, html) = server.get("/");
    assert!(!html.contains("<script>") && !html.contains("<style") && !html.contains("style=\""));
    assert!(!html.contains(" onclick=") && !html.contains(" onload="));
}

#[test]
fn a_host_other_than_the_servers_is_refused() {
    let server = Server::start(shipped_index(), &["--allow-host", "search.lab.example"]);
    let port = server.port().to_string();
    // DNS rebinding: a page on evil.example re-points its name at 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let (status, head, body) = server.get_as_host("/api/stats", &host);
        assert_eq!(status, 403, "{host}: {body}");
        assert!(head.contains("application/json"), "{head}");
        let value: Value = serde_json::from_str(&body).expect("a JSON error");
        let message = value["error"].as_str().unwrap();
        assert!(message.contains("does not answer to the host"), "{message}");
        let (status, _, _) = server.get_as_host("/", &host);
        assert_eq!(status, 403, "{host}");
    }
    // Its own names with its port, and the name it was allowed.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "search.lab.example".to_string(),
    ] {
        let (status, _, body) = server.get_as_host("/api/stats", &host);
        assert_eq!(status, 200, "{host}: {body}");
    }
    let (status, _, _) = server.get_as_host("/api/stats", "127.0.0.1:1");
    assert_eq!(status, 403);
}

#[test]
fn no_answer_shows_a_server_path() {
    let dir = TempDir::new().unwrap();
    let docs = shipped_documents();
    let corpus = corpus_with(dir.path(), &docs[..2]);
    let index = dir.path().join("index");
    plansearch::indexer::build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap();
    // The corpus given as an absolute path, as the index recorded it.
    let server = Server::start(&index, &["--corpus", corpus.to_str().unwrap()]);
    let temp = dir.path().to_str().unwrap().to_string();
    let hit = server.json("/api/search", &[("q", "发展"), ("limit", "1")]);
    let id = hit["hits"][0]["id"].as_str().unwrap().to_string();
    let check = |what: &str, body: &str| {
        assert!(!body.contains(&temp), "{what}: {body}");
        assert!(!body.contains("\"/"), "{what}: {body}");
    };
    let (status, body) = server.get(&format!("/api/doc/{id}"));
    assert_eq!(status, 200);
    check("doc", &body);
    let (_, body) = server.get("/api/stats");
    check("stats", &body);
    let stats: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(stats["corpus"], "corpus");
    assert_eq!(stats["index"], "index");
    // The corpus gone (an unmounted share): the note says so, without
    // the path.
    std::fs::rename(&corpus, dir.path().join("elsewhere")).unwrap();
    let (status, body) = server.get(&format!("/api/doc/{id}"));
    assert_eq!(status, 200);
    check("doc without corpus", &body);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert!(
        doc["evidence_note"]
            .as_str()
            .unwrap()
            .contains("cannot be read"),
        "{body}"
    );
}

#[test]
fn a_request_out_of_time_while_waiting_gets_the_time_cap_message() {
    // One search at a time and a short cap: requests that wait their turn
    // past it run out of time; none is refused as "busy" (the queue, 256,
    // is far from full).
    let server = Server::start(
        shipped_index(),
        &["--max-concurrent", "1", "--time-cap-ms", "20"],
    );
    let client = &server.client;
    let answers: Vec<(u16, String)> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..16)
            .map(|_| {
                scope.spawn(move || {
                    (0..4)
                        .map(|_| {
                            client.get_with(
                                "/api/search",
                                &[("q", "发展 OR 建设"), ("facets", "tree"), ("limit", "100")],
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    let refused: Vec<&String> = answers
        .iter()
        .filter(|(status, _)| *status == 503)
        .map(|(_, body)| body)
        .collect();
    assert!(
        !refused.is_empty(),
        "64 searches, one at a time, within 20 ms each"
    );
    for body in refused {
        assert!(body.contains("took longer than the time cap"), "{body}");
        assert!(!body.contains("busy"), "{body}");
    }
}

#[test]
fn a_document_comes_by_id_with_its_passages_and_evidence() {
    let (server, _) = shipped();
    let doc = server.json("/api/doc/2b29ce2e01909cf3:5", &[]);
    assert_eq!(doc["key"], "2b29ce2e01909cf3");
    assert_eq!(doc["focus"], 5);
    assert_eq!(doc["path"], "seeds/003_0c8bad910db2f3a0.txt");
    let passages = doc["passages"].as_array().unwrap();
    let numbers: Vec<u64> = passages
        .iter()
        .map(|p| p["passage_no"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=passages.len() as u64).collect::<Vec<_>>());
    assert!(
        passages
            .iter()
            .all(|p| p["id"].as_str().unwrap().starts_with("2b29ce2e01909cf3:"))
    );

    // The evidence and passages are those of inspect --json.
    let inspect = cli_json(&["inspect", "corpus/seeds/003_0c8bad910db2f3a0.txt", "--json"]);
    assert_eq!(doc["evidence"], inspect["evidence"]);
    let texts: Vec<&Value> = passages.iter().map(|p| &p["text"]).collect();
    let inspect_texts: Vec<&Value> = inspect["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["text"])
        .collect();
    assert_eq!(texts, inspect_texts);
    assert_eq!(doc["title"], inspect["title"]);

    // The key alone gives the same document, without a focus.
    let whole = server.json("/api/doc/2b29ce2e01909cf3", &[]);
    assert_eq!(whole["passages"], doc["passages"]);
    assert!(whole["focus"].is_null());
}

#[test]
fn bad_input_gets_a_json_message_and_the_right_status() {
    let (server, _) = shipped();
    // Malformed queries: the CLI's one-line message, 400.
    for q in [
        "(肉牛 养殖",
        "\"乡村振兴",
        "tilte:规划",
        "",
        "-北京",
        "肉牛 OR",
    ] {
        let (status, message) = server.error("/api/search", &[("q", q)]);
        assert_eq!(status, 400, "{q:?}: {message}");
        let out = plansearch(&["search", q, "--index", shipped_index().to_str().unwrap()]);
        let cli = stderr(&out);
        let cli = cli.trim().trim_start_matches("plansearch: ");
        assert_eq!(message, cli, "{q:?}");
    }
    let (status, message) = server.error("/api/search", &[("q", "肉牛"), ("region", "火星")]);
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("火星"), "{message}");

    // Unknown ids: 404; what is no id: 400.
    let (status, message) = server.error("/api/doc/0123456789abcdef", &[]);
    assert_eq!(status, 404, "{message}");
    assert!(
        message.contains("no document 0123456789abcdef"),
        "{message}"
    );
    let (status, message) = server.error("/api/doc/2b29ce2e01909cf3:999", &[]);
    assert_eq!(status, 404, "{message}");
    let (status, message) = server.error("/api/similar", &[("ref", "0123456789abcdef:1")]);
    assert_eq!(status, 404, "{message}");
    let (status, message) = server.error("/api/similar", &[("ref", "corpus/seeds/x.txt#2")]);
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("not a passage id"), "{message}");
    let (status, _) = server.error("/api/similar", &[]);
    assert_eq!(status, 400);
    let (status, _) = server.error("/api/doc/not-an-id", &[]);
    assert_eq!(status, 400);

    // Path traversal, encoded or not: never a file, always a JSON refusal.
    for target in [
        "/api/doc/../../etc/passwd",
        "/api/doc/..%2F..%2Fetc%2Fpasswd",
        "/api/doc/%2Fetc%2Fpasswd",
        "/../../etc/passwd",
        "/api/doc/2b29ce2e01909cf3/../../../etc/passwd",
    ] {
        let (status, body) = server.raw(target);
        assert!(status == 400 || status == 404, "{target}: {status} {body}");
        assert!(!body.contains("root:"), "{target}: {body}");
        let value: Value = serde_json::from_str(&body).expect("JSON error");
        assert!(value["error"].is_string(), "{target}: {body}");
    }

    // Unknown routes and parameters, other methods.
    let (status, message) = server.error("/api/nothing", &[]);
    assert_eq!(status, 404, "{message}");
    let (status, message) = server.error("/api/search", &[("q", "肉牛"), ("colour", "red")]);
    assert_eq!(status, 400);
    assert!(message.contains("unknown parameter"), "{message}");
    let (status, message) = server.error("/api/search", &[("q", "肉牛"), ("limit", "ten")]);
    assert_eq!(status, 400);
    assert!(message.contains("not a number"), "{message}");
    let (status, _) = server.error("/api/search", &[("q", "肉牛"), ("by", "chapter")]);
    assert_eq!(status, 400);
    let (status, _) = server.error("/api/search", &[("q", "肉牛"), ("group_by", "mood")]);
    assert_eq!(status, 400);
    let (status, _) = server.error("/api/search", &[("q", "肉牛"), ("page", "0")]);
    assert_eq!(status, 400);
    let mut response = server
        .agent
        .post(&format!("{}/api/search", server.base))
        .send("q=1")
        .expect("answers");
    assert_eq!(response.status().as_u16(), 405);
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.contains("\"error\""), "{body}");
}

#[test]
fn every_cap_answers_with_its_status() {
    let (server, _) = shipped();
    // The query: over 1,000 characters is the CLI's message, 400.
    let long = "农".repeat(1_001);
    let (status, message) = server.error("/api/search", &[("q", &long)]);
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("limit is 1000"), "{message}");
    // The URL: over 16 KiB, 414.
    let huge = "农".repeat(2_000);
    let (status, message) = server.error("/api/search", &[("q", &huge)]);
    assert_eq!(status, 414, "{message}");
    // Hits a page and how deep a page goes: 400.
    for (limit, offset) in [("101", "0"), ("0", "0"), ("100", "9901")] {
        let (status, message) = server.error(
            "/api/search",
            &[("q", "发展"), ("limit", limit), ("offset", offset)],
        );
        assert_eq!(status, 400, "{limit} {offset}: {message}");
        assert!(message.contains("cap"), "{message}");
    }
    let (status, _) = server.error(
        "/api/similar",
        &[("ref", "2b29ce2e01909cf3:5"), ("limit", "500")],
    );
    assert_eq!(status, 400);
    // A pasted text: 5,000 characters at most.
    let text = "x".repeat(5_001);
    let (status, message) = server.error("/api/similar", &[("text", &text)]);
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("cap"), "{message}");
    // Too many values of one parameter.
    let regions: Vec<(&str, &str)> = std::iter::once(("q", "肉牛"))
        .chain(std::iter::repeat_n(("region", "甘肃"), 51))
        .collect();
    let (status, _) = server.error("/api/search", &regions);
    assert_eq!(status, 400);
    // The deepest page allowed is served.
    let (status, _) = server.get_with(
        "/api/search",
        &[("q", "发展"), ("limit", "100"), ("offset", "9900")],
    );
    assert_eq!(status, 200);
}

#[test]
fn a_request_over_its_time_cap_gets_503() {
    // A time cap of 0 ms: every request is over it by the time it may run.
    let server = Server::start(shipped_index(), &["--time-cap-ms", "0"]);
    let (status, message) = server.error("/api/search", &[("q", "肉牛")]);
    assert_eq!(status, 503, "{message}");
    assert!(message.contains("time cap"), "{message}");
    let (status, _) = server.error("/api/export.csv", &[("q", "肉牛")]);
    assert_eq!(status, 503);
    // The page itself needs no search.
    let (status, _) = server.get("/");
    assert_eq!(status, 200);
}

#[test]
fn the_page_and_its_assets_are_served() {
    let (server, _) = shipped();
    let mut response = server
        .agent
        .get(&format!("{}/", server.base))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csp = response
        .headers()
        .get("content-security-policy")
        .expect("a content security policy")
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = response.body_mut().read_to_string().unwrap();
    assert!(html.contains("<script type=\"module\" src=\"/app.js\">"));
    assert!(html.contains("lang=\"zh-CN\""));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN"
    );
    for (path, kind) in [("/app.js", "javascript"), ("/style.css", "text/css")] {
        let response = server
            .agent
            .get(&format!("{}{path}", server.base))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let content_type = response.headers().get("content-type").unwrap();
        assert!(content_type.to_str().unwrap().contains(kind));
    }
}

#[test]
fn fifty_clients_at_once_all_get_answers() {
    let server = Server::start(shipped_index(), &["--time-cap-ms", "300000"]);
    let queries = [
        "肉牛养殖",
        "乡村振兴",
        "冷链 物流",
        "营商环境",
        "县域经济",
        "招商引资 -北京",
        "\"高质量发展\"",
        "数字经济 OR 大数据",
        "农",
        "5G",
    ];
    let answers: Vec<(u16, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let server = &server.client;
                let q = queries[i % queries.len()];
                scope.spawn(move || {
                    let (status, body) = server.get_with(
                        "/api/search",
                        &[("q", q), ("limit", "20"), ("facets", "tree")],
                    );
                    (status, body)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
        let value: Value = serde_json::from_str(body).unwrap();
        assert!(value["total"].as_u64().unwrap() > 0);
    }
    // And it still serves.
    let (status, _) = server.get("/api/stats");
    assert_eq!(status, 200);
}

#[test]
fn commits_and_rebuilds_show_without_a_restart() {
    let dir = TempDir::new().unwrap();
    let docs = shipped_documents();
    let corpus = corpus_with(dir.path(), &docs[..3]);
    let index = dir.path().join("index");
    plansearch::indexer::build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap();
    let server = Server::start(&index, &[]);
    let documents = |server: &Server| {
        server.json("/api/stats", &[])["total"]["documents"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(documents(&server), 3);
    let before = server.json("/api/search", &[("q", "发展"), ("by", "doc")])["total"]
        .as_u64()
        .unwrap();

    // plansearch index commits more documents while the server runs.
    add_documents(&corpus, &docs[3..8]);
    plansearch::indexer::build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap();
    assert_eq!(documents(&server), 8);
    let after = server.json("/api/search", &[("q", "发展"), ("by", "doc")])["total"]
        .as_u64()
        .unwrap();
    assert!(after > before, "{before} → {after}");

    // A rebuild into a new generation is swapped in; the old one is removed.
    let generation = |index: &Path| {
        let info: Value =
            serde_json::from_str(&std::fs::read_to_string(index.join("plansearch.json")).unwrap())
                .unwrap();
        info["generation"].as_str().unwrap().to_string()
    };
    let old = generation(&index);
    std::fs::remove_file(corpus.join("documents").join(docs[0].file_name().unwrap())).unwrap();
    let mut config = test_config(&corpus, &index);
    config.full = true;
    plansearch::indexer::build_index(&config, &mut |_| {}).unwrap();
    assert_ne!(generation(&index), old);
    assert!(!index.join(&old).exists());
    assert_eq!(documents(&server), 7);
    let hit = server.json("/api/search", &[("q", "发展"), ("limit", "1")]);
    let id = hit["hits"][0]["id"].as_str().unwrap().to_string();
    let doc = server.json(&format!("/api/doc/{id}"), &[]);
    assert!(!doc["passages"].as_array().unwrap().is_empty());
}

#[test]
fn the_timeline_endpoint_serves_the_json_of_the_cli() {
    let (server, index) = shipped();
    let api = server.json("/api/timeline", &[("q", "县域经济"), ("level", "city")]);
    let cli = cli_json(&[
        "timeline",
        "县域经济",
        "--index",
        &index,
        "--level",
        "city",
        "--json",
    ]);
    assert_eq!(api, cli);
    assert!(
        api["curve"].as_array().is_some_and(|c| !c.is_empty()),
        "{api}"
    );
    let (status, body) = server.error("/api/timeline", &[("q", "县域经济"), ("level", "country")]);
    assert_eq!(status, 400, "{body}");
    let (status, body) = server.error("/api/timeline", &[]);
    assert_eq!(status, 400, "{body}");
}

#[test]
fn the_crosstab_endpoint_serves_the_json_of_the_cli() {
    let (server, index) = shipped();
    // Rows × columns as the CLI names them, with a filter as /api/search takes it.
    for (group_by, by, filter) in [
        ("region", "instrument", None),
        ("year", "instrument", Some(("region", "甘肃"))),
        ("sector", "category", None),
        ("province", "year", None),
    ] {
        let mut query = vec![("q", "县域经济"), ("group_by", group_by), ("by", by)];
        let mut args = vec![
            "crosstab",
            "县域经济",
            "--index",
            &index,
            "--group-by",
            group_by,
            "--by",
            by,
            "--json",
        ];
        if let Some((name, value)) = filter {
            query.push((name, value));
            args.extend(["--region", value]);
        }
        let api = server.json("/api/crosstab", &query);
        assert_eq!(api, cli_json(&args), "{query:?}");
        assert!(api["passages"].as_u64().is_some_and(|n| n > 0), "{api}");
    }

    // The year × province table: every cell is a passage of that province and
    // year, and the columns' totals add up to the passages found.
    let api = server.json(
        "/api/crosstab",
        &[("q", "县域经济"), ("group_by", "province"), ("by", "year")],
    );
    let years: Vec<&str> = api["column_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(years.last(), Some(&"(unknown)"), "{years:?}");
    let mut sorted = years[..years.len() - 1].to_vec();
    sorted.sort();
    assert_eq!(
        years[..years.len() - 1],
        sorted,
        "years ascending, (unknown) last"
    );
    let column_sum: u64 = api["column_totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["passages"].as_u64().unwrap())
        .sum();
    assert_eq!(Some(column_sum), api["passages"].as_u64());
    let search = server.json(
        "/api/search",
        &[
            ("q", "县域经济"),
            ("region", "甘肃"),
            ("year", "2018"),
            ("limit", "1"),
        ],
    );
    let cell = api["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["row"] == "甘肃省" && c["column"] == "2018")
        .map_or(0, |c| c["passages"].as_u64().unwrap());
    assert_eq!(Some(cell), search["total"].as_u64(), "甘肃省 × 2018");

    // The instruments' totals are the instrument facet's counts.
    let api = server.json(
        "/api/crosstab",
        &[("q", "县域经济"), ("group_by", "province")],
    );
    let search = server.json("/api/search", &[("q", "县域经济"), ("limit", "1")]);
    let facet = search["facets"]["instrument"].as_array().unwrap();
    assert!(!facet.is_empty(), "{search}");
    for f in facet {
        let name = f["value"].as_str().unwrap();
        let total = api["column_totals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["value"] == name)
            .unwrap_or_else(|| panic!("{name} not a column: {api}"));
        assert_eq!(total["passages"], f["count"], "{name}");
        assert!(total["category"].is_string(), "{total}");
    }

    for query in [
        vec![("q", "县域经济"), ("group_by", "country")],
        vec![("q", "县域经济"), ("by", "doc")],
        vec![("group_by", "year")],
        vec![("q", "县域经济"), ("limit", "5")],
        vec![("q", "(县域经济")],
    ] {
        let (status, body) = server.error("/api/crosstab", &query);
        assert_eq!(status, 400, "{query:?}: {body}");
    }
}

#[test]
fn views_export_as_the_cli_writes_them() {
    let (server, index) = shipped();
    let index = index.as_str();
    // Groups: the bytes of --group-by --csv.
    let (status, csv) = server.get_with(
        "/api/export.csv",
        &[("q", "冷链物流"), ("group_by", "province")],
    );
    assert_eq!(status, 200, "{csv}");
    let out = plansearch(&[
        "search",
        "冷链物流",
        "--group-by",
        "province",
        "--csv",
        "--index",
        index,
    ]);
    assert_eq!(csv, stdout(&out));
    assert!(csv.starts_with("\u{FEFF}group_by,group,label,group_passages,group_documents,id,"));
    // Facet counts: the bytes of --facets --jsonl.
    let (status, jsonl) = server.get_with(
        "/api/export.jsonl",
        &[("q", "冷链物流"), ("view", "facets")],
    );
    assert_eq!(status, 200, "{jsonl}");
    let out = plansearch(&[
        "search",
        "冷链物流",
        "--facets",
        "--jsonl",
        "--index",
        index,
    ]);
    assert_eq!(jsonl, stdout(&out));
    let (status, message) = server.error(
        "/api/export.csv",
        &[("q", "冷链物流"), ("view", "facets"), ("group_by", "year")],
    );
    assert_eq!(status, 400, "{message}");
    // new=1: the last batch, here the one build of the shipped corpus.
    let all = server.json("/api/search", &[("q", "冷链物流")]);
    let new = server.json("/api/search", &[("q", "冷链物流"), ("new", "1")]);
    assert_eq!(new["total"], all["total"]);
    let (status, message) =
        server.error("/api/search", &[("q", "冷链物流"), ("new_since", "明天")]);
    assert_eq!(status, 400, "{message}");
}

/// A raw connection to the server that sends `request` (maybe nothing, maybe
/// half a request) and then reads nothing.
fn hold(server: &Server, request: &str) -> TcpStream {
    let addr = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.write_all(request.as_bytes()).expect("sends");
    stream
}

/// Reads what the server sends until it closes the connection; `None` if
/// it is still open after far longer than any timeout of the test.
fn until_closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 64 << 10];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return None,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return None,
            // Reset by the server: closed too.
            Err(_) => return Some(got),
        }
    }
}

fn export_request(server: &Server) -> String {
    let addr = server.base.trim_start_matches("http://");
    // Every passage that speaks of 发展, as JSON lines: megabytes, far
    // more than the socket buffers and the server's queue hold.
    format!(
        "GET /api/export.jsonl?q=%E5%8F%91%E5%B1%95 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
}

/// Waits, reading nothing, until the server has closed `stream`. Its FIN
/// waits behind the data the client has not read, so only the server's end
/// shows it: in /proc/net/tcp (Linux) it leaves ESTABLISHED (01) for
/// FIN-WAIT. False if it is still open after far longer than any timeout of
/// the test.
fn closed_by_the_server(stream: &TcpStream) -> bool {
    let ours = format!(":{:04X}", stream.local_addr().unwrap().port());
    let theirs = format!(":{:04X}", stream.peer_addr().unwrap().port());
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp (Linux)");
        let state = table.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.len() > 3 && fields[1].ends_with(&theirs) && fields[2].ends_with(&ours))
                .then(|| fields[3].to_string())
        });
        if state.as_deref() != Some("01") {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn exports_to_clients_that_do_not_read_end_and_free_their_slots() {
    // Two slots, both taken by exports (14 MB each) whose clients never
    // read; a short send timeout. Searches, which wait for a slot within
    // their time cap, must still be answered, and the server must close the
    // exports' connections itself.
    let server = Server::start(
        shipped_index(),
        &[
            "--max-concurrent",
            "2",
            "--time-cap-ms",
            "30000",
            "--send-timeout-ms",
            "300",
        ],
    );
    let request = export_request(&server);
    let mut stalled: Vec<TcpStream> = (0..2).map(|_| hold(&server, &request)).collect();
    for q in ["肉牛养殖", "冷链物流", "营商环境", "乡村振兴"] {
        let (status, body) = server.get_with(
            "/api/search",
            &[("q", q), ("facets", "tree"), ("limit", "10")],
        );
        assert_eq!(status, 200, "{q}: {body}");
    }
    // A client that reads gets the whole export.
    let (status, jsonl) = server.get_with("/api/export.jsonl", &[("q", "发展")]);
    assert_eq!(status, 200);
    assert!(
        jsonl.lines().count() > 1_000,
        "{} lines",
        jsonl.lines().count()
    );
    // The stalled ones were closed by the server, cut off: what they hold
    // is a part, without the last chunk of a whole body.
    for stream in &mut stalled {
        assert!(
            closed_by_the_server(stream),
            "an export to a client that reads nothing is never closed"
        );
        let got = until_closed(stream).expect("closed");
        assert!(
            got.starts_with(b"HTTP/1.1 200"),
            "{:?}",
            &got[..got.len().min(200)]
        );
        assert!(
            got.len() < jsonl.len(),
            "{} of {} bytes",
            got.len(),
            jsonl.len()
        );
        assert!(
            !got.ends_with(b"\r\n0\r\n\r\n"),
            "a cut-off export ends as whole"
        );
    }
}

#[test]
fn idle_and_slow_connections_are_closed() {
    let server = Server::start(shipped_index(), &["--head-timeout-ms", "300"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let cases = [
        ("nothing sent", String::new()),
        (
            "half a request head",
            format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nAcc"),
        ),
    ];
    for (what, request) in cases {
        let mut stream = hold(&server, &request);
        let got = until_closed(&mut stream).unwrap_or_else(|| panic!("{what}: still open"));
        assert!(!got.starts_with(b"HTTP/1.1 200"), "{what}: {got:?}");
    }
    // A keep-alive connection is answered, then closed once idle.
    let mut stream = hold(
        &server,
        &format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    );
    let got = until_closed(&mut stream).expect("an idle keep-alive connection is closed");
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&got)
    );
    // One header byte at a time, each well within the timeout: the whole
    // head is still due within it.
    let mut stream = hold(&server, "");
    let head = format!(
        "GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nX-Slow: {}\r\n\r\n",
        "a".repeat(200)
    );
    let mut closed = false;
    for byte in head.as_bytes() {
        if stream.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    if !closed {
        let got = until_closed(&mut stream).expect("closed");
        assert!(
            !got.starts_with(b"HTTP/1.1 200"),
            "a head dripped over 4 s was answered"
        );
    }
}

#[test]
fn a_post_body_that_trickles_in_is_refused_at_the_time_cap() {
    let server = Server::start(shipped_index(), &["--time-cap-ms", "300"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    // The head says 100 bytes of JSON; three come, then nothing.
    let mut stream = hold(
        &server,
        &format!(
            "POST /api/similar HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{\"t"
        ),
    );
    let got = until_closed(&mut stream).expect("answered and closed");
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.contains("did not arrive within the time cap"), "{got}");
}

#[test]
fn held_connections_past_the_cap_do_not_stop_the_server() {
    // Four connections at most, and six held idle: a new client waits until
    // the idle ones time out, then is answered; and so on, again.
    let server = Server::start(
        shipped_index(),
        &["--max-connections", "4", "--head-timeout-ms", "400"],
    );
    for round in 0..2 {
        let held: Vec<TcpStream> = (0..6).map(|_| hold(&server, "")).collect();
        let (status, body) = server.get("/api/stats");
        assert_eq!(status, 200, "round {round}: {body}");
        drop(held);
    }
    let (status, _) = server.get_with("/api/search", &[("q", "肉牛养殖")]);
    assert_eq!(status, 200);
}

/// A corpus of one long plan: a title, then `paragraphs` paragraphs made of
/// the sentences of a shipped government work report, in turn; and the
/// index built from it.
fn long_document_index(dir: &Path, paragraphs: usize) -> std::path::PathBuf {
    let report = std::fs::read_to_string(crate::common::root().join("corpus/documents/00002.txt"))
        .expect("a shipped document");
    let sentences: Vec<String> = report
        .split('。')
        .map(|s| s.trim().replace(['\n', '\r'], ""))
        .filter(|s| s.chars().count() >= 20 && !s.contains('【'))
        .map(|s| format!("{s}。"))
        .collect();
    assert!(sentences.len() > 100, "{} sentences", sentences.len());
    let mut text = String::from("关于推进县域经济高质量发展的实施方案\n\n");
    for i in 0..paragraphs {
        text.push_str(&sentences[i % sentences.len()]);
        text.push_str(&sentences[(i * 7 + 3) % sentences.len()]);
        text.push_str("\n\n");
    }
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(corpus.join("documents")).unwrap();
    std::fs::write(corpus.join("documents/long-plan.txt"), text).unwrap();
    let index = dir.join("index");
    plansearch::indexer::build_index(&test_config(&corpus, &index), &mut |_| {}).unwrap();
    index
}

/// The key of the one document of an index.
fn only_document(index: &Path) -> String {
    let open = crate::common::open(index);
    let snapshot = open.snapshot().unwrap();
    let keys: Vec<&String> = snapshot.state.docs.keys().collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    keys[0].clone()
}

#[test]
fn a_long_document_comes_in_pages() {
    let dir = TempDir::new().unwrap();
    let index = long_document_index(dir.path(), 1_500);
    let key = only_document(&index);
    let whole = plansearch::service::document(&crate::common::open(&index), &key, None).unwrap();
    let total = whole.passages.len();
    assert!(total > 1_000, "{total} passages");
    let whole_passages = serde_json::to_value(&whole.passages).unwrap();
    let corpus = dir.path().join("corpus");
    let server = Server::start(&index, &["--corpus", corpus.to_str().unwrap()]);

    // The first page: 200 passages, the total, where the next begins, and
    // the evidence.
    let first = server.json(&format!("/api/doc/{key}"), &[]);
    assert_eq!(first["passages"].as_array().unwrap().len(), 200);
    assert_eq!(first["total_passages"], total);
    assert_eq!(first["offset"], 0);
    assert_eq!(first["next_offset"], 200);
    assert!(first["evidence"].is_object(), "{}", first["evidence_note"]);

    // Page after page, as the page loads them: the whole document, in order.
    let mut passages = Vec::new();
    let mut next = Some(0u64);
    while let Some(offset) = next {
        let page = server.json(
            &format!("/api/doc/{key}"),
            &[("offset", &offset.to_string()), ("limit", "1000")],
        );
        assert_eq!(page["offset"], offset);
        passages.extend(page["passages"].as_array().unwrap().iter().cloned());
        next = page["next_offset"].as_u64();
        if offset > 0 {
            assert!(page["evidence"].is_null());
            assert!(
                page["evidence_note"]
                    .as_str()
                    .unwrap()
                    .contains("first page")
            );
        }
    }
    assert_eq!(Value::Array(passages), whole_passages);

    // A passage id opens the page that holds it.
    let focused = server.json(&format!("/api/doc/{key}:450"), &[]);
    assert_eq!(focused["offset"], 400);
    assert_eq!(focused["focus"], 450);
    assert_eq!(focused["passages"][0]["passage_no"], 401);
    let pages = server.json(&format!("/api/doc/{key}:450"), &[("limit", "100")]);
    assert_eq!(pages["offset"], 400);
    assert_eq!(pages["next_offset"], 500);
    // Past the end: no passages, no next page.
    let past = server.json(&format!("/api/doc/{key}"), &[("offset", "100000")]);
    assert!(past["passages"].as_array().unwrap().is_empty());
    assert!(past["next_offset"].is_null());
    assert_eq!(past["total_passages"], total);
    // Over the page cap, or not a number: 400.
    for (name, value) in [
        ("limit", "1001"),
        ("limit", "0"),
        ("offset", "ten"),
        ("page", "2"),
    ] {
        let (status, message) = server.error(&format!("/api/doc/{key}"), &[(name, value)]);
        assert_eq!(status, 400, "{name}={value}: {message}");
    }
}

#[test]
fn a_request_past_its_time_cap_frees_its_slot() {
    // Two slots and a short cap. The first page of a long document takes
    // longer than the cap (its file is read again for the evidence): both
    // are refused with 503 at the cap, and their slots are free then, so
    // the searches that follow at once are answered.
    let dir = TempDir::new().unwrap();
    let index = long_document_index(dir.path(), 3_000);
    let key = only_document(&index);
    let corpus = dir.path().join("corpus");
    let server = Server::start(
        &index,
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--max-concurrent",
            "2",
            "--time-cap-ms",
            "400",
        ],
    );
    // Warm: the index open, the first search done.
    let (status, _) = server.get_with("/api/search", &[("q", "县域经济")]);
    assert_eq!(status, 200);
    for round in 0..2 {
        let client = &server.client;
        let slow: Vec<(u16, String)> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| client.error(&format!("/api/doc/{key}"), &[])))
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for (status, message) in &slow {
            assert_eq!(*status, 503, "round {round}: {message}");
            assert!(message.contains("time cap"), "{message}");
        }
        for q in ["县域经济", "高质量发展"] {
            let (status, body) = server.get_with("/api/search", &[("q", q), ("limit", "5")]);
            assert_eq!(status, 200, "round {round}, {q}: {body}");
        }
    }
    // A page after the first needs no re-reading: it is answered.
    let (status, _) = server.get_with(&format!("/api/doc/{key}"), &[("offset", "200")]);
    assert_eq!(status, 200);
}

#[test]
fn a_document_too_long_to_read_again_says_where_its_evidence_is() {
    let dir = TempDir::new().unwrap();
    let index = long_document_index(dir.path(), 5_200);
    let key = only_document(&index);
    let corpus = dir.path().join("corpus");
    let server = Server::start(&index, &["--corpus", corpus.to_str().unwrap()]);
    let first = server.json(&format!("/api/doc/{key}"), &[]);
    assert!(
        first["total_passages"].as_u64().unwrap() > 5_000,
        "{}",
        first["total_passages"]
    );
    assert_eq!(first["passages"].as_array().unwrap().len(), 200);
    assert!(first["evidence"].is_null());
    let note = first["evidence_note"].as_str().unwrap();
    assert!(
        note.contains("plansearch inspect documents/long-plan.txt"),
        "{note}"
    );
}
