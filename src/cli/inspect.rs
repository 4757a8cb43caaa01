//! `plansearch inspect`: what the indexer extracts from one file, and why.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::document;
use crate::extract::Overrides;
use crate::output;
use crate::output::terminal::{safe, say};

/// `plansearch inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The file to analyse.
    file: PathBuf,
    /// One JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Only the document fields, not every passage.
    #[arg(long)]
    brief: bool,
}

pub(super) fn run(args: InspectArgs) -> Result<ExitCode> {
    if !args.file.is_file() {
        bail!(
            "{} is not a file; give the path of a document (text, PDF, Word, OFD, a web page or a spreadsheet)",
            args.file.display()
        );
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let path = args.file.to_string_lossy();
    // Metadata given for the file wins, as in the index: the nearest
    // metadata.csv above it, then its sidecar.
    let (overrides, rel) = Overrides::discover(&args.file);
    let (given, problems) = overrides.given_for(&rel, &args.file);
    let skipped = |reason| anyhow::anyhow!("{}: {reason}", args.file.display());
    let format = crate::read::detect(&bytes);
    let docs = if crate::read::sheet::is_sheet(format) {
        // A spreadsheet: one document a row, as the index holds them.
        let key = document::fingerprint(&bytes, &given);
        document::analyze_sheet(&path, &bytes, format, &given, problems, &key).map_err(skipped)?
    } else {
        let mut doc = document::analyze_bytes(&path, &bytes).map_err(skipped)?;
        doc.apply_given(&given, problems);
        vec![doc]
    };
    for problem in overrides
        .problems
        .iter()
        .chain(docs.iter().flat_map(|d| &d.override_problems))
    {
        say!("warning: {}", safe(&problem.to_string()));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 && !args.json {
            writeln!(out)?;
        }
        if args.json {
            output::write_inspect_json(&mut out, doc)?;
        } else {
            output::write_inspect_text(&mut out, doc, super::style_for_stdout(), !args.brief)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
