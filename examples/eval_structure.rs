//! Measures how well the indexer reads the structure of a corpus: titles,
//! headings, passage ends, what scraped pages leave behind.
//!
//! ```sh
//! cargo run --release --example eval_structure -- ../shared/corpus
//! cargo run --release --example eval_structure -- ../shared/reports --show heading
//! ```
//!
//! Every document is read exactly as the indexer reads it
//! (`document::load`), and each figure below is counted from its passages:
//! - **list items in a regulation's heading path**: passages of 地方性法规
//!   in articles whose heading path holds a (一)/1./（1） item (the unit of a regulation
//!   is the article, its items belong to it);
//! - **invisible characters** at a passage's start or end (U+200B…);
//! - **link labels as passages**: passages that are only "相关报道:",
//!   "上一篇", "【返回顶部】" and the like;
//! - **passages ending mid-sentence**: a passage over 60 characters whose text
//!   ends on a letter or digit while the next passage of the same paragraph
//!   goes on (no heading between them);
//! - **a page clock as the date**: documents whose year's evidence is a
//!   "2023年10月11日 星期三" line;
//! - **file-name titles**: documents with no title found.
//!
//! `--show NAME` lists the cases of one figure (heading, invisible, links,
//! midsentence, clock, title).

use std::path::PathBuf;
use std::process::ExitCode;

use plansearch::corpus::{self, passage::Marker, passage::marker_of};
use plansearch::document;
use plansearch::extract::{DocType, Overrides};

/// Passages that are only a link label or a toolbar button.
const LINK_LABELS: &[&str] = &[
    "相关报道",
    "【相关报道】",
    "相关链接",
    "上一篇",
    "下一篇",
    "返回顶部",
    "【返回顶部】",
    "关闭本页",
    "【关闭本页】",
    "打印本页",
    "【打印本页】",
    "网站地图",
];

#[derive(Default)]
struct Figure {
    count: usize,
    of: usize,
    cases: Vec<String>,
}

impl Figure {
    fn add(&mut self, hit: bool, case: impl FnOnce() -> String) {
        self.of += 1;
        if hit {
            self.count += 1;
            if self.cases.len() < 200 {
                self.cases.push(case());
            }
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut show = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--show" => show = args.next(),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "usage: eval_structure CORPUS_DIR [--show heading|invisible|links|midsentence|clock|title]"
        );
        return ExitCode::from(2);
    };
    let overrides = Overrides::default();
    let mut heading = Figure::default();
    let mut invisible = Figure::default();
    let mut links = Figure::default();
    let mut midsentence = Figure::default();
    let mut clock = Figure::default();
    let mut title = Figure::default();
    let mut skipped = 0;
    for file in corpus::walk(&dir).filter_map(Result::ok) {
        let Ok(doc) = document::load(&file, &overrides) else {
            skipped += 1;
            continue;
        };
        // A regulation in articles; a 决定 laid out in 一、(一) sections has
        // headings of its own.
        let is_regulation = doc.meta.doc_type.value == Some(DocType::Regulation)
            && doc
                .passages
                .iter()
                .any(|(p, _)| marker_of(&p.text) == Some(Marker::Article));
        title.add(doc.meta.title.value.is_none(), || file.rel.clone());
        clock.add(
            doc.meta.year.evidence.iter().any(|e| e.contains("星期")),
            || format!("{}: {}", file.rel, doc.meta.year.evidence.join("; ")),
        );
        for (i, (p, _)) in doc.passages.iter().enumerate() {
            let text = p.text.as_str();
            if is_regulation {
                let item = p.headings.iter().find(|h| {
                    matches!(
                        marker_of(h),
                        Some(Marker::Subsection | Marker::Item | Marker::SubItem | Marker::Circled)
                    )
                });
                heading.add(item.is_some(), || {
                    format!("{}#{}: {} | {}", file.rel, p.number, p.heading_path(), text)
                });
            }
            let invisible_edge = |c: Option<char>| {
                c.is_some_and(|c| matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'))
            };
            invisible.add(
                invisible_edge(text.chars().next()) || invisible_edge(text.chars().last()),
                || format!("{}#{}", file.rel, p.number),
            );
            let label = text.trim_end_matches([':', '：']);
            links.add(LINK_LABELS.contains(&label), || {
                format!("{}#{}: {text}", file.rel, p.number)
            });
            let next = doc.passages.get(i + 1).map(|(n, _)| n);
            let ends_open = text.chars().count() > 60
                && text.chars().last().is_some_and(char::is_alphanumeric)
                && next.is_some_and(|n| n.headings == p.headings && marker_of(&n.text).is_none());
            midsentence.add(ends_open, || {
                let tail: String = text
                    .chars()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let head: String = next
                    .map(|n| n.text.chars().take(20).collect())
                    .unwrap_or_default();
                format!("{}#{}: …{tail} | {head}…", file.rel, p.number)
            });
        }
    }
    let rows = [
        (
            "heading",
            "regulation passages with a list item in the heading path",
            &heading,
            "passages",
        ),
        (
            "invisible",
            "passages starting or ending with an invisible character",
            &invisible,
            "passages",
        ),
        (
            "links",
            "passages that are only a link label",
            &links,
            "passages",
        ),
        (
            "midsentence",
            "passages ending mid-sentence",
            &midsentence,
            "passages",
        ),
        (
            "clock",
            "documents dated by a page clock",
            &clock,
            "documents",
        ),
        (
            "title",
            "documents with no title found (file name shown)",
            &title,
            "documents",
        ),
    ];
    println!("{} ({} skipped)\n", dir.display(), skipped);
    println!("| figure | count | of | share |");
    println!("|---|---:|---:|---:|");
    for (_, what, f, unit) in &rows {
        let share = if f.of == 0 {
            0.0
        } else {
            f.count as f64 * 100.0 / f.of as f64
        };
        println!("| {what} | {} | {} {unit} | {share:.2}% |", f.count, f.of);
    }
    if let Some(name) = show
        && let Some((_, _, f, _)) = rows.iter().find(|(n, ..)| *n == name)
    {
        println!();
        for case in &f.cases {
            println!("{case}");
        }
    }
    ExitCode::SUCCESS
}
