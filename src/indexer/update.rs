//! One indexing run: find what changed since the last commit, analyse only
//! that, and commit passages and file table together.
//!
//! An update of the live index is one commit (readers see all of it or none of
//! it). A rebuild writes a new generation, committing a checkpoint now and
//! then so a killed rebuild resumes where it was, and is swapped in at the end.
//! A stop request (Ctrl-C) commits what is done and ends the run.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use tantivy::schema::Term;
use tantivy::{Index, IndexWriter, ReloadPolicy, Searcher, TantivyDocument};

use crate::corpus::{SkipReason, SourceFile};
use crate::document;
use crate::error::{Error, Result};
use crate::extract::Overrides;
use crate::schema::{self, Fields};
use crate::tokenizer::{self, Dictionary};

use super::carry;
use super::changes::Changes;
use super::layout::{IndexInfo, Layout};
use super::pool;
use super::scan::{self, Scan};
use super::state::IndexState;
use super::{Event, IndexConfig, Summary, to_tantivy_docs};

/// Where a run writes.
enum Target {
    /// The live index, updated in place.
    Live(IndexInfo),
    /// A new generation, swapped in when complete.
    Rebuild {
        why: String,
        /// A compatible rebuild that was interrupted, to go on with.
        resume: Option<IndexInfo>,
    },
}

/// Brings the index up to date with the corpus; the caller holds the lock.
pub(crate) fn run(
    config: &IndexConfig,
    dictionary: &Dictionary,
    layout: &Layout,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary> {
    let start = Instant::now();
    if !config.corpus.is_dir() {
        return Err(Error::NoCorpus(config.corpus.clone()));
    }
    let live = match layout.live() {
        Ok(live) => Ok(live),
        Err(Error::StaleIndex { why, .. }) => Err(why),
        Err(e) => return Err(e),
    };
    let target = match choose_target(config, dictionary, layout, &live) {
        // An update would build on the damage (and report success): rebuild.
        Target::Live(info) => match live_damage(layout, &info) {
            Some(why) => Target::Rebuild {
                why: format!("the index is damaged: {why}"),
                resume: None,
            },
            None => Target::Live(info),
        },
        rebuild => rebuild,
    };
    let overrides = Overrides::load(&config.corpus);
    let mut scan = scan::scan(&config.corpus, config.threads, &config.stop, &overrides)?;
    let mut override_problems = overrides.problems.clone();
    override_problems.append(&mut scan.override_problems);
    if !scan.complete {
        // Nothing is known about the files not reached: change nothing.
        return Ok(Summary {
            interrupted: true,
            published: true,
            seconds: start.elapsed().as_secs_f64(),
            ..Summary::default()
        });
    }
    let live_generation = live.ok().flatten().and_then(|i| i.generation);
    // The live index's file table: what a run may not empty, and, for a
    // rebuild, whose batches carry over.
    let live_files = live_state(layout, live_generation.as_deref());
    if !config.allow_mass_removal {
        refuse_mass_removal(config, &live_files, &scan)?;
    }
    let job = Job {
        config,
        dictionary,
        layout,
        overrides: &overrides,
    };
    let mut summary = match target {
        Target::Live(info) => job.update_live(&info, scan, on_event)?,
        Target::Rebuild { why, resume } => job.rebuild(
            why,
            resume,
            live_generation.as_deref(),
            &live_files,
            scan,
            on_event,
        )?,
    };
    summary.seconds = start.elapsed().as_secs_f64();
    summary.override_problems = override_problems;
    Ok(summary)
}

/// What one run works with.
struct Job<'a> {
    config: &'a IndexConfig,
    dictionary: &'a Dictionary,
    layout: &'a Layout,
    overrides: &'a Overrides,
}

