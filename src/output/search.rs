//! Search results as text and JSON.

use std::io::{self, Write};

use super::terminal::safe;
use super::{Style, region_label};
use crate::search::highlight::Snippet;
use crate::search::{FacetValue, Hit, SearchResults};

fn hit_header(hit: &Hit, rank: usize, style: Style) -> String {
    let region = region_label(&hit.region.province, &hit.region.city, &hit.region.county);
    let year = hit
        .year
        .map_or("年份未知".to_string(), |y| format!("{y}年"));
    let doc_type = hit.doc_type.clone().unwrap_or_else(|| "类型未知".into());
    format!(
        "{}. {}  {}",
        rank,
        style.bold(&hit.title),
        style.dim(&format!("[{region} · {year} · {doc_type}]"))
    )
}

/// Writes one hit: title line, heading, highlighted snippet, where it is,
/// its targets and, with `--explain`, its score parts.
pub(crate) fn hit_block(w: &mut dyn Write, hit: &Hit, rank: usize, style: Style) -> io::Result<()> {
    writeln!(w, "{}", hit_header(hit, rank, style))?;
    if !hit.heading.is_empty() {
        writeln!(w, "   {}", style.dim(&hit.heading))?;
    }
    let snippet = Snippet {
        text: hit.snippet.clone(),
        highlights: hit.highlights.clone(),
    };
    writeln!(w, "   {}", style.highlight(&snippet))?;
    let mut meta = vec![crate::document::cite(&hit.path, hit.passage_no)];
    if let Some(pages) = hit.page_label() {
        meta.push(pages);
    }
    meta.push(format!("id {}", hit.id));
    if !hit.sectors.is_empty() {
        meta.push(hit.sectors.join(", "));
    }
    if !hit.instruments.is_empty() {
        meta.push(
            hit.instruments
                .iter()
                .map(|i| i.rsplit('/').next().unwrap_or(i))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some(n) = hit.matching_passages {
        meta.push(format!("{n} matching passages"));
    }
    meta.push(format!("score {:.2}", hit.score));
    writeln!(w, "   {}", style.dim(&meta.join(" · ")))?;
    if let Some(line) = issue_line(hit) {
        writeln!(w, "   {}", style.dim(&line))?;
    }
    if let Some(s) = &hit.superseded_by {
        writeln!(
            w,
            "   superseded by {} ({}, {}); --current leaves out superseded versions",
            safe(&s.title),
            safe(&s.date),
            safe(&s.path)
        )?;
    }
    if !hit.targets.is_empty() {
        writeln!(w, "   {}", safe(&targets_line(&hit.targets)))?;
    }
    if let Some(parts) = &hit.explain {
        for p in parts {
            writeln!(w, "     {:>7.2}  {}", p.score, safe(&p.part))?;
        }
    }
    if let Some(evidence) = &hit.instrument_evidence {
        for e in evidence {
            writeln!(
                w,
                "     {}  {}",
                style.dim("instrument"),
                safe(&e.to_string())
            )?;
        }
    }
    if let Some(n) = hit.more_from_document {
        writeln!(
            w,
            "   {}",
            style.dim(&format!(
                "+ {n} more from this document (further down; --per-doc 0 shows them in score order)"
            ))
        )?;
    }
    Ok(())
}

/// "张掖市委; 张掖市人民政府 · 市委发〔2018〕10号 · 成文 2018-02-08 · 施行
/// 2018-03-01 · 规范性文件": what a policy database shows of a document, when
/// any of it is known.
pub(crate) fn issue_line(hit: &Hit) -> Option<String> {
    let mut parts = Vec::new();
    if !hit.issuers.is_empty() {
        parts.push(hit.issuers.join("; "));
    }
    if let Some(n) = &hit.doc_number {
        parts.push(n.clone());
    }
    for (label, date) in [
        ("成文", &hit.written),
        ("发布", &hit.published),
        ("施行", &hit.effective),
    ] {
        if let Some(d) = date {
            parts.push(format!("{label} {d}"));
        }
    }
    if let Some(f) = &hit.force {
        parts.push(f.clone());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Writes search results as text.
pub fn write_search_text(
    w: &mut dyn Write,
    results: &SearchResults,
    style: Style,
) -> io::Result<()> {
    let unit = if results.hits.iter().any(|h| h.matching_passages.is_some()) {
        "documents"
    } else {
        "passages"
    };
    let verb = if unit == "passages" { "say" } else { "match" };
    writeln!(
        w,
        "{} {unit} {verb} {}",
        results.total,
        style.bold(&results.query)
    )?;
    if let Some(n) = results.context_only.filter(|n| *n > 0) {
        writeln!(
            w,
            "{}",
            style.dim(&format!(
                "{n} more passages stand in documents or sections titled with it without saying it (title:… or heading:… lists them)"
            ))
        )?;
    }
    if let Some(readings) = &results.explain {
        for r in readings {
            writeln!(w, "  {}", style.dim(&format!("read as {r}")))?;
        }
    }
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(w)?;
        hit_block(w, hit, i + 1, style)?;
    }
    let f = &results.facets;
    if !(f.region.is_empty()
        && f.year.is_empty()
        && f.sector.is_empty()
        && f.doc_type.is_empty()
        && f.instrument.is_empty())
    {
        writeln!(w)?;
        for (name, values) in [
            ("region", &f.region),
            ("year", &f.year),
            ("sector", &f.sector),
            ("type", &f.doc_type),
            ("issuer", &f.issuer),
            ("force", &f.force),
            ("instrument", &f.instrument),
        ] {
            if !values.is_empty() {
                writeln!(
                    w,
                    "{} {}",
                    style.bold(&format!("{name}:")),
                    safe(&facet_line(values, 12))
                )?;
            }
        }
    }
    Ok(())
}

/// Targets shown on one line; JSON and exports have them all.
const TARGETS_SHOWN: usize = 6;

/// "targets: 生产总值 ≥600亿元 (2025) · 一般公共预算收入 ≥40亿元 (2025)".
pub(crate) fn targets_line(targets: &[crate::extract::Target]) -> String {
    let mut parts: Vec<String> = targets
        .iter()
        .take(TARGETS_SHOWN)
        .map(|t| t.summary())
        .collect();
    if targets.len() > TARGETS_SHOWN {
        parts.push(format!("… {} more", targets.len() - TARGETS_SHOWN));
    }
    format!("targets: {}", parts.join(" · "))
}

fn facet_line(values: &[FacetValue], max: usize) -> String {
    let mut parts: Vec<String> = values
        .iter()
        .take(max)
        .map(|v| format!("{} {}", v.value, v.count))
        .collect();
    if values.len() > max {
        parts.push(format!("… {} more", values.len() - max));
    }
    parts.join(" · ")
}
