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
use crate::text::fold_width;

/// A cleaned document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// Paragraphs of the document, one per line.
    pub text: String,
    /// Page metadata lines taken out of the text ("时间:2022-04-26", "来源:解放日报"):
    /// not content, but evidence for extraction.
    pub page_meta: Vec<String>,
}

impl Cleaned {
    /// The paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.lines()
    }
}

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
    "关闭",
    "关闭窗口",
    "打印本页",
    "返回顶部",
    "网站无障碍关怀版",
    "无障碍",
    "字号",
    "【字号:",
    "字号:",
    "扫一扫",
    "分享到:",
    "[打印本页]",
    "[关闭窗口]",
    "默认",
    "长者模式",
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
];

static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(当前位置|您当前所在位置|您现在的位置|你的位置|您的位置|当前页面)\s*[:：]?|^首页\s*[>＞»]")
        .expect("valid regex")
});

static PAGE_META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(来源|作者|时间|发布时间|发布日期|更新时间|浏览量|浏览次数|访问量|点击数|点击量|索\s*引\s*号|生成日期|成文日期|公开方式|公开时限|公开范围|责任部门|关联稿件|文章来源|信息来源|网友发表时间|字数)(\s*[:：]|\s+\d|$)",
    )
    .expect("valid regex")
});

static HTML_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("valid regex"));

static PAID_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"##paid(begin|end)##").expect("valid regex"));

static DATE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.*(?:通过|批准|修正|修订|施行|公布)",
    )
    .expect("valid regex")
});

/// Site names glued to page titles: "… _ 中国宜春", "… | 万载县人民政府".
pub static SITE_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[|_｜]\s*[^|_｜]{1,30}$").expect("valid regex"));

static MARKDOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#{1,6}\s+|^>\s+|\*\*").expect("valid regex"));

/// Cleans a decoded document.
pub fn clean(raw: &str) -> Cleaned {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let without_comments = HTML_COMMENT.replace_all(raw, "\n");
    let without_markers = PAID_MARKER.replace_all(&without_comments, "");
    let folded = fold_width(&without_markers);

    let mut page_meta = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut raw_lines = folded.lines().map(normalize_line).peekable();
    while let Some(line) = raw_lines.next() {
        if line.is_empty() {
            lines.push(String::new());
            continue;
        }
        if TOOLBAR_LINES.contains(&line.as_str()) || BREADCRUMB.is_match(&line) {
            continue;
        }
        if let Some(m) = PAGE_META.find(&line) {
            // Short labelled lines only: a paragraph may well begin with 时间.
            if line.chars().count() <= 60 {
                let mut meta = line.clone();
                if m.end() == line.len() && !line.ends_with(char::is_numeric) {
                    // "生成日期:" with its value on the next line.
                    if let Some(value) =
                        raw_lines.next_if(|l| !l.is_empty() && l.chars().count() <= 40)
                    {
                        meta.push_str(&value);
                    }
                }
                page_meta.push(meta);
                continue;
            }
        }
        lines.push(line);
    }
    cut_trailing_links(&mut lines);
    let text = join_broken_lines(&lines);
    Cleaned { text, page_meta }
}

/// Trims, removes markdown marks and inner runs of spaces that scraping left.
fn normalize_line(line: &str) -> String {
    let line = line.trim();
    let line = MARKDOWN.replace_all(line, "");
    let line = line.trim();
    // Collapse runs of spaces; CJK text has none of its own.
    let mut out = String::with_capacity(line.len());
    let mut last_space = false;
    for c in line.chars() {
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
    out
}

/// Drops a trailing block of link lists ("猜你喜欢" and what follows) when it is
/// small next to the document; drops only the marker line otherwise.
fn cut_trailing_links(lines: &mut Vec<String>) {
    let total: usize = lines.iter().map(|l| l.len()).sum();
    let mut after = 0usize;
    let mut cut_at = None;
    for (i, line) in lines.iter().enumerate().rev() {
        after += line.len();
        let is_marker = TAIL_MARKERS
            .iter()
            .any(|m| line.starts_with(m) && line.chars().count() <= 60);
        if is_marker && (after * 10 <= total * 3 || after <= 2000) {
            cut_at = Some(i);
        }
    }
    if let Some(i) = cut_at {
        lines.truncate(i);
    }
    lines.retain(|l| {
        !TAIL_MARKERS
            .iter()
            .any(|m| l.starts_with(m) && l.chars().count() <= 60)
    });
}

/// Joins lines broken inside a sentence, keeping headings and titles on their own.
fn join_broken_lines(lines: &[String]) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false; // the last paragraph stopped mid-sentence
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let starts_block =
            marker_of(line).is_some() || is_article_or_chapter(line) || is_date_record(line);
        if open
            && !starts_block
            && let Some(last) = paragraphs.last_mut()
        {
            if needs_space_between(last, line) {
                last.push(' ');
            }
            last.push_str(line);
            open = is_unfinished(last);
            continue;
        }
        paragraphs.push(line.clone());
        open = is_unfinished(line) && !is_date_record(line);
    }
    paragraphs.join("\n")
}

/// A regulation's record of passing or amendment, a line of its own under the
/// title: "2017年4月20日 上海市第十四届人民代表大会常务委员会第三十七次会议通过".
fn is_date_record(line: &str) -> bool {
    DATE_RECORD.is_match(line) && !line.contains('。')
}

fn is_article_or_chapter(line: &str) -> bool {
    matches!(marker_of(line), Some(Marker::Chapter | Marker::Article))
}

/// A line stops mid-sentence if it ends in a word character or a comma-like mark
/// and reads as running text (it has inner punctuation or is long), not a title.
fn is_unfinished(line: &str) -> bool {
    let Some(last) = line.chars().last() else {
        return false;
    };
    let continues = matches!(
        last,
        ',' | '、' | '，' | ';' | '；' | '(' | '“' | '《' | '-' | '—'
    );
    if continues {
        return true;
    }
    if !(last.is_alphanumeric()) {
        return false;
    }
    if marker_of(line).is_some_and(|m| m.is_heading()) && line.chars().count() <= 40 {
        return false;
    }
    // A page title with its site's name ("…统计公报 | 万载县人民政府") is whole.
    if SITE_SUFFIX.find(line).is_some_and(|m| m.start() > 0) {
        return false;
    }
    let inner_punct = line
        .chars()
        .any(|c| matches!(c, ',' | '，' | '、' | ';' | '；' | '。' | ':' | '：'));
    inner_punct || line.chars().count() >= 30
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