impl Job<'_> {
    /// Updates the live index in place.
    fn update_live(
        &self,
        info: &IndexInfo,
        scan: Scan,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Summary> {
        let layout = self.layout;
        let dir = layout.generation_dir(info.generation.as_deref());
        let index = open_tantivy(&dir)?;
        let committed = IndexState::of_last_commit(&index, &dir)?;
        layout.abandon_building()?;
        layout.remove_leftovers(&[info.generation.as_deref().unwrap_or_default()])?;
        let history = committed.clone();
        let base = Base {
            committed,
            history: &history,
        };
        let applied = self
            .apply(&index, base, scan, false, on_event)
            .map_err(|e| out_of_space(layout, None, e))?;
        Ok(applied.into_summary(None, true))
    }

    /// Builds a new generation (or goes on with an interrupted one) and
    /// swaps it in when complete. The batches of the index being replaced
    /// (`live_files`), and the batch of each of its documents, carry over:
    /// a rebuild adds nothing new by itself.
    fn rebuild(
        &self,
        why: String,
        resume: Option<IndexInfo>,
        live_generation: Option<&str>,
        live_files: &IndexState,
        scan: Scan,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Summary> {
        let layout = self.layout;
        let resumed = resume.and_then(|info| resume_rebuild(layout, info));
        let (generation, index, committed) = match resumed {
            Some((generation, index, committed)) => {
                on_event(Event::Resuming {
                    why: &why,
                    dir: &layout.generation_dir(Some(&generation)),
                    documents: committed.docs.len(),
                });
                (generation, index, committed)
            }
            None => {
                let (generation, index) = start_rebuild(layout, self.dictionary)
                    .map_err(|e| out_of_space(layout, None, e))?;
                on_event(Event::Rebuilding {
                    why: &why,
                    dir: &layout.generation_dir(Some(&generation)),
                });
                (generation, index, IndexState::new(""))
            }
        };
        let mut keep = vec![generation.as_str()];
        keep.extend(live_generation);
        layout.remove_leftovers(&keep)?;
        let base = Base {
            committed,
            history: live_files,
        };
        let applied = self.apply(&index, base, scan, true, on_event);
        drop(index);
        let applied = applied.map_err(|e| out_of_space(layout, Some(&generation), e))?;
        let finished = !applied.interrupted;
        if finished {
            layout.publish_building()?;
            layout.remove_leftovers(&[generation.as_str()])?;
        }
        Ok(applied.into_summary(Some(why), finished))
    }

    /// Updates `index` (whose last commit holds `base.committed`) to the scanned
    /// corpus. With `checkpoints` (a rebuild), commits now and then.
    fn apply(
        &self,
        index: &Index,
        base: Base,
        scan: Scan,
        checkpoints: bool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Applied> {
        let (config, overrides) = (self.config, self.overrides);
        let fields = Fields::new(&index.schema())?;
        let Base { committed, history } = base;
        let mut state = carried_state(config, &committed, history);
        let batch = this_batch(&committed, history);
        let (to_analyse, bytes_to_analyse) = plan(&mut state, &committed, &scan);
        let mut skipped = scan.skipped;
        for s in &mut skipped {
            note_kept(s, &committed);
            on_event(Event::Skipped(s));
        }
        on_event(Event::Start {
            files: to_analyse.len(),
            bytes: bytes_to_analyse,
        });

        // A rebuild (the run that commits checkpoints) merges no segments while
        // it writes: merging re-reads and rewrites what was just written, which
        // cost a 10x corpus a quarter of its indexing speed and most of its peak
        // memory (the merged segments are read through mmap). Later runs merge.
        let mut writer = Writer::new(index, config, fields, committed.clone(), checkpoints);
        writer.batch = batch;
        let mut analysed_bytes = 0;
        let mut last_commit = Instant::now();
        let finished = pool::for_each(
            &to_analyse,
            config.threads,
            &config.stop,
            |file| analyse(file, overrides),
            |outcome| {
                match outcome {
                    Ok((rel, docs)) => {
                        replace_entries_of_file(&mut state, &rel, &docs);
                        for doc in docs {
                            add_document(&mut state, &mut writer, &fields, history, batch.0, &doc)?;
                            analysed_bytes += doc.bytes;
                            log::info!("indexed {}", doc.path);
                            on_event(Event::Indexed(&doc));
                            if checkpoints && last_commit.elapsed() >= config.checkpoint {
                                writer.commit(&mut state)?;
                                last_commit = Instant::now();
                                log::info!("checkpoint: {} documents committed", state.docs.len());
                                on_event(Event::Checkpoint {
                                    documents: state.docs.len(),
                                });
                            }
                        }
                    }
                    Err(mut s) => {
                        forget_skipped(&mut state, &committed, &mut s);
                        on_event(Event::Skipped(&s));
                        skipped.push(s);
                    }
                }
                Ok(())
            },
        )?;
        let interrupted = !finished;
        on_event(Event::Committing);
        let committed_now = writer.commit(&mut state)?;
        writer.finish()?;
        Ok(Applied {
            before: committed,
            after: state,
            skipped,
            interrupted,
            analysed_bytes,
            committed: committed_now,
            batch: batch.0,
        })
    }
}

fn choose_target(
    config: &IndexConfig,
    dictionary: &Dictionary,
    layout: &Layout,
    live: &std::result::Result<Option<IndexInfo>, String>,
) -> Target {
    if config.full {
        return Target::Rebuild {
            why: "a full rebuild was asked for".into(),
            resume: None,
        };
    }
    let building = layout
        .building()
        .ok()
        .flatten()
        .filter(|b| b.rebuild_reason(dictionary).is_none());
    if let Some(building) = building {
        return Target::Rebuild {
            why: "an earlier rebuild was interrupted".into(),
            resume: Some(building),
        };
    }
    match live {
        Ok(None) => Target::Rebuild {
            why: "there is no index yet".into(),
            resume: None,
        },
        Ok(Some(info)) => match info.rebuild_reason(dictionary) {
            Some(why) => Target::Rebuild {
                why: format!("the index was built {why}"),
                resume: None,
            },
            None => Target::Live(info.clone()),
        },
        Err(why) => Target::Rebuild {
            why: format!("the index was built {why}"),
            resume: None,
        },
    }
}

/// A run that failed for want of space: the unfinished rebuild (if any) is
/// removed, or every later run would resume it and fail again, the disk
/// still full; the error says so. Other errors pass unchanged: a rebuild that
/// failed for another reason is resumed by the next run.
fn out_of_space(layout: &Layout, rebuild: Option<&str>, e: Error) -> Error {
    let Some(detail) = space_problem(&e, layout.root()) else {
        return e;
    };
    let mut removed = false;
    if let Some(generation) = rebuild {
        let dir = layout.generation_dir(Some(generation));
        let cleaned = layout
            .abandon_building()
            .and_then(|()| super::layout::remove_dir_if_exists(&dir));
        match cleaned {
            Ok(()) => removed = true,
            Err(e) => log::warn!("cannot remove the unfinished rebuild: {e}"),
        }
    }
    log::debug!("indexing failed: {e}");
    Error::OutOfSpace {
        path: layout.root().to_path_buf(),
        detail,
        removed_rebuild: removed,
    }
}

/// How the disk (or a quota, or a file size limit) is full, if that is why
/// `e` happened: from the error's causes, or, since tantivy's writer threads
/// report a failed write only as "a worker thread encountered an error", by
/// trying to write a megabyte into `dir`.
fn space_problem(e: &Error, dir: &Path) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>()
            && is_full(io)
        {
            return Some(io.to_string());
        }
        cause = c.source();
    }
    let probe = dir.join(".space-probe");
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        use std::io::Write;
        f.write_all(&vec![0; 1 << 20])?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written.err().filter(is_full).map(|io| io.to_string())
}

