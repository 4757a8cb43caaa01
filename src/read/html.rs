//! Web pages saved from government sites: the article only, with its own
//! title, date and source.
//!
//! A saved page is mostly the site: navigation, breadcrumbs (您当前的位置：
//! 网站首页>…), the page clock (2023年10月11日 星期三), share and print links,
//! view counts, related links and the footer (主办单位, ICP备, 网站标识码).
//! Government CMSs (TRS WCM, UCAP, Hanweb) put the article in a known
//! container (`.TRS_Editor`, `#zoom`, `<ucapcontent>`, `.article-content`)
//! and carry its title, date and source in meta tags (ArticleTitle, PubDate,
//! ContentSource), so the reader takes those first and falls back to the
//! densest block of text and the page's headings. Readability ports measured
//! on such pages found the body but returned the `<title>` with the site name
//! ("…_万载县人民政府"), no date, and sometimes no paragraph breaks: here each
//! block element is a line of its own.
//!
//! The line patterns that tell site chrome from article text live in
//! `data/boilerplate/web.toml`, shared with the cleaning of scraped text.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use super::{Extracted, Format, Limits, Line, SkipReason, SourceMeta, note_dropped};

/// Reads a saved HTML page.
pub fn read_html(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    let (text, encoding) = decode_html(bytes)?;
    limits.check()?;
    let mut out = read_markup(&text, Format::Html, "html")?;
    out.encoding = encoding;
    Ok(out)
}

/// Reads a page already decoded to text (the HTML part of an MHTML file).
pub(crate) fn read_markup(
    html: &str,
    format: Format,
    reader: &'static str,
) -> Result<Extracted, SkipReason> {
    let depth = nesting_depth(html);
    if depth > MAX_NESTING {
        return Err(SkipReason::Corrupt(format!(
            "the page nests elements {depth} deep (a damaged or hostile page); save it again from a browser"
        )));
    }
    let document = Html::parse_document(html);
    let metas = meta_tags(&document);
    let body = select_first(&document, "body").unwrap_or_else(|| document.root_element());
    let container = content_container(&document).unwrap_or(body);

    let mut page_lines = Vec::new();
    collect_lines(body, container, &mut page_lines);
    let mut out = Extracted::new(format, reader);
    let (lines, dropped) = article_lines(&page_lines);
    out.dropped = dropped;
    out.meta = source_meta(&document, &metas, &page_lines);
    out.lines = lines;
    if let Some((title, _)) = &out.meta.title {
        let key = squeeze(title);
        let already = out.lines.iter().take(5).any(|l| squeeze(&l.text) == key);
        if !already && !key.is_empty() {
            out.lines.insert(
                0,
                Line {
                    text: title.clone(),
                    outline: Some(1),
                    ..Line::default()
                },
            );
        }
    }
    if out.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(out)
}

/// Deeper explicit nesting than this is refused before parsing: html5ever's
/// tree building grows with the square of the depth (measured: 1,000 nested
/// `div`s parse in 2 ms, 10,000 in 350 ms, 40,000 in 9.7 s), and no real page
/// nests more than a few dozen deep.
const MAX_NESTING: usize = 1000;

/// The deepest run of open container tags (`div`, `span`, `font`, `table`…)
/// not yet closed, counted on the raw markup.
fn nesting_depth(html: &str) -> usize {
    const NESTING: &[&[u8]] = &[
        b"div",
        b"span",
        b"font",
        b"table",
        b"section",
        b"article",
        b"ul",
        b"ol",
        b"blockquote",
        b"center",
        b"form",
        b"a",
        b"b",
        b"i",
        b"strong",
        b"em",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let name_len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &bytes[start..start + name_len];
        if NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

/// The page's text: a byte-order mark, then the charset its `<meta>` names
/// (GBK and GB2312 read as GB18030, their superset), then detection. A page
/// whose declared charset garbles it but which is valid UTF-8 (Chrome saves
/// pages as UTF-8 whatever they declared) is read as UTF-8.
pub(crate) fn decode_html(bytes: &[u8]) -> Result<(String, &'static str), SkipReason> {
    use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    let superset = |e: &'static Encoding| if e == GBK { GB18030 } else { e };
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok((text.into_owned(), encoding.name()));
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    if let Some(declared) = declared_charset(bytes).map(superset)
        && (declared == UTF_8 || utf8.is_none())
    {
        let (text, _, _) = declared.decode(bytes);
        return Ok((text.into_owned(), declared.name()));
    }
    if let Some(text) = utf8 {
        return Ok((text.to_string(), UTF_8.name()));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = superset(detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow));
    let (text, _, _) = guess.decode(bytes);
    Ok((text.into_owned(), guess.name()))
}

/// The charset a `<meta charset>` or `<meta http-equiv="Content-Type">` in
/// the first 4 KB names.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    static CHARSET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)<meta[^>]*charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)"#).expect("valid regex")
    });
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let label = CHARSET.captures(&head)?.get(1)?.as_str().to_string();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// `<meta name|property|http-equiv=… content=…>`, keys lowercased.
fn meta_tags(document: &Html) -> HashMap<String, String> {
    let mut metas = HashMap::new();
    let Ok(selector) = Selector::parse("meta") else {
        return metas;
    };
    for meta in document.select(&selector) {
        let element = meta.value();
        let key = element
            .attr("name")
            .or_else(|| element.attr("property"))
            .or_else(|| element.attr("itemprop"));
        if let (Some(key), Some(content)) = (key, element.attr("content")) {
            let content = normalise(content);
            if !content.is_empty() {
                metas.entry(key.trim().to_lowercase()).or_insert(content);
            }
        }
    }
    metas
}

