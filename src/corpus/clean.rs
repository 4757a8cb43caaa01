//! Cleaning: from a scraped page to the document's own paragraphs.
//!
//! Documents arrive as web pages saved to text (breadcrumbs, toolbars, "猜你喜欢"
//! link lists, paywall markers), as markdown, and with lines broken inside words
//! ("一般公\n\n共预算收入"). Cleaning removes what is not the document, folds
//! full-width ASCII and ideographic spaces, and rejoins broken lines, so that every
//! later step (passages, extraction, tokenizing) sees one paragraph per line.

use std::sync::LazyLock;

use regex::Regex;

use super::passage::{Marker, marker_of};
use crate::read::{Dropped, Extracted, Format, Line, note_dropped};
use crate::text::fold_width;

/// A cleaned document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// Paragraphs of the document, one per line.
    pub text: String,
    /// Where each line of `text` came from: its pages and outline level.
    pub lines: Vec<LineInfo>,
    /// Page metadata lines taken out of the text ("时间:2022-04-26", "来源:解放日报"):
    /// not content, but evidence for extraction.
    pub page_meta: Vec<String>,
    /// What cleaning left out, counted, for `inspect`.
    pub dropped: Vec<Dropped>,
}

/// Where a cleaned paragraph came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineInfo {
    /// The page it starts on, for paged formats.
    pub page: Option<u32>,
    /// The page it ends on, when later than `page`.
    pub last_page: Option<u32>,
    /// Its outline level from the document's styles or markdown marks.
    pub outline: Option<u8>,
}

impl Cleaned {
    /// The paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.lines()
    }
}

/// The genre words a document's title ends in (…的通知, …实施意见, …条例):
/// a line ending in one is whole, and the title is looked for by them.
pub const GENRE_WORDS: &[&str] = &[
    "报告", "规划", "纲要", "意见", "方案", "计划", "条例", "规定", "办法", "细则", "决定", "决议",
    "公报", "通知", "材料", "总结", "汇报", "要点", "措施", "指南", "清单", "目录", "指引", "守则",
    "规则", "章程", "准则", "制度", "规范", "公约", "须知", "批复", "通报", "公告", "复函", "法",
];

/// Toolbar and navigation lines dropped wherever they stand.
const TOOLBAR_LINES: &[&str] = &[
    "下载",
    "打印",
    "全屏",
    "收藏",
    "分享",
    "加大",
    "还原",
    "减小",
    "】",
    "【",
    "大",
    "中",
    "小",
    ">",
    "»",
    "|",
    "✖",
    "X",
    "关闭",
    "关闭窗口",
    "打印本页",
    "返回顶部",
    "网站无障碍关怀版",
    "网站无障碍",
    "关怀版",
    "繁體版",
    "繁繁體版",
    "简体版",
    "无障碍",
    "字号",
    "【字号:",
    "字号:",
    "【字体:",
    "字体:",
    "扫一扫",
    "分享到:",
    "[打印本页]",
    "[关闭窗口]",
    "默认",
    "长者模式",
    // Share targets under "分享到:" (r0499 and the pages of its site).
    "QQ空间",
    "QQ好友",
    "新浪微博",
    "腾讯微博",
    "微信",
    "微博",
    "人人网",
    "开心网",
    "百度空间",
    "和讯",
    "天涯社区",
    "豆瓣网",
];

/// Lines that open a page's trailing link lists.
const TAIL_MARKERS: &[&str] = &[
    "猜你喜欢",
    "相关推荐",
    "热门文档",
    "相关文章",
    "相关阅读",
    "延伸阅读",
    "推荐阅读",
    "推荐访问",
    "上一篇",
    "下一篇",
    "相关链接",
    "相关文档",
    "相关报道",
    "【相关报道】",
    "本栏最新",
    "本栏推荐",
    "阅读排行",
    "标签云",
];

/// Lines of a government site's footer: the footer starts at the first of
/// them near the end of the page (00064: 扫一扫在手机打开当前页 / 【返回顶部】
/// 【关闭本页】 / 网站地图 / 主办… / 赣ICP备… 网站标识码…).
static FOOTER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:扫一扫在手机(?:上)?打开当前页|【返回顶部】|【关闭本页】|【打印本页】|【关闭窗口】|网站地图|网站帮助|隐私声明|关于我们|联系我们|主办单位|主办[:：]|承办[:：]|版权所有|技术支持[:：]|您访问的链接即将离开)|ICP备\d|网站标识码|公网安备",
    )
    .expect("valid regex")
});

