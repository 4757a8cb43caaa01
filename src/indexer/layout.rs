//! The index folder on disk, and how a rebuilt index replaces the old one.
//!
//! ```text
//! index/
//!   plansearch.json   what built the live index and which generation it is (IndexInfo)
//!   plansearch.lock   held (flock) by the one indexer allowed to write
//!   gen-3/            the live tantivy index; its commits carry the file table
//!   building.json     a rebuild in progress (IndexInfo naming its generation)
//!   gen-4/            that rebuild, invisible to searches until it is swapped in
//! ```
//!
//! Searches read `plansearch.json` and open the generation it names. A rebuild
//! writes a new generation beside the live one and swaps it in by renaming
//! `building.json` over `plansearch.json`: one atomic rename, so a reader sees the
//! old index or the new one, never half of either. A crash leaves at worst an
//! unfinished generation, which the next run resumes or removes.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::SCHEMA_VERSION;
use crate::tokenizer::{self, Dictionary};

/// File in the index folder that records what built the live index.
pub const INFO_FILE: &str = "plansearch.json";
/// Like [`INFO_FILE`], for a rebuild in progress.
pub const BUILDING_FILE: &str = "building.json";
/// The lock file held by the indexer at work.
pub const LOCK_FILE: &str = "plansearch.lock";
const GENERATION_PREFIX: &str = "gen-";

/// What built an index. An index whose build differs from this program's is
/// rebuilt by the next `plansearch index`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexInfo {
    /// [`SCHEMA_VERSION`] at build time.
    pub schema_version: u32,
    /// The analyzers ([`tokenizer::TOKENIZER_VERSION`]).
    #[serde(default)]
    pub tokenizer: String,
    /// Digest of the jieba dictionary (default + policy terms + places + user words).
    pub dictionary_digest: String,
    /// The user's own words the index was built with: searches cut query
    /// words with them ([`IndexInfo::dictionary`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_words: Vec<String>,
    /// Digest of the embedded rule tables ([`crate::lexicon::rules_digest`]).
    #[serde(default)]
    pub rules_digest: String,
    /// plansearch version.
    pub plansearch_version: String,
    /// Folder of the tantivy index inside the index folder; `None` for an
    /// index written before generations, which lies in the folder itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
}

impl IndexInfo {
    /// This program's build with `dictionary`, for a generation.
    pub fn current(generation: Option<String>, dictionary: &Dictionary) -> IndexInfo {
        IndexInfo {
            schema_version: SCHEMA_VERSION,
            tokenizer: tokenizer::TOKENIZER_VERSION.to_string(),
            dictionary_digest: dictionary.digest().to_string(),
            user_words: dictionary.user_words().to_vec(),
            rules_digest: crate::lexicon::rules_digest().to_string(),
            plansearch_version: env!("CARGO_PKG_VERSION").to_string(),
            generation,
        }
    }

    /// The dictionary the index was built with, as this program makes it
    /// (an index whose built-in word lists were other has another digest).
    pub fn dictionary(&self) -> Dictionary {
        Dictionary::new(&self.user_words)
    }

    /// Why an index built with this info cannot be searched by this program
    /// with `dictionary`, if so.
    pub fn incompatibility(&self, dictionary: &Dictionary) -> Option<String> {
        if self.schema_version != SCHEMA_VERSION {
            return Some(format!(
                "with schema version {} (this plansearch uses {SCHEMA_VERSION})",
                self.schema_version
            ));
        }
        if self.tokenizer != tokenizer::TOKENIZER_VERSION {
            return Some(format!(
                "with other analyzers ({:?}, now {:?})",
                self.tokenizer,
                tokenizer::TOKENIZER_VERSION
            ));
        }
        let digest = dictionary.digest();
        if self.dictionary_digest != digest {
            return Some(format!(
                "with another dictionary ({}, now {digest}): the user dictionary or the built-in word lists changed",
                self.dictionary_digest
            ));
        }
        None
    }

    /// Why the indexer, with `dictionary`, must rebuild an index built with
    /// this info, if so: any incompatibility, other rule tables (the index's
    /// labels would differ from what this program extracts; searching it
    /// still works), user words it does not record, or another version of
    /// plansearch (whose analysis may differ).
    pub fn rebuild_reason(&self, dictionary: &Dictionary) -> Option<String> {
        let version = env!("CARGO_PKG_VERSION");
        let rules = crate::lexicon::rules_digest();
        self.incompatibility(dictionary)
            .or_else(|| {
                (self.rules_digest != rules).then(|| {
                    format!(
                        "with other rule tables ({:?}, now {rules}): a table under data/ changed",
                        self.rules_digest
                    )
                })
            })
            .or_else(|| {
                // An index of an earlier plansearch, built with the same
                // words but without a record of them, would open with none.
                (self.user_words != dictionary.user_words())
                    .then(|| "without a record of its user dictionary's words".to_string())
            })
            .or_else(|| {
                (self.plansearch_version != version).then(|| {
                    format!(
                        "by plansearch {} (this is {version})",
                        self.plansearch_version
                    )
                })
            })
    }
}