fn select_first<'a>(document: &'a Html, selector: &str) -> Option<ElementRef<'a>> {
    let selector = Selector::parse(selector).ok()?;
    document.select(&selector).next()
}

/// Where government CMSs put the article, most specific first. Measured on
/// saved pages: TRS WCM writes `.TRS_Editor` inside `#zoom`; UCAP writes
/// `<ucapcontent>` inside `#zoomcon.article-content`; Hanweb writes `#zoom`
/// or `.wzcon`; the State Council's site writes `.pages_content`.
const CONTAINERS: &[&str] = &[
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#UCAP-CONTENT",
    "ucapcontent",
    "#zoom",
    "#Zoom",
    "#zoomcon",
    "#fontzoom",
    ".pages_content",
    ".article-content",
    ".article_content",
    ".articleContent",
    ".wzcon",
    ".zoom",
    "#ivs_content",
    ".content_text",
    "#content",
    "article",
];

/// The article's element: a known container holding text, else the block
/// whose paragraphs hold the most text.
fn content_container(document: &Html) -> Option<ElementRef<'_>> {
    for css in CONTAINERS {
        let Ok(selector) = Selector::parse(css) else {
            continue;
        };
        if let Some(found) = document.select(&selector).find(|e| text_chars(*e) >= 20) {
            return Some(found);
        }
    }
    densest_block(document)
}

fn text_chars(element: ElementRef) -> usize {
    element
        .text()
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
        .sum()
}

/// The element whose paragraph-like children hold the most text that is not
/// link text: each paragraph scores its length for its parent and half for
/// the grandparent, so the block that holds the paragraphs wins, not `body`.
fn densest_block(document: &Html) -> Option<ElementRef<'_>> {
    let selector = Selector::parse("p, td, pre, li, div, span, font").ok()?;
    let mut scores: HashMap<_, (f32, ElementRef)> = HashMap::new();
    for element in document.select(&selector) {
        if skipped(element.value().name())
            || element
                .ancestors()
                .any(|a| ElementRef::wrap(a).is_some_and(|e| skipped(e.value().name())))
        {
            continue;
        }
        // Only the text directly inside, so nesting does not count twice.
        let own: usize = element
            .children()
            .filter_map(|c| {
                c.value()
                    .as_text()
                    .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
            })
            .sum();
        if own < 20 {
            continue;
        }
        let link_chars: usize = element
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "a")
            .map(text_chars)
            .sum();
        let score = own as f32 - 2.0 * link_chars as f32 + own.min(300) as f32 / 10.0;
        let mut weight = 1.0;
        for ancestor in element.ancestors().filter_map(ElementRef::wrap).take(2) {
            scores.entry(ancestor.id()).or_insert((0.0, ancestor)).0 += score * weight;
            weight /= 2.0;
        }
    }
    scores
        .into_values()
        .filter(|(_, e)| !matches!(e.value().name(), "body" | "html"))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e)
}

/// Elements whose text is never the article's.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "svg"
            | "head"
            | "title"
            | "object"
            | "embed"
            | "map"
    )
}

/// Elements that start and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "blockquote"
            | "center"
            | "pre"
            | "address"
            | "figure"
            | "figcaption"
            | "caption"
            | "form"
            | "fieldset"
            | "legend"
            | "hr"
            | "ucapcontent"
            | "ucaptitle"
    )
}

