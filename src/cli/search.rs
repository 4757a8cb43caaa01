//! `plansearch search`: ranked search with filters and facet counts.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use super::{FilterArgs, Location};
use crate::export;
use crate::indexer::OpenIndex;
use crate::output;
use crate::output::terminal::{safe, say};
use crate::query::NewSince;
use crate::search::group::GroupBy;
use crate::search::{HitUnit, Scope, SearchRequest};
use crate::service::{self, SearchOutput, SearchQuery};

/// `plansearch search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words (all must occur), "phrases", OR, -exclude, (groups),
    /// title:/heading: prefixes, region:/year:/sector:/type: filters.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    location: Location,
    #[command(flatten)]
    filters: FilterArgs,
    /// Hits to show (groups with --group-by); 0 for all [default: 10; all
    /// groups with --group-by; every hit with --csv or --jsonl].
    #[arg(long, short = 'n')]
    limit: Option<usize>,
    /// Hits are passages or documents.
    #[arg(long, default_value = "passage", value_parser = super::named::<HitUnit>())]
    by: HitUnit,
    /// The best passage per region, province, city, year, type or sector,
    /// with the group's hit count.
    #[arg(long, value_name = "FIELD", value_parser = super::named::<GroupBy>())]
    group_by: Option<GroupBy>,
    /// Print the full breakdown of all hits: region tree, year histogram,
    /// types, sector tree (in --json: "facet_tree").
    #[arg(long, conflicts_with = "no_facets")]
    facets: bool,
    /// One JSON object on stdout.
    #[arg(long, conflicts_with_all = ["csv", "jsonl"])]
    json: bool,
    /// Write every hit as CSV (UTF-8 with a BOM, for Excel), streamed; with
    /// --group-by one row a group, with --facets one row a facet value.
    #[arg(long, conflicts_with_all = ["jsonl", "explain"])]
    csv: bool,
    /// Write every hit as one JSON object a line, streamed; with --group-by
    /// one group a line, with --facets one facet value a line.
    #[arg(long, conflicts_with_all = ["explain"])]
    jsonl: bool,
    /// Write --csv or --jsonl to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out facet counts.
    #[arg(long)]
    no_facets: bool,
    /// Show how the query was read (jieba words, literal form, synonyms) and
    /// the parts of each hit's score.
    #[arg(long)]
    explain: bool,
    /// Passages of one document on the first page before others show theirs
    /// (the rest fold under "n more from this document"); 0 for no cap.
    #[arg(long, value_name = "N", default_value_t = crate::search::DEFAULT_PER_DOC)]
    per_doc: usize,
    /// Passages of one region before other regions show theirs; 0 for no cap.
    #[arg(long, value_name = "N", default_value_t = 0)]
    per_region: usize,
    /// Where the words must stand together: in one passage, or (with --by
    /// doc) anywhere in one document.
    #[arg(long, default_value = "passage", value_parser = super::named::<Scope>())]
    scope: Scope,
    /// Order of hits: relevance, newest or oldest (by the document's own
    /// date: written, else adopted, published, effective).
    #[arg(long, value_name = "ORDER", default_value = "relevance")]
    sort: String,
    /// Only passages the last batch added: the last `plansearch index` run
    /// that found new or changed files.
    #[arg(long, conflicts_with = "new_since")]
    new: bool,
    /// Only passages added by indexing runs since this date (2026-12-02,
    /// or "2026-12-02 19:40", local time; "2026-12-02 19:40Z" for UTC).
    #[arg(long, value_name = "DATE")]
    new_since: Option<String>,
}

pub(super) fn run(args: SearchArgs) -> Result<ExitCode> {
    let open = super::open_or_build(&args.location)?;
    let export_format = if args.csv {
        Some(export::ExportFormat::Csv)
    } else if args.jsonl {
        Some(export::ExportFormat::Jsonl)
    } else {
        None
    };
    if args.output.is_some() && export_format.is_none() {
        anyhow::bail!("--output writes an export: add --csv or --jsonl");
    }
    if args.scope == Scope::Doc && args.by != HitUnit::Doc {
        anyhow::bail!("--scope doc finds documents that hold all the words anywhere: add --by doc");
    }
    let group_by = args.group_by;
    let (facets, json, output) = (args.facets, args.json, args.output.clone());
    let request = request_of(args, export_format.is_some())?;
    if let Some(format) = export_format {
        let view = match (group_by, facets) {
            (Some(_), true) => {
                anyhow::bail!("--group-by and --facets are two views: export one at a time")
            }
            (Some(by), false) => export::ExportView::Groups(by),
            (None, true) => export::ExportView::Facets,
            (None, false) => export::ExportView::Hits,
        };
        let written = write_export(&open, &request, view, format, output.as_deref())?;
        return Ok(exit_code(written));
    }
    let query = SearchQuery { request, group_by };
    let results = service::search(&open, &query)?;
    print_results(&results, json)?;
    Ok(exit_code(results.total()))
}

/// The request the arguments ask for; exports and groups have no limit
/// unless one is given.
fn request_of(args: SearchArgs, export: bool) -> Result<SearchRequest> {
    let default_limit = crate::search::default_limit(args.group_by.is_some(), export);
    Ok(SearchRequest {
        query: super::query_string(&args.query),
        filters: crate::query::FilterSpec {
            sort: Some(args.sort.clone()),
            new: match &args.new_since {
                Some(date) => Some(NewSince::since(date).map_err(anyhow::Error::msg)?),
                None => args.new.then_some(NewSince::LastBatch),
            },
            ..args.filters.into()
        },
        limit: args.limit.map_or(default_limit, |n| (n > 0).then_some(n)),
        offset: 0,
        unit: args.by,
        facets: !args.no_facets && !args.facets && args.group_by.is_none(),
        facet_tree: args.facets,
        explain: args.explain,
        max_per_doc: Some(args.per_doc),
        max_per_region: Some(args.per_region),
        count_context: true,
        scope: args.scope,
    })
}

/// Writes an export to `output` (saying what it wrote) or to stdout;
/// returns how many rows it holds.
fn write_export(
    open: &OpenIndex,
    request: &SearchRequest,
    view: export::ExportView,
    format: export::ExportFormat,
    output: Option<&Path>,
) -> Result<u64> {
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let mut w = BufWriter::new(stdout.lock());
        let n = export::export_view(open, request, view, format, &mut w)?;
        w.flush()?;
        return Ok(n);
    };
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::new(file);
    let n = export::export_view(open, request, view, format, &mut w)?;
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    let what = match view {
        export::ExportView::Hits => format!("{n} hits"),
        export::ExportView::Groups(_) => format!("{n} groups"),
        export::ExportView::Facets => format!("the facet counts of {n} passages"),
    };
    say!("wrote {what} to {}", safe(&path.display().to_string()));
    Ok(n)
}

/// Prints hits or groups as text, or as JSON.
fn print_results(results: &SearchOutput, json: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let style = super::style_for_stdout();
    if json {
        output::write_json(&mut out, results)?;
    } else {
        match results {
            SearchOutput::Groups(groups) => output::write_group_text(&mut out, groups, style)?,
            SearchOutput::Hits(hits) => {
                output::write_search_text(&mut out, hits, style)?;
                if let Some(tree) = &hits.facet_tree {
                    writeln!(out)?;
                    output::write_tree_text(&mut out, tree, style)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// 0 when something matched, 1 when nothing did (as ripgrep).
fn exit_code(hits: u64) -> ExitCode {
    if hits > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
