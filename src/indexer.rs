//! Building the index from a corpus folder.
//!
//! Files are analysed on worker threads (decode, clean, passages, metadata) and
//! fed to one tantivy writer, which tokenizes on its own threads. A full build
//! writes into a fresh folder beside the index and swaps it in only after its
//! commit, so a crash never leaves a broken index behind.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::corpus::{self, SkipReason, Skipped, SourceFile};
use crate::document::{self, Document};
use crate::error::{Error, Result};
use crate::extract::{OverrideProblem, Overrides, RegionNames};
use crate::gazetteer::gazetteer;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::tokenizer;

/// File in the index folder that records what built it.
pub const INFO_FILE: &str = "plansearch.json";

/// What built an index; an index whose build differs from this program's is rebuilt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexInfo {
    /// [`SCHEMA_VERSION`] at build time.
    pub schema_version: u32,
    /// Digest of the jieba dictionary (default + policy terms + places + user words).
    pub dictionary_digest: String,
    /// plansearch version.
    pub plansearch_version: String,
    /// The corpus folder, as given.
    pub corpus: PathBuf,
    /// Documents indexed.
    pub documents: usize,
    /// Passages indexed.
    pub passages: usize,
}

impl IndexInfo {
    fn current(corpus: &Path, documents: usize, passages: usize) -> IndexInfo {
        IndexInfo {
            schema_version: SCHEMA_VERSION,
            dictionary_digest: tokenizer::dictionary().digest().to_string(),
            plansearch_version: env!("CARGO_PKG_VERSION").to_string(),
            corpus: corpus.to_path_buf(),
            documents,
            passages,
        }
    }

    /// Why an index built with this info cannot be used by this program, if so.
    pub fn incompatibility(&self) -> Option<String> {
        if self.schema_version != SCHEMA_VERSION {
            return Some(format!(
                "with schema version {} (this plansearch uses {SCHEMA_VERSION})",
                self.schema_version
            ));
        }
        let digest = tokenizer::dictionary().digest();
        if self.dictionary_digest != digest {
            return Some(format!(
                "with another dictionary ({} , now {digest}): the user dictionary or the built-in word lists changed",
                self.dictionary_digest
            ));
        }
        None
    }
}

/// An open index with its field handles.
pub struct OpenIndex {
    /// The tantivy index, tokenizers registered.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// What built it.
    pub info: IndexInfo,
    /// Where it is.
    pub dir: PathBuf,
}

/// Opens an index for searching, checking it was built compatibly.
pub fn open_index(dir: &Path) -> Result<OpenIndex> {
    let info_path = dir.join(INFO_FILE);
    let info_text = match std::fs::read_to_string(&info_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        Err(e) => return Err(Error::io(&info_path, e)),
    };
    let info: IndexInfo = serde_json::from_str(&info_text).map_err(|e| Error::StaleIndex {
        path: dir.to_path_buf(),
        why: format!("by an unknown version ({e})"),
    })?;
    if let Some(why) = info.incompatibility() {
        return Err(Error::StaleIndex {
            path: dir.to_path_buf(),
            why,
        });
    }
    let index = Index::open_in_dir(dir)?;
    tokenizer::register(&index);
    let fields = Fields::new(&index.schema())?;
    Ok(OpenIndex {
        index,
        fields,
        info,
        dir: dir.to_path_buf(),
    })
}

/// Settings of an index build.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// Corpus folder.
    pub corpus: PathBuf,
    /// Index folder.
    pub index: PathBuf,
    /// Analysis worker threads (tantivy uses as many for tokenizing).
    pub threads: usize,
    /// tantivy writer memory budget in bytes, shared by its threads.
    pub memory_budget: usize,
}

impl IndexConfig {
    /// Defaults: one thread per core (at most 4), 256 MB writer budget.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> IndexConfig {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        IndexConfig {
            corpus: corpus.into(),
            index: index.into(),
            threads: cores.clamp(1, 4),
            memory_budget: 256 << 20,
        }
    }
}