/// One line of the page as laid out.
#[derive(Debug, Clone, PartialEq)]
struct PageLine {
    text: String,
    /// h1-h6 level.
    outline: Option<u8>,
    /// Inside the article's container.
    in_article: bool,
    /// Share of its characters inside links.
    link_share: f32,
}

/// Builds lines as the page lays them out.
struct LineBuilder<'a> {
    lines: &'a mut Vec<PageLine>,
    text: String,
    link_chars: usize,
    outline: Option<u8>,
    in_article: bool,
}

impl LineBuilder<'_> {
    fn flush(&mut self) {
        let text = normalise(&self.text);
        if !text.is_empty() {
            let chars = text.chars().count().max(1);
            self.lines.push(PageLine {
                text,
                outline: self.outline,
                in_article: self.in_article,
                link_share: (self.link_chars as f32 / chars as f32).min(1.0),
            });
        }
        self.text.clear();
        self.link_chars = 0;
        self.outline = None;
    }
}

/// Deeper nesting than this is read as flat text: hostile pages nest
/// thousands deep, and recursion must not run out of stack.
const MAX_DEPTH: usize = 200;

/// Walks `body`, marking lines inside `container`, into `out`.
fn collect_lines(body: ElementRef, container: ElementRef, out: &mut Vec<PageLine>) {
    let whole_page = body.id() == container.id();
    let mut builder = LineBuilder {
        lines: out,
        text: String::new(),
        link_chars: 0,
        outline: None,
        in_article: whole_page,
    };
    walk(body, container, false, 0, &mut builder);
    builder.flush();
}

fn walk(
    element: ElementRef,
    container: ElementRef,
    in_link: bool,
    depth: usize,
    b: &mut LineBuilder,
) {
    let name = element.value().name();
    if skipped(name) || hidden(element) {
        return;
    }
    let entering_article = element.id() == container.id();
    let was_in_article = b.in_article;
    let block = is_block(name) || entering_article;
    if block {
        b.flush();
    }
    if entering_article {
        b.in_article = true;
    }
    let heading = heading_level(name);
    if name == "table" && is_data_table(element, container) {
        table_rows(element, b);
    } else if depth >= MAX_DEPTH {
        for text in element.text() {
            b.text.push_str(text);
        }
    } else {
        let link = in_link || name == "a";
        for child in element.children() {
            if let Some(text) = child.value().as_text() {
                b.text.push_str(text);
                if link {
                    b.link_chars += text.chars().filter(|c| !c.is_whitespace()).count();
                }
            } else if let Some(child) = ElementRef::wrap(child) {
                if child.value().name() == "br" {
                    let outline = b.outline;
                    b.flush();
                    b.outline = outline;
                    continue;
                }
                walk(child, container, link, depth + 1, b);
            }
            if heading.is_some() && !b.text.trim().is_empty() {
                b.outline = heading;
            }
        }
    }
    if block {
        b.flush();
    }
    if entering_article {
        b.in_article = was_in_article;
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// `display:none` or `hidden`: text the reader never saw.
fn hidden(element: ElementRef) -> bool {
    let e = element.value();
    e.attr("hidden").is_some()
        || e.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}

/// A table of data, not of layout: no table inside it, and not the frame
/// the article stands in (old sites and TRS templates set the whole page,
/// article and all, in tables).
fn is_data_table(table: ElementRef, container: ElementRef) -> bool {
    let frames_article =
        container.id() == table.id() || container.ancestors().any(|a| a.id() == table.id());
    !frames_article
        && !table
            .descendent_elements()
            .skip(1)
            .any(|e| e.value().name() == "table")
}

/// A data table as lines: one per row, cells joined by tabs.
fn table_rows(table: ElementRef, b: &mut LineBuilder) {
    b.flush();
    for row in table
        .descendent_elements()
        .filter(|e| e.value().name() == "tr")
    {
        let cells: Vec<String> = row
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(|cell| normalise(&cell.text().collect::<Vec<_>>().join(" ")))
            .collect();
        if cells.iter().any(|c| !c.is_empty()) {
            b.text = normalise_row(&cells.join("\t"));
            b.flush_row();
        }
    }
}

impl LineBuilder<'_> {
    /// Pushes the row in `text` as it is (its tabs kept).
    fn flush_row(&mut self) {
        if !self.text.trim().is_empty() {
            self.lines.push(PageLine {
                text: std::mem::take(&mut self.text),
                outline: None,
                in_article: self.in_article,
                link_share: 0.0,
            });
        }
        self.text.clear();
        self.link_chars = 0;
    }
}

/// Cells kept apart by tabs, each normalised, empty trailing cells dropped.
fn normalise_row(row: &str) -> String {
    let cells: Vec<String> = row.split('\t').map(normalise).collect();
    let last = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    cells[..last].join("\t")
}

/// One line of text as a reader sees it: zero-width and control characters
/// gone, `&nbsp;` and full-width spaces read as spaces, runs of spaces one.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            c if c.is_whitespace() || c == '\u{00A0}' || c == '\u{3000}' => space = true,
            c if c.is_control() => {}
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// A line with no spaces at all, for comparing titles with lines.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One rule of `data/boilerplate/web.toml`.
struct Rule {
    kind: &'static str,
    pattern: Regex,
    head_only: bool,
}

#[derive(serde::Deserialize)]
struct RuleFile {
    line: Vec<RawRule>,
}

#[derive(serde::Deserialize)]
struct RawRule {
    kind: String,
    pattern: String,
    #[serde(default)]
    zone: Option<String>,
}

/// The shared boilerplate rules, compiled once.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let file: RuleFile = toml::from_str(include_str!("../../data/boilerplate/web.toml"))
        .expect("data/boilerplate/web.toml is valid TOML");
    file.line
        .into_iter()
        .map(|raw| Rule {
            // Kinds are few and live for the process: leaking them once gives
            // the `&'static str` that `Dropped` counts by.
            kind: Box::leak(raw.kind.into_boxed_str()),
            pattern: Regex::new(&raw.pattern).expect("valid boilerplate pattern"),
            head_only: raw.zone.as_deref() == Some("head"),
        })
        .collect()
});

