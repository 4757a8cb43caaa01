//! Measures the readers: every fixture in a folder read as the indexer reads
//! it, compared with the text it was made from.
//!
//! ```sh
//! cargo run --release --example eval_formats                 # tests/fixtures/formats
//! cargo run --release --example eval_formats -- DIR --runs 5
//! ```
//!
//! For each `NAME.EXT` with a `NAME.expected.txt` beside it (see
//! tests/fixtures/formats/NOTES.md for how each was made):
//! - **accuracy**: 1 − (characters inserted, deleted or changed) / characters
//!   expected, whitespace removed on both sides, over the reader's lines
//!   (`read::read`), by a Myers diff;
//! - **leftovers**: lines of the cleaned text that are only a page number, or
//!   that repeat at page tops or bottoms (running headers), which the
//!   expected text never has;
//! - **speed**: pages/s and MB/s of `read::read` alone, best of `--runs`.
//!
//! A file its reader refuses (encrypted, truncated: the fixtures of bad
//! input) is listed with the reason and not scored. Goals: ≥ 0.99 for
//! born-digital formats, ≥ 0.90 for OCR; the exit code is 1 when one is missed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use plansearch::corpus;
use plansearch::read::{self, Limits, pages::is_page_number};

const BORN_DIGITAL_GOAL: f64 = 0.99;
const OCR_GOAL: f64 = 0.90;

struct Row {
    name: String,
    format: String,
    reader: String,
    ocr: bool,
    accuracy: f64,
    leftovers: usize,
    pages: u32,
    bytes: usize,
    seconds: f64,
}

fn main() -> ExitCode {
    let mut dir = PathBuf::from("tests/fixtures/formats");
    let mut runs = 3;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            other => dir = PathBuf::from(other),
        }
    }
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("eval_formats: {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    names.sort();
    for path in names {
        let Some(expected) = expected_of(&path) else {
            continue;
        };
        let bytes = std::fs::read(&path).unwrap_or_default();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        match measure(&name, &bytes, &expected, runs) {
            Ok(row) => rows.push(row),
            Err(why) => refused.push(format!("{name}: {why}")),
        }
    }
    println!("| file | format | reader | accuracy | leftovers | pages | pages/s | MB/s |");
    println!("|---|---|---|---:|---:|---:|---:|---:|");
    let mut all_met = true;
    for r in &rows {
        let goal = if r.ocr { OCR_GOAL } else { BORN_DIGITAL_GOAL };
        let met = r.accuracy >= goal && r.leftovers == 0;
        all_met &= met;
        println!(
            "| {} | {} | {}{} | {:.4}{} | {} | {} | {} | {:.1} |",
            r.name,
            r.format,
            r.reader,
            if r.ocr { " (OCR)" } else { "" },
            r.accuracy,
            if met { "" } else { " ✗" },
            r.leftovers,
            if r.pages > 0 {
                r.pages.to_string()
            } else {
                "-".into()
            },
            pages_per_second(r.pages, r.seconds),
            r.bytes as f64 / 1e6 / r.seconds.max(1e-9),
        );
    }
    let mut by_format: BTreeMap<String, (f64, usize, usize, f64, u32)> = BTreeMap::new();
    for r in &rows {
        let key = if r.ocr {
            format!("{} (OCR)", r.format)
        } else {
            r.format.clone()
        };
        let e = by_format.entry(key).or_default();
        e.0 += r.accuracy;
        e.1 += 1;
        e.2 += r.bytes;
        e.3 += r.seconds;
        e.4 += r.pages;
    }
    println!("\n| format | files | mean accuracy | pages/s | MB/s |");
    println!("|---|---:|---:|---:|---:|");
    for (format, (acc, n, bytes, secs, pages)) in &by_format {
        println!(
            "| {format} | {n} | {:.4} | {} | {:.1} |",
            acc / *n as f64,
            pages_per_second(*pages, *secs),
            *bytes as f64 / 1e6 / secs.max(1e-9)
        );
    }
    if !refused.is_empty() {
        println!("\nrefused, as bad input should be (not scored):");
        for r in &refused {
            println!("  {r}");
        }
    }
    println!(
        "\ngoals: accuracy ≥ {BORN_DIGITAL_GOAL} born-digital, ≥ {OCR_GOAL} OCR, no page numbers or running headers left: {}",
        if all_met { "met" } else { "not met" }
    );
    if all_met {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Pages a second, for formats with pages.
fn pages_per_second(pages: u32, seconds: f64) -> String {
    if pages == 0 {
        "-".into()
    } else {
        format!("{:.1}", f64::from(pages) / seconds.max(1e-9))
    }
}

/// The expected text beside a fixture, if it has one.
fn expected_of(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".expected.txt") || name.ends_with(".md") || name.ends_with(".py") {
        return None;
    }
    let stem = name.rsplit_once('.')?.0;
    std::fs::read_to_string(path.with_file_name(format!("{stem}.expected.txt"))).ok()
}

fn measure(name: &str, bytes: &[u8], expected: &str, runs: usize) -> Result<Row, String> {
    let mut best = f64::MAX;
    let mut extracted = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let e = read::read(bytes, &Limits::new()).map_err(|r| r.to_string())?;
        best = best.min(start.elapsed().as_secs_f64());
        extracted = Some(e);
    }
    let e = extracted.expect("at least one run");
    let got: String = e
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let cleaned = corpus::clean_lines(&e.lines);
    let leftovers = cleaned.paragraphs().filter(|p| is_page_number(p)).count();
    Ok(Row {
        name: name.to_string(),
        format: e.format.name().to_string(),
        reader: e.reader.to_string(),
        ocr: e.ocr.is_some(),
        accuracy: accuracy(expected, &got),
        leftovers,
        pages: e.pages.unwrap_or(0),
        bytes: bytes.len(),
        seconds: best,
    })
}

/// 1 − edits / expected characters, whitespace removed.
fn accuracy(expected: &str, got: &str) -> f64 {
    let squeeze = |s: &str| -> Vec<char> { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let (a, b) = (squeeze(expected), squeeze(got));
    if a.is_empty() {
        return if b.is_empty() { 1.0 } else { 0.0 };
    }
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut inserted = 0usize;
    let mut deleted = 0usize;
    for op in &ops {
        match op.tag() {
            similar::DiffTag::Insert => inserted += op.new_range().len(),
            similar::DiffTag::Delete => deleted += op.old_range().len(),
            similar::DiffTag::Replace => {
                inserted += op.new_range().len();
                deleted += op.old_range().len();
            }
            similar::DiffTag::Equal => {}
        }
    }
    // A changed character is one insertion and one deletion: count it once.
    let edits = inserted.max(deleted);
    (1.0 - edits as f64 / a.len() as f64).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_counts_edits_against_the_expected_length() {
        assert_eq!(accuracy("一般公共预算收入", "一般公共预算收入"), 1.0);
        assert_eq!(accuracy("一般公共预算收入", "一般公 共预算\n收入"), 1.0);
        // One character changed in eight.
        assert!((accuracy("一般公共预算收入", "一般公共预算收人") - 0.875).abs() < 1e-9);
        // A page number left in: one extra character in eight.
        assert!((accuracy("一般公共预算收入", "一般公共预算收入3") - 0.875).abs() < 1e-9);
    }
}
