//! The document's title: the first short line near the top that names a genre
//! (报告, 方案, 意见, 条例…), or else a short first line that reads as a title.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::clean::GENRE_WORDS;
use crate::corpus::passage::marker_of;
use crate::read::SourceMeta;

/// Lines looked at for a title.
const TITLE_SEARCH_LINES: usize = 12;
const TITLE_MAX_CHARS: usize = 70;

/// How a speech opens: "各位代表:", "同志们:".
const SALUTATIONS: &[&str] = &["各位代表", "同志们"];

/// A document number such as 市委发〔2018〕10号.
pub static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[〔\[【(]\s*((?:19|20)\d{2})\s*[〕\]】)]\s*\d+\s*号").expect("valid regex")
});

/// The title and the index of its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The title text.
    pub text: String,
    /// Index of the paragraph it was taken from, if it stands in the text.
    pub line: Option<usize>,
    /// Why it was taken.
    pub why: String,
}

/// Titles that name only a genre, which a site or a speech puts above the
/// real title ("工作报告" over "保定市满城区2020年政府工作报告") or which are
/// the whole title of a work report ("政府工作报告"): a researcher comparing
/// hundreds of them needs the place and year with it.
pub const BARE_GENRES: &[&str] = &[
    "政府工作报告",
    "工作报告",
    "统计公报",
    "公报",
    "报告",
    "通知",
    "公告",
];

/// Finds the title: what the file's container says (front matter, a web
/// page's ArticleTitle, OFD DocInfo), a page's "标题:" line, or the first
/// paragraphs of cleaned text.
pub fn find_title(
    cleaned_text: &str,
    outline: &[Option<u8>],
    source: &SourceMeta,
    page_meta: &[String],
) -> Option<Title> {
    let lines: Vec<&str> = cleaned_text.lines().take(TITLE_SEARCH_LINES).collect();
    let in_text = |title: &str| {
        let key = title_key(title);
        lines.iter().position(|l| {
            let l = title_key(l);
            !l.is_empty()
                && (l == key || l.contains(&key) && l.chars().count() <= key.chars().count() + 8)
        })
    };
    if let Some((title, from)) = &source.title {
        let title = strip_annotation(title);
        if usable(&title) {
            return Some(Title {
                line: in_text(&title),
                text: title,
                why: from.clone(),
            });
        }
    }
    for meta in page_meta {
        if let Some(value) = meta
            .strip_prefix("标题:")
            .or_else(|| meta.strip_prefix("标题："))
        {
            let title = strip_annotation(value.trim());
            if usable(&title) {
                return Some(Title {
                    line: in_text(&title),
                    text: title,
                    why: format!("the page's \"{meta}\" line"),
                });
            }
        }
    }
    // A top-level heading opening the text (markdown "# ", HTML h1, Word's
    // Title style) is the title.
    if let Some((i, text)) = lines.iter().enumerate().take(3).find_map(|(i, l)| {
        let text = page_title_part(l);
        (outline.get(i) == Some(&Some(1)) && usable(&text)).then_some((i, text))
    }) {
        return Some(Title {
            text,
            line: Some(i),
            why: format!("line {}, a top-level heading", i + 1),
        });
    }
    find_title_line(&lines)
}

/// The title among the first paragraphs: the first short line near the top
/// that names a genre, or else a short first line that reads as a title.
fn find_title_line(lines: &[&str]) -> Option<Title> {
    let found = |text: String, i: usize| Title {
        text,
        line: Some(i),
        why: format!("line {} of the cleaned text", i + 1),
    };
    for (i, line) in lines.iter().enumerate() {
        // A speech's title stands above its salutation; below it is the speech
        // ("首先报告2001年的工作" is a heading of the report, not its title).
        if SALUTATIONS.iter().any(|s| line.starts_with(s)) {
            break;
        }
        let text = page_title_part(line);
        if usable(&text) && GENRE_WORDS.iter().any(|g| text.contains(g)) && !text.contains("。") {
            // A bare genre above the real title: take the one below.
            if BARE_GENRES.contains(&text.as_str())
                && let Some((j, better)) = lines
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .take(2)
                    .map(|(j, l)| (j, page_title_part(l)))
                    .find(|(_, l)| {
                        usable(l)
                            && l.chars().count() > text.chars().count()
                            && l.ends_with(text.as_str())
                    })
            {
                return Some(found(better, j));
            }
            return Some(found(text, i));
        }
    }
    let first = lines.first()?;
    let text = page_title_part(first);
    (usable(&text)
        && text.chars().count() <= 40
        && !text.contains(['。', ',', '，', '!', '！'])
        && !SALUTATIONS.iter().any(|s| text.starts_with(s)))
    .then(|| found(text, 0))
}

fn usable(line: &str) -> bool {
    let n = line.chars().count();
    (4..=TITLE_MAX_CHARS).contains(&n)
        && marker_of(line).is_none()
        && !line.ends_with([':', '：', ',', '，', ';'])
        && !line.starts_with(['《', '—', '-', '('])
        && !DOC_NUMBER.is_match(line)
        && !DATE_RECORD.is_match(line)
}

/// A regulation's record of passing or amendment ("2010年12月23日 北京市第十三届
/// 人民代表大会常务委员会第二十二次会议《关于修改部分地方性法规的决定》修正"):
/// it names a 决定 but is not the title.
static DATE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(（]?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日").expect("valid regex")
});

