//! Shared set-up: indexes built once per test run into temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use plansearch::indexer::{IndexConfig, OpenIndex, build_index, open_index};
use tempfile::TempDir;

/// The repository root (tests run from it, but say so explicitly).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_once(cell: &'static OnceLock<(TempDir, PathBuf)>, corpus: PathBuf) -> &'static Path {
    let (_, path) = cell.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let index = dir.path().join("index");
        let mut config = IndexConfig::new(corpus, &index);
        config.threads = 2;
        config.memory_budget = 64 << 20;
        build_index(&config, &mut |_| {}).expect("index builds");
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

/// Stdout of a run as a string.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr of a run as a string.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
