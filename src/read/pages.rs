//! From the lines on pages to paragraphs: what PDF, OFD and OCR output share.
//!
//! Every reader of a paged format gives back the visual lines: a wrap every
//! ~30 characters (a wrap inside 一般公共预算 breaks a phrase match), the page
//! number ("— 3 —", "- 3 -", "第 3 页 共 20 页") and any running header or
//! footer on every page. Measured on LibreOffice-, Chromium- and
//! reportlab-made Chinese PDFs, dropping the lines that recur at page tops and
//! bottoms and joining full-width lines took the good readers' character
//! accuracy from 0.994 to 1.000: this step matters more than the reader.
//!
//! A line joins the next when it runs to the right margin (within a character
//! or so) and the next is not indented; with no geometry (a reader that gives
//! text only) "runs to the margin" is "nearly as long as the usual full line".
//! A line that ends a sentence and is followed by a numbered line ("二、",
//! "（三）", "第五条") ends its paragraph even when full: that is a heading.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{Dropped, Line, note_dropped};

/// Where a line stands on its page, in any unit (PDF points, OFD millimetres,
/// pixels) as long as a page uses one; `top` grows downwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top edge.
    pub top: f32,
    /// Character height (font size).
    pub size: f32,
}

/// One visual line of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLine {
    /// Its text, runs in reading order (cells of a table row apart by a tab).
    pub text: String,
    /// Where it stands, when the reader knows.
    pub geometry: Option<Geometry>,
}

impl PageLine {
    /// A line with no geometry.
    pub fn text(text: impl Into<String>) -> PageLine {
        PageLine {
            text: text.into(),
            geometry: None,
        }
    }
}

/// One page as read, lines top to bottom.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// 1-based page number in the file.
    pub number: u32,
    /// Its lines, in reading order.
    pub lines: Vec<PageLine>,
}

/// Lines at the top and at the bottom of a page that may be a page number or
/// a running header or footer.
const EDGE_LINES: usize = 2;

/// Page numbers as typeset in Chinese official documents and elsewhere (and
/// as OCR reads "— 3 —": "一 3 一").
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            [-—–－―·•~〜\s]*\d{1,4}[-—–－―·•~〜\s]*
          | 一\s*\d{1,4}\s*一
          | 第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?
          | 共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页
          | \d{1,4}\s*/\s*\d{1,4}
          | page\s*\d{1,4}(?:\s*of\s*\d{1,4})?
          | [-—–\s]*[ivxlc]{1,6}[-—–\s]*
        )$",
    )
    .expect("valid regex")
});

/// A line that opens a numbered heading or article.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百零〇\d]+[章节条部]|\d{1,2}[、.．])")
        .expect("valid regex")
});

/// True for a line that is only a page number.
pub fn is_page_number(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.chars().count() <= 24 && PAGE_NUMBER.is_match(line)
}

/// Pages to paragraphs: page numbers and running headers and footers dropped
/// (and counted), visual wraps joined, each paragraph with the page it starts
/// on and, if it runs over, the page it ends on.
pub fn assemble(pages: &[Page]) -> (Vec<Line>, Vec<Dropped>) {
    let mut dropped = Vec::new();
    let recurring = recurring_edges(pages);
    let kept: Vec<(u32, Vec<&PageLine>)> = pages
        .iter()
        .map(|p| (p.number, body_lines(p, &recurring, &mut dropped)))
        .collect();
    let margins = Margins::of(kept.iter().flat_map(|(_, lines)| lines.iter().copied()));
    let mut out: Vec<Line> = Vec::new();
    let mut open = false; // the last paragraph ran to the margin
    let mut previous: Option<&PageLine> = None;
    for (number, lines) in &kept {
        for line in lines {
            let text = line.text.trim();
            // A line a long number did not fit on ends short of the margin;
            // it goes on when the next line starts with that number.
            let goes_on =
                open || previous.is_some_and(|prev| margins.wrapped_before_a_number(prev, text));
            if goes_on
                && !is_table_row(text)
                && let (Some(prev), Some(last)) = (previous, out.last_mut())
                && !margins.starts_paragraph(prev, line)
            {
                if needs_space(&last.text, text) {
                    last.text.push(' ');
                }
                last.text.push_str(text);
                if last.page != Some(*number) {
                    last.last_page = Some(*number);
                }
            } else {
                out.push(Line {
                    text: text.to_string(),
                    page: Some(*number),
                    last_page: None,
                    outline: None,
                });
            }
            open = margins.is_full(line) && !is_table_row(text);
            previous = Some(line);
        }
    }
    (out, dropped)
}

