//! `plansearch watch add|list|remove`: the saved queries of a corpus
//! (`queries.toml`), whose new hits each `plansearch index` run lists. Not to
//! be confused with `plansearch index --watch`, which watches the folder.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::{FilterArgs, Location};
use crate::output::terminal::{safe, say};
use crate::saved::{self, SavedQuery};

/// `plansearch watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    action: WatchAction,
}

// Parsed once per process: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum WatchAction {
    /// Save a query under a name, with any filters of `search`.
    Add {
        /// Its name (冷链).
        name: String,
        /// The query, as `search` takes it.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        #[command(flatten)]
        location: Location,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// List the saved queries, with their hits among the last batch's
    /// passages when the index is there.
    List {
        #[command(flatten)]
        location: Location,
    },
    /// Forget a saved query.
    Remove {
        /// Its name.
        name: String,
        #[command(flatten)]
        location: Location,
    },
}

pub(super) fn run(args: WatchArgs) -> Result<ExitCode> {
    match args.action {
        WatchAction::Add {
            name,
            query,
            location,
            filters,
        } => {
            let query = super::query_string(&query);
            let q = SavedQuery::new(&name, &query, filters.into());
            let described = q.describe();
            saved::add(&location.corpus, q)?;
            say!(
                "saved {name:?}: {described} (in {}); each `plansearch index` lists its new hits",
                safe(&saved::file(&location.corpus).display().to_string())
            );
            Ok(ExitCode::SUCCESS)
        }
        WatchAction::List { location } => {
            let queries = saved::load(&location.corpus)?;
            if queries.is_empty() {
                say!(
                    "no saved queries in {}: add one with `plansearch watch add NAME QUERY`",
                    safe(&saved::file(&location.corpus).display().to_string())
                );
                return Ok(ExitCode::from(1));
            }
            // With an index, how many hits each has in the last batch.
            let last = match crate::indexer::open_index(&location.index) {
                Ok(open) => {
                    let batch = open.snapshot()?.state.batches.last().copied();
                    batch.map(|b| (b, saved::new_hits(&open, &queries, b.number, 1)))
                }
                Err(_) => None,
            };
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            if let Some((b, _)) = &last {
                writeln!(out, "last batch: {}", b.describe())?;
            }
            for (i, q) in queries.iter().enumerate() {
                let new = last.as_ref().map(|(_, hits)| match &hits[i].results {
                    Ok(r) => format!("  [{} new]", r.total),
                    Err(e) => format!("  [{e}]"),
                });
                writeln!(
                    out,
                    "{}\t{}{}",
                    safe(&q.name),
                    safe(&q.describe()),
                    safe(&new.unwrap_or_default())
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        WatchAction::Remove { name, location } => {
            if saved::remove(&location.corpus, &name)? {
                say!("removed {name:?}");
                Ok(ExitCode::SUCCESS)
            } else {
                anyhow::bail!(
                    "no saved query named {name:?} in {}; `plansearch watch list` shows them",
                    safe(&saved::file(&location.corpus).display().to_string())
                )
            }
        }
    }
}