/// A page's clock: the day the page was viewed, not the document's date
/// (00063: "2023年10月11日 星期三" above the breadcrumbs of a 2015 bulletin).
static PAGE_CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:今天是)?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]$")
        .expect("valid regex")
});

static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(当前位置|您当前的位置|您当前所在位置|您现在的位置|您所在的位置|你的位置|您的位置|当前页面)\s*[:：]?|^(网站)?首页\s*[>＞»]")
        .expect("valid regex")
});

static PAGE_META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(来源|作者|时间|发布时间|发表时间|发布日期|发文日期|更新时间|浏览量|浏览次数|访问量|阅读量|阅读次数|点击数|点击量|索\s*引\s*号|生成日期|成文日期|公开方式|公开时限|公开范围|责任部门|发布机构|发文机关|发文字号|文\s*号|主题分类|分类|体裁分类|有效性|关联稿件|文章来源|信息来源|责任编辑|编辑|网友发表时间|字数|标题|年份|评论|阅读|内容摘要|标签)(\s*[:：]|\s+\d|$)",
    )
    .expect("valid regex")
});

static PAID_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"##paid(begin|end)##").expect("valid regex"));

static DATE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.*(?:通过|批准|修正|修订|施行|公布)",
    )
    .expect("valid regex")
});

/// Site names glued to page titles: "… _ 中国宜春", "… | 万载县人民政府".
static SITE_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[|_｜]\s*[^|_｜]{1,30}$").expect("valid regex"));

/// Markdown heading marks: their number is the outline level.
static MARKDOWN_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+").expect("valid regex"));

static MARKDOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^>\s+|\*\*").expect("valid regex"));

/// Cleans decoded text (one paragraph or visual line a line).
pub fn clean(raw: &str) -> Cleaned {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    clean_lines(&Extracted::from_text(Format::Text, "text", raw).lines)
}

/// A line on its way through cleaning.
struct Work {
    text: String,
    info: LineInfo,
}

/// Cleans the lines a reader gave: what is not the document is dropped (and
/// counted), the rest normalised and broken lines rejoined, each paragraph
/// keeping its pages and outline level.
pub fn clean_lines(raw: &[Line]) -> Cleaned {
    let mut dropped = Vec::new();
    let mut page_meta = Vec::new();
    let normalized = normalize_lines(raw);
    let normalized = drop_site_header(normalized, &mut dropped);
    let mut lines: Vec<Work> = Vec::new();
    let mut it = normalized.into_iter().peekable();
    let mut in_breadcrumb = false;
    while let Some(line) = it.next() {
        if line.text.is_empty() {
            lines.push(line);
            continue;
        }
        let text = line.text.as_str();
        if BREADCRUMB.is_match(text) {
            note_dropped(&mut dropped, "breadcrumb", text);
            // "当前位置:" / "首页" / ">" / "政务信息" / ">" / "宁夏要闻": the trail
            // may run over lines.
            in_breadcrumb = text.chars().count() <= 12 || text.ends_with(['>', '＞']);
            continue;
        }
        if in_breadcrumb {
            let next_is_step = it
                .peek()
                .is_some_and(|n| matches!(n.text.as_str(), ">" | "＞" | "»"));
            if matches!(text, ">" | "＞" | "»" | "首页" | "网站首页") || next_is_step {
                note_dropped(&mut dropped, "breadcrumb", text);
                continue;
            }
            in_breadcrumb = false;
            // The last step of the trail ("宁夏要闻") follows the last ">".
            if text.chars().count() <= 8 && !text.contains(['。', ',', '，']) {
                note_dropped(&mut dropped, "breadcrumb", text);
                continue;
            }
        }
        if is_separator(text) {
            note_dropped(&mut dropped, "separator", text);
            continue;
        }
        if TOOLBAR_LINES.contains(&text) {
            note_dropped(&mut dropped, "toolbar", text);
            continue;
        }
        if PAGE_CLOCK.is_match(text) {
            note_dropped(&mut dropped, "page clock", text);
            continue;
        }
        if let Some(m) = PAGE_META.find(text) {
            // Short labelled lines only: a paragraph may well begin with 时间.
            if text.chars().count() <= 60 {
                let mut meta = text.to_string();
                if m.end() == text.len() && !text.ends_with(char::is_numeric) {
                    // "生成日期:" with its value on the next line.
                    if let Some(value) = it.next_if(|l| {
                        !l.text.is_empty()
                            && l.text.chars().count() <= 40
                            && !PAGE_META.is_match(&l.text)
                    }) {
                        meta.push_str(&value.text);
                    }
                }
                page_meta.push(meta);
                continue;
            }
        }
        lines.push(line);
    }
    cut_footer(&mut lines, &mut dropped);
    cut_trailing_links(&mut lines, &mut dropped);
    let (text, infos) = join_broken_lines(&lines);
    Cleaned {
        text,
        lines: infos,
        page_meta,
        dropped,
    }
}