fn is_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{FileTooLarge, QuotaExceeded, StorageFull};
    matches!(e.kind(), StorageFull | QuotaExceeded | FileTooLarge)
}

/// Fails when more than half of the files in the live index (`live`) are
/// no longer in the scanned corpus (files that cannot be read now count as
/// present: they are kept).
fn refuse_mass_removal(config: &IndexConfig, live: &IndexState, scan: &Scan) -> Result<()> {
    let present: std::collections::HashSet<&str> =
        scan.files.iter().map(|f| f.source.rel.as_str()).collect();
    // Files on disk, not documents: a spreadsheet is one file of many rows.
    let files: std::collections::BTreeSet<&str> =
        live.files.keys().map(|p| document::file_of(p)).collect();
    let indexed = files.len();
    let removed = files
        .iter()
        .filter(|f| !present.contains(*f) && !scan.is_unreadable(f))
        .count();
    if removed * 2 > indexed {
        return Err(Error::MassRemoval {
            corpus: config.corpus.clone(),
            removed,
            indexed,
        });
    }
    Ok(())
}

/// What is wrong with the files of the live index, if anything.
fn live_damage(layout: &Layout, info: &IndexInfo) -> Option<String> {
    let dir = layout.generation_dir(info.generation.as_deref());
    match open_tantivy(&dir) {
        Ok(index) => super::integrity::damage(&index, &dir),
        Err(e) => Some(format!("it cannot be opened ({e})")),
    }
}

