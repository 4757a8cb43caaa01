//! `plansearch search`: ranked search with filters and facet counts.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::Location;
use crate::output;
use crate::search::{self, HitUnit, SearchRequest};

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
    /// Only passages with a quantified target (达到600亿元, 新建X座, 增长10%以上).
    #[arg(long)]
    has_target: bool,
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
    /// Show how the query was read (jieba words, literal form, synonyms) and
    /// the parts of each hit's score.
    #[arg(long)]
    explain: bool,
}

pub(super) fn run(args: SearchArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    let request = SearchRequest {
        query: args
            .query
            .iter()
            .map(|w| match w.strip_prefix(super::WIDE_MINUS) {
                Some(rest) => format!("-{rest}"),
                None => w.clone(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        regions: args.region,
        years: args.year,
        sectors: args.sector,
        types: args.doc_type,
        target_years: args.target_year,
        has_target: args.has_target,
        limit: (args.limit > 0).then_some(args.limit),
        unit: args.by,
        facets: !args.no_facets,
        explain: args.explain,
    };
    let results = search::search(&open, &request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        output::write_search_json(&mut out, &results)?;
    } else {
        output::write_search_text(&mut out, &results, super::style_for_stdout())?;
    }
    out.flush()?;
    Ok(if results.total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