/// Per line: markup left by scraping removed (HTML comments, paywall
/// markers, markdown marks, zero-width and control characters), width
/// folded, spaces collapsed; a markdown heading keeps its level.
fn normalize_lines(raw: &[Line]) -> Vec<Work> {
    let mut out = Vec::with_capacity(raw.len());
    let mut in_comment = false;
    for line in raw {
        let mut text = strip_comments(&line.text, &mut in_comment);
        if text.contains("##paid") {
            text = PAID_MARKER.replace_all(&text, "").into_owned();
        }
        let folded = fold_width(&text);
        let mut info = LineInfo {
            page: line.page,
            last_page: line.last_page,
            outline: line.outline,
        };
        let trimmed = folded.trim();
        let body = match MARKDOWN_HEADING.captures(trimmed) {
            Some(c) => {
                info.outline = info.outline.or(Some(c[1].len() as u8));
                &trimmed[c[0].len()..]
            }
            None => trimmed,
        };
        let text = normalize_line(body);
        let text = unspace_letter_spaced(&text).unwrap_or(text);
        out.push(Work { text, info });
    }
    out
}

/// Removes `<!-- … -->` from a line, carrying an open comment to the next.
fn strip_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        }
        match rest.find("<!--") {
            Some(start) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4..];
                *in_comment = true;
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The site's header above a page's breadcrumbs (site name, language and
/// accessibility switches, the menu: "网站首页 / 新闻中心 / 县政府 / …") is
/// not the document. Only short lines above the first breadcrumb near the top
/// are dropped, and a page title among them is kept as page metadata.
fn drop_site_header(lines: Vec<Work>, dropped: &mut Vec<Dropped>) -> Vec<Work> {
    const HEADER_MAX_LINES: usize = 40;
    const HEADER_LINE_MAX_CHARS: usize = 40;
    let Some(crumb) = lines
        .iter()
        .take(HEADER_MAX_LINES)
        .position(|l| BREADCRUMB.is_match(&l.text))
    else {
        return lines;
    };
    let all_short = lines[..crumb]
        .iter()
        .all(|l| l.text.chars().count() <= HEADER_LINE_MAX_CHARS || SITE_SUFFIX.is_match(&l.text));
    let menu_like = lines[..crumb].iter().filter(|l| !l.text.is_empty()).count() >= 3;
    if crumb == 0 || !all_short || !menu_like {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        if i >= crumb || line.text.is_empty() {
            out.push(line);
        } else if i == 0 && line.text.chars().count() >= 6 && !line.text.ends_with(['-', '|']) {
            // The page's <title> as saved: "万载县人民政府 | 万载县2015年…统计公报".
            out.push(line);
        } else {
            note_dropped(dropped, "site header", &line.text);
        }
    }
    out
}

/// Trims, removes markdown marks, invisible characters and inner runs of
/// spaces that scraping left.
fn normalize_line(line: &str) -> String {
    let line = line.trim();
    let entities;
    let line = if line.contains('&') {
        entities = decode_entities(line);
        entities.as_str()
    } else {
        line
    };
    let line = MARKDOWN.replace_all(line, "");
    let line = line.trim();
    // Collapse runs of spaces; CJK text has none of its own.
    let mut out = String::with_capacity(line.len());
    let mut last_space = false;
    for c in line.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

/// A rule of `=`, `-`, `*` or `_` between a scraper's header and the text.
fn is_separator(line: &str) -> bool {
    line.chars().count() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '=' | '-' | '*' | '_' | '—' | '─' | '━'))
}

