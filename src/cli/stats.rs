//! `plansearch stats`: what the index holds.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Location;
use crate::output;
use crate::stats;

/// `plansearch stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    location: Location,
    /// One JSON object on stdout.
    #[arg(long)]
    json: bool,
}

/// Unlike `search`, which builds a missing index on first use so that the
/// first query works, `stats` reports on an index and never builds one: with
/// no index it says so and how to build it (exit 2), rather than spend
/// minutes indexing to report on what it has just made.
pub(super) fn run(args: StatsArgs) -> Result<ExitCode> {
    let location = &args.location;
    let open = match crate::indexer::open_index(&location.index) {
        Ok(open) => {
            super::check_dictionary(location, &open)?;
            open
        }
        Err(crate::error::Error::NoIndex(_)) => anyhow::bail!(
            "no index at {} yet, so no statistics: build it with `plansearch index --corpus {} --index {}` (or run a search, which builds it first)",
            location.index.display(),
            location.corpus.display(),
            location.index.display()
        ),
        Err(e) => return Err(e.into()),
    };
    // A report on the index reads all of it: damage shows here, not as
    // wrong counts.
    if let Some(damage) = open.damage() {
        return Err(damage.into());
    }
    let s = stats::stats(&open)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        output::write_json(&mut out, &s)?;
    } else {
        output::write_stats_text(&mut out, &s, super::style_for_stdout())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
