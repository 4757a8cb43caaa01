//! The command line: `plansearch index | search | inspect | similar | stats | serve | watch`.

mod crosstab;
mod index;
mod inspect;
mod saved;
mod search;
mod serve;
mod similar;
mod stats;
mod timeline;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

pub use crosstab::CrossTabArgs;
pub use index::IndexArgs;
pub use inspect::InspectArgs;
pub use saved::WatchArgs;
pub use search::SearchArgs;
pub use serve::ServeArgs;
pub use similar::SimilarArgs;
pub use stats::StatsArgs;
pub use timeline::TimelineArgs;

use crate::output::Style;
use crate::output::terminal::{safe, say};
use crate::vocabulary::Named;

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
    /// Index a corpus folder: text, web pages, PDF, Word/WPS, OFD, spreadsheets, scans.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Show what the indexer extracts from one file, with the evidence.
    Inspect(InspectArgs),
    /// Find passages of other documents most alike a passage (or a pasted text).
    Similar(SimilarArgs),
    /// Summarise the index: documents and passages per province, year, type and sector.
    Stats(StatsArgs),
    /// For each region, the first year its documents say the query; the adoption curve.
    Timeline(TimelineArgs),
    /// Passages a query finds, by region, year, sector or type against policy instrument.
    Crosstab(CrossTabArgs),
    /// Serve the search page and a JSON API (http://127.0.0.1:7700/).
    Serve(ServeArgs),
    /// Saved queries (add, list, remove), whose new hits each `index` run
    /// lists; `index --watch` is what watches the folder.
    #[command(visible_alias = "saved")]
    Watch(WatchArgs),
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
    /// User dictionary: one word a line (`word [freq]`), used by jieba at index
    /// and query time [default: CORPUS/dict.txt when present].
    #[arg(long, env = "PLANSEARCH_DICT")]
    pub dict: Option<PathBuf>,
}

/// The filters `search` and `similar` take as flags.
#[derive(Debug, Args, Clone)]
pub struct FilterArgs {
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
    /// Only passages with a quantified target (达到600亿元, 新建X座, 增长10%以上).
    #[arg(long)]
    has_target: bool,
    /// Issuing body, or part of its name (张掖市人民政府, 发改委); repeat for any of several.
    #[arg(long)]
    issuer: Vec<String>,
    /// Level of force (法律, 行政法规, 部门规章, 地方性法规, 自治条例和单行条例, 地方政府规章, 规范性文件, 工作文件).
    #[arg(long)]
    force: Vec<String>,
    /// Document number, in any brackets (鲁政发〔2021〕5号, 鲁政发[2021]5号).
    #[arg(long)]
    docno: Vec<String>,
    /// Policy instrument: 税收优惠, 示范试点, a group (策略性措施) or a category (供给型, 环境型, 需求型).
    #[arg(long)]
    instrument: Vec<String>,
    /// Only the versions in force: leave out documents superseded by a newer version of the same text (上海市优化营商环境条例 2020 by its 2024 version).
    #[arg(long)]
    current: bool,
}

impl From<FilterArgs> for crate::query::FilterSpec {
    fn from(args: FilterArgs) -> Self {
        crate::query::FilterSpec {
            regions: args.region,
            years: args.year,
            sectors: args.sector,
            types: args.doc_type,
            target_years: args.target_year,
            has_target: args.has_target,
            issuers: args.issuer,
            forces: args.force,
            doc_numbers: args.docno,
            sort: None,
            instruments: args.instrument,
            current: args.current,
            new: None,
            batches: None,
        }
    }
}

impl Location {
    /// The user dictionary in effect: `--dict`, else the corpus's dict.txt.
    pub fn dict_file(&self) -> Option<PathBuf> {
        crate::tokenizer::user_dictionary_file(&self.corpus, self.dict.as_deref())
    }
}

/// Refuses an index built with other user words than the location asks for
/// now (`--dict`, else the corpus's dict.txt): the index cuts query words
/// with the words it was built with, and an edited dict.txt takes effect
/// once `plansearch index` has rebuilt it.
pub(crate) fn check_dictionary(
    location: &Location,
    open: &crate::indexer::OpenIndex,
) -> Result<()> {
    let file = location.dict_file();
    let wanted =
        crate::tokenizer::Dictionary::from_file(file.as_deref()).with_context(|| match &file {
            Some(path) => format!("loading the user dictionary {}", path.display()),
            None => "loading the dictionary".into(),
        })?;
    open.check_dictionary(&wanted)?;
    Ok(())
}

