//! The command line: `plansearch index | search | inspect`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::document;
use crate::error::Error;
use crate::indexer::{self, Event, IndexConfig, Summary};
use crate::output::{self, Style};
use crate::search::{self, HitUnit, SearchRequest};

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

/// `plansearch search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words (all must occur), "phrases", OR, -exclude, (groups),
    /// title:/heading: prefixes, region:/year:/sector:/type: filters.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    location: Location,
    /// Region filter: full or short name at any level (甘肃, 张掖市, 临泽); repeat for any of several.
    #[arg(long, short)]
    region: Vec<String>,
    /// Year or range: 2018, 2018..2023, 2020..
    #[arg(long, short)]
    year: Vec<String>,
    /// Sector filter (农业农村, 特色种养业, 农业农村/特色种养业).
    #[arg(long, short)]
    sector: Vec<String>,
    /// Document type (政府工作报告, 规划, 实施意见, 工作方案, 典型材料, 工作总结/报告, 地方性法规, 统计公报, 决议, 其他).
    #[arg(long = "type", short = 't')]
    doc_type: Vec<String>,
    /// Passages that promise something by this year (到2025年): 2025 or 2025..2030.
    #[arg(long)]
    target_year: Vec<String>,
    /// Hits to show; 0 for all.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Hits are passages or documents.
    #[arg(long, value_enum, default_value_t = HitUnit::Passage)]
    by: HitUnit,
    /// One JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Leave out facet counts.
    #[arg(long)]
    no_facets: bool,
}

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

/// Runs a parsed command line; the exit code follows ripgrep: 0 found, 1 none.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index(args),
        Command::Search(args) => search(args),
        Command::Inspect(args) => inspect(args),
    }
}

fn style_for_stdout() -> Style {
    Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn index(args: IndexArgs) -> Result<ExitCode> {
    let mut config = IndexConfig::new(&args.location.corpus, &args.location.index);
    if let Some(t) = args.threads {
        config.threads = t.max(1);
    }
    let summary = build_with_progress(&config, args.quiet)?;
    print_summary(&summary, &config.index);
    Ok(ExitCode::SUCCESS)
}

/// Builds the index, with a progress bar on a terminal.
fn build_with_progress(config: &IndexConfig, quiet: bool) -> Result<Summary> {
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

fn print_summary(s: &Summary, index: &Path) {
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

fn search(args: SearchArgs) -> Result<ExitCode> {
    let location = &args.location;
    let open = match indexer::open_index(&location.index) {
        Ok(open) => open,
        Err(Error::NoIndex(_)) => {
            eprintln!(
                "no index at {} yet: building it from {} first",
                location.index.display(),
                location.corpus.display()
            );
            let config = IndexConfig::new(&location.corpus, &location.index);
            let summary = build_with_progress(&config, false)?;
            print_summary(&summary, &config.index);
            indexer::open_index(&location.index)?
        }
        Err(e) => return Err(e.into()),
    };
    let request = SearchRequest {
        query: args.query.join(" "),
        regions: args.region,
        years: args.year,
        sectors: args.sector,
        types: args.doc_type,
        target_years: args.target_year,
        limit: (args.limit > 0).then_some(args.limit),
        unit: args.by,
        facets: !args.no_facets,
    };
    let results = search::search(&open, &request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        output::write_search_json(&mut out, &results)?;
    } else {
        output::write_search_text(&mut out, &results, style_for_stdout())?;
    }
    out.flush()?;
    Ok(if results.total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn inspect(args: InspectArgs) -> Result<ExitCode> {
    if !args.file.is_file() {
        bail!(
            "{} is not a file; give the path of a .txt or .md document",
            args.file.display()
        );
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let path = args.file.to_string_lossy();
    let doc = document::analyze_bytes(&path, &bytes)
        .map_err(|reason| anyhow::anyhow!("{}: {reason}", args.file.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        output::write_inspect_json(&mut out, &doc)?;
    } else {
        output::write_inspect_text(&mut out, &doc, style_for_stdout(), !args.brief)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
