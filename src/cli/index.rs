//! `plansearch index`: build the index, with a progress bar and a summary.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Location;
use crate::indexer::{self, Event, IndexConfig, Summary};

/// `plansearch index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    location: Location,
    /// Worker threads (default: one per core, at most 4).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar and no per-file messages.
    #[arg(long, short)]
    quiet: bool,
}

pub(super) fn run(args: IndexArgs) -> Result<ExitCode> {
    super::load_user_dictionary(args.location.dict_file().as_deref())?;
    let mut config = IndexConfig::new(&args.location.corpus, &args.location.index);
    if let Some(t) = args.threads {
        config.threads = t.max(1);
    }
    let summary = build_with_progress(&config, args.quiet)?;
    print_summary(&summary, &config.index);
    Ok(ExitCode::SUCCESS)
}

/// Builds the index, with a progress bar on a terminal.
pub(super) fn build_with_progress(config: &IndexConfig, quiet: bool) -> Result<Summary> {
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
        Event::Skipped(s) => {
            if !quiet {
                bar.suspend(|| eprintln!("skipped {}: {}", s.path, s.reason));
            }
        }
        Event::Committing => bar.set_message("committing"),
    };
    let summary = indexer::build_index(config, &mut on_event).with_context(|| {
        format!(
            "indexing {} into {}",
            config.corpus.display(),
            config.index.display()
        )
    })?;
    bar.finish_and_clear();
    Ok(summary)
}

pub(super) fn print_summary(s: &Summary, index: &Path) {
    eprintln!(
        "indexed {} documents, {} passages, {:.1} MB in {:.1} s ({:.1} MB/s) into {}",
        s.documents,
        s.passages,
        s.bytes as f64 / 1e6,
        s.seconds,
        s.mb_per_s(),
        index.display()
    );
    if !s.skipped.is_empty() {
        eprintln!("skipped {} files:", s.skipped.len());
        for k in &s.skipped {
            eprintln!("  {}: {}", k.path, k.reason);
        }
    }
}
