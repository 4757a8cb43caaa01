//! Passages: the unit a researcher reads in a hit.
//!
//! Plans and reports are built of numbered measures (一、 / （一） / 1. / 一是…二是…).
//! Each paragraph or measure becomes a passage that carries its heading path
//! ("二、重点任务及责任分工 > (一)加快发展特色产业,提升县域经济支撑能力"), so a hit
//! shows a measure in its context.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::LineInfo;
use crate::text::truncate_chars;

/// The numbering that opens a heading or measure, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Marker {
    /// 第一章, 第二节, 第三部分.
    Chapter,
    /// 一、
    Section,
    /// （一）
    Subsection,
    /// 1. or 1、
    Item,
    /// （1）
    SubItem,
    /// ①
    Circled,
    /// 第一条 of a regulation: a passage of its own, never a heading.
    Article,
}

impl Marker {
    /// True for markers that open a heading level (everything but articles).
    pub fn is_heading(self) -> bool {
        self != Marker::Article
    }
}

const CN_NUM: &str = "一二三四五六七八九十百零〇两";

static MARKERS: LazyLock<Vec<(Marker, Regex)>> = LazyLock::new(|| {
    let n = CN_NUM;
    [
        (
            Marker::Chapter,
            format!(r"^第[{n}\d]+[章节篇编]|^第[{n}\d]+部分"),
        ),
        (Marker::Article, format!(r"^第[{n}\d]+条")),
        (Marker::Section, format!(r"^[{n}]+[、.]")),
        (Marker::Subsection, format!(r"^[(][{n}]+[)]")),
        (Marker::Item, r"^\d{1,2}(、|\.\D|\.$)".to_string()),
        (Marker::SubItem, r"^[(]\d{1,2}[)]".to_string()),
        (Marker::Circled, r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]".to_string()),
    ]
    .into_iter()
    .map(|(m, re)| (m, Regex::new(&re).expect("valid marker regex")))
    .collect()
});

/// Inline measures: 一是…二是…, 其一…, 第一,…
static INLINE_MEASURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([一二三四五六七八九十]+是)[^\d]").expect("valid regex"));

/// The heading or measure marker a cleaned line starts with.
pub fn marker_of(line: &str) -> Option<Marker> {
    MARKERS
        .iter()
        .find(|(_, re)| re.is_match(line))
        .map(|(m, _)| *m)
}

impl Marker {
    /// The level a styled heading (Word outline level, `h2`, markdown `##`)
    /// stands at when its text carries no numbering.
    pub fn of_outline(level: u8) -> Marker {
        match level {
            0 | 1 => Marker::Chapter,
            2 => Marker::Section,
            3 => Marker::Subsection,
            4 => Marker::Item,
            5 => Marker::SubItem,
            _ => Marker::Circled,
        }
    }
}

/// One passage of a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Passage {
    /// 1-based number of the passage in its document (`FILE#N`).
    pub number: usize,
    /// Enclosing headings, outermost first.
    pub headings: Vec<String>,
    /// The passage's text as cleaned.
    pub text: String,
    /// The pages it stands on (first, last), for paged formats.
    pub pages: Option<(u32, u32)>,
}

impl Passage {
    /// The heading path as displayed: "二、… > (一)…".
    pub fn heading_path(&self) -> String {
        self.headings.join(" > ")
    }

    /// The pages as cited: "p. 12", "pp. 12-13".
    pub fn page_label(&self) -> Option<String> {
        self.pages.map(|(first, last)| {
            if first == last {
                format!("p. {first}")
            } else {
                format!("pp. {first}-{last}")
            }
        })
    }
}

/// A line of at most this many characters after its marker reads as a heading.
const HEADING_MAX_CHARS: usize = 50;
/// Longer paragraphs are cut at sentence ends into passages of about this size.
const PASSAGE_TARGET_CHARS: usize = 400;
const PASSAGE_MAX_CHARS: usize = 700;
/// Unnumbered lines this short are lead-ins ("各位代表:", "县域经济实力显著增强。")
/// and are joined to the paragraph that follows.
const LEAD_IN_MAX_CHARS: usize = 25;

/// Page span of one or more lines.
type Pages = Option<(u32, u32)>;

fn span_of(info: Option<&LineInfo>) -> Pages {
    let info = info?;
    let first = info.page?;
    Some((first, info.last_page.unwrap_or(first).max(first)))
}