/// The files and folders of one index folder.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The layout of the index folder `root` (nothing is touched).
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_path_buf(),
        }
    }

    /// Creates the index folder if needed, refusing a folder that holds
    /// something other than a plansearch index.
    pub fn claim(root: &Path) -> Result<Layout> {
        let layout = Layout::new(root);
        if root.exists() {
            if !root.is_dir() {
                return Err(Error::NotAnIndex(root.to_path_buf()));
            }
            let ours = [INFO_FILE, BUILDING_FILE, LOCK_FILE]
                .iter()
                .any(|f| root.join(f).exists());
            let empty = std::fs::read_dir(root)
                .map_err(|e| Error::io(root, e))?
                .next()
                .is_none();
            if !ours && !empty {
                return Err(Error::NotAnIndex(root.to_path_buf()));
            }
        }
        std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        Ok(layout)
    }

    /// The index folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The lock file.
    pub fn lock_path(&self) -> PathBuf {
        self.root.join(LOCK_FILE)
    }

    /// The folder of a generation (the folder itself for an old single-folder index).
    pub fn generation_dir(&self, generation: Option<&str>) -> PathBuf {
        match generation {
            Some(g) => self.root.join(g),
            None => self.root.clone(),
        }
    }

    /// What built the live index; `None` when there is none.
    pub fn live(&self) -> Result<Option<IndexInfo>> {
        self.read(INFO_FILE)
    }

    /// The rebuild in progress, if any.
    pub fn building(&self) -> Result<Option<IndexInfo>> {
        self.read(BUILDING_FILE)
    }

    fn read(&self, name: &str) -> Result<Option<IndexInfo>> {
        let path = self.root.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::StaleIndex {
                path: self.root.clone(),
                why: format!("by an unknown version ({e})"),
            })
    }

    /// Records a rebuild in progress.
    pub fn start_building(&self, info: &IndexInfo) -> Result<()> {
        let text = serde_json::to_string_pretty(info).expect("index info serialises");
        write_atomically(&self.root.join(BUILDING_FILE), text.as_bytes())
    }

    /// Forgets a rebuild in progress (its generation is removed as a leftover).
    pub fn abandon_building(&self) -> Result<()> {
        remove_file_if_exists(&self.root.join(BUILDING_FILE))
    }

    /// Makes the finished rebuild the live index: one atomic rename.
    pub fn publish_building(&self) -> Result<()> {
        let from = self.root.join(BUILDING_FILE);
        let to = self.root.join(INFO_FILE);
        std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
        sync_dir(&self.root)
    }

    /// A name for a new generation, above every one present.
    pub fn new_generation(&self) -> Result<String> {
        let highest = self
            .generations()?
            .iter()
            .filter_map(|g| g[GENERATION_PREFIX.len()..].parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("{GENERATION_PREFIX}{}", highest + 1))
    }

    fn generations(&self) -> Result<Vec<String>> {
        let entries = std::fs::read_dir(&self.root).map_err(|e| Error::io(&self.root, e))?;
        Ok(entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.starts_with(GENERATION_PREFIX))
            .collect())
    }

    /// Removes generations other than `keep` (left by a crash or replaced by
    /// a rebuild), and the files of an old single-folder index once a
    /// generation replaced it.
    pub fn remove_leftovers(&self, keep: &[&str]) -> Result<()> {
        for g in self.generations()? {
            if !keep.contains(&g.as_str()) {
                let dir = self.root.join(&g);
                log::info!("removing {}", dir.display());
                remove_dir_if_exists(&dir)?;
            }
        }
        if self.live()?.is_some_and(|i| i.generation.is_some()) {
            for entry in std::fs::read_dir(&self.root).map_err(|e| Error::io(&self.root, e))? {
                let entry = entry.map_err(|e| Error::io(&self.root, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type().is_ok_and(|t| t.is_file()) && is_tantivy_file(&name) {
                    remove_file_if_exists(&entry.path())?;
                }
            }
        }
        Ok(())
    }
}

/// Files tantivy writes into an index folder: `meta.json`, `.managed.json`,
/// its lock files and `<segment uuid>.<ext>`.
fn is_tantivy_file(name: &str) -> bool {
    let segment = name
        .split_once('.')
        .is_some_and(|(stem, _)| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()));
    name == "meta.json" || name == ".managed.json" || name.starts_with(".tantivy-") || segment
}

