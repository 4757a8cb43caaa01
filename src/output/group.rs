//! Grouped search results as text: one block per group.

use std::io::{self, Write};

use super::Style;
use super::terminal::safe;
use crate::search::group::{GroupBy, GroupResults};
use crate::search::highlight::Snippet;

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes grouped results: per group its label and counts, then its best
/// passage (title, where it is, highlighted snippet).
pub fn write_group_text(w: &mut dyn Write, r: &GroupResults, style: Style) -> io::Result<()> {
    let what = match r.group_by {
        GroupBy::Region => "regions",
        GroupBy::Province => "provinces",
        GroupBy::City => "cities",
        GroupBy::Year => "years",
        GroupBy::DocType => "document types",
        GroupBy::Sector => "sectors",
    };
    writeln!(
        w,
        "{} passages match {}, in {} {what}",
        r.total,
        style.bold(&r.query),
        r.total_groups
    )?;
    if r.groups.len() < r.total_groups {
        writeln!(
            w,
            "{}",
            style.dim(&format!(
                "showing {} of them (--limit 0 for all)",
                r.groups.len()
            ))
        )?;
    }
    for g in &r.groups {
        writeln!(w)?;
        let hit = &g.best;
        let year = hit.year.map_or("年份未知".into(), |y| format!("{y}年"));
        let doc_type = hit.doc_type.clone().unwrap_or_else(|| "类型未知".into());
        let place = match r.group_by {
            GroupBy::Region => String::new(),
            _ => format!(
                "{} · ",
                super::region_label(&hit.region.province, &hit.region.city, &hit.region.county)
            ),
        };
        writeln!(
            w,
            "{}  {} · {}  {}",
            style.bold(&g.label),
            plural(g.passages, "passage", "passages")
                + ", "
                + &plural(g.documents, "document", "documents"),
            safe(&hit.title),
            style.dim(&format!(
                "[{place}{year} · {doc_type}] {}",
                crate::document::cite(&hit.path, hit.passage_no)
            ))
        )?;
        let snippet = Snippet {
            text: hit.snippet.clone(),
            highlights: hit.highlights.clone(),
        };
        writeln!(w, "   {}", style.highlight(&snippet))?;
    }
    Ok(())
}
