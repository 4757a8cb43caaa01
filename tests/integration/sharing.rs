//! An index built by one user is searched by others: from a shared folder, a
//! copy or a read-only mount.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use crate::common::{corpus_with, plansearch_on, shipped_documents, stderr, stdout};

/// The unprivileged user other processes run as.
const NOBODY: u32 = 65534;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A folder that everyone may enter, with an index built of four shipped
/// documents in it.
fn shared_index() -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let corpus = corpus_with(dir.path(), &shipped_documents()[..4]);
    let index = dir.path().join("index");
    let out = plansearch_on(&["index", "--quiet"], &corpus, &index);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, index)
}

/// tantivy writes `meta.json` and `.managed.json` owner-only (through a
/// temporary file of mode 0600); every file of the index must get the mode
/// any new file gets, so that whoever may read the folder may read it.
#[test]
fn every_file_of_an_index_is_as_readable_as_a_new_file() {
    let (dir, index) = shared_index();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    let expected = mode(&probe);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&index) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            assert_eq!(
                mode(entry.path()),
                expected,
                "{} is not as readable as a new file",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 5, "only {checked} files in the index");
    assert!(
        walkdir::WalkDir::new(&index)
            .into_iter()
            .any(|e| e.unwrap().file_name() == "meta.json")
    );
}

/// Searching needs no write access: run as another user, who may read the
/// index but write nothing in it (as on a read-only mount), `search` and
/// `stats` answer. Run as root, the test switches to `nobody`; otherwise it
/// cannot change user and only the files' modes are checked (above).
#[test]
fn another_user_who_cannot_write_the_index_can_search_it() {
    let (dir, index) = shared_index();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    if std::fs::metadata(&probe).unwrap().uid() != 0 {
        eprintln!("not root: cannot run as another user; the modes are checked elsewhere");
        return;
    }
    let before: Vec<_> = walkdir::WalkDir::new(&index)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    let as_nobody = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_plansearch"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .uid(NOBODY)
            .gid(NOBODY)
            .output()
            .expect("plansearch runs")
    };
    let index_arg = index.to_str().unwrap();
    let out = as_nobody(&["search", "--index", index_arg, "--json", "农业"]);
    assert!(out.status.success(), "search as nobody: {}", stderr(&out));
    let found: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    let out = as_nobody(&["stats", "--index", index_arg, "--json"]);
    assert!(out.status.success(), "stats as nobody: {}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["total"]["documents"], 4, "{stats}");
    // Nothing was written, not even a lock file.
    let after: Vec<_> = walkdir::WalkDir::new(&index)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(before, after);
}