/// A new, empty generation, recorded as the rebuild in progress.
fn start_rebuild(layout: &Layout, dictionary: &Dictionary) -> Result<(String, Index)> {
    layout.abandon_building()?;
    let generation = layout.new_generation()?;
    let dir = layout.generation_dir(Some(&generation));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let index = super::directory::create(&dir, schema::build(), schema::settings())?;
    tokenizer::register_literal(&index);
    // Recorded only once the generation exists: a crash before this leaves a
    // folder that the next run removes.
    layout.start_building(&IndexInfo::current(Some(generation.clone()), dictionary))?;
    Ok((generation, index))
}

/// The interrupted rebuild `info` with its last checkpoint, if it opens.
fn resume_rebuild(layout: &Layout, info: IndexInfo) -> Option<(String, Index, IndexState)> {
    let generation = info.generation?;
    let dir = layout.generation_dir(Some(&generation));
    let opened = open_tantivy(&dir)
        .and_then(|index| IndexState::of_last_commit(&index, &dir).map(|state| (index, state)));
    match opened {
        Ok((index, state)) => Some((generation, index, state)),
        Err(e) => {
            log::warn!(
                "cannot resume the rebuild in {} ({e}); starting it again",
                dir.display()
            );
            None
        }
    }
}

/// The file table of the live index, if there is one and it reads; empty
/// otherwise.
fn live_state(layout: &Layout, generation: Option<&str>) -> IndexState {
    let dir = layout.generation_dir(generation);
    let state = open_tantivy(&dir).and_then(|index| IndexState::of_last_commit(&index, &dir));
    match state {
        Ok(state) => state,
        Err(e) => {
            log::info!(
                "no batches carried over from {} ({e}); every document is new",
                dir.display()
            );
            IndexState::new("")
        }
    }
}

fn open_tantivy(dir: &Path) -> Result<Index> {
    let index = super::directory::open(dir)?;
    tokenizer::register_literal(&index);
    Ok(index)
}

/// What [`apply`] did.
struct Applied {
    before: IndexState,
    after: IndexState,
    skipped: Vec<crate::corpus::Skipped>,
    interrupted: bool,
    analysed_bytes: u64,
    committed: bool,
    batch: u32,
}

impl Applied {
    fn into_summary(self, rebuilt: Option<String>, published: bool) -> Summary {
        Summary {
            changes: Changes::between(&self.before, &self.after, self.skipped),
            rebuilt,
            interrupted: self.interrupted,
            committed: self.committed,
            published,
            documents: self.after.docs.len(),
            passages: self.after.passages(),
            analysed_bytes: self.analysed_bytes,
            seconds: 0.0,
            override_problems: Vec::new(),
            batch: self.after.batch(self.batch).copied(),
        }
    }
}

/// What a run starts from: the last commit of the index it writes, and the
/// live index's state, whose batches go on (the same for an update; for a
/// rebuild, the index being replaced).
struct Base<'a> {
    committed: IndexState,
    history: &'a IndexState,
}