/// A page's `<title>` as saved: the document's title and the site's name
/// joined by `|` or `_`, either way round ("万载县人民政府 | 万载县2015年…统计
/// 公报", "…统计公报 _ 中国宜春"). The part that names a genre is the title;
/// footnote marks after it ("…统计公报①") are not.
fn page_title_part(line: &str) -> String {
    let parts: Vec<&str> = line
        .split(['|', '｜', '_'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let text = if parts.len() > 1 {
        parts
            .iter()
            .find(|p| GENRE_WORDS.iter().any(|g| p.contains(g)) && !is_site_name(p))
            .copied()
            .unwrap_or(parts[0])
    } else {
        line.trim()
    };
    FOOTNOTE_MARK.replace(text, "").trim().to_string()
}

/// A site's name: "万载县人民政府", "中国宜春", "…政府网", "…门户网站".
fn is_site_name(part: &str) -> bool {
    let n = part.chars().count();
    n <= 20
        && (part.ends_with("人民政府")
            || part.ends_with("政府网")
            || part.ends_with("网站")
            || part.ends_with("门户网")
            || part.starts_with("中国") && n <= 6)
}

/// Footnote marks after a title: "①", "[1]", "*".
static FOOTNOTE_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[①-⑳]|\[\d{1,2}\]|\*)+$").expect("valid regex"));

/// What a source adds after a title: "(2022年12月17日 王学军)" in front matter,
/// a date or speaker in brackets at the end.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[(（][^()（）]*(?:19|20)\d{2}\s*年[^()（）]*[)）]\s*$").expect("valid regex")
});

fn strip_annotation(title: &str) -> String {
    let title = ANNOTATION.replace(title.trim(), "");
    page_title_part(&title)
}

/// A title as compared with a line: letters and digits only.
fn title_key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_containers_title_wins_without_its_annotation() {
        // r0216 of ../shared/reports: front matter.
        let source = SourceMeta {
            title: Some((
                "吴忠市政府工作报告（2022年12月17日 王学军）".into(),
                "front matter title".into(),
            )),
            ..SourceMeta::default()
        };
        let title = find_title(
            "——2022年12月17日在吴忠市第六届人民代表大会第二次会议上\n市长 王学军",
            &[],
            &source,
            &[],
        )
        .unwrap();
        assert_eq!(title.text, "吴忠市政府工作报告");
        assert_eq!(title.line, None);
        assert_eq!(title.why, "front matter title");
        // r0003: a scraper's "标题:" line.
        let meta = ["标题:二00三年政府工作报告".to_string()];
        let title =
            find_title("一、2002年工作完成情况", &[], &SourceMeta::default(), &meta).unwrap();
        assert_eq!(title.text, "二00三年政府工作报告");
    }

    #[test]
    fn finds_titles_in_real_openings() {
        let cases: &[(&str, Option<(&str, usize)>)] = &[
            (
                "产业赋能助推经济高质量发展典型材料\nX县深入学习贯彻中央和省市委经济工作会议精神。",
                Some(("产业赋能助推经济高质量发展典型材料", 0)),
            ),
            (
                "市委发〔2018〕10号\n各县区委、县区人民政府,市委各部门:\n《关于加快推进县域经济发展工作方案》已经市委、市政府同意,现印发你们,请结合实际认真贯彻执行。\n中共张掖市委 张掖市人民政府\n2018年2月8日\n关于加快推进县域经济发展的工作方案\n为全面贯彻党的十九大精神。",
                Some(("关于加快推进县域经济发展的工作方案", 5)),
            ),
            (
                "万载县2022年国民经济和社会发展统计公报 | 万载县人民政府\n万载县人民政府-",
                Some(("万载县2022年国民经济和社会发展统计公报", 0)),
            ),
            (
                "(二)实施项目建设“倍增”行动,着力积蓄高质量发展新动能。坚持项目为王。",
                None,
            ),
            // 00063: the site's name first.
            (
                "万载县人民政府 | 万载县2015年国民经济和社会发展统计公报\n万载县2015年国民经济和社会发展统计公报",
                Some(("万载县2015年国民经济和社会发展统计公报", 0)),
            ),
            // 00065: the site's name after an underscore.
            (
                "宜春市2022年国民经济和社会发展统计公报 _ 中国宜春\n宜春市人民政府",
                Some(("宜春市2022年国民经济和社会发展统计公报", 0)),
            ),
            // r0499: the site's category above the title.
            (
                "工作报告\n保定市满城区2020年政府工作报告\n政府工作报告——2020年1月21日在保定市满城区第二届人民代表大会第四次会议上",
                Some(("保定市满城区2020年政府工作报告", 1)),
            ),
            // 00618: the amendment records under a regulation's title.
            (
                "北京市人民代表大会常务委员会组成人员守则\n1993年9月16日 北京市第十届人民代表大会常务委员会第五次会议通过\n2010年12月23日 北京市第十三届人民代表大会常务委员会第二十二次会议《关于修改部分地方性法规的决定》第二次修正",
                Some(("北京市人民代表大会常务委员会组成人员守则", 0)),
            ),
            // 00176: a report that opens with its salutation has no title.
            (
                "各位代表!\n我代表国务院,向大会作政府工作报告,请予审议。",
                None,
            ),
            // r0001: a footnote mark after the title.
            (
                "2023年洛阳市国民经济和社会发展统计公报①\n洛阳市统计局",
                Some(("2023年洛阳市国民经济和社会发展统计公报", 0)),
            ),
            (
                "各位代表:\n现在,我代表国务院,向大会报告政府工作,请予审议。",
                None,
            ),
            // The 2002 State Council report: a heading under the salutation.
            (
                "各位代表:\n现在,我代表国务院向大会作政府工作报告,请予审议。\n首先报告2001年的工作\n新世纪第一年,全国各族人民在中国共产党领导下。",
                None,
            ),
        ];
        for (text, want) in cases {
            let got = find_title(text, &[], &SourceMeta::default(), &[]).map(|t| (t.text, t.line));
            let want = want.map(|(t, l)| (t.to_string(), Some(l)));
            assert_eq!(got, want, "{text}");
        }
    }
}
