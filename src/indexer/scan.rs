//! What the corpus holds now: every document file with its fingerprint.
//!
//! Every file is read and hashed on each run, so a change is found by content,
//! whatever its modification time says (a `touch` re-indexes nothing, an edit
//! that kept size and time is still found). Hashing is fast next to analysis
//! (BLAKE3 over the 47 MB of ../shared/corpus takes a few tens of
//! milliseconds); files over the size limit are refused from their size alone,
//! without reading them.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::corpus::{self, SkipReason, Skipped, SourceFile};
use crate::document;
use crate::error::Result;
use crate::extract::{OverrideProblem, Overrides};

use super::pool;

/// A document file and its fingerprint.
#[derive(Debug, Clone)]
pub(crate) struct ScannedFile {
    pub source: SourceFile,
    pub key: String,
    pub bytes: u64,
    /// Problems with the file's sidecar.
    pub override_problems: Vec<OverrideProblem>,
}

/// The corpus as found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Readable document files, in path order.
    pub files: Vec<ScannedFile>,
    /// Files and folders passed over, with reasons.
    pub skipped: Vec<Skipped>,
    /// Corpus-relative paths (files or folders) that could not be read now:
    /// whatever the index holds there is kept rather than dropped.
    pub unreadable: Vec<String>,
    /// False when stopped before the end: the scan then says nothing about
    /// files it did not reach.
    pub complete: bool,
    /// Problems with the sidecars of the files, reported on every run (an
    /// unchanged file is not analysed again).
    pub override_problems: Vec<OverrideProblem>,
}

impl Scan {
    /// True when `path` (corpus-relative) is at or under an unreadable path.
    pub fn is_unreadable(&self, path: &str) -> bool {
        self.unreadable.iter().any(|u| {
            u.is_empty()
                || path == u
                || path.strip_prefix(u.as_str()).is_some_and(|rest| {
                    rest.starts_with('/') || rest.starts_with(crate::document::ROW_SEPARATOR)
                })
        })
    }
}

/// Walks `root` and fingerprints its document files (with what `overrides`
/// give for each) on `threads` threads.
pub(crate) fn scan(
    root: &Path,
    threads: usize,
    stop: &AtomicBool,
    overrides: &Overrides,
) -> Result<Scan> {
    let mut scan = Scan::default();
    let mut sources = Vec::new();
    for item in corpus::walk(root) {
        match item {
            Ok(f) => sources.push(f),
            Err(mut s) => {
                let rel = relative(root, &s.path);
                if !rel.is_empty() {
                    s.path = rel.clone();
                }
                if matches!(s.reason, SkipReason::Unreadable(_)) {
                    scan.unreadable.push(rel);
                }
                scan.skipped.push(s);
            }
        }
    }
    let complete = pool::for_each(
        &sources,
        threads,
        stop,
        |source| {
            let (given, override_problems) = overrides.given_for(&source.rel, &source.path);
            document::read_bytes(source)
                .map(|bytes| ScannedFile {
                    key: document::fingerprint(&bytes, &given),
                    bytes: bytes.len() as u64,
                    source: source.clone(),
                    override_problems,
                })
                .map_err(|reason| (source.rel.clone(), reason))
        },
        |outcome| {
            match outcome {
                Ok(mut file) => {
                    scan.override_problems.append(&mut file.override_problems);
                    scan.files.push(file);
                }
                Err((path, reason)) => {
                    if matches!(reason, SkipReason::Unreadable(_)) {
                        scan.unreadable.push(path.clone());
                    }
                    scan.skipped.push(Skipped { path, reason });
                }
            }
            Ok(())
        },
    )?;
    scan.complete = complete;
    scan.files.sort_by(|a, b| a.source.rel.cmp(&b.source.rel));
    scan.override_problems.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(scan)
}

/// A walk error's path, relative to the corpus root where it is inside it.
fn relative(root: &Path, shown: &str) -> String {
    Path::new(shown)
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"))
        .unwrap_or_else(|_| shown.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_paths_cover_what_lies_under_them() {
        let scan = Scan {
            unreadable: vec!["甘肃/张掖".into(), "a.txt".into(), "r.xlsx".into()],
            ..Scan::default()
        };
        assert!(scan.is_unreadable("甘肃/张掖/临泽.txt"));
        assert!(scan.is_unreadable("a.txt"));
        assert!(!scan.is_unreadable("甘肃/张掖市.txt"));
        assert!(!scan.is_unreadable("a.txt.md"));
        // A workbook's rows go with it.
        assert!(scan.is_unreadable("r.xlsx#row 3"));
        let root_unreadable = Scan {
            unreadable: vec![String::new()],
            ..Scan::default()
        };
        assert!(root_unreadable.is_unreadable("x.txt"));
    }
}