/// Reads and analyses one file into its documents (several for a workbook).
/// A bug in analysis must cost one file, not the batch: a panic skips it.
fn analyse(
    file: &SourceFile,
    overrides: &Overrides,
) -> std::result::Result<(String, Vec<document::Document>), crate::corpus::Skipped> {
    std::panic::catch_unwind(|| document::load_file(file, overrides))
        .unwrap_or(Err(SkipReason::Internal))
        .map(|docs| (file.rel.clone(), docs))
        .map_err(|reason| crate::corpus::Skipped {
            path: file.rel.clone(),
            reason,
        })
}

/// The new file table's start: the documents and batches of the last
/// commit (the live index's batches when a rebuild has none yet), no files.
fn carried_state(config: &IndexConfig, committed: &IndexState, history: &IndexState) -> IndexState {
    let mut state = IndexState::new(&config.corpus.to_string_lossy());
    if !committed.files.is_empty() && committed.corpus != state.corpus {
        log::warn!(
            "the index held {} files of {}; it now follows {}",
            committed.files.len(),
            committed.corpus,
            state.corpus
        );
    }
    state.docs = committed.docs.clone();
    state.batches = if committed.batches.is_empty() {
        history.batches.clone()
    } else {
        committed.batches.clone()
    };
    state
}

/// This run's batch and its start: the next number, or, going on with an
/// interrupted rebuild, the batch that rebuild had begun.
fn this_batch(committed: &IndexState, history: &IndexState) -> (u32, u64) {
    match committed.batches.last() {
        Some(b) if b.number > history.last_batch() => (b.number, b.started),
        _ => (
            history.last_batch().max(committed.last_batch()) + 1,
            super::clock::now(),
        ),
    }
}

/// Enters the files whose documents are indexed already into `state`, and
/// returns the others, to analyse, with their bytes.
fn plan(state: &mut IndexState, committed: &IndexState, scan: &Scan) -> (Vec<SourceFile>, u64) {
    let mut to_analyse: Vec<SourceFile> = Vec::new();
    let mut bytes_to_analyse = 0;
    for file in &scan.files {
        let rel = &file.source.rel;
        if committed.docs.contains_key(&file.key) {
            // Unchanged, moved or a copy: the document is indexed already.
            state.files.insert(rel.clone(), file.key.clone());
        } else if let Some(rows) = committed.sheets.get(&file.key) {
            // An unchanged, moved or copied spreadsheet: its rows are.
            for (suffix, key) in rows {
                state.files.insert(format!("{rel}{suffix}"), key.clone());
            }
            state.sheets.insert(file.key.clone(), rows.clone());
        } else {
            // Until it is analysed, a changed file keeps its old entries, so
            // a stop in between leaves a consistent index.
            for (path, key) in committed.paths_of_file(rel) {
                state.files.insert(path.clone(), key.clone());
            }
            to_analyse.push(file.source.clone());
            bytes_to_analyse += file.bytes;
        }
    }
    // What cannot be read now stays as it was indexed.
    for (path, key) in &committed.files {
        if scan.is_unreadable(path) && !state.files.contains_key(path) {
            state.files.insert(path.clone(), key.clone());
        }
    }
    (to_analyse, bytes_to_analyse)
}

/// The file's entries from before (a spreadsheet's old rows among them) give
/// way to what it holds now.
fn replace_entries_of_file(state: &mut IndexState, rel: &str, docs: &[document::Document]) {
    let old: Vec<String> = state.paths_of_file(rel).map(|(p, _)| p.clone()).collect();
    for path in old {
        state.files.remove(&path);
    }
    if let Some(row) = docs.first().and_then(|d| d.row.as_ref()) {
        let rows = docs
            .iter()
            .filter_map(|d| Some((d.row.as_ref()?.suffix.clone(), d.content_hash.clone())))
            .collect();
        state.sheets.insert(row.file_key.clone(), rows);
    }
}

