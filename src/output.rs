//! Rendering results for people (text, colour on a terminal) and for scripts
//! (JSON with a stable shape).

use std::io::{self, Write};

use serde::Serialize;

use crate::document::Document;
use crate::extract::{DocType, Evidence, RegionNames};
use crate::search::highlight::{Snippet, mark};
use crate::search::{FacetValue, Hit, SearchResults};

/// How text output looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn highlight(&self, snippet: &Snippet) -> String {
        if self.color {
            mark(snippet, "\x1b[1;31m", "\x1b[0m")
        } else {
            mark(snippet, "【", "】")
        }
    }
}

/// "甘肃省 张掖市 临泽县", or "地区未知".
pub fn region_label(
    province: &Option<String>,
    city: &Option<String>,
    county: &Option<String>,
) -> String {
    let parts: Vec<&str> = [province, city, county]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if parts.is_empty() {
        "地区未知".to_string()
    } else {
        parts.join(" ")
    }
}

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
    writeln!(
        w,
        "{} {unit} match {}",
        results.total,
        style.bold(&results.query)
    )?;
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(w)?;
        writeln!(w, "{}", hit_header(hit, i + 1, style))?;
        if !hit.heading.is_empty() {
            writeln!(w, "   {}", style.dim(&hit.heading))?;
        }
        let snippet = Snippet {
            text: hit.snippet.clone(),
            highlights: hit.highlights.clone(),
        };
        writeln!(w, "   {}", style.highlight(&snippet))?;
        let mut meta = vec![
            format!("{}#{}", hit.path, hit.passage_no),
            format!("id {}", hit.id),
        ];
        if !hit.sectors.is_empty() {
            meta.push(hit.sectors.join(", "));
        }
        if let Some(n) = hit.matching_passages {
            meta.push(format!("{n} matching passages"));
        }
        meta.push(format!("score {:.2}", hit.score));
        writeln!(w, "   {}", style.dim(&meta.join(" · ")))?;
    }
    let f = &results.facets;
    if !(f.region.is_empty() && f.year.is_empty() && f.sector.is_empty() && f.doc_type.is_empty()) {
        writeln!(w)?;
        for (name, values) in [
            ("region", &f.region),
            ("year", &f.year),
            ("sector", &f.sector),
            ("type", &f.doc_type),
        ] {
            if !values.is_empty() {
                writeln!(
                    w,
                    "{} {}",
                    style.bold(&format!("{name}:")),
                    facet_line(values, 12)
                )?;
            }
        }
    }
    Ok(())
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

/// Writes search results as one JSON object.
pub fn write_search_json(w: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, results)?;
    writeln!(w)
}

/// What `inspect --json` prints.
#[derive(Debug, Serialize)]
pub struct InspectReport<'a> {
    /// Path as given.
    pub path: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Region names and code.
    pub region: RegionNames,
    /// Year.
    pub year: Option<u16>,
    /// Document type label.
    pub doc_type: Option<&'static str>,
    /// Target years promised in the document.
    pub target_years: &'a [u16],
    /// Passages with headings and sectors.
    pub passages: Vec<InspectPassage<'a>>,
    /// How each field was decided.
    pub evidence: InspectEvidence<'a>,
    /// Encoding the file was read in.
    pub encoding: &'a str,
}

/// One passage as inspect shows it.
#[derive(Debug, Serialize)]
pub struct InspectPassage<'a> {
    /// Passage number.
    pub number: usize,
    /// Heading path.
    pub heading: String,
    /// Text.
    pub text: &'a str,
    /// Sector facet paths.
    pub sectors: Vec<String>,
    /// Target years in the passage.
    pub target_years: &'a [u16],
}

/// The evidence for each document field.
#[derive(Debug, Serialize)]
pub struct InspectEvidence<'a> {
    /// Title.
    pub title: &'a Evidence<String>,
    /// Region.
    pub region: &'a Evidence<u32>,
    /// Year.
    pub year: &'a Evidence<u16>,
    /// Type.
    pub doc_type: &'a Evidence<DocType>,
}

/// The inspect report of an analysed document.
pub fn inspect_report(doc: &Document) -> InspectReport<'_> {
    InspectReport {
        path: &doc.path,
        title: doc.meta.title.value.as_deref(),
        region: RegionNames::of(doc.meta.region.value),
        year: doc.meta.year.value,
        doc_type: doc.meta.doc_type.value.map(DocType::label),
        target_years: &doc.meta.target_years,
        passages: doc
            .passages
            .iter()
            .map(|(p, m)| InspectPassage {
                number: p.number,
                heading: p.heading_path(),
                text: &p.text,
                sectors: m.sectors.iter().map(|s| s.facet_path()).collect(),
                target_years: &m.target_years,
            })
            .collect(),
        evidence: InspectEvidence {
            title: &doc.meta.title,
            region: &doc.meta.region,
            year: &doc.meta.year,
            doc_type: &doc.meta.doc_type,
        },
        encoding: doc.encoding,
    }
}

fn evidence_block<T>(
    w: &mut dyn Write,
    style: Style,
    name: &str,
    value: String,
    e: &Evidence<T>,
) -> io::Result<()> {
    let how = if e.given {
        "given".to_string()
    } else {
        format!("confidence {:.2}", e.confidence)
    };
    writeln!(
        w,
        "{} {}  {}",
        style.bold(&format!("{name:<9}")),
        value,
        style.dim(&format!("({how})"))
    )?;
    for line in &e.evidence {
        writeln!(w, "          {}", style.dim(&format!("- {line}")))?;
    }
    Ok(())
}

/// Writes an inspect report as text.
pub fn write_inspect_text(
    w: &mut dyn Write,
    doc: &Document,
    style: Style,
    show_passages: bool,
) -> io::Result<()> {
    let r = inspect_report(doc);
    writeln!(w, "{}  {}", style.bold("file"), r.path)?;
    if let Some(note) = &doc.read_note {
        writeln!(
            w,
            "          {}",
            style.dim(&format!("read as {}: {note}", doc.encoding))
        )?;
    }
    evidence_block(
        w,
        style,
        "title",
        r.title.unwrap_or("(none)").to_string(),
        &doc.meta.title,
    )?;
    let region = region_label(&r.region.province, &r.region.city, &r.region.county);
    evidence_block(w, style, "region", region, &doc.meta.region)?;
    let year = r.year.map_or("unknown".into(), |y| y.to_string());
    evidence_block(w, style, "year", year, &doc.meta.year)?;
    evidence_block(
        w,
        style,
        "type",
        r.doc_type.unwrap_or("unknown").to_string(),
        &doc.meta.doc_type,
    )?;
    if !r.target_years.is_empty() {
        let years: Vec<String> = r.target_years.iter().map(u16::to_string).collect();
        writeln!(w, "{} {}", style.bold("targets  "), years.join(", "))?;
    }
    writeln!(w, "{} {}", style.bold("passages "), r.passages.len())?;
    if show_passages {
        for p in &r.passages {
            writeln!(w)?;
            let sectors = if p.sectors.is_empty() {
                "no sector".to_string()
            } else {
                p.sectors.join(", ")
            };
            writeln!(w, "#{} {}", p.number, style.dim(&format!("[{sectors}]")))?;
            if !p.heading.is_empty() {
                writeln!(w, "   {}", style.dim(&p.heading))?;
            }
            writeln!(w, "   {}", p.text)?;
        }
    }
    Ok(())
}

/// Writes an inspect report as JSON.
pub fn write_inspect_json(w: &mut dyn Write, doc: &Document) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &inspect_report(doc))?;
    writeln!(w)
}
