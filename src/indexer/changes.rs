//! What a run changed, file by file, for the summary.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use crate::corpus::Skipped;

use super::state::IndexState;

/// The files a run added, updated, moved or removed, and those it skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// New files, analysed and indexed.
    pub added: Vec<String>,
    /// Files whose content changed, indexed again.
    pub updated: Vec<String>,
    /// Renamed or moved files `(from, to)`: only the path changed, nothing
    /// was analysed again.
    pub moved: Vec<(String, String)>,
    /// New files with the same content as an indexed one `(path, same as)`:
    /// the document is indexed once and known under both paths.
    pub copies: Vec<(String, String)>,
    /// Files gone from the corpus (or no longer indexable), removed.
    pub removed: Vec<String>,
    /// Files as they were.
    pub unchanged: usize,
    /// Files that could not be indexed, with the reason.
    pub skipped: Vec<Skipped>,
}

impl Changes {
    /// The changes from `old` to `new`.
    pub fn between(old: &IndexState, new: &IndexState, skipped: Vec<Skipped>) -> Changes {
        let mut changes = Changes {
            skipped,
            ..Changes::default()
        };
        // Paths that went away, by the document they held: a new path holding
        // the same document is a move.
        let mut gone: HashMap<&str, VecDeque<&str>> = HashMap::new();
        for (path, key) in &old.files {
            if !new.files.contains_key(path) {
                gone.entry(key.as_str())
                    .or_default()
                    .push_back(path.as_str());
            }
        }
        let new_paths = new.paths();
        let mut added_keys: HashSet<&str> = HashSet::new();
        for (path, key) in &new.files {
            match old.files.get(path) {
                Some(before) if before == key => changes.unchanged += 1,
                Some(_) => changes.updated.push(path.clone()),
                None => {
                    if let Some(from) = gone.get_mut(key.as_str()).and_then(VecDeque::pop_front) {
                        changes.moved.push((from.to_string(), path.clone()));
                    } else if old.docs.contains_key(key) || added_keys.contains(key.as_str()) {
                        let same_as = new_paths
                            .all(key)
                            .iter()
                            .find(|p| *p != path)
                            .cloned()
                            .unwrap_or_default();
                        changes.copies.push((path.clone(), same_as));
                    } else {
                        added_keys.insert(key);
                        changes.added.push(path.clone());
                    }
                }
            }
        }
        changes.removed = gone.into_values().flatten().map(str::to_string).collect();
        changes.removed.sort();
        changes
    }

    /// True when the index did not change.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.updated.is_empty()
            && self.moved.is_empty()
            && self.copies.is_empty()
            && self.removed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::state::DocEntry;

    fn state(files: &[(&str, &str)]) -> IndexState {
        let mut s = IndexState::new("corpus");
        for (p, k) in files {
            s.files.insert(p.to_string(), k.to_string());
            s.docs.insert(k.to_string(), DocEntry::default());
        }
        s
    }

    #[test]
    fn each_kind_of_change_is_named() {
        let old = state(&[
            ("same.txt", "k1"),
            ("edited.txt", "k2"),
            ("old/name.txt", "k3"),
            ("deleted.txt", "k4"),
        ]);
        let new = state(&[
            ("same.txt", "k1"),
            ("edited.txt", "k5"),
            ("new/name.txt", "k3"),
            ("copy-of-same.txt", "k1"),
            ("fresh.txt", "k6"),
            ("fresh-copy.txt", "k6"),
        ]);
        let c = Changes::between(&old, &new, Vec::new());
        assert_eq!(c.unchanged, 1);
        assert_eq!(c.updated, ["edited.txt"]);
        assert_eq!(
            c.moved,
            [("old/name.txt".to_string(), "new/name.txt".to_string())]
        );
        assert_eq!(c.removed, ["deleted.txt"]);
        // fresh-copy.txt sorts before fresh.txt, so it is the one added.
        assert_eq!(c.added, ["fresh-copy.txt"]);
        let mut copies = c.copies.clone();
        copies.sort();
        assert_eq!(
            copies,
            [
                ("copy-of-same.txt".to_string(), "same.txt".to_string()),
                ("fresh.txt".to_string(), "fresh-copy.txt".to_string()),
            ]
        );
        assert!(!c.is_empty());
        assert!(Changes::between(&new, &new, Vec::new()).is_empty());
    }

    #[test]
    fn swapping_two_files_contents_is_two_updates() {
        let old = state(&[("a.txt", "k1"), ("b.txt", "k2")]);
        let new = state(&[("a.txt", "k2"), ("b.txt", "k1")]);
        let c = Changes::between(&old, &new, Vec::new());
        assert_eq!(c.updated, ["a.txt", "b.txt"]);
        assert!(c.added.is_empty() && c.removed.is_empty() && c.moved.is_empty());
    }
}