/// The kind of site chrome a line is, if it is.
fn chrome_kind(text: &str, in_head: bool) -> Option<&'static str> {
    RULES
        .iter()
        .find(|r| (in_head || !r.head_only) && r.pattern.is_match(text))
        .map(|r| r.kind)
}

/// A line long enough, and not chrome, to be the article's text: the head
/// zone (label lines like 来源：…) ends at the first one.
fn is_body_paragraph(line: &PageLine) -> bool {
    line.outline.is_none() && line.link_share < 0.5 && line.text.chars().count() >= 30
}

/// The article's lines, and what was dropped around and inside it.
fn article_lines(page: &[PageLine]) -> (Vec<Line>, Vec<super::Dropped>) {
    let mut dropped = Vec::new();
    let mut lines = Vec::new();
    let mut in_head = true;
    let mut in_related = false;
    for line in page {
        if !line.in_article {
            let what = chrome_kind(&line.text, true).unwrap_or("outside the article");
            note_dropped(&mut dropped, what, &line.text);
            continue;
        }
        if let Some(kind) = chrome_kind(&line.text, in_head) {
            in_related = kind == "related links";
            note_dropped(&mut dropped, kind, &line.text);
            continue;
        }
        // The links listed under 相关推荐 / 猜你喜欢 go with their heading.
        if in_related && line.link_share >= 0.5 {
            note_dropped(&mut dropped, "related links", &line.text);
            continue;
        }
        in_related = false;
        if is_body_paragraph(line) {
            in_head = false;
        }
        lines.push(Line {
            text: line.text.clone(),
            outline: line.outline,
            ..Line::default()
        });
    }
    (lines, dropped)
}

/// Meta names government CMSs and others use, each with the evidence shown.
const TITLE_METAS: &[&str] = &["articletitle", "dc.title", "og:title", "title"];
const DATE_METAS: &[&str] = &[
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "article:published_time",
    "dc.date",
    "dc.date.issued",
    "publish_date",
    "maketime",
];
const SOURCE_METAS: &[&str] = &["contentsource", "source", "dc.publisher", "author"];

