//! `plansearch timeline`: who first said a measure, and when.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{FilterArgs, Location};
use crate::output;
use crate::timeline::{self, Level};

/// `plansearch timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Query, as for search.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    location: Location,
    #[command(flatten)]
    filters: FilterArgs,
    /// Regions are provinces, cities or counties.
    #[arg(long, default_value = "province", value_parser = super::named::<Level>())]
    level: Level,
    /// One JSON object on stdout.
    #[arg(long, conflicts_with_all = ["csv", "curve_csv"])]
    json: bool,
    /// The first mentions as CSV (UTF-8 with a BOM).
    #[arg(long, conflicts_with = "curve_csv")]
    csv: bool,
    /// The adoption curve as CSV.
    #[arg(long)]
    curve_csv: bool,
}

pub(super) fn run(args: TimelineArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    let query = super::query_string(&args.query);
    let t = timeline::timeline(&open, &query, &args.filters.into(), args.level)?;
    super::emit(!t.first_mentions.is_empty(), |out, style| {
        if args.json {
            output::write_json(out, &t)
        } else if args.csv {
            output::timeline::write_timeline_csv(out, &t)
        } else if args.curve_csv {
            output::timeline::write_curve_csv(out, &t)
        } else {
            output::timeline::write_timeline_text(out, &t, style)
        }
    })
}
