//! The `plansearch` binary: parse the command line, run it, map errors to
//! exit codes (0 found, 1 nothing found, 2 error), as ripgrep does.

mod cli;
mod output;
mod serve;

use std::process::ExitCode;

// The library's modules under the names the command line, page and output
// code use (`crate::search`, ...): those three are the binary's, the rest is
// the library an embedding program uses too.
use plansearch::{
    crosstab, document, error, export, extract, indexer, query, read, saved, search, service,
    similar, stats, text, timeline, tokenizer, vocabulary,
};

use clap::Parser;
use output::terminal::{safe, say};

fn main() -> ExitCode {
    // lopdf warns of every encrypted PDF on its own; plansearch reports such a
    // file with its path and what to do, so lopdf's line would only repeat it.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn,lopdf=error"))
        .init();
    let cli = cli::Cli::parse_from(cli::exclusions_as_words(std::env::args_os()));
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let library_error = err.chain().find_map(|c| c.downcast_ref::<error::Error>());
            let message = format!("{err:#}");
            let message = safe(&message);
            match library_error.and_then(advice) {
                Some(advice) => say!("plansearch: {message}; {advice}"),
                None => say!("plansearch: {message}"),
            }
            ExitCode::from(2)
        }
    }
}

/// What to type next, for the library's errors whose way out is a command
/// line (the library's messages name no option).
pub(crate) fn advice(err: &error::Error) -> Option<String> {
    use error::Error;
    Some(match err {
        Error::NoCorpus(_) => "pass --corpus DIR with your documents".into(),
        Error::NoIndex(dir) => format!(
            "run `plansearch index --corpus DIR --index {}` first",
            dir.display()
        ),
        Error::StaleIndex { .. } | Error::Damaged { .. } => {
            "run `plansearch index --full` to rebuild it".into()
        }
        Error::NotAnIndex(_) => "pass --index with a new or empty folder".into(),
        Error::MassRemoval { .. } => {
            "if the files were removed on purpose, run `plansearch index --allow-empty` to remove them from the index too".into()
        }
        _ => return None,
    })
}

/// Output piped into `head` that closes early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
