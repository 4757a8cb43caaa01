//! A damaged index, and a disk that fills up: reported with the way out,
//! never a panic, never a success on a broken index, nothing left to fill
//! the disk.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common::{corpus_with, plansearch_on as run, shipped_documents, stderr};

/// A corpus of `n` shipped documents and its index, built by the binary.
fn built(n: usize) -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &shipped_documents()[..n]);
    let index = dir.path().join("index");
    let out = run(&["index", "--quiet"], &corpus, &index);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, corpus, index)
}

/// The largest file of the live generation with this extension.
fn segment_file(index: &Path, ext: &str) -> PathBuf {
    let generation = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir() && p.file_name().unwrap().to_str().unwrap().starts_with("gen-"))
        .expect("a generation");
    std::fs::read_dir(generation)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap_or_else(|| panic!("no .{ext} file"))
}

/// Damage as a bad disk or a bad copy does it.
#[derive(Debug, Clone, Copy)]
enum Harm {
    /// Cut to half its length.
    Truncate,
    /// A third of the file overwritten with zeros (made search panic).
    ZeroThird,
    /// 64 bytes in the middle overwritten (searches answered, wrongly).
    Flip,
}

fn harm(path: &Path, how: Harm) {
    let mut bytes = std::fs::read(path).unwrap();
    let len = bytes.len();
    match how {
        Harm::Truncate => bytes.truncate(len / 2),
        Harm::ZeroThird => bytes[len / 3..2 * len / 3].fill(0),
        Harm::Flip => bytes[len / 2..(len / 2 + 64).min(len)].fill(0xff),
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_index_is_reported_with_its_repair_and_the_next_run_rebuilds_it() {
    // (file, damage, whether every search reads the damaged part: a flipped
    // block of the store or the term dictionary is read only by the searches
    // that reach it, and then may give wrong text rather than an error)
    let table = [
        ("idx", Harm::Truncate, true),
        ("fast", Harm::ZeroThird, true),
        ("store", Harm::Truncate, true),
        ("store", Harm::Flip, false),
        ("term", Harm::Flip, false),
    ];
    for (ext, how, search_sees_it) in table {
        let (_dir, corpus, index) = built(6);
        let file = segment_file(&index, ext);
        harm(&file, how);
        let case = format!("{ext} {how:?}");

        let search = run(&["search", "农业"], &corpus, &index);
        let message = stderr(&search);
        assert_ne!(
            search.status.code(),
            Some(101),
            "{case}: panicked\n{message}"
        );
        if search_sees_it {
            assert_eq!(search.status.code(), Some(2), "{case}\n{message}");
            assert!(message.contains("is damaged"), "{case}: {message}");
            assert!(
                message.contains("plansearch index --full"),
                "{case}: {message}"
            );
        }
        // stats reads every file: the damage always shows there.
        let stats = run(&["stats"], &corpus, &index);
        assert_eq!(stats.status.code(), Some(2), "{case}: {}", stderr(&stats));
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(stderr(&stats).contains(name), "{case}: {}", stderr(&stats));

        // An ordinary run does not build on the damage: it rebuilds.
        let update = run(&["index", "--quiet"], &corpus, &index);
        assert!(update.status.success(), "{case}: {}", stderr(&update));
        assert!(
            stderr(&update).contains("the index is damaged"),
            "{case}: {}",
            stderr(&update)
        );
        let again = run(&["search", "农业", "--json"], &corpus, &index);
        assert!(again.status.success(), "{case}: {}", stderr(&again));
        let stats = run(&["stats"], &corpus, &index);
        assert!(stats.status.success(), "{case}: {}", stderr(&stats));
    }
}

/// A full disk, as a file size limit makes it (`ulimit -f`: writes past it
/// fail with EFBIG, as they fail with ENOSPC on a full disk).
fn index_with_little_room(
    kib: u32,
    args: &[&str],
    corpus: &Path,
    index: &Path,
) -> std::process::Output {
    let mut command = std::process::Command::new("bash");
    command
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_plansearch"))
        .arg("index")
        .args(args)
        .args(["--corpus", corpus.to_str().unwrap()])
        .args(["--index", index.to_str().unwrap()])
        .env("NO_COLOR", "1");
    command.output().expect("bash runs")
}

#[test]
fn a_rebuild_that_fills_the_disk_is_removed_and_says_so() {
    let (_dir, corpus, index) = built(40);
    let before = run(&["search", "农业", "--json"], &corpus, &index);
    assert!(before.status.success(), "{}", stderr(&before));

    let full = index_with_little_room(64, &["--full", "--quiet"], &corpus, &index);
    let message = stderr(&full);
    assert_eq!(full.status.code(), Some(2), "{message}");
    assert!(message.contains("no space left"), "{message}");
    assert!(
        message.contains("the unfinished rebuild was removed"),
        "{message}"
    );
    // Nothing of the rebuild is left to fill the disk or to be resumed.
    let mut left: Vec<String> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["gen-1", "plansearch.json", "plansearch.lock"]);
    // The live index answers as before.
    let after = run(&["search", "农业", "--json"], &corpus, &index);
    assert_eq!(after.stdout, before.stdout);

    // With room again, the next run is an ordinary update: nothing resumed.
    let next = run(&["index"], &corpus, &index);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(!stderr(&next).contains("interrupted"), "{}", stderr(&next));
    assert!(
        !stderr(&next).contains("building a new index"),
        "{}",
        stderr(&next)
    );
}