/// The title, date and source the page gives for its article.
fn source_meta(document: &Html, metas: &HashMap<String, String>, page: &[PageLine]) -> SourceMeta {
    let site = metas.get("sitename").cloned();
    let meta_value = |names: &[&str]| {
        names.iter().find_map(|n| {
            metas
                .get(*n)
                .filter(|v| !v.is_empty())
                .map(|v| (v.clone(), format!("meta {}", display_meta(n))))
        })
    };
    let title = meta_value(TITLE_METAS)
        .map(|(t, e)| (strip_site(&t, site.as_deref()), e))
        .filter(|(t, _)| !t.is_empty() && !is_site_name(t, site.as_deref()))
        .or_else(|| heading_title(page, site.as_deref()))
        .or_else(|| {
            let title = select_first(document, "title")?;
            let text = strip_site(
                &normalise(&title.text().collect::<String>()),
                site.as_deref(),
            );
            (!text.is_empty() && !is_site_name(&text, site.as_deref()))
                .then(|| (text, "title without the site name".to_string()))
        });
    let labelled = |labels: &[&str]| labelled_value(page, labels);
    let published = labelled(&[
        "发布日期",
        "发布时间",
        "发文日期",
        "成文日期",
        "日期",
        "时间",
    ])
    .and_then(|(v, e)| first_date(&v).map(|d| (d, e)))
    .or_else(|| meta_value(DATE_METAS).and_then(|(v, e)| first_date(&v).map(|d| (d, e))));
    let source = meta_value(SOURCE_METAS)
        .filter(|(v, _)| first_date(v).is_none())
        .or_else(|| {
            labelled(&["信息来源", "文章来源", "来源", "发布机构"])
                .filter(|(v, _)| first_date(v).is_none())
        });
    SourceMeta {
        title,
        published,
        source,
        author: None,
    }
}

/// A meta name as CMSs spell it, for the evidence ("meta PubDate").
fn display_meta(name: &str) -> &str {
    match name {
        "articletitle" => "ArticleTitle",
        "pubdate" => "PubDate",
        "contentsource" => "ContentSource",
        "publishdate" => "PublishDate",
        "firstpublishedtime" => "firstpublishedtime",
        other => other,
    }
}

/// The first h1 (else h2) with text that is not the site's name.
fn heading_title(page: &[PageLine], site: Option<&str>) -> Option<(String, String)> {
    (1..=3).find_map(|level| {
        page.iter()
            .filter(|l| l.outline == Some(level) && l.link_share < 0.5)
            .find(|l| !is_site_name(&l.text, site) && chrome_kind(&l.text, false).is_none())
            .map(|l| (l.text.clone(), format!("h{level}")))
    })
}

/// True for a site's name ("万载县人民政府", "中国宜春") rather than an article's.
fn is_site_name(text: &str, site: Option<&str>) -> bool {
    static SITE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(人民政府|政府网|门户网站?|网站|政府门户|信息公开|中国政府网)$")
            .expect("valid regex")
    });
    let text = text.trim();
    site.is_some_and(|s| squeeze(s) == squeeze(text))
        || SITE.is_match(text) && text.chars().count() <= 16
}

/// A `<title>` without the site name its CMS appends or prepends
/// ("万载县人民政府 | 万载县2015年…统计公报", "…统计公报 _ 中国宜春").
fn strip_site(title: &str, site: Option<&str>) -> String {
    static SEPARATOR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*(?:[_|｜]|--|—|\s-\s)\s*").expect("valid regex"));
    let parts: Vec<&str> = SEPARATOR
        .split(title)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() <= 1 {
        return title.trim().to_string();
    }
    let kept: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !is_site_name(p, site))
        .collect();
    kept.into_iter()
        .max_by_key(|p| p.chars().count())
        .unwrap_or("")
        .to_string()
}

/// The value after a label (发布日期：2017-05-15, 来源：湖南日报) on a line of
/// the article's head or its attribute line, with the label as evidence. The
/// page clock has no label and is never taken.
fn labelled_value(page: &[PageLine], labels: &[&str]) -> Option<(String, String)> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(信息来源|文章来源|来源|发布机构|发布日期|发布时间|发文日期|成文日期|生成日期|更新时间|日期|时间|访问量|浏览次数|阅读量|点击数|作者|字号)\s*[:：]\s*")
            .expect("valid regex")
    });
    // The head: lines before the article's first paragraph, in or out of it.
    let head = page
        .iter()
        .take_while(|l| !(l.in_article && is_body_paragraph(l)))
        .filter(|l| l.text.chars().count() <= 200);
    for line in head {
        let text = &line.text;
        let marks: Vec<_> = LABEL.captures_iter(text).collect();
        for (i, caps) in marks.iter().enumerate() {
            let (Some(whole), Some(label)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            if !labels.contains(&label.as_str()) {
                continue;
            }
            let end = marks
                .get(i + 1)
                .and_then(|next| next.get(0))
                .map_or(text.len(), |m| m.start());
            let value = normalise(text[whole.end()..end].trim_matches(|c: char| {
                c.is_whitespace() || matches!(c, '|' | '｜' | '】' | '[' | ']' | '【')
            }));
            if !value.is_empty() {
                return Some((value, format!("page {}", label.as_str())));
            }
        }
    }
    None
}