/// A page's lines without its page number and running header and footer.
fn body_lines<'a>(
    page: &'a Page,
    recurring: &HashMap<String, usize>,
    dropped: &mut Vec<Dropped>,
) -> Vec<&'a PageLine> {
    let lines: Vec<&PageLine> = page
        .lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .collect();
    let n = lines.len();
    lines
        .into_iter()
        .enumerate()
        .filter(|(i, line)| {
            let at_edge = *i < EDGE_LINES || *i + EDGE_LINES >= n;
            if !at_edge {
                return true;
            }
            if is_page_number(&line.text) {
                note_dropped(dropped, "page number", line.text.trim());
                return false;
            }
            if recurring.contains_key(&edge_key(&line.text)) {
                let what = if *i < EDGE_LINES {
                    "running header"
                } else {
                    "running footer"
                };
                note_dropped(dropped, what, line.text.trim());
                return false;
            }
            true
        })
        .map(|(_, l)| l)
        .collect()
}

/// Edge lines (digits folded) that stand on enough pages to be a running
/// header or footer: three pages, or both pages of a two-page file when short.
fn recurring_edges(pages: &[Page]) -> HashMap<String, usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let lines: Vec<&PageLine> = page
            .lines
            .iter()
            .filter(|l| !l.text.trim().is_empty())
            .collect();
        let n = lines.len();
        let mut keys: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < EDGE_LINES || *i + EDGE_LINES >= n)
            .map(|(_, l)| edge_key(&l.text))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    // In a long file a short line ("发展。") ends a paragraph at the foot of
    // a few pages by chance; a running header stands on most of them.
    let needed = if pages.len() == 2 { 2 } else { 3 }.max(pages.len() / 4);
    seen.retain(|key, count| *count >= needed && (pages.len() > 2 || key.chars().count() <= 30));
    seen
}

/// A line as compared across pages: no spaces, digits as `#` ("第 3 页" and
/// "第 4 页" are one footer).
fn edge_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// The text block's edges over the whole file.
struct Margins {
    /// Left edge of unindented lines.
    left: Option<f32>,
    /// Right edge of full lines.
    right: Option<f32>,
    /// Usual character height.
    size: f32,
    /// Usual length of a full line, in characters, for lines with no geometry.
    full_chars: usize,
}

