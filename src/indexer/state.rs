//! What an index holds, committed atomically with it.
//!
//! Passages are keyed by their document's key (a digest of the file's bytes, see
//! [`crate::document::fingerprint`]), never by path: which paths hold which
//! document lives here, in the payload of every tantivy commit. A commit swaps
//! passages and this table together, so a search always sees paths that match
//! the passages it finds, and renaming a file rewrites only this table.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::error::{Error, Result};

/// The record committed with each tantivy commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexState {
    /// Format of this record; see [`IndexState::FORMAT`].
    pub format: u32,
    /// The corpus folder the files were read from, as given on the command line.
    pub corpus: String,
    /// Every indexed file: corpus-relative path → document key. Several paths
    /// may hold the same document (copies); it is indexed once.
    pub files: BTreeMap<String, String>,
    /// Every indexed document: key → what was indexed.
    pub docs: BTreeMap<String, DocEntry>,
    /// Spreadsheets, whose rows are documents: the workbook's fingerprint →
    /// each row's path suffix ("#row 3") and document key, so an unchanged
    /// or moved workbook is not read again. Absent in indexes of files only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sheets: BTreeMap<String, Vec<(String, String)>>,
    /// The indexing runs that added documents, oldest first: what
    /// `search --new` and `--new-since` select by. Kept across rebuilds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<Batch>,
}

/// One indexing run that added documents: a batch of new passages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Its number, counting from 1: what each of its passages records in
    /// the `batch` field.
    pub number: u32,
    /// When the run started, in seconds since 1970 (UTC).
    pub started: u64,
    /// Documents it added, or whose changed file brought new passages.
    pub documents: u32,
    /// Passages it added (not those a changed file kept word for word).
    pub passages: u64,
}

impl Batch {
    /// When the run started, in local time (`2026-12-03 03:40 +08:00`).
    pub fn started_label(&self) -> String {
        crate::indexer::batch_time_label(self.started)
    }

    /// `2 (2026-12-03 03:40 +08:00): 1 new document, 69 new passages`, as the
    /// index summary and `watch list` print it.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}): {} new {}, {} new {}",
            self.number,
            self.started_label(),
            self.documents,
            if self.documents == 1 {
                "document"
            } else {
                "documents"
            },
            self.passages,
            if self.passages == 1 {
                "passage"
            } else {
                "passages"
            }
        )
    }
}

/// One indexed document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    /// Passages (tantivy documents) it was indexed as.
    pub passages: u32,
    /// Size of the file it was read from.
    pub bytes: u64,
    /// The batch that added it ([`Batch::number`]); 0 when it was indexed
    /// before batches were recorded.
    #[serde(default)]
    pub batch: u32,
    /// The batch of each passage, in order, when they differ: a changed
    /// file's passages that its earlier version said word for word keep the
    /// earlier batch. Empty when every passage is of `batch`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passage_batches: Vec<u32>,
}

impl DocEntry {
    /// The batch of passage `i` (in the document's order).
    pub fn batch_of_passage(&self, i: usize) -> u32 {
        self.passage_batches.get(i).copied().unwrap_or(self.batch)
    }

    /// How many of its passages batch `number` added.
    pub fn passages_of_batch(&self, number: u32) -> u64 {
        if self.passage_batches.is_empty() {
            if self.batch == number {
                u64::from(self.passages)
            } else {
                0
            }
        } else {
            self.passage_batches
                .iter()
                .filter(|b| **b == number)
                .count() as u64
        }
    }
}

impl IndexState {
    /// The format this plansearch writes and reads.
    pub const FORMAT: u32 = 1;

    /// An empty state for a corpus.
    pub fn new(corpus: &str) -> IndexState {
        IndexState {
            format: Self::FORMAT,
            corpus: corpus.to_string(),
            ..IndexState::default()
        }
    }

    /// The state of the last commit of `index`, in folder `dir` (empty if
    /// nothing was committed).
    pub fn of_last_commit(index: &Index, dir: &Path) -> Result<IndexState> {
        IndexState::from_payload(index.load_metas()?.payload.as_deref()).map_err(|why| {
            Error::StaleIndex {
                path: dir.to_path_buf(),
                why,
            }
        })
    }

    /// Parses a commit payload; the error says how the index was built.
    pub fn from_payload(payload: Option<&str>) -> std::result::Result<IndexState, String> {
        let Some(payload) = payload else {
            return Ok(IndexState::new(""));
        };
        let state: IndexState = serde_json::from_str(payload)
            .map_err(|e| format!("with an unreadable file table ({e})"))?;
        if state.format != Self::FORMAT {
            return Err(format!(
                "with file table format {} (this plansearch reads {})",
                state.format,
                Self::FORMAT
            ));
        }
        Ok(state)
    }

