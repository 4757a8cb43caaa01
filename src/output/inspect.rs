//! The inspect report: each field's value, confidence and evidence.

use std::io::{self, Write};

use serde::Serialize;

use super::{Style, region_label};
use crate::document::Document;
use crate::extract::{DocType, Evidence, RegionNames, Target};

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
    /// Quantified targets in the passage.
    pub targets: &'a [Target],
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
                targets: &m.targets,
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
            for t in p.targets {
                writeln!(w, "   {} {}", style.dim("target"), t.summary())?;
            }
        }
    }
    Ok(())
}

/// Writes an inspect report as JSON.
pub fn write_inspect_json(w: &mut dyn Write, doc: &Document) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &inspect_report(doc))?;
    writeln!(w)
}