fn join_spans(a: Pages, b: Pages) -> Pages {
    match (a, b) {
        (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The article (条) being read: its passage and its opening, which heads any
/// passage its items run on into.
struct OpenArticle {
    /// Index in the output of the article's latest passage.
    passage: usize,
    /// "第十条 有下列行为之一的:", for the heading of a continuation.
    lead: String,
}

/// Builds the passages of one document.
struct Splitter {
    stack: Vec<(Marker, String)>,
    out: Vec<Passage>,
    /// Index in `stack` of a heading with no passage yet.
    pending_heading: Option<(usize, Pages)>,
    lead_in: String,
    lead_in_pages: Pages,
    article: Option<OpenArticle>,
}

impl Splitter {
    fn headings(&self) -> Vec<String> {
        self.stack.iter().map(|(_, h)| h.clone()).collect()
    }

    fn push(&mut self, headings: Vec<String>, text: String, pages: Pages) {
        let text = text.trim().to_string();
        if text.chars().any(char::is_alphanumeric) {
            self.out.push(Passage {
                number: self.out.len() + 1,
                headings,
                text,
                pages,
            });
        }
    }

    fn flush_lead_in(&mut self) {
        if !self.lead_in.is_empty() {
            let text = std::mem::take(&mut self.lead_in);
            let pages = self.lead_in_pages.take();
            self.push(self.headings(), text, pages);
        }
    }

    /// A heading that got no passage of its own text is kept as one, so that
    /// an empty section is still found.
    fn flush_pending_heading(&mut self, before: Option<Marker>) {
        if let Some((i, pages)) = self.pending_heading.take() {
            let closes = match before {
                Some(m) => self.stack.get(i).is_some_and(|(pm, _)| *pm >= m),
                None => true,
            };
            // A heading followed by its own subheading is in their path.
            if closes && i < self.stack.len() {
                let (_, h) = self.stack[i].clone();
                let parents: Vec<String> = self.stack[..i].iter().map(|(_, h)| h.clone()).collect();
                self.push(parents, h, pages);
            }
        }
    }

    fn heading(&mut self, m: Marker, line: &str, pages: Pages) {
        self.article = None;
        let (label, body_start) = split_lead(line);
        let (lead, body) = line.split_at(body_start);
        self.flush_lead_in();
        self.flush_pending_heading(Some(m));
        while self.stack.last().is_some_and(|(top, _)| *top >= m) {
            self.stack.pop();
        }
        let parents = self.headings();
        self.stack.push((m, label));
        if body.is_empty() {
            self.pending_heading = Some((self.stack.len() - 1, pages));
            return;
        }
        let measures = split_measures(body);
        if measures.len() > 1 {
            self.push(parents, format!("{lead}{}", measures[0]), pages);
            let with_lead = self.headings();
            for m in &measures[1..] {
                for chunk in chunk_sentences(m) {
                    self.push(with_lead.clone(), chunk, pages);
                }
            }
        } else {
            for chunk in chunk_sentences(line) {
                self.push(parents.clone(), chunk, pages);
            }
        }
    }

    /// An article (第十条) opens a passage that keeps its 款 and 项 (the
    /// unnumbered paragraphs and the (一)/1. items that follow it) together
    /// with its lead-in: in a regulation those items are never headings.
    fn article(&mut self, line: &str, pages: Pages) {
        self.pending_heading = None;
        self.flush_lead_in();
        let lead = article_lead(line);
        let headings = self.headings();
        for chunk in chunk_sentences(line) {
            self.push(headings.clone(), chunk, pages);
        }
        self.article = Some(OpenArticle {
            passage: self.out.len().saturating_sub(1),
            lead,
        });
    }

    /// A 款 or 项 of the open article: appended to its passage, or opening a
    /// continuation headed by the article's lead once the passage is full.
    fn article_part(&mut self, line: &str, pages: Pages) {
        let Some(article) = &self.article else {
            return;
        };
        let (index, lead) = (article.passage, article.lead.clone());
        if let Some(p) = self.out.get_mut(index)
            && p.text.chars().count() + line.chars().count() <= PASSAGE_MAX_CHARS
        {
            p.text.push_str(line);
            p.pages = join_spans(p.pages, pages);
            return;
        }
        let mut headings = self.headings();
        headings.push(lead.clone());
        for chunk in chunk_sentences(line) {
            self.push(headings.clone(), chunk, pages);
        }
        self.article = Some(OpenArticle {
            passage: self.out.len().saturating_sub(1),
            lead,
        });
    }

    fn paragraph(&mut self, line: &str, marker: Option<Marker>, pages: Pages) {
        self.pending_heading = None;
        if marker.is_none() && line.chars().count() <= LEAD_IN_MAX_CHARS {
            self.lead_in.push_str(line);
            self.lead_in_pages = join_spans(self.lead_in_pages, pages);
            return;
        }
        let text = format!("{}{line}", std::mem::take(&mut self.lead_in));
        let pages = join_spans(self.lead_in_pages.take(), pages);
        let headings = self.headings();
        for measure in split_measures(&text) {
            for chunk in chunk_sentences(&measure) {
                self.push(headings.clone(), chunk, pages);
            }
        }
    }
}

/// Splits cleaned text into passages, leaving out the title's paragraph.
/// `lines` says where each line came from (pages, outline level); it may be
/// empty for text with no such knowledge.
pub fn split_passages(
    cleaned: &str,
    lines: &[LineInfo],
    title_line: Option<usize>,
) -> Vec<Passage> {
    let mut s = Splitter {
        stack: Vec::new(),
        out: Vec::new(),
        pending_heading: None,
        lead_in: String::new(),
        lead_in_pages: None,
        article: None,
    };
    for (i, line) in cleaned.lines().enumerate() {
        let line = line.trim();
        if Some(i) == title_line || line.is_empty() {
            continue;
        }
        let info = lines.get(i);
        let pages = span_of(info);
        let numbered = marker_of(line);
        let marker = match (numbered, info.and_then(|i| i.outline)) {
            (Some(m), _) => Some(m),
            (None, Some(level)) => Some(Marker::of_outline(level)),
            (None, None) => None,
        };
        let styled = info.is_some_and(|i| i.outline.is_some());
        match marker {
            Some(Marker::Article) => s.article(line, pages),
            Some(m) if s.article.is_some() && m != Marker::Chapter && !styled => {
                s.article_part(line, pages)
            }
            None if s.article.is_some() && !opens_appendix(line) => s.article_part(line, pages),
            Some(m) if m.is_heading() => s.heading(m, line, pages),
            _ => {
                s.article = None;
                s.paragraph(line, marker, pages);
            }
        }
    }
    s.flush_lead_in();
    s.flush_pending_heading(None);
    s.out
}

/// An attachment after a regulation's last article ("附件:…", "附:…") is not
/// part of that article.
fn opens_appendix(line: &str) -> bool {
    line.starts_with("附件") || line.starts_with("附:") || line.starts_with("附表")
}

/// An article's number and first clause: "第十条 有下列行为之一的:" of
/// "第十条 有下列行为之一的:(一)…".
fn article_lead(line: &str) -> String {
    let end = line
        .char_indices()
        .find(|&(_, c)| matches!(c, '。' | ':' | '：' | ';' | '；'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(line.len());
    let lead = &line[..end];
    if lead.chars().count() <= HEADING_MAX_CHARS {
        lead.to_string()
    } else {
        format!("{}…", truncate_chars(lead, 30))
    }
}

/// Splits a numbered line into the heading it opens and where its body starts:
/// "1. 提升农业产业化发展水平。持续实施…" → ("1. 提升农业产业化发展水平。", after the lead).
/// A line that is all heading ("二、保障措施") has no body; a line whose first
/// sentence is too long for a heading is labelled by its opening words.
fn split_lead(line: &str) -> (String, usize) {
    if line.chars().count() <= HEADING_MAX_CHARS && !line.trim_end_matches('。').contains('。') {
        return (line.to_string(), line.len());
    }
    if let Some(end) = line.find('。') {
        let lead = &line[..end + '。'.len_utf8()];
        if lead.chars().count() <= HEADING_MAX_CHARS {
            return (lead.to_string(), lead.len());
        }
    }
    (format!("{}…", truncate_chars(line, 30)), 0)
}

/// Splits a paragraph at its inline measures (一是…二是…); the text before the
/// first measure stays with it.
fn split_measures(text: &str) -> Vec<String> {
    let starts: Vec<usize> = INLINE_MEASURE
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.start())
        .filter(|&s| s == 0 || preceded_by_break(text, s))
        .collect();
    if starts.len() < 2 {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut prev = 0;
    for &s in &starts {
        if s > prev {
            out.push(text[prev..s].to_string());
        }
        prev = s;
    }
    out.push(text[prev..].to_string());
    out
}

fn preceded_by_break(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '。' | ';' | '；' | ':' | '：' | '!' | '?' | '\u{201d}'))
}

/// Cuts a long paragraph at sentence ends into passages of readable size.
fn chunk_sentences(text: &str) -> Vec<String> {
    if text.chars().count() <= PASSAGE_MAX_CHARS {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for sentence in sentences(text) {
        let n = sentence.chars().count();
        if current_chars > 0 && current_chars + n > PASSAGE_TARGET_CHARS {
            out.push(std::mem::take(&mut current));
            current_chars = 0;
        }
        current.push_str(sentence);
        current_chars += n;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Sentences with their closing mark; a sentence longer than the maximum is
/// cut at commas, then anywhere, so no passage exceeds the limit.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';') {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter()
        .flat_map(|s| split_long(s, PASSAGE_MAX_CHARS))
        .collect()
}

fn split_long(s: &str, max: usize) -> Vec<&str> {
    if s.chars().count() <= max {
        return vec![s];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut count = 0;
    let mut last_comma = None;
    for (i, c) in s.char_indices() {
        count += 1;
        if matches!(c, ',' | '，' | '、') {
            last_comma = Some(i + c.len_utf8());
        }
        if count >= max {
            let end = last_comma
                .filter(|&e| e > start)
                .unwrap_or(i + c.len_utf8());
            out.push(&s[start..end]);
            count = s[end..i + c.len_utf8()].chars().count();
            start = end;
            last_comma = None;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_markers() {
        let cases: &[(&str, Option<Marker>)] = &[
            ("一、总体要求和工作目标", Some(Marker::Section)),
            (
                "(一)加快发展特色产业,提升县域经济支撑能力",
                Some(Marker::Subsection),
            ),
            ("1. 提升农业产业化发展水平。", Some(Marker::Item)),
            ("2.医学影像数据智能标注", Some(Marker::Item)),
            ("(3)强化要素保障", Some(Marker::SubItem)),
            ("第一章 总则", Some(Marker::Chapter)),
            ("第十二条 本条例自公布之日起施行。", Some(Marker::Article)),
            ("①加强组织领导", Some(Marker::Circled)),
            ("2025年全县生产总值增长6%。", None),
            ("1.5亿元用于基础设施。", None),
            ("一是加强组织领导。", None),
        ];
        for (line, want) in cases {
            assert_eq!(marker_of(line), *want, "{line}");
        }
    }

    #[test]
    fn passages_carry_their_heading_path() {
        // Seed 003, cleaned.
        let text = "关于加快推进县域经济发展的工作方案\n二、重点任务及责任分工\n(一)加快发展特色产业,提升县域经济支撑能力\n1. 提升农业产业化发展水平。持续实施玉米制种、绿色蔬菜、肉牛养殖、优质牧草“四个百万”工程。\n2. 壮大县域工业经济。围绕建设特色工业体系,加快发展新型工业化。";
        let passages = split_passages(text, &[], Some(0));
        assert_eq!(passages.len(), 2, "{passages:#?}");
        assert_eq!(
            passages[0].heading_path(),
            "二、重点任务及责任分工 > (一)加快发展特色产业,提升县域经济支撑能力"
        );
        assert!(
            passages[0]
                .text
                .starts_with("1. 提升农业产业化发展水平。持续实施玉米制种")
        );
        assert_eq!(passages[1].number, 2);
    }

    #[test]
    fn inline_measures_become_passages_under_their_lead() {
        // Seed 002.
        let text = "(二)实施项目建设“倍增”行动,着力积蓄高质量发展新动能。坚持项目为王、招商为要、服务为上。一是招商引资上项目。完善招商引资工作方案和考核办法。二是顶格推进建项目。全力推进56个重点项目。";
        let passages = split_passages(text, &[], None);
        let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.len(), 3, "{passages:#?}");
        assert!(texts[0].starts_with("(二)实施项目建设"));
        assert!(texts[1].starts_with("一是招商引资上项目"));
        assert!(texts[2].starts_with("二是顶格推进建项目"));
        assert_eq!(
            passages[1].heading_path(),
            "(二)实施项目建设“倍增”行动,着力积蓄高质量发展新动能。"
        );
    }

    #[test]
    fn short_lead_in_lines_join_the_next_paragraph() {
        let text =
            "县域经济实力显著增强。\n示范县带动作用显著发挥,成功创建省级县域经济“三起来”示范县。";
        let passages = split_passages(text, &[], None);
        assert_eq!(passages.len(), 1);
        assert!(passages[0].text.starts_with("县域经济实力显著增强。示范县"));
    }

    #[test]
    fn a_section_without_body_is_still_a_passage() {
        let passages = split_passages("一、目标任务\n二、保障措施\n一是加强组织领导。", &[], None);
        assert_eq!(passages[0].text, "一、目标任务");
        assert_eq!(passages[1].heading_path(), "二、保障措施");
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let sentence =
            "坚持农业农村优先发展,全面推进乡村振兴,促进农业高质高效、乡村宜居宜业、农民富裕富足。";
        let text = sentence.repeat(40);
        let passages = split_passages(&text, &[], None);
        assert!(passages.len() > 1);
        for p in &passages {
            assert!(p.text.chars().count() <= PASSAGE_MAX_CHARS);
            assert!(p.text.ends_with('。'));
        }
        let joined: String = passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn regulation_articles_are_passages_under_their_chapter() {
        let text = "上海口岸服务条例\n第一章 总则\n第一条 为了规范口岸开放,制定本条例。\n第二条 本条例所称的口岸,是指港口、机场、车站等。";
        let passages = split_passages(text, &[], Some(0));
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[1].heading_path(), "第一章 总则");
    }
}
