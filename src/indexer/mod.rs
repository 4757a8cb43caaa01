//! Building and updating the index from a corpus folder.
//!
//! A run walks the corpus, fingerprints every file ([`crate::document::fingerprint`])
//! and compares with the file table committed with the index ([`IndexState`]):
//! only new and changed documents are analysed (decode, clean, passages,
//! metadata, on worker threads) and fed to one tantivy writer; documents no file
//! holds any more are deleted; moved files only change the table. Passages and
//! table go into one commit. When the index was built by another schema,
//! analyzer, dictionary or plansearch version, or with `--full`, the run builds
//! a new generation beside it and swaps it in at the end (see `layout`). One
//! indexer at a time holds the index's lock; searches need none.

mod carry;
mod changes;
pub mod clock;
mod directory;
mod integrity;
mod layout;
mod pool;
mod scan;
mod state;
mod update;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use tantivy::schema::Facet;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::corpus::Skipped;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::extract::{OverrideProblem, PassageMeta, RegionNames, versions};
use crate::gazetteer::gazetteer;
use crate::schema::{self, Fields};
use crate::tokenizer::{self, Dictionary};

pub use changes::Changes;
pub use layout::{BUILDING_FILE, INFO_FILE, IndexInfo, LOCK_FILE};
pub use state::{Batch, DocEntry, DocPaths, IndexState};
pub use watch::watch;

use layout::{IndexLock, Layout};

/// An open index with its field handles.
pub struct OpenIndex {
    /// The tantivy index, tokenizers registered.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// What built it.
    pub info: IndexInfo,
    /// The dictionary it was built with, which query words are cut with.
    pub dictionary: Arc<Dictionary>,
    /// The index folder.
    pub dir: PathBuf,
    /// The last snapshot taken, with the commit it was taken of: a server
    /// answering many requests opens each commit once, not once a request.
    last_snapshot: Mutex<Option<(CommitStamp, Arc<Snapshot>)>>,
}

