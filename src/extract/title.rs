//! The document's title: the first short line near the top that names a genre
//! (报告, 方案, 意见, 条例…), or else a short first line that reads as a title.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::clean::SITE_SUFFIX;
use crate::corpus::passage::marker_of;

/// Lines looked at for a title.
const TITLE_SEARCH_LINES: usize = 12;
const TITLE_MAX_CHARS: usize = 70;

const GENRE_WORDS: &[&str] = &[
    "报告", "规划", "纲要", "意见", "方案", "计划", "条例", "规定", "办法", "细则", "决定", "决议",
    "公报", "通知", "材料", "总结", "汇报", "要点", "措施", "指南", "清单", "目录", "指引",
];

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
    /// Index of the paragraph it was taken from.
    pub line: usize,
}

/// Finds the title among the first paragraphs of cleaned text.
pub fn find_title(cleaned_text: &str) -> Option<Title> {
    let lines: Vec<&str> = cleaned_text.lines().take(TITLE_SEARCH_LINES).collect();
    let usable = |line: &str| {
        let n = line.chars().count();
        (4..=TITLE_MAX_CHARS).contains(&n)
            && marker_of(line).is_none()
            && !line.ends_with([':', '：', ',', '，', ';'])
            && !line.starts_with(['《', '—', '-', '('])
            && !DOC_NUMBER.is_match(line)
    };
    for (i, line) in lines.iter().enumerate() {
        // A speech's title stands above its salutation; below it is the speech
        // ("首先报告2001年的工作" is a heading of the report, not its title).
        if SALUTATIONS.iter().any(|s| line.starts_with(s)) {
            break;
        }
        let text = strip_site_suffix(line);
        if usable(text) && GENRE_WORDS.iter().any(|g| text.contains(g)) && !text.contains("。") {
            return Some(Title {
                text: text.to_string(),
                line: i,
            });
        }
    }
    let first = lines.first()?;
    let text = strip_site_suffix(first);
    (usable(text) && text.chars().count() <= 40 && !text.contains(['。', ',', '，'])).then(|| {
        Title {
            text: text.to_string(),
            line: 0,
        }
    })
}

fn strip_site_suffix(line: &str) -> &str {
    match SITE_SUFFIX.find(line) {
        Some(m) if m.start() > 0 => line[..m.start()].trim_end(),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let got = find_title(text).map(|t| (t.text, t.line));
            let want = want.map(|(t, l)| (t.to_string(), l));
            assert_eq!(got, want, "{text}");
        }
    }
}