/// "政 府 工 作 报 告": a title set with a space after every character;
/// CJK text has no spaces of its own, so these are taken out.
fn unspace_letter_spaced(line: &str) -> Option<String> {
    let parts: Vec<&str> = line.split(' ').collect();
    let single = parts
        .iter()
        .take_while(|p| p.chars().count() == 1 && p.chars().all(is_han))
        .count();
    if single < 3 {
        return None;
    }
    let mut out: String = parts[..single].concat();
    if single < parts.len() {
        out.push_str(&parts[single..].join(" "));
    }
    Some(out)
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// HTML entities that pages copied as text keep ("区长&nbsp; 李志永" in r0519).
fn decode_entities(line: &str) -> String {
    const NAMED: &[(&str, &str)] = &[
        ("&nbsp;", " "),
        ("&ensp;", " "),
        ("&emsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&ldquo;", "“"),
        ("&rdquo;", "”"),
        ("&mdash;", "—"),
        ("&hellip;", "…"),
        ("&middot;", "·"),
        ("&amp;", "&"),
    ];
    let mut out = line.to_string();
    for (entity, text) in NAMED {
        if out.contains(entity) {
            out = out.replace(entity, text);
        }
    }
    NUMERIC_ENTITY
        .replace_all(&out, |c: &regex::Captures| {
            let code = match c.get(1) {
                Some(hex) => u32::from_str_radix(hex.as_str(), 16).ok(),
                None => c[2].parse().ok(),
            };
            code.and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_else(|| c[0].to_string())
        })
        .into_owned()
}

static NUMERIC_ENTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&#(?:[xX]([0-9a-fA-F]{1,6})|(\d{1,7}));").expect("valid regex"));

/// Zero-width characters, joiners, byte-order marks and control characters:
/// scraping leaves them (U+200B started or ended 112 passages of the corpus)
/// and they split words for the tokenizers.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
        || (c.is_control() && !c.is_whitespace())
}

/// Drops the site footer: from the first footer line (扫一扫在手机打开当前页,
/// 网站地图, 主办…, ICP备…) in the last part of the page to the end, as long
/// as no sentence follows it. A document's own appendix may list 主办单位:
/// under each project (reports/r0317: 主办单位:市人社局… then 年度目标:…
/// 达到78%); a site footer holds no sentences.
fn cut_footer(lines: &mut Vec<Work>, dropped: &mut Vec<Dropped>) {
    let total: usize = lines.iter().map(|l| l.text.len()).sum();
    let mut after = 0usize;
    let mut cut_at = None;
    let mut sentence_after = false;
    for (i, line) in lines.iter().enumerate().rev() {
        after += line.text.len();
        if after * 10 > total * 3 && after > 3000 {
            break;
        }
        if line.text.chars().count() <= 120 && FOOTER_LINE.is_match(&line.text) && !sentence_after {
            cut_at = Some(i);
        }
        sentence_after |= is_sentence(&line.text);
    }
    // One line that only names a 主办单位 is no footer by itself: an
    // appendix's last project says it too.
    if let Some(i) = cut_at {
        let footer_lines = lines[i..]
            .iter()
            .filter(|l| FOOTER_LINE.is_match(&l.text))
            .count();
        if footer_lines < 2 && !SITE_MARK.is_match(&lines[i].text) {
            cut_at = None;
        }
    }
    if let Some(i) = cut_at {
        for line in lines.drain(i..) {
            if !line.text.is_empty() {
                note_dropped(dropped, "site footer", &line.text);
            }
        }
    }
}

/// Footer marks no document text has: a site's registration and page tools.
static SITE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"ICP备|网站标识码|公网安备|扫一扫在手机|返回顶部|关闭本页|打印本页|版权所有|网站地图",
    )
    .expect("valid pattern")
});

/// A line of prose: long enough and ending a sentence, or holding one.
fn is_sentence(text: &str) -> bool {
    let t = text.trim_end();
    t.chars().count() >= 30 && (t.ends_with(['。', '；', '！']) || t.contains('。'))
}

/// Drops a trailing block of link lists ("猜你喜欢" and what follows) when it is
/// small next to the document; drops only the marker line otherwise.
fn cut_trailing_links(lines: &mut Vec<Work>, dropped: &mut Vec<Dropped>) {
    let is_marker = |l: &str| {
        TAIL_MARKERS
            .iter()
            .any(|m| l.starts_with(m) && l.chars().count() <= 60)
    };
    let total: usize = lines.iter().map(|l| l.text.len()).sum();
    let mut after = 0usize;
    let mut cut_at = None;
    for (i, line) in lines.iter().enumerate().rev() {
        after += line.text.len();
        if is_marker(&line.text) && (after * 10 <= total * 3 || after <= 2000) {
            cut_at = Some(i);
        }
    }
    if let Some(i) = cut_at {
        for line in lines.drain(i..) {
            if !line.text.is_empty() {
                note_dropped(dropped, "related links", &line.text);
            }
        }
    }
    lines.retain(|l| {
        let keep = !is_marker(&l.text);
        if !keep {
            note_dropped(dropped, "related links", &l.text);
        }
        keep
    });
}