/// Identifies a commit of a generation cheaply: tantivy replaces `meta.json`
/// by a rename on every commit, so its inode, size and time change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CommitStamp {
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl CommitStamp {
    fn of(generation_dir: &Path) -> Option<CommitStamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(generation_dir.join("meta.json")).ok()?;
        Some(CommitStamp {
            inode: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// One commit of an index as a search sees it: its passages and its paths.
pub struct Snapshot {
    /// A searcher over the commit's passages.
    pub searcher: Searcher,
    /// The commit's file table.
    pub state: IndexState,
    /// Document key → paths, from the file table.
    pub paths: DocPaths,
}

/// Opens the live index in `dir` for searching, checking it was built
/// compatibly. Needs no lock: an indexer may be at work meanwhile.
pub fn open_index(dir: &Path) -> Result<OpenIndex> {
    let layout = Layout::new(dir);
    let mut attempts = 0;
    loop {
        let info = layout
            .live()?
            .ok_or_else(|| Error::NoIndex(dir.to_path_buf()))?;
        let dictionary = Arc::new(info.dictionary());
        if let Some(why) = info.incompatibility(&dictionary) {
            return Err(Error::StaleIndex {
                path: dir.to_path_buf(),
                why,
            });
        }
        // jieba is built while the index opens.
        dictionary.warm_up();
        match directory::open(&layout.generation_dir(info.generation.as_deref())) {
            Ok(index) => {
                tokenizer::register(&index, &dictionary);
                let fields = Fields::new(&index.schema())?;
                return Ok(OpenIndex {
                    index,
                    fields,
                    info,
                    dictionary,
                    dir: dir.to_path_buf(),
                    last_snapshot: Mutex::new(None),
                });
            }
            // A rebuild was swapped in and this generation removed between
            // reading the info and opening it: read the info again.
            Err(e) if attempts < 3 => {
                log::debug!("opening {}: {e}; trying again", dir.display());
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

impl OpenIndex {
    /// Refuses `wanted` if the index was built with another dictionary: a
    /// caller whose user words changed since must rebuild first.
    pub fn check_dictionary(&self, wanted: &Dictionary) -> Result<()> {
        match self.info.incompatibility(wanted) {
            Some(why) => Err(Error::StaleIndex {
                path: self.dir.clone(),
                why,
            }),
            None => Ok(()),
        }
    }

    /// What is wrong with the files of the index, if anything (every file
    /// of the last commit is read).
    pub fn damage(&self) -> Option<Error> {
        let dir = Layout::new(&self.dir).generation_dir(self.info.generation.as_deref());
        integrity::damage(&self.index, &dir).map(|why| Error::Damaged {
            path: self.dir.clone(),
            why,
        })
    }

    /// The last commit: a searcher and the file table of the same commit.
    /// Taken anew only when a commit landed since the last call.
    pub fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let generation_dir = Layout::new(&self.dir).generation_dir(self.info.generation.as_deref());
        let stamp = CommitStamp::of(&generation_dir);
        let mut last = self.last_snapshot.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(stamp), Some((seen, snapshot))) = (&stamp, last.as_ref())
            && stamp == seen
        {
            return Ok(snapshot.clone());
        }
        let snapshot = Arc::new(self.take_snapshot()?);
        // Only a stamp read before the snapshot was taken can vouch for it:
        // a commit in between changes the stamp, and the next call looks again.
        *last = stamp.map(|stamp| (stamp, snapshot.clone()));
        Ok(snapshot)
    }

    fn take_snapshot(&self) -> Result<Snapshot> {
        match snapshot_of(&self.index, &self.dir) {
            Ok(s) => Ok(s),
            Err(first) => match open_index(&self.dir) {
                // A rebuild was swapped in since this index was opened, and
                // the old generation is gone.
                Ok(again) if again.info.generation != self.info.generation => {
                    snapshot_of(&again.index, &self.dir)
                }
                _ => Err(first),
            },
        }
    }
}

fn snapshot_of(index: &Index, dir: &Path) -> Result<Snapshot> {
    const ATTEMPTS: usize = 20;
    for attempt in 1..=ATTEMPTS {
        let meta = index.load_metas()?;
        let opened: tantivy::Result<IndexReader> = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into();
        let reader = match opened {
            Ok(reader) => reader,
            // A reader without tantivy's lock (see `directory`) can see a
            // file of the commit it read deleted by a writer's clean-up once
            // a newer commit landed: read the newer one.
            Err(e) if attempt < ATTEMPTS => {
                log::debug!("opening {}: {e}; trying again", dir.display());
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let searcher = reader.searcher();
        // The reader loads the commit anew: it must be the one whose table
        // was just read, else a commit landed in between; read both again.
        let mut committed: Vec<_> = meta
            .segments
            .iter()
            .map(|s| (s.id(), s.num_deleted_docs()))
            .collect();
        let mut opened: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| (r.segment_id(), r.num_deleted_docs()))
            .collect();
        committed.sort();
        opened.sort();
        if committed == opened {
            let state = IndexState::from_payload(meta.payload.as_deref()).map_err(|why| {
                Error::StaleIndex {
                    path: dir.to_path_buf(),
                    why,
                }
            })?;
            return Ok(Snapshot {
                paths: state.paths(),
                state,
                searcher,
            });
        }
    }
    Err(Error::io(
        dir,
        std::io::Error::other("the index kept changing while it was being opened; try again"),
    ))
}

/// Settings of an indexing run.
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
    /// Rebuild from scratch instead of updating.
    pub full: bool,
    /// During a rebuild, commit progress this often, so that a killed rebuild
    /// resumes from there.
    pub checkpoint: Duration,
    /// Set to stop: the run commits what is done and returns.
    pub stop: Arc<AtomicBool>,
    /// Let a run remove more than half of the indexed files. Off, such a run
    /// fails and changes nothing: a corpus that is suddenly (almost) empty
    /// is far more often an unmounted share or a moved folder than a
    /// researcher's intent.
    pub allow_mass_removal: bool,
    /// The user dictionary; `None`: the corpus's `dict.txt` when present
    /// ([`tokenizer::user_dictionary_file`]), as every front end reads it.
    pub dict: Option<PathBuf>,
}

impl IndexConfig {
    /// The dictionary the corpus asks for (`dict`, else its `dict.txt`),
    /// read as every front end reads it: the index records its words.
    pub fn dictionary(&self) -> Result<Dictionary> {
        Dictionary::for_corpus(&self.corpus, self.dict.as_deref())
    }

    /// Defaults: one thread per core (at most 4), 256 MB writer budget, a
    /// checkpoint every 30 s.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> IndexConfig {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        IndexConfig {
            corpus: corpus.into(),
            index: index.into(),
            threads: cores.clamp(1, 4),
            memory_budget: 256 << 20,
            full: false,
            checkpoint: Duration::from_secs(30),
            stop: Arc::new(AtomicBool::new(false)),
            allow_mass_removal: false,
            dict: None,
        }
    }
}

/// What happened during a run, for progress display.
#[derive(Debug)]
pub enum Event<'a> {
    /// The run builds a new generation.
    Rebuilding {
        /// Why.
        why: &'a str,
        /// Where.
        dir: &'a Path,
    },
    /// The run goes on with an interrupted rebuild.
    Resuming {
        /// Why the rebuild was started.
        why: &'a str,
        /// Where.
        dir: &'a Path,
        /// Documents it had committed.
        documents: usize,
    },
    /// The corpus is scanned: this many files and bytes to analyse.
    Start {
        /// Files to analyse.
        files: usize,
        /// Their total size.
        bytes: u64,
    },
    /// One file was analysed and indexed.
    Indexed(&'a Document),
    /// One file was skipped.
    Skipped(&'a Skipped),
    /// A rebuild committed its progress.
    Checkpoint {
        /// Documents committed so far.
        documents: usize,
    },
    /// Committing and merging.
    Committing,
    /// `--watch`: waiting for files to arrive.
    Watching,
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files added, updated, moved, removed, unchanged and skipped.
    pub changes: Changes,
    /// Why the run built a new generation, if it did.
    pub rebuilt: Option<String>,
    /// Stopped before the end (Ctrl-C); what was done is committed.
    pub interrupted: bool,
    /// The run committed something.
    pub committed: bool,
    /// Searches see the result (false for an unfinished rebuild: they still
    /// see the previous index).
    pub published: bool,
    /// Documents in the index written.
    pub documents: usize,
    /// Passages in the index written.
    pub passages: u64,
    /// Bytes of the files analysed.
    pub analysed_bytes: u64,
    /// Wall time of the run.
    pub seconds: f64,
    /// Problems with given metadata (the corpus's metadata.csv, the sidecars
    /// of the files analysed), each with its file and line; the values that
    /// could be used were applied.
    pub override_problems: Vec<OverrideProblem>,
    /// The batch of this run: the documents it added, if it added any
    /// (documents indexed before, even in a rebuild, keep their batch).
    pub batch: Option<Batch>,
}

/// When a batch's run started, in local time: `2026-12-03 03:40 +08:00`.
pub fn batch_time_label(secs: u64) -> String {
    clock::label(secs)
}

impl Summary {
    /// Analysis speed in MB/s.
    pub fn mb_per_s(&self) -> f64 {
        self.analysed_bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// Brings the index at `config.index` up to date with `config.corpus`:
/// incremental when the index is compatible, else (or with `config.full`) a
/// rebuild swapped in when done. Fails at once when another indexer holds the
/// index.
pub fn build_index(config: &IndexConfig, on_event: &mut dyn FnMut(Event)) -> Result<Summary> {
    if !config.corpus.is_dir() {
        return Err(Error::NoCorpus(config.corpus.clone()));
    }
    let dictionary = config.dictionary()?;
    let layout = Layout::claim(&config.index)?;
    let _lock = IndexLock::acquire(&layout)?;
    update::run(config, &dictionary, &layout, on_event)
}

/// The region of a national document: a facet value of its own beside the
/// provinces (`--region 全国`), not "unknown".
pub const NATIONAL: &str = "全国";

/// The tantivy documents of an analysed document: one per passage, one
/// title record, one record per section (distinct heading path); `entry`
/// says which batch added each passage.
pub fn to_tantivy_docs(fields: &Fields, doc: &Document, entry: &DocEntry) -> Vec<TantivyDocument> {
    let shared = DocumentValues::of(doc);
    let mut out = Vec::with_capacity(doc.passages.len() + 8);
    if let Some(title) = shared.title {
        out.push(title_record(fields, doc, &shared, title));
    }
    let mut sections: Vec<String> = Vec::new();
    for (i, (p, pm)) in doc.passages.iter().enumerate() {
        let heading = p.heading_path();
        let section_no = match sections.iter().position(|h| *h == heading) {
            Some(i) => i,
            None => {
                sections.push(heading.clone());
                sections.len() - 1
            }
        };
        let mut t = base_record(fields, schema::kinds::PASSAGE, &shared);
        t.add_text(
            fields.passage_id,
            format!("{}:{}", doc.content_hash, p.number),
        );
        t.add_u64(fields.passage_no, p.number as u64);
        t.add_text(fields.section, format!("{}/{section_no}", doc.content_hash));
        if let Some(title) = shared.title {
            t.add_text(fields.title, title);
        }
        if !heading.is_empty() {
            t.add_text(fields.heading, &heading);
        }
        t.add_text(fields.body, &p.text);
        if let Some((first, last)) = p.pages {
            t.add_u64(fields.page_first, u64::from(first));
            t.add_u64(fields.page_last, u64::from(last));
        }
        t.add_f64(fields.content, f64::from(pm.content.factor));
        add_document_values(&mut t, fields, doc, &shared);
        add_passage_metadata(&mut t, fields, pm);
        t.add_u64(fields.batch, u64::from(entry.batch_of_passage(i)));
        out.push(t);
    }
    for (i, heading) in sections.iter().enumerate() {
        if heading.is_empty() {
            continue;
        }
        let mut t = base_record(fields, schema::kinds::HEADING, &shared);
        t.add_text(fields.section, format!("{}/{i}", doc.content_hash));
        t.add_text(fields.heading_text, heading);
        out.push(t);
    }
    out
}

/// What every record of a document carries, decided once.
struct DocumentValues<'a> {
    key: &'a str,
    num: u64,
    /// Only an extracted title is indexed: the file-name fallback is the
    /// path's, resolved when a hit is shown, so a rename changes no passage.
    title: Option<&'a str>,
    names: RegionNames,
    /// Parsed once: every passage of the document carries it.
    region_facet: Option<Facet>,
}

impl DocumentValues<'_> {
    fn of(doc: &Document) -> DocumentValues<'_> {
        let region_code = doc.meta.region.value;
        let national = region_code.is_none() && doc.meta.national;
        let mut names = RegionNames::of(region_code);
        if national {
            names.province = Some(NATIONAL.to_string());
        }
        let region_facet = match region_code {
            Some(c) => Some(gazetteer().facet_path(c)),
            None => national.then(|| format!("/{NATIONAL}")),
        }
        .map(|path| Facet::from_text(&path).unwrap_or_else(|_| Facet::root()));
        DocumentValues {
            key: &doc.content_hash,
            num: schema::doc_num(&doc.content_hash),
            title: doc.meta.title.value.as_deref(),
            names,
            region_facet,
        }
    }
}

/// A record of `kind` with the document's key and number.
fn base_record(fields: &Fields, kind: &str, shared: &DocumentValues) -> TantivyDocument {
    let mut t = TantivyDocument::default();
    t.add_text(fields.kind, kind);
    t.add_text(fields.doc_key, shared.key);
    t.add_u64(fields.doc_num, shared.num);
    t
}

/// The title record, with the version key that links a document's versions.
fn title_record(
    fields: &Fields,
    doc: &Document,
    shared: &DocumentValues,
    title: &str,
) -> TantivyDocument {
    let mut t = base_record(fields, schema::kinds::TITLE, shared);
    t.add_text(fields.title_text, title);
    let issue = &doc.meta.issuance;
    if let Some(key) = versions::version_key(title, issue.force.value, doc.meta.region.value) {
        t.add_u64(fields.version, key);
        if let Some(date) = versions::version_date(issue) {
            t.add_u64(fields.version_date, u64::from(date));
        }
    }
    t
}

/// The document's region, year, type and issue fields, on a passage.
fn add_document_values(
    t: &mut TantivyDocument,
    fields: &Fields,
    doc: &Document,
    shared: &DocumentValues,
) {
    if let Some(facet) = &shared.region_facet {
        t.add_facet(fields.region, facet.clone());
    }
    let names = &shared.names;
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
    if let Some(dt) = doc.meta.doc_type.value {
        t.add_text(fields.doc_type, dt.label());
    }
    add_issuance(t, fields, &doc.meta.issuance);
}

/// A passage's own target years, sectors, instruments and targets.
fn add_passage_metadata(t: &mut TantivyDocument, fields: &Fields, pm: &PassageMeta) {
    for y in &pm.target_years {
        t.add_u64(fields.target_year, u64::from(*y));
    }
    for s in &pm.sectors {
        if let Ok(f) = Facet::from_text(&s.facet_path()) {
            t.add_facet(fields.sector, f);
        }
    }
    for i in &pm.instruments {
        if let Ok(f) = Facet::from_text(&i.facet_path()) {
            t.add_facet(fields.instrument, f);
        }
    }
    t.add_u64(fields.target_count, pm.targets.len() as u64);
    if !pm.targets.is_empty() {
        t.add_text(
            fields.targets,
            serde_json::to_string(&pm.targets).expect("targets serialise"),
        );
    }
}

/// The issue fields of a document, on each of its passages.
fn add_issuance(t: &mut TantivyDocument, fields: &Fields, issue: &crate::extract::Issuance) {
    if let Some(list) = &issue.issuers.value {
        let mut seen = std::collections::HashSet::new();
        for i in list {
            if seen.insert(i.normalised.as_str()) {
                t.add_text(fields.issuer, &i.normalised);
            }
        }
    }
    if let Some(f) = issue.force.value {
        t.add_text(fields.force, f.label());
    }
    if let Some(d) = &issue.doc_number.value {
        t.add_text(fields.doc_number, &d.normalised);
    }
    for (field, date) in [
        (fields.written, issue.written.value),
        (fields.published, issue.published.value),
        (fields.effective, issue.effective.value),
        (fields.doc_date, issue.date()),
    ] {
        if let Some(d) = date {
            t.add_u64(field, u64::from(d.ordinal()));
        }
    }
}