    /// The payload to commit.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("index state serialises")
    }

    /// Passages in the index.
    pub fn passages(&self) -> u64 {
        self.docs.values().map(|d| u64::from(d.passages)).sum()
    }

    /// The number of the last batch, 0 if none.
    pub fn last_batch(&self) -> u32 {
        self.batches.last().map_or(0, |b| b.number)
    }

    /// The batch numbered `number`.
    pub fn batch(&self, number: u32) -> Option<&Batch> {
        self.batches.iter().find(|b| b.number == number)
    }

    /// Records (or recounts) batch `number`, started at `started`, from the
    /// passages that carry it; drops it when none does.
    pub fn count_batch(&mut self, number: u32, started: u64) {
        let (documents, passages) = self
            .docs
            .values()
            .map(|d| d.passages_of_batch(number))
            .filter(|p| *p > 0)
            .fold((0u32, 0u64), |(n, total), p| (n + 1, total + p));
        self.batches.retain(|b| b.number != number);
        if documents > 0 {
            self.batches.push(Batch {
                number,
                started,
                documents,
                passages,
            });
            self.batches.sort_by_key(|b| b.number);
        }
    }

    /// The paths of `file` and of its rows (`file#row 3`), as indexed.
    pub fn paths_of_file<'a>(
        &'a self,
        file: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a String)> + 'a {
        self.files
            .range(file.to_string()..)
            .take_while(move |(p, _)| p.starts_with(file))
            .filter(move |(p, _)| crate::document::file_of(p) == file)
    }

    /// Documents that no file holds any more: to delete.
    pub fn orphans(&self) -> Vec<String> {
        let held: std::collections::HashSet<&String> = self.files.values().collect();
        self.docs
            .keys()
            .filter(|k| !held.contains(k))
            .cloned()
            .collect()
    }

    /// The paths of each document, for search hits.
    pub fn paths(&self) -> DocPaths {
        let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
        // `files` is sorted by path, so each list is too.
        for (path, key) in &self.files {
            by_key.entry(key.clone()).or_default().push(path.clone());
        }
        DocPaths { by_key }
    }
}

/// Document key → the paths that hold it, in path order.
#[derive(Debug, Clone, Default)]
pub struct DocPaths {
    by_key: HashMap<String, Vec<String>>,
}

impl DocPaths {
    /// The path shown for a document: the first of its paths.
    pub fn first(&self, key: &str) -> Option<&str> {
        self.all(key).first().map(String::as_str)
    }

    /// Every path of a document.
    pub fn all(&self, key: &str) -> &[String] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(files: &[(&str, &str)], docs: &[&str]) -> IndexState {
        let mut s = IndexState::new("corpus");
        for (p, k) in files {
            s.files.insert(p.to_string(), k.to_string());
        }
        for k in docs {
            s.docs.insert(
                k.to_string(),
                DocEntry {
                    passages: 3,
                    bytes: 100,
                    batch: 1,
                    passage_batches: Vec::new(),
                },
            );
        }
        s
    }

    #[test]
    fn payload_round_trips_and_other_formats_are_refused() {
        let s = state(&[("甘肃/张掖.txt", "k1")], &["k1"]);
        assert_eq!(IndexState::from_payload(Some(&s.to_payload())).unwrap(), s);
        assert_eq!(IndexState::from_payload(None).unwrap().files.len(), 0);
        let mut newer = s.clone();
        newer.format = 99;
        assert!(IndexState::from_payload(Some(&newer.to_payload())).is_err());
        assert!(IndexState::from_payload(Some("{not json")).is_err());
    }

    #[test]
    fn a_batch_is_counted_from_its_documents_and_older_states_read() {
        let mut s = state(&[("a.txt", "k1"), ("b.txt", "k2")], &["k1", "k2"]);
        s.docs.get_mut("k2").unwrap().batch = 2;
        s.count_batch(1, 100);
        s.count_batch(2, 200);
        s.count_batch(3, 300);
        assert_eq!(s.batches.len(), 2, "batch 3 added nothing");
        assert_eq!(s.last_batch(), 2);
        assert_eq!(s.batch(2).unwrap().passages, 3);
        // A changed file of batch 3 that kept two of its three passages.
        s.docs.get_mut("k2").unwrap().batch = 3;
        s.docs.get_mut("k2").unwrap().passage_batches = vec![2, 3, 2];
        s.count_batch(2, 200);
        s.count_batch(3, 300);
        assert_eq!(s.batch(3).map(|b| (b.documents, b.passages)), Some((1, 1)));
        assert_eq!(s.batch(2).map(|b| (b.documents, b.passages)), Some((1, 2)));
        assert_eq!(s.docs["k2"].batch_of_passage(1), 3);
        // A state written before batches were recorded reads as batch 0.
        let old = r#"{"format":1,"corpus":"c","files":{"a.txt":"k1"},"docs":{"k1":{"passages":2,"bytes":9}}}"#;
        let old = IndexState::from_payload(Some(old)).unwrap();
        assert_eq!(old.docs["k1"].batch, 0);
        assert!(old.batches.is_empty());
    }

    #[test]
    fn orphans_are_documents_no_path_holds() {
        let s = state(&[("a.txt", "k1"), ("b.txt", "k1")], &["k1", "k2"]);
        assert_eq!(s.orphans(), ["k2"]);
        assert_eq!(s.passages(), 6);
    }

    #[test]
    fn copies_show_their_first_path() {
        let s = state(&[("b.txt", "k1"), ("a.txt", "k1"), ("c.txt", "k2")], &[]);
        let paths = s.paths();
        assert_eq!(paths.first("k1"), Some("a.txt"));
        assert_eq!(paths.all("k1"), ["a.txt", "b.txt"]);
        assert_eq!(paths.first("k3"), None);
    }
}
