//! `plansearch stats` as text.

use std::io::{self, Write};

use super::Style;
use super::terminal::safe;
use super::tree::{pad, write_histogram};
use crate::search::breakdown::{TreeNode, ValueCount};
use crate::stats::IndexStats;

fn row(w: &mut dyn Write, name: &str, documents: u64, passages: u64) -> io::Result<()> {
    writeln!(w, "{}{documents:>10} {passages:>9}", pad(name, 30))
}

fn table(
    w: &mut dyn Write,
    style: Style,
    title: &str,
    values: &[ValueCount],
    unknown: &str,
) -> io::Result<()> {
    writeln!(
        w,
        "{}{}",
        style.bold(&pad(title, 30)),
        style.dim(" documents  passages")
    )?;
    for v in values {
        let name = v.value.clone().unwrap_or_else(|| unknown.to_string());
        row(w, &format!("  {name}"), v.documents, v.passages)?;
    }
    writeln!(w)
}

fn sectors(w: &mut dyn Write, nodes: &[TreeNode], depth: usize) -> io::Result<()> {
    for n in nodes {
        row(
            w,
            &format!("{}{}", "  ".repeat(depth + 1), n.name),
            n.documents,
            n.passages,
        )?;
        sectors(w, &n.children, depth + 1)?;
    }
    Ok(())
}

/// Writes the summary of an index.
pub fn write_stats_text(w: &mut dyn Write, s: &IndexStats, style: Style) -> io::Result<()> {
    writeln!(
        w,
        "{} {} (schema {}), built from {}",
        style.bold("index"),
        safe(&s.index),
        s.schema_version,
        if s.corpus.is_empty() {
            "?".into()
        } else {
            safe(&s.corpus)
        }
    )?;
    writeln!(
        w,
        "{} documents, {} passages; {} passages in {} documents hold {} quantified targets",
        s.total.documents,
        s.total.passages,
        s.with_targets.passages,
        s.with_targets.documents,
        s.targets
    )?;
    writeln!(
        w,
        "documents from {} provinces, {} cities, {} counties",
        s.regions.provinces, s.regions.cities, s.regions.counties
    )?;
    writeln!(w)?;
    table(w, style, "province", &s.by_province, "地区未知")?;
    writeln!(
        w,
        "{}{}",
        style.bold(&pad("year", 12)),
        style.dim("passages   docs")
    )?;
    write_histogram(w, &s.by_year)?;
    writeln!(w)?;
    table(w, style, "type", &s.by_doc_type, "类型未知")?;
    writeln!(
        w,
        "{}{}",
        style.bold(&pad("sector", 30)),
        style.dim(" documents  passages")
    )?;
    sectors(w, &s.by_sector, 0)?;
    row(w, "  行业未知", s.no_sector.documents, s.no_sector.passages)
}