impl Margins {
    fn of<'a>(lines: impl Iterator<Item = &'a PageLine>) -> Margins {
        let mut lefts = Vec::new();
        let mut rights = Vec::new();
        let mut sizes = Vec::new();
        let mut lengths = Vec::new();
        for line in lines {
            let chars = line.text.trim().chars().count();
            if chars >= 8 {
                lengths.push(chars);
            }
            if let Some(g) = line.geometry {
                sizes.push(g.size);
                // A table row (cells apart by tabs) often runs past the text
                // block on both sides: it tells nothing of the margins.
                if !line.text.contains('\t') {
                    lefts.push(g.x0);
                    rights.push(g.x1);
                }
            }
        }
        let pick = |v: &mut Vec<f32>, q: f32| -> Option<f32> {
            if v.is_empty() {
                return None;
            }
            v.sort_by(f32::total_cmp);
            Some(v[((v.len() - 1) as f32 * q) as usize])
        };
        lengths.sort_unstable();
        let size = pick(&mut sizes, 0.5).unwrap_or(10.0);
        Margins {
            left: pick(&mut lefts, 0.1),
            right: right_margin(&mut rights, size),
            size,
            full_chars: lengths
                .get(lengths.len().saturating_sub(1) * 9 / 10)
                .copied()
                .unwrap_or(usize::MAX),
        }
    }

    /// True when the line runs to the right margin, so the paragraph goes on.
    fn is_full(&self, line: &PageLine) -> bool {
        let text = line.text.trim();
        // A table row stands alone, however wide.
        if text.contains('\t') {
            return false;
        }
        match (line.geometry, self.right) {
            (Some(g), Some(right)) => g.x1 >= right - 1.5 * self.size.max(g.size),
            _ => {
                let chars = text.chars().count();
                self.full_chars != usize::MAX && chars * 10 >= self.full_chars * 9
            }
        }
    }

    /// True when `prev` nearly reaches the margin (within the width of a long
    /// number), ends inside a sentence, and `next` starts with a number or
    /// Latin word that would not fit, or with an opening mark that may not end
    /// a line: "…贡献率达" then "72.9%，装备制造业…", "…围绕" then "“3815”战略".
    fn wrapped_before_a_number(&self, prev: &PageLine, next: &str) -> bool {
        let (Some(g), Some(right), Some(left)) = (prev.geometry, self.right, self.left) else {
            return false;
        };
        let prev_text = prev.text.trim_end();
        let ends_inside = prev_text
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() && !c.is_ascii());
        ends_inside
            && !is_table_row(prev_text)
            && g.x1 >= right - 7.0 * self.size.max(g.size)
            && g.x1 - left >= 0.6 * (right - left)
            && next.starts_with(|c: char| c.is_ascii_alphanumeric() || "“《（(".contains(c))
            && !NUMBERED.is_match(next)
    }

    /// True when `next` is the second line of a centred title that wrapped:
    /// centred under `prev` in the same size, short of both margins, and
    /// `prev` ends no sentence.
    fn continues_centred(&self, prev: &Geometry, next: &Geometry, prev_text: &str) -> bool {
        let Some(right) = self.right else {
            return false;
        };
        let centre = |g: &Geometry| (g.x0 + g.x1) / 2.0;
        next.x1 < right - 1.2 * next.size
            && (centre(prev) - centre(next)).abs() < next.size
            && (prev.size - next.size).abs() < 0.1 * next.size
            && !ends_sentence(prev_text)
    }

    /// True when `next` opens a paragraph of its own after `prev`: indented,
    /// far below, or numbered after a finished sentence.
    fn starts_paragraph(&self, prev: &PageLine, next: &PageLine) -> bool {
        let prev_text = prev.text.trim_end();
        let next_text = next.text.trim();
        if ends_sentence(prev_text) && NUMBERED.is_match(next_text) || next_text.contains('\t') {
            return true;
        }
        match (prev.geometry, next.geometry, self.left) {
            (Some(p), Some(n), Some(left)) => {
                let indented = n.x0 > left + 1.2 * n.size;
                // A gap of more than a line and a half between lines on one
                // page is a paragraph break; a new page's top is not.
                let gap = n.top - p.top;
                let far = gap > 2.2 * p.size.max(n.size);
                // A heading set larger than the text beside it is its own
                // paragraph, however far it runs.
                let resized = (p.size - n.size).abs() > 0.2 * p.size.max(n.size);
                if indented && !far && !resized && self.continues_centred(&p, &n, prev_text) {
                    return false;
                }
                indented || far || resized
            }
            _ => next.text.starts_with([' ', '\u{3000}']),
        }
    }
}

/// The right edge of the text block: where most of the longer lines end.
/// Justified lines end within a character of one another; a table or a line
/// in a larger font running past them is fewer lines, so the densest
/// cluster of right edges in the right half of the distribution is the
/// margin (a high percentile alone lands on the table's edge).
fn right_margin(rights: &mut [f32], size: f32) -> Option<f32> {
    if rights.is_empty() {
        return None;
    }
    rights.sort_by(f32::total_cmp);
    let upper = &rights[(rights.len() - 1) / 2..];
    let mut best = (0usize, upper[upper.len() - 1]);
    // A window over the sorted edges: linear even when thousands of lines
    // end at one place.
    let mut low = 0;
    for (i, &edge) in upper.iter().enumerate() {
        while upper[low] < edge - size {
            low += 1;
        }
        let near = i + 1 - low;
        if near >= best.0 {
            best = (near, edge);
        }
    }
    // No two lines end together (a short page): the usual full line's edge.
    if best.0 < 2 {
        return Some(rights[((rights.len() - 1) as f32 * 0.9) as usize]);
    }
    Some(best.1)
}