/// Joins lines broken inside a sentence, keeping headings and titles on their
/// own; each paragraph keeps the pages of its first and last line.
fn join_broken_lines(lines: &[Work]) -> (String, Vec<LineInfo>) {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut infos: Vec<LineInfo> = Vec::new();
    let mut open = Open::No; // how the last paragraph stopped
    for line in lines {
        let text = line.text.as_str();
        if text.is_empty() {
            continue;
        }
        let starts_block = line.info.outline.is_some()
            || marker_of(text).is_some()
            || is_article_or_chapter(text)
            || is_date_record(text);
        let continues = match open {
            Open::Strong => true,
            Open::Weak => !reads_as_own_line(text),
            Open::No => {
                starts_mid_sentence(text)
                    || is_fragment(text) && paragraphs.last().is_some_and(|l| l.ends_with(is_han))
            }
        };
        if continues
            && !starts_block
            && let (Some(last), Some(info)) = (paragraphs.last_mut(), infos.last_mut())
            && info.outline.is_none()
        {
            if needs_space_between(last, text) {
                last.push(' ');
            }
            last.push_str(text);
            let end = line.info.last_page.or(line.info.page);
            if end.is_some() && end != info.page {
                info.last_page = end.max(info.last_page);
            }
            open = unfinished(last);
            continue;
        }
        paragraphs.push(text.to_string());
        infos.push(line.info);
        open = if line.info.outline.is_some() || is_date_record(text) {
            Open::No
        } else {
            unfinished(text)
        };
    }
    (paragraphs.join("\n"), infos)
}

/// How a line ends: as a whole paragraph, on a word that may go on in the
/// next line, or on a mark that must go on (a comma, an open quotation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    No,
    Weak,
    Strong,
}

/// One or two characters alone on a line are the end of the word above
/// ("政府工作报" / "告" in 00133), never a paragraph.
fn is_fragment(line: &str) -> bool {
    line.chars().count() <= 2 && line.chars().all(is_han)
}

/// Words a Chinese sentence or title cannot end on: a line ending on one
/// goes on in the next ("…国务院总理李强所作的" / "政府工作报告" / "。会议…").
const OPEN_ENDINGS: &[char] = &[
    '的', '和', '与', '及', '或', '在', '对', '向', '把', '被', '将', '从', '并', '之', '于',
];

/// A short line ending without punctuation is a title, heading, name or
/// caption ("政府工作报告", "省长 李炳军"), not the end of a wrapped sentence,
/// which ends a paragraph with its full stop.
fn reads_as_own_line(line: &str) -> bool {
    const OWN_LINE_MAX_CHARS: usize = 25;
    line.chars().count() <= OWN_LINE_MAX_CHARS
        && line
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '”' | ')' | '）' | '》'))
        && !starts_mid_sentence(line)
}

/// A line that cannot begin a sentence: it opens with a closing mark or a
/// joining sign ("+公司”改革模式" after "“管委(工委)会" in seed 001).
fn starts_mid_sentence(line: &str) -> bool {
    line.starts_with([
        '+', ')', '）', '”', '’', '》', ',', '，', '、', '。', ';', '；', ':', '：', '%',
    ])
}

/// A regulation's record of passing or amendment, a line of its own under the
/// title: "2017年4月20日 上海市第十四届人民代表大会常务委员会第三十七次会议通过".
fn is_date_record(line: &str) -> bool {
    DATE_RECORD.is_match(line) && !line.contains('。')
}

fn is_article_or_chapter(line: &str) -> bool {
    matches!(marker_of(line), Some(Marker::Chapter | Marker::Article))
}

