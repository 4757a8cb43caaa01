//! `plansearch similar`: passages of other documents most alike in substance.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{FilterArgs, Location};
use crate::output;
use crate::similar::{self, SimilarRequest, SimilarTo};

/// `plansearch similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The passage to compare: its id as search hits print it
    /// (8632332262f6707a:2) or FILE#N (seeds/003_0c8bad910db2f3a0.txt#5, also a
    /// path to a file inside the corpus).
    #[arg(
        value_name = "REF",
        required_unless_present = "text",
        conflicts_with = "text"
    )]
    reference: Option<String>,
    /// A pasted paragraph to compare instead of a passage.
    #[arg(long)]
    text: Option<String>,
    #[command(flatten)]
    location: Location,
    /// Leave out the source's own region (and the units within it).
    #[arg(long)]
    other_regions: bool,
    #[command(flatten)]
    filters: FilterArgs,
    /// Passages to show.
    #[arg(long, short = 'n', default_value_t = crate::search::DEFAULT_LIMIT)]
    limit: usize,
    /// One JSON object on stdout.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(args: SimilarArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    let to = match (args.reference, args.text) {
        (Some(r), _) => SimilarTo::Passage(r),
        (None, Some(t)) => {
            // The library speaks of the request; here it is the flags.
            if t.trim().is_empty() {
                anyhow::bail!("--text is empty: paste the paragraph to compare");
            }
            if args.other_regions {
                anyhow::bail!(
                    "--other-regions needs a source passage (REF, an id or FILE#N): pasted text has no region"
                );
            }
            SimilarTo::Text(t)
        }
        (None, None) => anyhow::bail!("give a passage (REF) or --text"),
    };
    let request = SimilarRequest {
        filters: args.filters.into(),
        other_regions: args.other_regions,
        limit: args.limit.max(1),
        corpus: Some(args.location.corpus.clone()),
        ..SimilarRequest::new(to)
    };
    let results = similar::similar(&open, &request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        output::write_json(&mut out, &results)?;
    } else {
        output::write_similar_text(&mut out, &results, super::style_for_stdout())?;
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