/// The first date in a value ("2017-05-15 10:49:00" → "2017-05-15",
/// "2023年5月11日" kept as written).
fn first_date(value: &str) -> Option<String> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
            .expect("valid regex")
    });
    DATE.find(value).map(|m| m.as_str().replace(' ', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Extracted {
        read_markup(html, Format::Html, "html").unwrap()
    }

    fn texts(e: &Extracted) -> Vec<&str> {
        e.lines.iter().map(|l| l.text.as_str()).collect()
    }

    /// A page with the article in `container` and `chrome` lines around it.
    fn page(head: &str, chrome_top: &str, article: &str, chrome_bottom: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head>{head}</head><body>{chrome_top}\
             <div id=\"zoom\"><div class=\"TRS_Editor\">{article}</div></div>{chrome_bottom}</body></html>"
        )
    }

    const PARAGRAPH: &str = "2015年，全县人民在县委、县政府的正确领导下，全面贯彻党的十八大和十八届三中、四中、五中全会精神，积极应对各种风险挑战。";

    #[test]
    fn each_form_of_boilerplate_is_dropped_with_its_kind() {
        // (the real line as it stood on a page, where, kind counted)
        let cases: &[(&str, &str)] = &[
            (
                "您当前的位置：网站首页>数据开放>政府数据>统计信息>统计公报",
                "breadcrumb",
            ),
            ("2023年10月11日 星期三", "page clock"),
            ("【打印本页】【关闭窗口】", "print and share links"),
            ("【返回顶部】【关闭本页】", "print and share links"),
            ("扫一扫在手机打开当前页", "print and share links"),
            ("字号：大 中 小", "font size"),
            ("访问量：199", "view count"),
            ("相关推荐", "related links"),
            ("猜你喜欢", "related links"),
            ("【相关报道】", "related links"),
            (
                "上一篇：宜春市2016年国民经济和社会发展统计公报",
                "related links",
            ),
            ("主办：万载县人民政府 承办：万载县人民政府办公室", "footer"),
            (
                "赣ICP备11002306号-1 网站标识码：3609220011 赣公网安备 36092202000105号",
                "footer",
            ),
            (
                "中文域名:万载政府网.政务 技术支持：万载县信息中心(0795-8819792)",
                "footer",
            ),
            ("网站地图", "footer"),
        ];
        for (line, kind) in cases {
            // Inside the article container, after its first paragraph.
            let html = page("", "", &format!("<p>{PARAGRAPH}</p><p>{line}</p>"), "");
            let e = read(&html);
            assert_eq!(texts(&e), [PARAGRAPH], "{line}");
            let d = e.dropped.iter().find(|d| d.what == *kind);
            assert!(
                d.is_some_and(|d| d.sample == *line),
                "{line}: {:?}",
                e.dropped
            );
        }
    }

    #[test]
    fn the_meta_title_beats_the_site_title_and_the_clock_is_never_the_date() {
        let head = r#"<meta name="SiteName" content="万载县人民政府"><meta name="ArticleTitle" content="万载县2015年国民经济和社会发展统计公报"><meta name="ContentSource" content="万载县统计局"><title>万载县人民政府 | 万载县2015年国民经济和社会发展统计公报</title>"#;
        let top = r#"<div class="header"><span class="date">2023年10月11日 星期三</span></div>"#;
        let e = read(&page(head, top, &format!("<p>{PARAGRAPH}</p>"), ""));
        assert_eq!(
            e.meta.title,
            Some((
                "万载县2015年国民经济和社会发展统计公报".into(),
                "meta ArticleTitle".into()
            ))
        );
        assert_eq!(
            e.meta.source,
            Some(("万载县统计局".into(), "meta ContentSource".into()))
        );
        assert_eq!(e.meta.published, None);
        assert_eq!(
            texts(&e),
            ["万载县2015年国民经济和社会发展统计公报", PARAGRAPH]
        );
        assert_eq!(e.lines[0].outline, Some(1));

        // No meta: the <title> without the site name, never the site name.
        let e = read(&page(
            "<title>万载县2022年国民经济和社会发展统计公报 _ 万载县人民政府</title>",
            top,
            &format!("<p>{PARAGRAPH}</p>"),
            "",
        ));
        assert_eq!(
            e.meta.title.unwrap().0,
            "万载县2022年国民经济和社会发展统计公报"
        );
    }

    #[test]
    fn the_visible_publication_date_beats_the_regenerated_meta_date() {
        // The UCAP page of corpus 00063: PubDate is when the page was last
        // generated (2022), 发布日期 when the article was published (2017).
        let head = r#"<meta name="PubDate" content="2022-04-24 10:00:43">"#;
        let top = r#"<span class="date">2023年10月11日 星期三</span><h1>万载县2015年国民经济和社会发展统计公报</h1><div class="article-attr"><span>来源：<b></b></span><span>访问量：<b>199</b></span><span>发布日期：<b>2017-05-15 10:49:00</b></span></div>"#;
        let e = read(&page(head, top, &format!("<p>{PARAGRAPH}</p>"), ""));
        assert_eq!(
            e.meta.published,
            Some(("2017-05-15".into(), "page 发布日期".into()))
        );
        assert_eq!(e.meta.source, None);
        assert_eq!(e.meta.title.unwrap().1, "h1");
        let e = read(&page(
            r#"<meta name="PubDate" content="2022-04-24 10:00:43">"#,
            "",
            &format!("<p>{PARAGRAPH}</p>"),
            "",
        ));
        assert_eq!(
            e.meta.published,
            Some(("2022-04-24".into(), "meta PubDate".into()))
        );
    }

    #[test]
    fn headings_carry_outline_levels_and_tables_come_as_rows() {
        let article = format!(
            "<h2>一、综合</h2><p>{PARAGRAPH}</p><h3>（一）农业</h3>\
             <table><tr><td><p>产品名称</p></td><td>计量单位</td><td>产量</td></tr>\
             <tr><td>饮料酒</td><td>千升</td><td>15767</td></tr></table>\
             <ul><li>林业生产取得新成效。</li><li>渔业生产稳定发展。</li></ul>\
             <p>全县农业总产值282563万元，<br>比上年增长5.04%。</p>"
        );
        let e = read(&page("", "", &article, ""));
        let got: Vec<(&str, Option<u8>)> = e
            .lines
            .iter()
            .map(|l| (l.text.as_str(), l.outline))
            .collect();
        assert_eq!(
            got,
            [
                ("一、综合", Some(2)),
                (PARAGRAPH, None),
                ("（一）农业", Some(3)),
                ("产品名称\t计量单位\t产量", None),
                ("饮料酒\t千升\t15767", None),
                ("林业生产取得新成效。", None),
                ("渔业生产稳定发展。", None),
                ("全县农业总产值282563万元，", None),
                ("比上年增长5.04%。", None),
            ]
        );
    }

    /// (fixture, expected text, title with its evidence, published, source)
    type Case = (
        &'static [u8],
        &'static str,
        (&'static str, &'static str),
        Option<(&'static str, &'static str)>,
        Option<&'static str>,
    );

    const FIXTURES: &[Case] = &[
        (
            include_bytes!("../../tests/fixtures/formats/html_ucap.html"),
            include_str!("../../tests/fixtures/formats/html_ucap.expected.txt"),
            (
                "万载县2015年国民经济和社会发展统计公报",
                "meta ArticleTitle",
            ),
            Some(("2017-05-15", "page 发布日期")),
            None,
        ),
        (
            include_bytes!("../../tests/fixtures/formats/html_trs.html"),
            include_str!("../../tests/fixtures/formats/html_trs.expected.txt"),
            ("景宁畲族自治县城市管理条例", "meta ArticleTitle"),
            Some(("2015-06-10", "page 发布时间")),
            Some("县人大常委会办公室"),
        ),
        (
            include_bytes!("../../tests/fixtures/formats/html_gbk.html"),
            include_str!("../../tests/fixtures/formats/html_gbk.expected.txt"),
            (
                "彭水苗族土家族自治县旅游条例",
                "title without the site name",
            ),
            Some(("2019-04-16", "page 发布时间")),
            None,
        ),
        (
            include_bytes!("../../tests/fixtures/formats/html_plain.html"),
            include_str!("../../tests/fixtures/formats/html_plain.expected.txt"),
            ("有关推进县域经济高质量发展实施意见", "h1"),
            Some(("2022-04-26", "page 时间")),
            None,
        ),
    ];

    #[test]
    fn reads_the_article_of_each_fixture_page() {
        for (bytes, expected, title, published, source) in FIXTURES {
            let e = read_html(bytes, &Limits::new()).unwrap();
            // Spaces inside a line are normalised as the page shows them.
            let want: Vec<String> = expected
                .lines()
                .map(normalise_row)
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(texts(&e), want, "{}", title.0);
            let meta = &e.meta;
            assert_eq!(meta.title, Some((title.0.into(), title.1.into())));
            assert_eq!(
                meta.published,
                published.map(|(d, why)| (d.into(), why.into())),
                "{}",
                title.0
            );
            assert_eq!(
                meta.source.as_ref().map(|s| s.0.as_str()),
                *source,
                "{}",
                title.0
            );
        }
    }

    #[test]
    fn what_was_dropped_is_counted_with_a_sample() {
        let e = read_html(FIXTURES[0].0, &Limits::new()).unwrap();
        let kinds: Vec<(&str, &str)> = e
            .dropped
            .iter()
            .map(|d| (d.what, d.sample.as_str()))
            .collect();
        for want in [
            ("page clock", "| 2023年10月11日 星期三"),
            (
                "breadcrumb",
                "您当前的位置： 网站首页>数据开放>政府数据>统计信息>统计公报",
            ),
            (
                "article info",
                "来源： 访问量：199 发布日期：2017-05-15 10:49:00",
            ),
            ("print and share links", "扫一扫在手机打开当前页"),
            ("footer", "网站地图 网站帮助 隐私声明 关于我们"),
        ] {
            assert!(kinds.contains(&want), "{want:?} not in {kinds:?}");
        }
        assert_eq!(e.encoding, "UTF-8");
        let gbk = read_html(FIXTURES[2].0, &Limits::new()).unwrap();
        assert_eq!(gbk.encoding, "gb18030");
    }

    #[test]
    fn a_page_nested_thousands_deep_is_refused_before_parsing() {
        let deep = format!(
            "<html><body>{}<p>{PARAGRAPH}</p></body></html>",
            "<div>".repeat(50_000)
        );
        let err = read_markup(&deep, Format::Html, "html").unwrap_err();
        assert!(
            matches!(err, SkipReason::Corrupt(ref why) if why.contains("nests")),
            "{err}"
        );
        // Unclosed paragraphs and cells are not nesting: html5ever closes them.
        let unclosed = format!(
            "<html><body><div id=zoom>{}</div></body></html>",
            format!("<p>{PARAGRAPH}").repeat(2000)
        );
        assert_eq!(read(&unclosed).lines.len(), 2000);
    }

    #[test]
    fn zero_width_and_odd_spaces_are_normalised() {
        assert_eq!(
            normalise(
                "\u{3000}\u{3000}全县\u{200B}农业\u{FEFF}总产值&nbsp;\u{00A0} 282563万元\u{200D}"
            ),
            "全县农业总产值&nbsp; 282563万元"
        );
    }

    #[test]
    fn without_a_known_container_the_densest_block_is_the_article() {
        let html = format!(
            "<html><body><div class=\"nav\"><a href=\"/\">网站首页</a><a href=\"/x\">新闻中心</a></div>\
             <div class=\"main\"><div class=\"text\"><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div></div>\
             <div class=\"foot\"><p>主办：万载县人民政府</p></div></body></html>"
        );
        let e = read(&html);
        assert_eq!(texts(&e), [PARAGRAPH, PARAGRAPH]);
        assert!(
            e.dropped.iter().any(|d| d.what == "footer"),
            "{:?}",
            e.dropped
        );
    }

    #[test]
    fn charsets_from_bom_meta_or_detection() {
        let body = format!("<p>{PARAGRAPH}</p>");
        let gbk_page = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>{body}</body></html>"
        );
        let (bytes, _, _) = encoding_rs::GBK.encode(&gbk_page);
        let (text, encoding) = decode_html(&bytes).unwrap();
        assert_eq!(encoding, "gb18030");
        assert!(text.contains(PARAGRAPH));
        // Declared gb2312 but saved as UTF-8 (as Chrome saves): UTF-8.
        let (text, encoding) = decode_html(gbk_page.as_bytes()).unwrap();
        assert_eq!((encoding, text.contains(PARAGRAPH)), ("UTF-8", true));
        // Nothing declared: detected.
        let plain = format!("<html><body>{body}</body></html>");
        let (bytes, _, _) = encoding_rs::GBK.encode(&plain);
        assert!(decode_html(&bytes).unwrap().0.contains(PARAGRAPH));
    }
}