/// A line stops mid-sentence if it ends in a comma-like mark or leaves a
/// quotation or parenthesis open (it must go on), or ends in a word character
/// and reads as running text (it has inner punctuation or is long), not a
/// title (it may go on).
fn unfinished(line: &str) -> Open {
    let Some(last) = line.chars().last() else {
        return Open::No;
    };
    let continues = matches!(
        last,
        ',' | '、' | '，' | ';' | '；' | '(' | '“' | '《' | '-' | '—' | '+'
    );
    if continues || OPEN_ENDINGS.contains(&last) && line.chars().count() >= 8 {
        return Open::Strong;
    }
    if !(last.is_alphanumeric()) {
        return Open::No;
    }
    if marker_of(line).is_some_and(|m| m.is_heading()) && line.chars().count() <= 40 {
        return Open::No;
    }
    // "商务部关于公布…名单的通知" above its addressees is a whole title.
    if line.chars().count() <= 70
        && GENRE_WORDS.iter().any(|g| line.ends_with(g))
        && !line.contains('。')
    {
        return Open::No;
    }
    // A page title with its site's name ("…统计公报 | 万载县人民政府") is whole.
    if SITE_SUFFIX.find(line).is_some_and(|m| m.start() > 0) {
        return Open::No;
    }
    if leaves_open(line, '“', '”') || leaves_open(line, '(', ')') || leaves_open(line, '《', '》')
    {
        return Open::Strong;
    }
    let inner_punct = line
        .chars()
        .any(|c| matches!(c, ',' | '，' | '、' | ';' | '；' | '。' | ':' | '：'));
    if inner_punct || line.chars().count() >= 30 {
        Open::Weak
    } else {
        Open::No
    }
}

/// True when `line` has more opening than closing marks of a pair.
fn leaves_open(line: &str, open: char, close: char) -> bool {
    let opened = line.chars().filter(|&c| c == open).count();
    let closed = line.chars().filter(|&c| c == close).count();
    opened > closed
}