/// Writes an analysed document unless the index holds it already (a copy),
/// and enters its path.
fn add_document(
    state: &mut IndexState,
    writer: &mut Writer,
    fields: &Fields,
    history: &IndexState,
    batch: u32,
    doc: &document::Document,
) -> Result<()> {
    let key = doc.content_hash.clone();
    if !state.docs.contains_key(&key) {
        // A document the index held before a rebuild keeps the batches that
        // added its passages; a changed file's passages that its version
        // before said word for word keep theirs.
        let entry = match history.docs.get(&key) {
            Some(before) => carry::rebuilt_entry(doc, before),
            None => {
                let earlier = match history.files.get(&doc.path) {
                    Some(old) if *old != key => writer.passage_batches_of(old)?,
                    _ => Default::default(),
                };
                carry::new_entry(doc, batch, &earlier)
            }
        };
        for t in to_tantivy_docs(fields, doc, &entry) {
            writer.get()?.add_document(t)?;
        }
        state.docs.insert(key.clone(), entry);
    }
    state.files.insert(doc.path.clone(), key);
    Ok(())
}

/// An unreadable file keeps what was indexed; a file that is now empty,
/// binary or broken is no longer indexed.
fn forget_skipped(
    state: &mut IndexState,
    committed: &IndexState,
    skipped: &mut crate::corpus::Skipped,
) {
    if matches!(skipped.reason, SkipReason::Unreadable(_)) {
        note_kept(skipped, committed);
    } else {
        let gone: Vec<String> = state
            .paths_of_file(&skipped.path)
            .map(|(p, _)| p.clone())
            .collect();
        for path in gone {
            state.files.remove(&path);
        }
    }
}

/// Says so when an unreadable file keeps the version indexed before.
fn note_kept(skipped: &mut crate::corpus::Skipped, committed: &IndexState) {
    if let SkipReason::Unreadable(why) = &mut skipped.reason
        && committed.paths_of_file(&skipped.path).next().is_some()
    {
        why.push_str("; the version indexed before is kept");
    }
}

/// The tantivy writer, opened on first use: a run that changes nothing opens
/// none and commits nothing.
struct Writer<'a> {
    index: &'a Index,
    config: &'a IndexConfig,
    fields: Fields,
    inner: Option<IndexWriter<TantivyDocument>>,
    committed: IndexState,
    no_merges: bool,
    /// The run's batch number and start time, recounted at each commit.
    batch: (u32, u64),
    /// The index as the run found it, opened when a changed file asks what
    /// its earlier version said.
    before: Option<Searcher>,
}

impl<'a> Writer<'a> {
    fn new(
        index: &'a Index,
        config: &'a IndexConfig,
        fields: Fields,
        committed: IndexState,
        no_merges: bool,
    ) -> Writer<'a> {
        Writer {
            index,
            config,
            fields,
            inner: None,
            committed,
            no_merges,
            batch: (0, 0),
            before: None,
        }
    }

    /// The passage texts of document `key` as the run found the index, with
    /// their batches (none when a rebuild's new index does not hold it).
    fn passage_batches_of(&mut self, key: &str) -> Result<HashMap<String, u32>> {
        if self.before.is_none() {
            let reader = self
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?;
            self.before = Some(reader.searcher());
        }
        let searcher = self.before.as_ref().expect("searcher just opened");
        carry::passage_batches(searcher, &self.fields, key)
    }

    fn get(&mut self) -> Result<&mut IndexWriter<TantivyDocument>> {
        if self.inner.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(self.config.threads, self.config.memory_budget)?;
            if self.no_merges {
                writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
            }
            self.inner = Some(writer);
        }
        Ok(self.inner.as_mut().expect("writer just opened"))
    }

    /// Deletes documents no file holds any more and commits passages and
    /// `state` together, if anything changed. Returns whether it committed.
    fn commit(&mut self, state: &mut IndexState) -> Result<bool> {
        for key in state.orphans() {
            let term = Term::from_field_text(self.fields.doc_key, &key);
            self.get()?.delete_term(term);
            state.docs.remove(&key);
        }
        state.count_batch(self.batch.0, self.batch.1);
        if *state == self.committed {
            return Ok(false);
        }
        let payload = state.to_payload();
        let mut prepared = self.get()?.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.committed = state.clone();
        Ok(true)
    }

    /// Waits for merges to end.
    fn finish(self) -> Result<()> {
        if let Some(writer) = self.inner {
            writer.wait_merging_threads()?;
        }
        Ok(())
    }
}