/// Who holds the index: one indexer at a time, and the lock goes when its
/// process does, however it ends.
#[derive(Debug)]
pub struct IndexLock {
    _file: File,
}

impl IndexLock {
    /// Takes the lock, or fails at once naming it and its holder.
    pub fn acquire(layout: &Layout) -> Result<IndexLock> {
        use fs4::fs_std::FileExt;
        let path = layout.lock_path();
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let locked = file.try_lock_exclusive().map_err(|e| Error::io(&path, e))?;
        if !locked {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let holder = if holder.is_empty() {
                String::new()
            } else {
                format!(" ({holder})")
            };
            return Err(Error::Locked(format!(
                "another plansearch indexer{holder} is updating {}: it holds the lock {}; wait for it to finish (or stop it) and run again",
                layout.root().display(),
                path.display()
            )));
        }
        file.set_len(0).map_err(|e| Error::io(&path, e))?;
        let _ = writeln!(file, "pid {}", std::process::id());
        Ok(IndexLock { _file: file })
    }
}

/// Writes a file so that readers see the old content or the new, never a part.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_file(path, bytes).map_err(|e| Error::io(path, e))?;
    if let Some(dir) = path.parent() {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Replaces `path` by a file holding `bytes`: written beside it, synced, then
/// renamed over it. The temporary file is created as any file is (the umask
/// decides who may read it) and removed if anything fails.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let written = File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let replaced = written.and_then(|()| std::fs::rename(&tmp, path));
    if replaced.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    replaced
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

pub(crate) fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

fn remove_file_if_exists(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_count_up_and_leftovers_go() {
        let dir = tempfile::TempDir::new().unwrap();
        let layout = Layout::claim(dir.path()).unwrap();
        assert_eq!(layout.new_generation().unwrap(), "gen-1");
        for g in ["gen-1", "gen-7", "gen-3"] {
            std::fs::create_dir(dir.path().join(g)).unwrap();
        }
        assert_eq!(layout.new_generation().unwrap(), "gen-8");
        layout.remove_leftovers(&["gen-3"]).unwrap();
        let mut left = layout.generations().unwrap();
        left.sort();
        assert_eq!(left, ["gen-3"]);
    }

    #[test]
    fn the_files_of_an_old_single_folder_index_go_once_a_generation_is_live() {
        let dir = tempfile::TempDir::new().unwrap();
        let layout = Layout::claim(dir.path()).unwrap();
        let old = ["meta.json", "0123456789abcdef0123456789abcdef.idx"];
        for f in old {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("gen-1")).unwrap();
        // While the old index is live, its files stay.
        std::fs::write(
            dir.path().join(INFO_FILE),
            r#"{"schema_version":1,"dictionary_digest":"d","plansearch_version":"0.1.0"}"#,
        )
        .unwrap();
        layout.remove_leftovers(&["gen-1"]).unwrap();
        assert!(old.iter().all(|f| dir.path().join(f).exists()));
        layout
            .start_building(&IndexInfo::current(
                Some("gen-1".into()),
                Dictionary::builtin(),
            ))
            .unwrap();
        layout.publish_building().unwrap();
        layout.remove_leftovers(&["gen-1"]).unwrap();
        assert!(old.iter().all(|f| !dir.path().join(f).exists()));
        assert!(dir.path().join("gen-1").is_dir());
        assert_eq!(
            layout.live().unwrap().unwrap().generation.as_deref(),
            Some("gen-1")
        );
    }

    #[test]
    fn a_folder_with_other_files_is_not_claimed() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = Layout::claim(dir.path()).unwrap_err();
        assert!(err.to_string().contains("not a plansearch index"), "{err}");
        assert!(Layout::claim(&dir.path().join("new")).is_ok());
    }

    #[test]
    fn a_second_lock_fails_naming_the_lock_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let layout = Layout::claim(dir.path()).unwrap();
        let first = IndexLock::acquire(&layout).unwrap();
        let err = IndexLock::acquire(&layout).unwrap_err().to_string();
        assert!(err.contains(LOCK_FILE), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        assert!(IndexLock::acquire(&layout).is_ok());
    }

    #[test]
    fn tantivy_files_are_recognised() {
        for (name, want) in [
            ("meta.json", true),
            (".managed.json", true),
            (".tantivy-writer.lock", true),
            ("0123456789abcdef0123456789abcdef.idx", true),
            ("0123456789abcdef0123456789abcdef.5.del", true),
            (INFO_FILE, false),
            (LOCK_FILE, false),
            ("notes.txt", false),
        ] {
            assert_eq!(is_tantivy_file(name), want, "{name}");
        }
    }
}