fn needs_space_between(left: &str, right: &str) -> bool {
    let l = left.chars().last().unwrap_or(' ');
    let r = right.chars().next().unwrap_or(' ');
    l.is_ascii_alphanumeric() && r.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appendix_that_names_its_organisers_is_no_footer() {
        // reports/r0317 (2023 昭通 work report): each project of the appendix
        // ends with its 主办单位, the last one on the last line; a real footer
        // (00063-like) has its registration marks.
        let appendix = "一、稳定扩大就业\n\n年度目标：实现城镇新增就业4.05万人以上，2023届高校毕业生就业去向落实率不低于2022年水平。\n\n主办单位：市人社局、市教体局、市退役军人事务局、市残联，各县市区人民政府。\n\n二、提升基础教育办学能力\n\n年度目标：新建改扩建幼儿园80所、新增学位2万个以上，进一步提升基础教育办学能力。\n\n主办单位：市教体局，各县市区人民政府。";
        let cleaned = clean(appendix);
        assert!(
            cleaned.text.contains("新增学位2万个以上"),
            "{}",
            cleaned.text
        );
        assert!(
            cleaned
                .text
                .ends_with("主办单位:市教体局,各县市区人民政府。"),
            "{}",
            cleaned.text
        );
        let page = "正文第一段，全市新建改扩建幼儿园80所、新增学位2万个以上，进一步提升办学能力。\n主办单位：某某市人民政府办公室\n网站标识码：3600000001 赣ICP备05004144号";
        let cleaned = clean(page);
        assert!(!cleaned.text.contains("主办单位"), "{}", cleaned.text);
    }

    #[test]
    fn joins_lines_broken_inside_a_word() {
        // Seed 001.
        let raw = "到2025年,示范县生产总值超600亿元,一般公\n\n共预算收入超40亿元;\n其他县区生产总值分别超500亿元。";
        let cleaned = clean(raw);
        assert_eq!(
            cleaned.text,
            "到2025年,示范县生产总值超600亿元,一般公共预算收入超40亿元;其他县区生产总值分别超500亿元。"
        );
    }

    #[test]
    fn keeps_headings_and_titles_on_their_own_lines() {
        let raw = "关于推进县域经济高质量发展的实施意见\n\n为加快推进我市县域经济高质量发展,结合实际,制定本意见。\n\n一、目标任务\n\n到2025年,各县区综合实力显著提高。";
        let paragraphs: Vec<String> = clean(raw).paragraphs().map(String::from).collect();
        assert_eq!(paragraphs.len(), 4, "{paragraphs:?}");
        assert_eq!(paragraphs[2], "一、目标任务");
    }

    #[test]
    fn strips_page_boilerplate() {
        let raw = "当前位置:钱途文档网 > 作文范文 >\n\n有关推进县域经济高质量发展实施意见\n\n时间:2022-04-26 13:45:12 浏览量:\n\n下载\n打印\n全屏\n收藏\n【字号:\n加大\n还原\n减小\n】\n正文第一段。\n\n推荐访问:高质量 实施意见 县域经济 推进 发展\n\n猜你喜欢";
        let cleaned = clean(raw);
        assert_eq!(
            cleaned.text,
            "有关推进县域经济高质量发展实施意见\n正文第一段。"
        );
        assert_eq!(cleaned.page_meta, ["时间:2022-04-26 13:45:12 浏览量:"]);
    }

    #[test]
    fn strips_paywall_markers_comments_and_markdown() {
        let raw = "# 上海口岸服务条例\n\n<!-- INFO END -->\n\n## 第一章  总则\n\n##paidbegin##四、建强园区平台。\n##paidend##";
        let paragraphs: Vec<String> = clean(raw).paragraphs().map(String::from).collect();
        assert_eq!(
            paragraphs,
            ["上海口岸服务条例", "第一章 总则", "四、建强园区平台。"]
        );
    }

    #[test]
    fn keeps_a_page_title_with_its_site_name_whole() {
        // 00064 of the evaluation corpus.
        let raw = "万载县2022年国民经济和社会发展统计公报 | 万载县人民政府\n万载县人民政府-\n统计局\n网站无障碍关怀版";
        let paragraphs: Vec<String> = clean(raw).paragraphs().map(String::from).collect();
        assert_eq!(
            paragraphs[0],
            "万载县2022年国民经济和社会发展统计公报 | 万载县人民政府"
        );
    }

    #[test]
    fn keeps_a_regulations_records_under_its_title() {
        // 01488 of the evaluation corpus: a long title, then one line per record.
        let raw = "# 河南省实施《中华人民共和国各级人民代表大会常务委员会监督法》办法\n\n2009年11月27日 河南省第十一届人民代表大会常务委员会第十二次会议通过\n\n2015年9月26日 河南省第十二届人民代表大会常务委员会第十六次会议《关于修改〈河南省实施《中华人民共和国各级人民代表大会常务委员会监督法》办法〉的决定》修正\n\n<!-- INFO END -->\n\n第一条 为了保障本省各级人民代表大会常务委员会依法行使监督职权，根据《中华人民共和国各级人民代表大会常务委员会监督法》（以下简称《监督法》）等法律，结合本省实际，制定本办法。";
        let paragraphs: Vec<String> = clean(raw).paragraphs().map(String::from).collect();
        assert_eq!(paragraphs.len(), 4, "{paragraphs:?}");
        assert!(paragraphs[1].starts_with("2009年11月27日") && paragraphs[1].ends_with("通过"));
        assert!(paragraphs[2].starts_with("2015年9月26日") && paragraphs[2].ends_with("修正"));
    }

    #[test]
    fn folds_full_width_ascii_and_ideographic_spaces() {
        let cleaned = clean("　　全县ＧＤＰ增长５．３％，");
        assert_eq!(cleaned.text, "全县GDP增长5.3%,");
    }

    #[test]
    fn takes_a_labelled_value_from_the_next_line() {
        let cleaned = clean("生成日期：\n2023-05-11\n公开方式：\n主动公开\n正文。");
        assert_eq!(
            cleaned.page_meta,
            ["生成日期:2023-05-11", "公开方式:主动公开"]
        );
        assert_eq!(cleaned.text, "正文。");
    }

    #[test]
    fn rejoins_hard_wrapped_lines_but_not_list_items() {
        let raw = "应用场景:利用计算机视觉、神经网络等技术,在X射线、\nCT、MRI、超声等影像诊断中发挥作用。\n2.医学影像数据智能标注";
        let paragraphs: Vec<String> = clean(raw).paragraphs().map(String::from).collect();
        assert_eq!(
            paragraphs,
            [
                "应用场景:利用计算机视觉、神经网络等技术,在X射线、CT、MRI、超声等影像诊断中发挥作用。",
                "2.医学影像数据智能标注"
            ]
        );
    }

    #[test]
    fn cleaning_is_idempotent() {
        for path in std::fs::read_dir("corpus/seeds").unwrap() {
            let raw = std::fs::read_to_string(path.unwrap().path()).unwrap();
            let once = clean(&raw);
            let twice = clean(&once.text);
            assert_eq!(once.text, twice.text);
        }
    }
}
