//! The inspect report: each field's value, confidence and evidence.

use std::io::{self, Write};

use serde::Serialize;

use super::terminal::safe;
use super::{Style, region_label};
use crate::document::{Document, SheetRow};
use crate::extract::{DocType, Evidence, Issuance, RegionNames, Target};
use crate::read::{Format, ReadInfo};

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
    /// Issuer, document number, dates and level of force, each with its
    /// confidence and evidence.
    pub issuance: &'a Issuance,
    /// Passages with headings and sectors.
    pub passages: Vec<InspectPassage<'a>>,
    /// How each field was decided.
    pub evidence: InspectEvidence<'a>,
    /// Encoding the file was read in.
    pub encoding: &'a str,
    /// How the file was read: format, reader, pages, what the container
    /// said, what was dropped as boilerplate, OCR.
    pub read: &'a ReadInfo,
    /// For a spreadsheet row: which row, read by which columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<&'a SheetRow>,
}

/// One passage as inspect shows it.
#[derive(Debug, Serialize)]
pub struct InspectPassage<'a> {
    /// Passage number (1-based), as hits call it.
    pub passage_no: usize,
    /// Heading path.
    pub heading: String,
    /// Text.
    pub text: &'a str,
    /// Pages (first, last), for paged formats.
    pub pages: Option<(u32, u32)>,
    /// Sectors (`sector/sub`, as in hits).
    pub sectors: Vec<String>,
    /// Target years in the passage.
    pub target_years: &'a [u16],
    /// Quantified targets in the passage.
    pub targets: &'a [Target],
    /// Policy instruments, each with its cue words and sentence.
    pub instruments: &'a [crate::extract::InstrumentTag],
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
        issuance: &doc.meta.issuance,
        passages: doc
            .passages
            .iter()
            .map(|(p, m)| InspectPassage {
                passage_no: p.number,
                heading: p.heading_path(),
                text: &p.text,
                pages: p.pages,
                sectors: m.sectors.iter().map(|s| s.label()).collect(),
                target_years: &m.target_years,
                targets: &m.targets,
                instruments: &m.instruments,
            })
            .collect(),
        evidence: InspectEvidence {
            title: &doc.meta.title,
            region: &doc.meta.region,
            year: &doc.meta.year,
            doc_type: &doc.meta.doc_type,
        },
        encoding: doc.read.encoding,
        read: &doc.read,
        row: doc.row.as_ref(),
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
        safe(&value),
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
    writeln!(w, "{}  {}", style.bold("file"), safe(r.path))?;
    write_read_info(w, style, &doc.read)?;
    if let Some(row) = r.row {
        write_sheet_row(w, style, row)?;
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
    write_issuance(w, style, &doc.meta.issuance)?;
    if !r.target_years.is_empty() {
        let years: Vec<String> = r.target_years.iter().map(u16::to_string).collect();
        writeln!(w, "{} {}", style.bold("targets  "), years.join(", "))?;
    }
    writeln!(w, "{} {}", style.bold("passages "), r.passages.len())?;
    if show_passages {
        for p in &r.passages {
            write_passage(w, style, p)?;
        }
    }
    Ok(())
}

/// Which sheet row a document is, and by which columns it was read.
fn write_sheet_row(w: &mut dyn Write, style: Style, row: &SheetRow) -> io::Result<()> {
    let columns: Vec<String> = row
        .columns
        .iter()
        .map(|(role, header)| format!("{}={header}", role.key()))
        .collect();
    writeln!(
        w,
        "{}  sheet {:?} row {}, by the columns of {}: {}",
        style.bold("row "),
        row.sheet,
        row.row,
        safe(&row.columns_from),
        safe(&columns.join(", "))
    )?;
    Ok(())
}