/// A table row: its cells apart by tabs. Rows are lines of their own, never
/// joined to a paragraph or to each other.
fn is_table_row(text: &str) -> bool {
    text.contains('\t')
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['。', '！', '？', '!', '?', '：', ':', '；', ';'])
}

fn needs_space(left: &str, right: &str) -> bool {
    let l = left.chars().last().unwrap_or(' ');
    let r = right.chars().next().unwrap_or(' ');
    // Words wrapped in Latin text are apart; a number wrapped in Chinese
    // text ("8" / "0%以上") is one.
    l.is_ascii_alphanumeric()
        && r.is_ascii_alphanumeric()
        && !(l.is_ascii_digit() && r.is_ascii_digit())
}

/// Page numbers left alone on their lines in text converted from a PDF
/// (00102 of ../shared/corpus: "…不断完善石化行业" / "1" / "智能制造标准体系。"):
/// when at least three such lines count up page by page, they are page breaks,
/// not text. They are dropped, and the lines between get their pages: a
/// number ends its page, unless the text opens with one (a header).
pub fn number_text_pages(lines: &mut Vec<Line>, dropped: &mut Vec<Dropped>) -> Option<u32> {
    const LEAST_NUMBERS: usize = 3;
    let numbered: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| page_number_value(&l.text).map(|n| (i, n)))
        .collect();
    // The longest run that counts up by one (a skipped page allowed).
    let mut best: Vec<(usize, u32)> = Vec::new();
    let mut run: Vec<(usize, u32)> = Vec::new();
    for &(i, n) in &numbered {
        match run.last() {
            Some(&(_, last)) if n > last && n <= last + 2 => run.push((i, n)),
            _ => run = vec![(i, n)],
        }
        if run.len() > best.len() {
            best = run.clone();
        }
    }
    if best.len() < LEAST_NUMBERS {
        return None;
    }
    // Chinese official documents number pages in the footer; a number that
    // opens the text is a header.
    let at_top = lines
        .iter()
        .take(best[0].0)
        .all(|l| l.text.trim().is_empty());
    let mut page_of = vec![0u32; lines.len()];
    let mut next = 0;
    for (i, slot) in page_of.iter_mut().enumerate() {
        while next < best.len()
            && (if at_top {
                best[next].0 <= i
            } else {
                best[next].0 < i
            })
        {
            next += 1;
        }
        *slot = if at_top {
            best[next.saturating_sub(1)].1.max(1)
        } else {
            best.get(next)
                .map_or(best[best.len() - 1].1 + 1, |&(_, n)| n)
        };
    }
    let breaks: std::collections::HashSet<usize> = best.iter().map(|&(i, _)| i).collect();
    let mut kept = Vec::with_capacity(lines.len());
    for (i, mut line) in std::mem::take(lines).into_iter().enumerate() {
        if breaks.contains(&i) {
            note_dropped(dropped, "page number", line.text.trim());
            continue;
        }
        line.page = Some(page_of[i]);
        kept.push(line);
    }
    *lines = kept;
    page_of.iter().copied().max()
}

