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

pub(super) fn run(args: StatsArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
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
