//! Similar passages as text.

use std::io::{self, Write};

use super::Style;
use super::search::{hit_block, targets_line};
use super::terminal::safe;
use crate::similar::SimilarResults;

/// Writes similar passages as text: the source, the key terms that made the
/// query, then each passage with the terms it shares.
pub fn write_similar_text(
    w: &mut dyn Write,
    results: &SimilarResults,
    style: Style,
) -> io::Result<()> {
    match &results.source {
        Some(source) => {
            writeln!(
                w,
                "{} {}  {}",
                style.bold("similar to"),
                safe(&crate::document::cite(&source.path, source.passage_no)),
                style.dim(&format!(
                    "[{} · {}]",
                    super::region_label(
                        &source.region.province,
                        &source.region.city,
                        &source.region.county
                    ),
                    source.title
                ))
            )?;
            if !source.heading.is_empty() {
                writeln!(w, "   {}", style.dim(&source.heading))?;
            }
            writeln!(w, "   {}", safe(&crate::text::ellipsize(&source.text, 120)))?;
            if !source.targets.is_empty() {
                writeln!(w, "   {}", safe(&targets_line(&source.targets)))?;
            }
        }
        None => writeln!(
            w,
            "{} {}",
            style.bold("similar to the text"),
            safe(&crate::text::ellipsize(&results.text, 120))
        )?,
    }
    let terms: Vec<String> = results
        .key_terms
        .iter()
        .map(|k| format!("{} {:.1}", k.term, k.weight))
        .collect();
    writeln!(
        w,
        "{} {}",
        style.bold("key terms:"),
        style.dim(&terms.join(" · "))
    )?;
    let mut scope = format!(
        "{} passages of other documents share at least {} of them",
        results.total, results.min_shared
    );
    if let Some(region) = &results.excluded_region {
        scope.push_str(&format!(", outside {region}"));
    }
    writeln!(w, "{}", safe(&scope))?;
    for (i, h) in results.hits.iter().enumerate() {
        writeln!(w)?;
        hit_block(w, &h.hit, i + 1, style)?;
        writeln!(
            w,
            "   {} {}",
            style.dim("shares:"),
            safe(&h.shared_terms.join(" · "))
        )?;
    }
    Ok(())
}
