//! `plansearch crosstab`: groups of the passages a query finds against their
//! policy instruments.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{FilterArgs, Location};
use crate::crosstab::{self, Columns, Rows};
use crate::output;

/// `plansearch crosstab`.
#[derive(Debug, Args)]
pub struct CrossTabArgs {
    /// Query, as for search.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    location: Location,
    #[command(flatten)]
    filters: FilterArgs,
    /// The rows.
    #[arg(long, default_value = "region", value_parser = super::named::<Rows>())]
    group_by: Rows,
    /// The columns.
    #[arg(long, default_value = "instrument", value_parser = super::named::<Columns>())]
    by: Columns,
    /// One JSON object on stdout.
    #[arg(long, conflicts_with_all = ["csv", "jsonl"])]
    json: bool,
    /// CSV (UTF-8 with a BOM): a row a group, a column an instrument.
    #[arg(long, conflicts_with = "jsonl")]
    csv: bool,
    /// One JSON object a cell.
    #[arg(long)]
    jsonl: bool,
}

pub(super) fn run(args: CrossTabArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    let query = super::query_string(&args.query);
    let t = crosstab::crosstab(&open, &query, &args.filters.into(), args.group_by, args.by)?;
    super::emit(t.passages > 0, |out, style| {
        if args.json {
            output::write_json(out, &t)
        } else if args.csv {
            output::crosstab::write_crosstab_csv(out, &t)
        } else if args.jsonl {
            output::crosstab::write_crosstab_jsonl(out, &t)
        } else {
            output::crosstab::write_crosstab_text(out, &t, style)
        }
    })
}
