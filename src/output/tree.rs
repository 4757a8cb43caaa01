//! The full breakdown (`search --facets`) as text: the region tree, a year
//! histogram, types and the sector tree.

use std::io::{self, Write};

use super::Style;
use crate::search::breakdown::{Count, FacetTree, TreeNode, ValueCount};

/// Display width of text: CJK characters take two columns.
pub(crate) fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if crate::text::is_cjk(c) || c as u32 >= 0x3000 {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `text` padded with spaces to `columns` display columns.
pub(crate) fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

fn count(passages: u64, documents: u64) -> String {
    format!("{passages:>7} {documents:>6}")
}

fn write_nodes(
    w: &mut dyn Write,
    nodes: &[TreeNode],
    depth: usize,
    max_children: usize,
) -> io::Result<()> {
    for (i, n) in nodes.iter().enumerate() {
        if i == max_children {
            let rest: u64 = nodes[i..].iter().map(|n| n.passages).sum();
            writeln!(
                w,
                "{}",
                pad(
                    &format!(
                        "{}… {} more ({rest} passages)",
                        "  ".repeat(depth + 1),
                        nodes.len() - i
                    ),
                    34
                )
            )?;
            break;
        }
        writeln!(
            w,
            "{}{}",
            pad(&format!("{}{}", "  ".repeat(depth + 1), n.name), 34),
            count(n.passages, n.documents)
        )?;
        write_nodes(w, &n.children, depth + 1, max_children)?;
    }
    Ok(())
}

fn write_values(w: &mut dyn Write, values: &[ValueCount], unknown: &str) -> io::Result<()> {
    for v in values {
        let name = v.value.clone().unwrap_or_else(|| unknown.to_string());
        writeln!(
            w,
            "{}{}",
            pad(&format!("  {name}"), 34),
            count(v.passages, v.documents)
        )?;
    }
    Ok(())
}

/// A year histogram: one row per year, a bar scaled to the busiest year.
pub(crate) fn write_histogram(w: &mut dyn Write, years: &[ValueCount]) -> io::Result<()> {
    let max = years.iter().map(|y| y.passages).max().unwrap_or(1).max(1);
    for y in years {
        let bar = "█".repeat(((y.passages * 30).div_ceil(max)) as usize);
        let name = y.value.clone().unwrap_or_else(|| "年份未知".into());
        writeln!(
            w,
            "  {}{} {bar}",
            pad(&name, 10),
            count(y.passages, y.documents)
        )?;
    }
    Ok(())
}

fn heading(w: &mut dyn Write, style: Style, name: &str) -> io::Result<()> {
    writeln!(
        w,
        "{}{}",
        style.bold(&pad(name, 34)),
        style.dim("passages   docs")
    )
}

/// The line of passages a dimension has no value for, when there are any.
fn write_unknown(w: &mut dyn Write, label: &str, tally: &Count) -> io::Result<()> {
    if tally.passages > 0 {
        writeln!(
            w,
            "{}{}",
            pad(&format!("  {label}"), 34),
            count(tally.passages, tally.documents)
        )?;
    }
    Ok(())
}

/// Writes the full breakdown.
pub fn write_tree_text(w: &mut dyn Write, tree: &FacetTree, style: Style) -> io::Result<()> {
    heading(w, style, "region")?;
    write_nodes(w, &tree.region, 0, 40)?;
    write_unknown(w, "地区未知", &tree.region_unknown)?;
    writeln!(w)?;
    writeln!(
        w,
        "{}{}",
        style.bold(&pad("year", 12)),
        style.dim("passages   docs")
    )?;
    write_histogram(w, &tree.year)?;
    writeln!(w)?;
    heading(w, style, "type")?;
    write_values(w, &tree.doc_type, "类型未知")?;
    writeln!(w)?;
    heading(w, style, "sector")?;
    write_nodes(w, &tree.sector, 0, 40)?;
    write_unknown(w, "行业未知", &tree.sector_none)?;
    writeln!(w)?;
    writeln!(
        w,
        "{} {} passages in {} documents hold {} quantified targets",
        style.bold("targets:"),
        tree.with_targets.passages,
        tree.with_targets.documents,
        tree.targets
    )
}
