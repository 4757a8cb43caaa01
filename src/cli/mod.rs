//! The command line: `plansearch index | search | inspect`.

mod index;
mod inspect;
mod search;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

pub use index::IndexArgs;
pub use inspect::InspectArgs;
pub use search::SearchArgs;

use crate::output::Style;

/// Full-text search over Chinese county development documents.
#[derive(Debug, Parser)]
#[command(name = "plansearch", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a corpus folder of .txt and .md documents.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Show what the indexer extracts from one file, with the evidence.
    Inspect(InspectArgs),
}

/// Where the corpus and the index are.
#[derive(Debug, Args, Clone)]
pub struct Location {
    /// Corpus folder.
    #[arg(long, env = "PLANSEARCH_CORPUS", default_value = "corpus")]
    pub corpus: PathBuf,
    /// Index folder.
    #[arg(long, env = "PLANSEARCH_INDEX", default_value = "index")]
    pub index: PathBuf,
}

/// Runs a parsed command line; the exit code follows ripgrep: 0 found, 1 none.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Inspect(args) => inspect::run(args),
    }
}

/// Colour when stdout is a terminal and NO_COLOR is unset.
pub(crate) fn style_for_stdout() -> Style {
    Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}