/// One passage: number, pages, sectors, heading, text, targets, instruments.
fn write_passage(w: &mut dyn Write, style: Style, p: &InspectPassage) -> io::Result<()> {
    writeln!(w)?;
    let sectors = if p.sectors.is_empty() {
        "no sector".to_string()
    } else {
        p.sectors.join(", ")
    };
    let pages = match p.pages {
        Some((a, b)) if a == b => format!(" p. {a}"),
        Some((a, b)) => format!(" pp. {a}-{b}"),
        None => String::new(),
    };
    writeln!(
        w,
        "#{}{} {}",
        p.passage_no,
        pages,
        style.dim(&format!("[{sectors}]"))
    )?;
    if !p.heading.is_empty() {
        writeln!(w, "   {}", style.dim(&p.heading))?;
    }
    // A passage keeps its line breaks; each line is made safe.
    for line in p.text.lines() {
        writeln!(w, "   {}", safe(line))?;
    }
    for t in p.targets {
        writeln!(w, "   {} {}", style.dim("target"), safe(&t.summary()))?;
    }
    for i in p.instruments {
        writeln!(w, "   {} {}", style.dim("instrument"), safe(&i.explain()))?;
    }
    Ok(())
}

/// The issue fields, each with its evidence; amendments one a line.
fn write_issuance(w: &mut dyn Write, style: Style, i: &Issuance) -> io::Result<()> {
    let issuers = match &i.issuers.value {
        Some(list) => list
            .iter()
            .map(|x| {
                if x.written == x.normalised {
                    x.written.clone()
                } else {
                    format!("{} (= {})", x.written, x.normalised)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        None => "unknown".into(),
    };
    evidence_block(w, style, "issuer", issuers, &i.issuers)?;
    let docno = i.doc_number.value.as_ref().map_or("none".into(), |d| {
        if d.written == d.normalised {
            d.written.clone()
        } else {
            format!("{} (= {})", d.written, d.normalised)
        }
    });
    evidence_block(w, style, "doc no.", docno, &i.doc_number)?;
    for (name, e) in [
        ("written", &i.written),
        ("published", &i.published),
        ("adopted", &i.adopted),
        ("approved", &i.approved),
        ("effective", &i.effective),
    ] {
        // An unknown date is shown only when the document could have one.
        if e.value.is_some() || name == "written" || name == "effective" || name == "published" {
            let value = e.value.map_or("unknown".into(), |d| d.to_string());
            evidence_block(w, style, name, value, e)?;
        }
    }
    for a in &i.amendments {
        writeln!(
            w,
            "{} {} {}  {}",
            style.bold("amended  "),
            a.date,
            safe(&a.kind),
            style.dim(&format!("({})", a.by))
        )?;
    }
    let force = i.force.value.map_or("unknown", |f| f.label()).to_string();
    evidence_block(w, style, "force", force, &i.force)
}

/// The format, the reader, pages, what the container said and what was
/// dropped, under the file line.
fn write_read_info(w: &mut dyn Write, style: Style, read: &ReadInfo) -> io::Result<()> {
    let mut line = format!("{} (read by {})", read.format.name(), read.reader);
    if read.format == Format::Text || read.format == Format::Html {
        line.push_str(&format!(", {}", read.encoding));
    }
    if let Some(pages) = read.pages {
        line.push_str(&format!(", {pages} pages"));
    }
    writeln!(w, "{} {}", style.bold("format   "), line)?;
    if let Some(note) = &read.note {
        writeln!(w, "          {}", style.dim(&format!("- {note}")))?;
    }
    if let Some(ocr) = &read.ocr {
        writeln!(
            w,
            "          {}",
            style.dim(&format!(
                "- text by OCR ({}), {} pages, mean confidence {:.0}",
                ocr.engine, ocr.pages, ocr.confidence
            ))
        )?;
    }
    let meta = &read.meta;
    for (name, value) in [
        ("title", &meta.title),
        ("published", &meta.published),
        ("source", &meta.source),
        ("author", &meta.author),
    ] {
        if let Some((value, from)) = value {
            writeln!(
                w,
                "          {}",
                style.dim(&format!("- {name} \"{value}\" ({from})"))
            )?;
        }
    }
    if !read.dropped.is_empty() {
        let total: usize = read.dropped.iter().map(|d| d.count).sum();
        writeln!(w, "{} {total} lines", style.bold("dropped  "))?;
        for d in &read.dropped {
            writeln!(
                w,
                "          {}",
                style.dim(&format!("- {} ×{}: \"{}\"", d.what, d.count, d.sample))
            )?;
        }
    }
    Ok(())
}

/// Writes an inspect report as JSON.
pub fn write_inspect_json(w: &mut dyn Write, doc: &Document) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &inspect_report(doc))?;
    writeln!(w)
}