/// The number of a line that is only a page number.
fn page_number_value(line: &str) -> Option<u32> {
    if !is_page_number(line) {
        return None;
    }
    let digits: String = line.chars().filter(char::is_ascii_digit).collect();
    // "第 3 页 共 20 页" names its own page first.
    let first: String = line
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    first.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line `chars` wide starting `indent` characters in, at line `row`, in
    /// a 10-point font on a 30-character text block.
    fn at(text: &str, indent: f32, row: f32) -> PageLine {
        let chars = text.chars().count() as f32;
        PageLine {
            text: text.to_string(),
            geometry: Some(Geometry {
                x0: 72.0 + indent * 10.0,
                x1: 72.0 + (indent + chars) * 10.0,
                top: 72.0 + row * 14.0,
                size: 10.0,
            }),
        }
    }

    fn page(number: u32, lines: Vec<PageLine>) -> Page {
        Page { number, lines }
    }

    #[test]
    fn recognises_page_numbers() {
        let cases: &[(&str, bool)] = &[
            ("— 3 —", true),
            ("- 3 -", true),
            ("－12－", true),
            ("第 3 页 共 20 页", true),
            ("第3页，共20页", true),
            ("共20页 第3页", true),
            ("3 / 20", true),
            ("12", true),
            ("Page 4 of 9", true),
            ("- ii -", true),
            // OCR reads the dashes of "— 3 —" as 一.
            ("一 3 一", true),
            ("一1一", true),
            ("一、总则", false),
            ("2025年", false),
            ("三、保障措施", false),
            ("全县生产总值增长6%", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_page_number(line), *want, "{line}");
        }
    }

    #[test]
    fn joins_wraps_and_drops_page_numbers() {
        // Seed 001's sentence, wrapped at 30 characters as LibreOffice sets it.
        let p1 = page(
            1,
            vec![
                at("关于推进县域经济高质量发展的实施意见", 6.0, 0.0),
                at("到2025年,示范县生产总值超600亿元,一般公", 2.0, 2.0),
                at("共预算收入超40亿元;其他县区生产总值分别超500亿", 0.0, 3.0),
                at("元。", 0.0, 4.0),
                at("— 1 —", 13.0, 40.0),
            ],
        );
        let (lines, dropped) = assemble(&[p1]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "关于推进县域经济高质量发展的实施意见",
                "到2025年,示范县生产总值超600亿元,一般公共预算收入超40亿元;其他县区生产总值分别超500亿元。"
            ]
        );
        assert_eq!(dropped[0].what, "page number");
        assert_eq!(dropped[0].sample, "— 1 —");
    }

    #[test]
    fn a_paragraph_runs_over_the_page_break_and_keeps_both_pages() {
        let header = "开封市人民政府文件";
        let mk = |n: u32, body: Vec<PageLine>| {
            let mut lines = vec![at(header, 10.0, 0.0)];
            lines.extend(body);
            lines.push(at(&format!("- {n} -"), 13.0, 40.0));
            page(n, lines)
        };
        let pages = [
            mk(
                1,
                vec![
                    at("一、目标任务", 0.0, 2.0),
                    at("到2025年,各县区综合实力显著提高,示范县生产总", 2.0, 3.0),
                ],
            ),
            mk(
                2,
                vec![at("值超600亿元。", 0.0, 2.0), at("二、重点任务", 0.0, 3.0)],
            ),
            mk(3, vec![at("(一)加快发展特色产业。", 0.0, 2.0)]),
        ];
        let (lines, dropped) = assemble(&pages);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "一、目标任务",
                "到2025年,各县区综合实力显著提高,示范县生产总值超600亿元。",
                "二、重点任务",
                "(一)加快发展特色产业。"
            ]
        );
        assert_eq!((lines[1].page, lines[1].last_page), (Some(1), Some(2)));
        assert_eq!((lines[3].page, lines[3].last_page), (Some(3), None));
        let header_drops = dropped.iter().find(|d| d.what == "running header").unwrap();
        assert_eq!(header_drops.count, 3);
        assert_eq!(
            dropped
                .iter()
                .find(|d| d.what == "page number")
                .unwrap()
                .count,
            3
        );
    }

    #[test]
    fn an_indented_line_opens_a_paragraph_even_after_a_full_one() {
        let p = page(
            1,
            vec![
                at(
                    "坚持农业农村优先发展,全面推进乡村振兴,促进农业高质高效、乡村宜居。",
                    0.0,
                    0.0,
                ),
                at(
                    "持续实施玉米制种、绿色蔬菜、肉牛养殖、优质牧草“四个百万”工程。",
                    2.0,
                    1.0,
                ),
            ],
        );
        let (lines, _) = assemble(&[p]);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn page_numbers_left_in_converted_text_become_page_breaks() {
        // 00102 of ../shared/corpus, a PDF saved as text.
        let text = "石化行业智能制造标准体系建设指南\n共性、关键数据和模型等方面标准制定，不断完善石化行业\n1\n智能制造标准体系。\n2\n(二)基本原则\n坚持统筹规划。\n3\n坚持创新引领。";
        let mut lines: Vec<Line> = text.lines().map(Line::plain).collect();
        let mut dropped = Vec::new();
        assert_eq!(number_text_pages(&mut lines, &mut dropped), Some(4));
        let pages: Vec<(&str, Option<u32>)> =
            lines.iter().map(|l| (l.text.as_str(), l.page)).collect();
        assert_eq!(
            pages,
            [
                ("石化行业智能制造标准体系建设指南", Some(1)),
                (
                    "共性、关键数据和模型等方面标准制定，不断完善石化行业",
                    Some(1)
                ),
                ("智能制造标准体系。", Some(2)),
                ("(二)基本原则", Some(3)),
                ("坚持统筹规划。", Some(3)),
                ("坚持创新引领。", Some(4)),
            ]
        );
        assert_eq!(dropped[0].count, 3);
        // Numbers that do not count up are text (a list of figures).
        let mut table: Vec<Line> = ["产量", "12", "35", "7"]
            .into_iter()
            .map(Line::plain)
            .collect();
        assert_eq!(number_text_pages(&mut table, &mut Vec::new()), None);
        assert_eq!(table.len(), 4);
    }

    #[test]
    fn a_table_running_past_the_text_block_leaves_the_margins_alone() {
        // z.ofd (GB/T 33190's own text): a table starts left of the text
        // block and ends right of it; the paragraph after it still joins.
        let p = page(
            1,
            vec![
                at(
                    "名称\t类型\t说明\t可选/必选\t默认值\t备注\t示例\t版本\t来源",
                    -2.0,
                    0.0,
                ),
                at("CodePosition\txs:int\t字符编码的起始位置\t必选", -2.0, 1.0),
                at("Glyphs\tST_Array\t字型索引列表\t可选", -2.0, 2.0),
                at(
                    "当一个字符对应一个字型时，如果文字使用非内嵌字型的时",
                    2.0,
                    4.0,
                ),
                at(
                    "候，则根据文字使用的字型，使用字型的内置表计算并取得相",
                    0.0,
                    5.0,
                ),
                at("应的字型。", 0.0, 6.0),
                at(
                    "如果文字使用的是内嵌字型，则使用该内嵌字型数据中的表",
                    2.0,
                    7.0,
                ),
                at("来取得字型索引。", 0.0, 8.0),
            ],
        );
        let (lines, _) = assemble(&[p]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "名称\t类型\t说明\t可选/必选\t默认值\t备注\t示例\t版本\t来源",
                "CodePosition\txs:int\t字符编码的起始位置\t必选",
                "Glyphs\tST_Array\t字型索引列表\t可选",
                "当一个字符对应一个字型时，如果文字使用非内嵌字型的时候，则根据文字使用的字型，使用字型的内置表计算并取得相应的字型。",
                "如果文字使用的是内嵌字型，则使用该内嵌字型数据中的表来取得字型索引。",
            ]
        );
    }

    #[test]
    fn a_larger_heading_after_a_full_line_is_its_own_paragraph() {
        let mut heading = at("3、一对多", 0.0, 2.0);
        if let Some(g) = heading.geometry.as_mut() {
            g.size = 20.0;
        }
        let p = page(
            1,
            vec![
                at(
                    "多个字符对应一个字型的情况描述如下图所示。下图是一个常用的英文",
                    0.0,
                    0.0,
                ),
                at(
                    "连写示例，其中，f和l字符在显示的时候被一个fl的连字符所代替",
                    0.0,
                    1.0,
                ),
                heading,
            ],
        );
        let (lines, _) = assemble(&[p]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[1].text, "3、一对多");
    }

    #[test]
    fn a_number_wrapped_in_chinese_text_joins_without_a_space() {
        let p = page(
            1,
            vec![
                at(
                    "到2025年底，全市80%以上工程项目采用数字化建造模式，8",
                    0.0,
                    0.0,
                ),
                at("0%以上的建筑业企业实现数字化转型。", 0.0, 1.0),
            ],
        );
        let (lines, _) = assemble(&[p]);
        assert_eq!(
            lines[0].text,
            "到2025年底，全市80%以上工程项目采用数字化建造模式，80%以上的建筑业企业实现数字化转型。"
        );
    }

    #[test]
    fn without_geometry_full_length_lines_join() {
        let p = page(
            1,
            vec![
                PageLine::text("为加快推进我市县域经济高质量发展,结合实际,制定本"),
                PageLine::text("意见。"),
                PageLine::text("一、目标任务"),
                PageLine::text("到2025年,各县区综合实力显著提高,示范县带动作用"),
                PageLine::text("显著发挥。"),
            ],
        );
        let (lines, _) = assemble(&[p]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "为加快推进我市县域经济高质量发展,结合实际,制定本意见。",
                "一、目标任务",
                "到2025年,各县区综合实力显著提高,示范县带动作用显著发挥。"
            ]
        );
    }

    #[test]
    fn a_centred_title_that_wraps_is_one_line_and_table_rows_stay_rows() {
        let centred = |text: &str, row: f32| {
            let chars = text.chars().count() as f32;
            let x0 = 72.0 + (30.0 - chars) * 5.0;
            PageLine {
                text: text.to_string(),
                geometry: Some(Geometry {
                    x0,
                    x1: x0 + chars * 10.0,
                    top: 72.0 + row * 14.0,
                    size: 10.0,
                }),
            }
        };
        let p = page(
            1,
            vec![
                centred("上海市人民代表大会常务委员会讨论、决定重大事项的", 0.0),
                centred("规定", 1.0),
                at(
                    "第一条 为了规范市人民代表大会常务委员会依法行使讨论、决定",
                    0.0,
                    3.0,
                ),
                at("重大事项职权，制定本规定。", 0.0, 4.0),
                at("指标\t增加值（亿元）\t增长（%）", 0.0, 5.0),
                at("第一产业\t22.9\t3.7", 0.0, 6.0),
            ],
        );
        let (lines, _) = assemble(&[p]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "上海市人民代表大会常务委员会讨论、决定重大事项的规定",
                "第一条 为了规范市人民代表大会常务委员会依法行使讨论、决定重大事项职权，制定本规定。",
                "指标\t增加值（亿元）\t增长（%）",
                "第一产业\t22.9\t3.7",
            ]
        );
    }

    #[test]
    fn a_line_wrapped_before_a_long_number_goes_on() {
        let p = page(
            1,
            vec![
                at(
                    "非烟非能工业增加值增长8.1%、对规模以上工业增长贡献率达",
                    2.0,
                    0.0,
                ),
                at(
                    "72.9%，装备制造业、高技术制造业增加值分别增长17.7%、17.6%。",
                    0.0,
                    1.0,
                ),
                at("一、目标任务", 0.0, 2.0),
                at("2025年，各县区综合实力显著提高。", 0.0, 3.0),
            ],
        );
        let (lines, _) = assemble(&[p]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "非烟非能工业增加值增长8.1%、对规模以上工业增长贡献率达72.9%，装备制造业、高技术制造业增加值分别增长17.7%、17.6%。",
                "一、目标任务",
                "2025年，各县区综合实力显著提高。"
            ]
        );
    }

    #[test]
    fn a_line_ending_paragraphs_at_a_few_page_feet_is_no_footer() {
        let own: Vec<char> =
            "春夏秋冬东南西北金木水火土山川河海天地人日月星辰风云雷电江湖林田草花鸟鱼虫石玉竹"
                .chars()
                .collect();
        let pages: Vec<Page> = (1..=40)
            .map(|n| {
                let mut lines = vec![
                    at("开封市人民政府公报", 10.0, 0.0),
                    at(
                        &format!(
                            "{}坚持农业农村优先发展，全面推进乡村振兴，促进农业高质高效。",
                            own[n as usize - 1]
                        ),
                        2.0,
                        2.0,
                    ),
                    at(
                        &format!("{}县农民富裕富足。", own[n as usize - 1]),
                        0.0,
                        3.0,
                    ),
                ];
                if n % 10 == 0 {
                    lines.push(at("发展。", 2.0, 4.0));
                }
                lines.push(at(&format!("- {n} -"), 13.0, 40.0));
                page(n, lines)
            })
            .collect();
        let (lines, dropped) = assemble(&pages);
        assert_eq!(lines.iter().filter(|l| l.text == "发展。").count(), 4);
        let header = dropped.iter().find(|d| d.what == "running header");
        assert_eq!(header.unwrap().count, 40);
    }
}
