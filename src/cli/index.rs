//! `plansearch index`: bring the index up to date, with a progress bar and a
//! summary of what changed.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Location;
use crate::indexer::{self, Event, IndexConfig, Summary};
use crate::output::terminal::{safe, say};

/// Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells expect.
const INTERRUPTED: u8 = 130;

/// Paths listed per kind of change in the summary; the rest are counted.
const LISTED: usize = 20;

/// `plansearch index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    location: Location,
    /// Rebuild from scratch (into a new folder, swapped in when done) instead
    /// of updating what changed.
    #[arg(long)]
    full: bool,
    /// Let this run remove more than half of the indexed files; without it,
    /// such a run (an emptied or unmounted corpus folder) fails and changes
    /// nothing.
    #[arg(long)]
    allow_empty: bool,
    /// Keep running and index files as they arrive in the corpus folder.
    #[arg(long)]
    watch: bool,
    /// With --watch: wait this long after the last change before indexing.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    debounce_ms: u64,
    /// During a rebuild, commit progress every SECS seconds, so that an
    /// interrupted rebuild resumes from there.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    checkpoint: u64,
    /// Worker threads (default: one per core, at most 4).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

pub(super) fn run(args: IndexArgs) -> Result<ExitCode> {
    let mut config = IndexConfig::new(&args.location.corpus, &args.location.index);
    if let Some(t) = args.threads {
        config.threads = t.max(1);
    }
    config.full = args.full;
    config.allow_mass_removal = args.allow_empty;
    config.dict = args.location.dict.clone();
    config.checkpoint = Duration::from_secs(args.checkpoint);
    stop_on_ctrl_c(&config);
    if args.watch {
        return watch(&config, &args);
    }
    let summary = index_with_progress(&config, args.quiet)?;
    print_summary(&summary, &config);
    Ok(if summary.interrupted {
        ExitCode::from(INTERRUPTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Ctrl-C (or SIGTERM) asks the run to commit what is done and stop; a second
/// one exits at once, which is safe too: the index stays at its last commit.
fn stop_on_ctrl_c(config: &IndexConfig) {
    let stop = config.stop.clone();
    let handler = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            say!("plansearch: stopped; the index stays at its last commit");
            std::process::exit(i32::from(INTERRUPTED));
        }
        say!("plansearch: stopping after committing what is done (Ctrl-C again to quit now)");
    });
    if let Err(e) = handler {
        log::warn!("Ctrl-C will not stop indexing cleanly: {e}");
    }
}

fn watch(config: &IndexConfig, args: &IndexArgs) -> Result<ExitCode> {
    let mut on_event = |e: Event| {
        if let Event::Watching = e {
            say!(
                "watching {} for changes (Ctrl-C to stop)",
                shown(&config.corpus)
            );
        } else {
            report_phase(&e);
        }
    };
    let mut on_run = |outcome: crate::error::Result<&Summary, &crate::error::Error>| match outcome {
        Ok(summary) => {
            if summary.rebuilt.is_some() || !summary.changes.is_empty() || summary.interrupted {
                print_summary(summary, config);
            } else {
                say!(
                    "{}: no changes ({} unchanged)",
                    shown(&config.corpus),
                    summary.changes.unchanged
                );
            }
        }
        Err(e) => match crate::advice(e) {
            Some(advice) => say!("plansearch: {}; {advice}", safe(&e.to_string())),
            None => say!("plansearch: {}", safe(&e.to_string())),
        },
    };
    indexer::watch(
        config,
        Duration::from_millis(args.debounce_ms),
        &mut on_event,
        &mut on_run,
    )
    .with_context(|| format!("watching {}", config.corpus.display()))?;
    Ok(if config.stop.load(Ordering::Relaxed) {
        ExitCode::from(INTERRUPTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Messages about where a run writes, shown whatever the terminal.
fn report_phase(e: &Event) {
    match e {
        Event::Rebuilding { why, dir } => {
            say!("building a new index in {} ({why})", shown(dir));
        }
        Event::Resuming {
            why,
            dir,
            documents,
        } => say!(
            "resuming the rebuild in {} ({why}; {documents} documents done)",
            shown(dir)
        ),
        _ => {}
    }
}

/// Updates the index, with a progress bar on a terminal.
pub(super) fn index_with_progress(config: &IndexConfig, quiet: bool) -> Result<Summary> {
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg:<12} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message("indexing");
    let mut on_event = |e: Event| match e {
        Event::Start { bytes, .. } => bar.set_length(bytes),
        Event::Indexed(doc) => bar.inc(doc.bytes),
        Event::Checkpoint { .. } => bar.set_message("checkpoint"),
        Event::Committing => bar.set_message("committing"),
        other => bar.suspend(|| report_phase(&other)),
    };
    let summary = indexer::build_index(config, &mut on_event).with_context(|| {
        format!(
            "indexing {} into {}",
            shown(&config.corpus),
            shown(&config.index)
        )
    })?;
    bar.finish_and_clear();
    Ok(summary)
}

/// Prints what a run changed, then every skipped file with its reason.
pub(super) fn print_summary(s: &Summary, config: &IndexConfig) {
    let c = &s.changes;
    let what = if s.rebuilt.is_some() {
        "built"
    } else {
        "updated"
    };
    let copies = match c.copies.len() {
        0 => String::new(),
        n => format!(", {n} copied"),
    };
    say!(
        "{what} {} from {}: {} added, {} updated, {} moved{copies}, {} removed, {} unchanged, {} skipped in {:.2} s",
        shown(&config.index),
        shown(&config.corpus),
        c.added.len(),
        c.updated.len(),
        c.moved.len(),
        c.removed.len(),
        c.unchanged,
        c.skipped.len(),
        s.seconds,
    );
    print_override_problems(s);
    print_changed_files(s);
    print_outcome(s);
    if s.published {
        print_new_hits(s, config);
    }
}

/// Problems with the metadata a researcher gave (`metadata.csv`).
fn print_override_problems(s: &Summary) {
    if !s.override_problems.is_empty() {
        let problems = match s.override_problems.len() {
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        };
        say!("{problems} with given metadata (the rest of it was applied):");
        for p in &s.override_problems {
            say!("  {}", safe(&p.to_string()));
        }
    }
}

/// The files added, updated, moved, copied, removed and skipped.
fn print_changed_files(s: &Summary) {
    let c = &s.changes;
    if s.rebuilt.is_none() {
        // After a rebuild every file is new: the count says it all.
        list("added", &c.added);
    }
    list("updated", &c.updated);
    let moved: Vec<String> = c
        .moved
        .iter()
        .map(|(from, to)| format!("{} -> {}", safe(from), safe(to)))
        .collect();
    list("moved", &moved);
    let copies: Vec<String> = c
        .copies
        .iter()
        .map(|(path, of)| {
            format!(
                "{} (same content as {}, indexed once)",
                safe(path),
                safe(of)
            )
        })
        .collect();
    list("copy", &copies);
    list("removed", &c.removed);
    if !c.skipped.is_empty() {
        let files = if c.skipped.len() == 1 {
            "file"
        } else {
            "files"
        };
        say!("skipped {} {files}:", c.skipped.len());
        for k in &c.skipped {
            say!("  {}: {}", safe(&k.path), safe(&k.reason.to_string()));
        }
    }
}

/// Whether the run finished, and the size of the index.
fn print_outcome(s: &Summary) {
    if s.interrupted {
        if !s.committed {
            say!("interrupted before anything was committed: the index is as it was");
        } else if s.published {
            say!("interrupted: what was done is committed; run `plansearch index` again to finish");
        } else {
            say!(
                "interrupted: the rebuild is not finished and searches still use the previous index; run `plansearch index` again to resume it"
            );
        }
    } else {
        let analysed = match s.analysed_bytes {
            0 => String::new(),
            b if b < 1_000_000 => format!(" ({} KB analysed)", b.div_ceil(1000)),
            b => format!(
                " ({:.1} MB analysed at {:.1} MB/s)",
                b as f64 / 1e6,
                s.mb_per_s()
            ),
        };
        say!(
            "index: {} documents, {} passages{analysed}",
            s.documents,
            s.passages
        );
    }
}

/// Hits of each saved query listed under the batch summary.
const NEW_HITS_SHOWN: usize = 3;

/// The batch this run added, and per saved query of the corpus its hits
/// among the batch's passages, the first few shown.
fn print_new_hits(s: &Summary, config: &IndexConfig) {
    if let Some(b) = &s.batch {
        say!(
            "batch {}; `plansearch search --new QUERY` searches them",
            b.describe()
        );
    }
    let queries = match crate::saved::load(&config.corpus) {
        Ok(q) => q,
        Err(e) => {
            say!("saved queries not read: {}", safe(&e.to_string()));
            return;
        }
    };
    if queries.is_empty() {
        return;
    }
    let Some(b) = &s.batch else {
        say!(
            "saved queries: no new passages in this run, so no new hits for {}",
            queries.len()
        );
        return;
    };
    let open = match indexer::open_index(&config.index) {
        Ok(open) => open,
        Err(e) => {
            say!("saved queries not run: {}", safe(&e.to_string()));
            return;
        }
    };
    say!("new hits of the saved queries in batch {}:", b.number);
    for found in crate::saved::new_hits(&open, &queries, b.number, NEW_HITS_SHOWN) {
        let q = &found.query;
        match found.results {
            Err(e) => say!("  {}: not run ({})", safe(&q.name), safe(&e.to_string())),
            Ok(r) if r.total == 0 => say!("  {} ({}): none", safe(&q.name), safe(&q.describe())),
            Ok(r) => {
                let passages = if r.total == 1 { "passage" } else { "passages" };
                say!(
                    "  {} ({}): {} new {passages}",
                    safe(&q.name),
                    safe(&q.describe()),
                    r.total
                );
                for hit in &r.hits {
                    say!(
                        "    {}  {}: {}",
                        safe(&crate::document::cite(&hit.path, hit.passage_no)),
                        safe(&hit.title),
                        safe(&around_longest_highlight(&hit.snippet, &hit.highlights, 60))
                    );
                }
                if r.total > r.hits.len() as u64 {
                    say!(
                        "    … and {} more: plansearch search --new {}",
                        r.total - r.hits.len() as u64,
                        safe(&q.describe())
                    );
                }
            }
        }
    }
}

/// A path as the terminal shows it: see [`safe`].
fn shown(path: &std::path::Path) -> String {
    safe(&path.display().to_string()).into_owned()
}

fn list(label: &str, paths: &[String]) {
    for p in paths.iter().take(LISTED) {
        say!("  {label:<8} {}", safe(p));
    }
    if paths.len() > LISTED {
        say!("  {label:<8} … and {} more", paths.len() - LISTED);
    }
}

/// `max` characters of a snippet on one line, from a little before its
/// longest highlighted range (the query as typed rather than a part of it),
/// "…" where cut.
fn around_longest_highlight(text: &str, highlights: &[(usize, usize)], max: usize) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let first = highlights
        .iter()
        .min_by_key(|h| (std::cmp::Reverse(h.1.saturating_sub(h.0)), h.0))
        .map_or(0, |h| h.0);
    let start = first.saturating_sub(max / 3).min(chars.len());
    let end = (start + max).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 && !out.starts_with('…') {
        out.insert(0, '…');
    }
    if end < chars.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}
