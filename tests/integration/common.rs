//! Shared set-up: indexes built once per test run into temporary folders.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use plansearch::indexer::{IndexConfig, OpenIndex, build_index, open_index};
use plansearch::search::{HitUnit, SearchRequest, search};
use tantivy::TantivyDocument;
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tempfile::TempDir;

/// The repository root (tests run from it, but say so explicitly).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_once(cell: &'static OnceLock<(TempDir, PathBuf)>, corpus: PathBuf) -> &'static Path {
    let (_, path) = cell.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let index = dir.path().join("index");
        build_index(&test_config(&corpus, &index), &mut |_| {}).expect("index builds");
        (dir, index)
    });
    path
}

/// The index of the shipped corpus (corpus/).
pub fn shipped_index() -> &'static Path {
    static CELL: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    build_once(&CELL, root().join("corpus"))
}

/// The index of the ranking fixtures (tests/fixtures/ranking).
pub fn ranking_index() -> &'static Path {
    static CELL: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    build_once(&CELL, root().join("tests/fixtures/ranking"))
}

/// Opens one of the indexes above.
pub fn open(path: &Path) -> OpenIndex {
    open_index(path).expect("index opens")
}

/// Runs the plansearch binary.
pub fn plansearch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plansearch"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("plansearch runs")
}

/// Runs the plansearch binary with `args` on the corpus and index given
/// (`--corpus C --index I` appended).
pub fn plansearch_on(args: &[&str], corpus: &Path, index: &Path) -> Output {
    let mut all = args.to_vec();
    all.extend(["--corpus", corpus.to_str().unwrap()]);
    all.extend(["--index", index.to_str().unwrap()]);
    plansearch(&all)
}

/// Stdout of a run as a string.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr of a run as a string.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Settings for a small test build: two threads, a small writer budget.
pub fn test_config(corpus: &Path, index: &Path) -> IndexConfig {
    let mut config = IndexConfig::new(corpus, index);
    config.threads = 2;
    config.memory_budget = 64 << 20;
    config
}

/// The shipped documents, sorted by name.
pub fn shipped_documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("corpus/documents"))
        .expect("corpus/documents")
        .map(|e| e.expect("entry").path())
        .collect();
    docs.sort();
    docs
}

/// Copies shipped documents into `corpus/documents` under `dir`; returns the corpus.
pub fn corpus_with(dir: &Path, docs: &[PathBuf]) -> PathBuf {
    let corpus = dir.join("corpus");
    add_documents(&corpus, docs);
    corpus
}

/// Copies shipped documents into `corpus/documents`.
pub fn add_documents(corpus: &Path, docs: &[PathBuf]) {
    let target = corpus.join("documents");
    std::fs::create_dir_all(&target).expect("corpus folder");
    for doc in docs {
        std::fs::copy(doc, target.join(doc.file_name().expect("file name"))).expect("copy");
    }
}

/// What an index holds, read back from tantivy and its file table, after
/// checking that the two agree (no passage without a file, no file without its
/// passages, no document twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    /// Path → document key.
    pub files: BTreeMap<String, String>,
    /// Every passage id.
    pub passages: BTreeSet<String>,
}

/// The inventory of the live index in `index`.
pub fn inventory(index: &Path) -> Inventory {
    let open = open(index);
    let snapshot = open.snapshot().expect("snapshot");
    let searcher = &snapshot.searcher;
    let addresses = searcher
        .search(
            &*plansearch::schema::passages(&open.fields),
            &DocSetCollector,
        )
        .expect("all passages");
    let mut per_key: BTreeMap<String, u32> = BTreeMap::new();
    let mut passages = BTreeSet::new();
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address).expect("stored passage");
        let text = |f| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .expect("stored field")
                .to_string()
        };
        *per_key.entry(text(open.fields.doc_key)).or_default() += 1;
        assert!(
            passages.insert(text(open.fields.passage_id)),
            "a passage is indexed twice"
        );
    }
    let state = &snapshot.state;
    let table: BTreeMap<String, u32> = state
        .docs
        .iter()
        .map(|(k, d)| (k.clone(), d.passages))
        .collect();
    assert_eq!(
        per_key, table,
        "passages in tantivy = passages in the file table"
    );
    let held: BTreeSet<&String> = state.files.values().collect();
    assert_eq!(
        held,
        state.docs.keys().collect::<BTreeSet<_>>(),
        "every document is held by a file and every file's document is indexed"
    );
    Inventory {
        files: state.files.clone(),
        passages,
    }
}

/// Builds `corpus` from scratch into a new folder: the reference a finished
/// incremental or resumed run must equal.
pub fn clean_build(corpus: &Path) -> Inventory {
    let dir = TempDir::new().expect("temp dir");
    let index = dir.path().join("index");
    build_index(&test_config(corpus, &index), &mut |_| {}).expect("clean build");
    inventory(&index)
}

/// A plansearch process left running, its stderr read line by line.
pub struct Running {
    /// The process.
    pub child: Child,
    lines: Receiver<String>,
    /// Every stderr line so far.
    pub seen: Vec<String>,
}

/// Starts plansearch with `RUST_LOG=plansearch=info`, so that it logs each
/// file it indexes and each checkpoint.
pub fn spawn_plansearch(args: &[&str]) -> Running {
    spawn_command(plansearch_command(args))
}

/// The plansearch command line, not started yet.
pub fn plansearch_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plansearch"));
    command
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "plansearch=info");
    command
}

/// Starts a command with its stderr read on a thread.
pub fn spawn_command(mut command: Command) -> Running {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("plansearch starts");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Running {
        child,
        lines,
        seen: Vec::new(),
    }
}

/// Far more than any step takes; only there so that a broken build fails
/// instead of hanging the suite.
const PATIENCE: Duration = Duration::from_secs(300);

impl Running {
    /// Waits until `count` stderr lines containing `pattern` have been seen.
    pub fn wait_for(&mut self, pattern: &str, count: usize) {
        let start = Instant::now();
        while self.seen.iter().filter(|l| l.contains(pattern)).count() < count {
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "plansearch ended before {count} lines with {pattern:?}:\n{}",
                    self.seen.join("\n")
                ),
                Err(RecvTimeoutError::Timeout) => assert!(
                    start.elapsed() < PATIENCE,
                    "no {count} lines with {pattern:?} yet:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Stderr lines seen so far that contain `pattern`.
    pub fn count(&self, pattern: &str) -> usize {
        self.seen.iter().filter(|l| l.contains(pattern)).count()
    }

    /// Sends a signal (by number) with the system's `kill`.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// True while the process runs.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// Waits for the process to end; returns its status and all of stderr.
    pub fn finish(mut self) -> (ExitStatus, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "plansearch did not end:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        // The reader thread ends with the pipe.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        (status, self.seen.join("\n"))
    }
}

/// Paths of the documents that match `query` in the index at `index`, all of them.
pub fn found(index: &Path, query: &str) -> Vec<String> {
    let r = search(
        &open_index(index).unwrap(),
        &SearchRequest {
            query: query.into(),
            limit: None,
            unit: HitUnit::Doc,
            ..Default::default()
        },
    )
    .unwrap();
    r.hits.into_iter().map(|h| h.path).collect()
}