/// A flag's value parser from the option's names ([`Named`]): `--help`
/// lists the canonical names, aliases are accepted too.
pub(crate) fn named<T: Named + Clone + Send + Sync>() -> impl TypedValueParser<Value = T> {
    let values = T::NAMES
        .iter()
        .map(|(name, value)| PossibleValue::new(*name).hide(value.name() != *name));
    PossibleValuesParser::new(values).try_map(|name| T::from_name(&name))
}

/// The full-width minus an exclusion is handed to clap as (see [`exclusions_as_words`]).
const WIDE_MINUS: char = '－';

/// The query a command's words make: joined by spaces, each exclusion given
/// back its minus (see [`exclusions_as_words`]).
pub(crate) fn query_string(words: &[String]) -> String {
    words
        .iter()
        .map(|w| match w.strip_prefix(WIDE_MINUS) {
            Some(rest) => format!("-{rest}"),
            None => w.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes a command's result to stdout, locked and flushed, and says its exit
/// code: 0 when it found something, 1 when not (as grep and ripgrep do).
pub(crate) fn emit(
    found: bool,
    write: impl FnOnce(&mut dyn std::io::Write, Style) -> std::io::Result<()>,
) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write(&mut out, style_for_stdout())?;
    std::io::Write::flush(&mut out)?;
    Ok(if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Lets `plansearch search 招商引资 -北京` work: clap would take `-北京` for an
/// unknown option. No option starts with `-` and a non-ASCII character, a
/// quote or a parenthesis, so such a word after a command that takes a query
/// (search, timeline, crosstab, watch add) is an exclusion; it reaches clap
/// with a full-width minus, which [`query_string`] turns back.
pub fn exclusions_as_words(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut after_search = false;
    let mut after_watch = false;
    args.into_iter()
        .map(|arg| {
            let Some(text) = arg.to_str() else {
                return arg;
            };
            if !after_search {
                // `search QUERY`, `timeline QUERY`, `crosstab QUERY`, and
                // `watch add NAME QUERY`.
                after_search = matches!(text, "search" | "timeline" | "crosstab")
                    || (after_watch && text == "add");
                after_watch = matches!(text, "watch" | "saved");
                return arg;
            }
            match text.strip_prefix('-').and_then(|rest| rest.chars().next()) {
                Some(c) if !c.is_ascii() || matches!(c, '(' | '"') => {
                    OsString::from(format!("{WIDE_MINUS}{}", &text[1..]))
                }
                _ => arg,
            }
        })
        .collect()
}

/// Runs a parsed command line; the exit code follows ripgrep: 0 found, 1 none.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli)));
    match outcome {
        Ok(Ok(code)) => Ok(code),
        Ok(Err(e)) => Err(damage_of_opened_index().map_or(e, anyhow::Error::from)),
        Err(panic) => Err(damage_of_opened_index().map_or_else(
            || {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                anyhow::anyhow!("internal error ({what}); please report it")
            },
            anyhow::Error::from,
        )),
    }
}

/// The index a query command opened, for [`damage_of_opened_index`].
static OPENED_INDEX: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// When a command that opened an index failed or panicked: whether the index
/// is damaged, which is then the error to report (with the way to repair it)
/// rather than whatever tantivy said or did on reading a damaged file.
fn damage_of_opened_index() -> Option<crate::error::Error> {
    use crate::error::Error;
    let dir = OPENED_INDEX.get()?;
    match crate::indexer::open_index(dir) {
        Ok(open) => open.damage(),
        Err(Error::Tantivy(e)) => Some(Error::Damaged {
            path: dir.clone(),
            why: format!("it cannot be opened ({e})"),
        }),
        Err(_) => None,
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Similar(args) => similar::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Timeline(args) => timeline::run(args),
        Command::Crosstab(args) => crosstab::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Watch(args) => saved::run(args),
    }
}

/// Opens the index for a query command, checking it was built with the
/// user dictionary the location asks for; with no index yet, builds it from
/// the corpus first and says so.
pub(crate) fn open_or_build(location: &Location) -> Result<crate::indexer::OpenIndex> {
    use crate::indexer::{IndexConfig, open_index};
    let _ = OPENED_INDEX.set(location.index.clone());
    match open_index(&location.index) {
        Ok(open) => {
            check_dictionary(location, &open)?;
            Ok(open)
        }
        Err(crate::error::Error::NoIndex(_)) => {
            say!(
                "no index at {} yet: building it from {} first",
                safe(&location.index.display().to_string()),
                safe(&location.corpus.display().to_string())
            );
            let mut config = IndexConfig::new(&location.corpus, &location.index);
            config.dict = location.dict.clone();
            let summary = index::index_with_progress(&config, false)?;
            index::print_summary(&summary, &config);
            Ok(open_index(&location.index)?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Colour when stdout is a terminal and NO_COLOR is unset.
pub(crate) fn style_for_stdout() -> Style {
    Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}