/// What happened during a build, for progress display.
#[derive(Debug)]
pub enum Event<'a> {
    /// The walk is done: this many files and bytes to read.
    Start {
        /// Files found.
        files: usize,
        /// Their total size.
        bytes: u64,
    },
    /// One file was indexed.
    Indexed(&'a Document),
    /// One file was skipped.
    Skipped(&'a Skipped),
    /// Committing and merging.
    Committing,
}

/// Figures of a finished build.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Documents indexed.
    pub documents: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Bytes of the indexed files.
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
    /// Files skipped, with reasons.
    pub skipped: Vec<Skipped>,
    /// Problems with given metadata (metadata.csv, sidecars), each with its
    /// file and line; the values that could be used were applied.
    pub override_problems: Vec<OverrideProblem>,
}

impl Summary {
    /// Indexing speed in MB/s.
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// Builds the index of `config.corpus` from scratch and swaps it in.
pub fn build_index(config: &IndexConfig, on_event: &mut dyn FnMut(Event)) -> Result<Summary> {
    let start = Instant::now();
    if !config.corpus.is_dir() {
        return Err(Error::NoCorpus(config.corpus.clone()));
    }
    let mut summary = Summary::default();
    let mut files: Vec<SourceFile> = Vec::new();
    for item in corpus::walk(&config.corpus) {
        match item {
            Ok(f) => files.push(f),
            Err(s) => {
                on_event(Event::Skipped(&s));
                summary.skipped.push(s);
            }
        }
    }
    let total_bytes = files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    on_event(Event::Start {
        files: files.len(),
        bytes: total_bytes,
    });

    let building = sibling(&config.index, "building");
    remove_dir_if_exists(&building)?;
    std::fs::create_dir_all(&building).map_err(|e| Error::io(&building, e))?;
    let index = Index::create_in_dir(&building, schema::build())?;
    tokenizer::register(&index);
    let fields = Fields::new(&index.schema())?;
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(config.threads, config.memory_budget)?;

    let overrides = Overrides::load(&config.corpus);
    summary
        .override_problems
        .extend(overrides.problems.iter().cloned());
    let mut seen: HashMap<String, String> = HashMap::new();
    let result = analyse_in_parallel(&files, config.threads, &overrides, |outcome| {
        match outcome {
            Ok(doc) => {
                if let Some(first) = seen.get(&doc.content_hash) {
                    let s = Skipped {
                        path: doc.path.clone(),
                        reason: SkipReason::Duplicate(first.clone()),
                    };
                    on_event(Event::Skipped(&s));
                    summary.skipped.push(s);
                    return Ok(());
                }
                seen.insert(doc.content_hash.clone(), doc.path.clone());
                summary
                    .override_problems
                    .extend(doc.override_problems.iter().cloned());
                for tdoc in to_tantivy_docs(&fields, &doc) {
                    writer.add_document(tdoc)?;
                }
                summary.documents += 1;
                summary.passages += doc.passages.len();
                summary.bytes += doc.bytes;
                on_event(Event::Indexed(&doc));
            }
            Err(s) => {
                on_event(Event::Skipped(&s));
                summary.skipped.push(s);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        let _ = writer.rollback();
        let _ = std::fs::remove_dir_all(&building);
        return Err(e);
    }
    on_event(Event::Committing);
    writer.commit()?;
    writer.wait_merging_threads()?;
    let info = IndexInfo::current(&config.corpus, summary.documents, summary.passages);
    write_info(&building, &info)?;
    swap_in(&building, &config.index)?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Runs document analysis on `threads` workers and hands each outcome, in
/// completion order, to `sink` on the calling thread.
fn analyse_in_parallel(
    files: &[SourceFile],
    threads: usize,
    overrides: &Overrides,
    mut sink: impl FnMut(std::result::Result<Document, Skipped>) -> Result<()>,
) -> Result<()> {
    let next = Mutex::new(files.iter());
    let (tx, rx) = sync_channel::<std::result::Result<Document, Skipped>>(threads * 4);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                while let Some(file) = next.lock().map(|mut it| it.next()).ok().flatten() {
                    // A bug in analysis must cost one file, not the batch.
                    let outcome = std::panic::catch_unwind(|| document::load_with(file, overrides))
                        .unwrap_or(Err(SkipReason::Internal))
                        .map_err(|reason| Skipped {
                            path: file.rel.clone(),
                            reason,
                        });
                    if tx.send(outcome).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut result = Ok(());
        while let Ok(outcome) = rx.recv() {
            if let Err(e) = sink(outcome) {
                result = Err(e);
                break;
            }
        }
        // Workers stop at their next send once the receiver is gone.
        drop(rx);
        result
    })
}

/// The tantivy documents (one per passage) of an analysed document.
pub fn to_tantivy_docs(fields: &Fields, doc: &Document) -> Vec<TantivyDocument> {
    let region_code = doc.meta.region.value;
    let names = RegionNames::of(region_code);
    let region_facet = region_code.map(|c| gazetteer().facet_path(c));
    let title = doc.display_title();
    let doc_num = schema::doc_num(&doc.content_hash);
    doc.passages
        .iter()
        .map(|(p, pm)| {
            let mut t = TantivyDocument::default();
            t.add_text(fields.doc_key, &doc.content_hash);
            t.add_u64(fields.doc_num, doc_num);
            t.add_text(
                fields.passage_id,
                format!("{}:{}", doc.content_hash, p.number),
            );
            t.add_u64(fields.passage_no, p.number as u64);
            t.add_text(fields.path, &doc.path);
            t.add_text(fields.title, &title);
            t.add_text(fields.title_lit, &title);
            let heading = p.heading_path();
            t.add_text(fields.heading, &heading);
            t.add_text(fields.heading_lit, &heading);
            t.add_text(fields.body, &p.text);
            t.add_text(fields.body_lit, &p.text);
            if let Some(f) = &region_facet {
                t.add_facet(
                    fields.region,
                    Facet::from_text(f).unwrap_or_else(|_| Facet::root()),
                );
            }
            for (field, value) in [
                (fields.province, &names.province),
                (fields.city, &names.city),
                (fields.county, &names.county),
                (fields.region_code, &names.code),
            ] {
                if let Some(v) = value {
                    t.add_text(field, v);
                }
            }
            if let Some(y) = doc.meta.year.value {
                t.add_u64(fields.year, u64::from(y));
            }
            for y in &pm.target_years {
                t.add_u64(fields.target_year, u64::from(*y));
            }
            if let Some(dt) = doc.meta.doc_type.value {
                t.add_text(fields.doc_type, dt.label());
            }
            for s in &pm.sectors {
                if let Ok(f) = Facet::from_text(&s.facet_path()) {
                    t.add_facet(fields.sector, f);
                }
            }
            t
        })
        .collect()
}

fn write_info(dir: &Path, info: &IndexInfo) -> Result<()> {
    let path = dir.join(INFO_FILE);
    let tmp = dir.join(format!("{INFO_FILE}.tmp"));
    let text = serde_json::to_string_pretty(info).expect("index info serialises");
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// A folder next to `index` for a build or a retired index: `index.building`.
fn sibling(index: &Path, what: &str) -> PathBuf {
    let name = index
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    index.with_file_name(format!(".{name}.{what}"))
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// Replaces `index` with the finished build in `built`.
fn swap_in(built: &Path, index: &Path) -> Result<()> {
    if let Some(parent) = index.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let retired = sibling(index, "retired");
    remove_dir_if_exists(&retired)?;
    if index.exists() {
        std::fs::rename(index, &retired).map_err(|e| Error::io(index, e))?;
    }
    std::fs::rename(built, index).map_err(|e| Error::io(built, e))?;
    remove_dir_if_exists(&retired)
}
