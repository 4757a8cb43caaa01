//! Document type, from the title first and the form of the text second
//! (条例 with 第一条…, 各位代表 for a work report, 统计公报 figures).

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Evidence;
use super::region::title_place;

/// The kinds of document researchers filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocType {
    /// 政府工作报告.
    #[serde(rename = "政府工作报告")]
    WorkReport,
    /// 规划 and 纲要.
    #[serde(rename = "规划")]
    Plan,
    /// 实施意见 and other 意见.
    #[serde(rename = "实施意见")]
    Opinion,
    /// 工作方案, 行动计划.
    #[serde(rename = "工作方案")]
    WorkProgramme,
    /// 典型材料, 经验材料.
    #[serde(rename = "典型材料")]
    CaseMaterial,
    /// 工作总结, 情况报告.
    #[serde(rename = "工作总结/报告")]
    Summary,
    /// 地方性法规 (条例, 规定, 办法 with articles).
    #[serde(rename = "地方性法规")]
    Regulation,
    /// 国民经济和社会发展统计公报.
    #[serde(rename = "统计公报")]
    StatisticalBulletin,
    /// 决议 of a people's congress.
    #[serde(rename = "决议")]
    Resolution,
    /// Anything else.
    #[serde(rename = "其他")]
    Other,
}

impl DocType {
    /// Every type, in display order.
    pub const ALL: [DocType; 10] = [
        DocType::WorkReport,
        DocType::Plan,
        DocType::Opinion,
        DocType::WorkProgramme,
        DocType::CaseMaterial,
        DocType::Summary,
        DocType::Regulation,
        DocType::StatisticalBulletin,
        DocType::Resolution,
        DocType::Other,
    ];

    /// The Chinese label used in the index and every output.
    pub fn label(self) -> &'static str {
        match self {
            DocType::WorkReport => "政府工作报告",
            DocType::Plan => "规划",
            DocType::Opinion => "实施意见",
            DocType::WorkProgramme => "工作方案",
            DocType::CaseMaterial => "典型材料",
            DocType::Summary => "工作总结/报告",
            DocType::Regulation => "地方性法规",
            DocType::StatisticalBulletin => "统计公报",
            DocType::Resolution => "决议",
            DocType::Other => "其他",
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for DocType {
    type Err = String;

    /// Accepts the label or a common shorthand (报告, 法规, 方案, 意见, 公报).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(t) = DocType::ALL.iter().find(|t| t.label() == s) {
            return Ok(*t);
        }
        let t = match s {
            "工作报告" | "government-work-report" => DocType::WorkReport,
            "纲要" | "plan" => DocType::Plan,
            "意见" | "opinion" => DocType::Opinion,
            "方案" | "行动计划" | "programme" => DocType::WorkProgramme,
            "材料" | "经验材料" => DocType::CaseMaterial,
            "工作总结" | "报告" | "总结" => DocType::Summary,
            "法规" | "条例" | "regulation" => DocType::Regulation,
            "公报" => DocType::StatisticalBulletin,
            _ => {
                return Err(format!(
                    "unknown document type {s:?}; use one of {}",
                    DocType::ALL.map(|t| t.label()).join(", ")
                ));
            }
        };
        Ok(t)
    }
}

/// The words that decide a type, from `data/metadata/doctype.toml`.
#[derive(Deserialize)]
struct Rules {
    /// Genre words of titles.
    title: Vec<TitleWord>,
    /// Title endings of rules in articles (条例, 办法…).
    regulation_title_endings: Vec<String>,
    /// Phrases of the text's own form.
    form: Vec<FormPhrase>,
}

#[derive(Deserialize)]
struct TitleWord {
    word: String,
    #[serde(rename = "type")]
    doc_type: DocType,
}

#[derive(Deserialize)]
struct FormPhrase {
    phrase: String,
    #[serde(rename = "type")]
    doc_type: DocType,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/metadata/doctype.toml"))
        .expect("data/metadata/doctype.toml is valid")
});

/// How a government work report opens: "我代表国务院,向大会报告政府工作",
/// "我代表上海市人民政府,向大会报告工作", "我代表中央人民政府作工作报告",
/// "我受国务院的委托,向全国人民代表大会报告政府工作", "国务院向第一届全国人民
/// 代表大会第二次会议提出…的报告".
static WORK_REPORT_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"我(?:现在)?(?:代表|受)[^。]{0,30}?(?:国务院|政府)[^。]{0,60}?报告|(?:国务院|政府)[^。]{0,20}?向[^。]{0,30}?人民代表大会[^。]{0,40}?报告",
    )
    .expect("valid regex")
});

/// A people's congress passed or approved it: "…人民代表大会常务委员会第三十七次会议通过".
static PASSED_BY_CONGRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:人民代表大会|人大)[^。\n]{0,30}?(?:通过|批准)").expect("valid regex")
});

/// Characters at the top of a text in which its form shows.
const HEAD_CHARS: usize = 3000;

/// The other form of a report to a people's congress: the session line at
/// its top ("2019年1月29日保定市徐水区第二届人民代表大会第三次会议") or a review
/// heading ("一、2014年工作回顾"), when the text opens straight with it.
static SESSION_OR_REVIEW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"人民代表大会第[一二三四五六七八九十\d]+次会议|^[一二三四五六七八九十]+、\s*(?:(?:19|20)\d{2}年|过去[一二三四五六七八九十]+年)?\s*(?:的)?工作回顾")
        .expect("valid regex")
});

/// True if the (folded) text is a speech reporting on a government's work:
/// it addresses 各位代表 and says 我代表国务院…报告 or the like; or, copied
/// without its opening, it opens with its session or its review heading,
/// addresses 各位代表 again and again and speaks of the government (not a
/// court's or procuratorate's report to the same session).
pub fn reads_as_work_report(text: &str) -> bool {
    let head: String = text.chars().take(HEAD_CHARS).collect();
    if head.contains("各位代表") && WORK_REPORT_OPENING.is_match(&head) {
        return true;
    }
    let top = text.lines().take(5).any(|l| SESSION_OR_REVIEW.is_match(l));
    top && text.matches("各位代表").count() >= 2
        && head.contains("政府")
        && !["检察院", "法院", "常务委员会工作"]
            .iter()
            .any(|w| head.contains(w))
}

/// Decides the document type from folded text ([`crate::text::fold_str`]).
pub fn extract_doc_type(title: Option<&str>, text: &str) -> Evidence<DocType> {
    let head: String = text.chars().take(HEAD_CHARS).collect();
    let has_articles =
        head.contains("第一条") && (head.contains("第二条") || text.contains("第二条"));
    let work_report_form = reads_as_work_report(text);
    let by_congress = PASSED_BY_CONGRESS.is_match(&head)
        || title.is_some_and(|t| t.contains("人民代表大会常务委员会") || t.contains("人大常委会"));
    if let Some(title) = title {
        // A 地方性法规 is legislation: passed by a people's congress, or named
        // 条例 (a name only legislation takes), or a place's own rules in articles.
        // A ministry's 暂行办法 in articles is a policy document, not one.
        if let Some(ending) = RULES
            .regulation_title_endings
            .iter()
            .find(|e| title.ends_with(e.as_str()))
        {
            let legislation = by_congress || ending == "条例" || title_place(title).is_some();
            if legislation && (has_articles || by_congress) {
                return Evidence::found(
                    DocType::Regulation,
                    0.95,
                    format!(
                        "title ends with {ending} and the text {}: \"{title}\"",
                        if by_congress {
                            "was passed by a people's congress"
                        } else {
                            "has articles"
                        }
                    ),
                );
            }
        }
        if title.contains("工作报告") && work_report_form {
            return Evidence::found(
                DocType::WorkReport,
                0.95,
                format!("title \"{title}\" and a report to 各位代表"),
            );
        }
        if let Some((word, t)) = head_genre_word(title) {
            return Evidence::found(t, 0.9, format!("title ends in {word}: \"{title}\""));
        }
    }
    if work_report_form {
        return Evidence::found(
            DocType::WorkReport,
            0.9,
            "addresses 各位代表 and reports on the government's work".into(),
        );
    }
    if has_articles && by_congress {
        return Evidence::found(
            DocType::Regulation,
            0.8,
            "text is in articles (第一条, 第二条…) and was passed by a people's congress".into(),
        );
    }
    if let Some(rule) = RULES.form.iter().find(|r| head.contains(&r.phrase)) {
        return Evidence::found(rule.doc_type, 0.7, format!("text says {}", rule.phrase));
    }
    if has_articles {
        return Evidence::found(
            DocType::Other,
            0.4,
            "text is in articles, but no people's congress passed it: a rule or measure, not a 地方性法规".into(),
        );
    }
    Evidence::found(
        DocType::Other,
        0.3,
        "no genre word in the title and no telling form".into(),
    )
}

/// The genre word a title ends in: the head noun of a Chinese title comes
/// last, so 关于政府工作报告的决议 is a 决议 and 关于印发…规划的通知 (通知 is no
/// genre) is the 规划 it issues. Of words ending at the same place, the longer.
fn head_genre_word(title: &str) -> Option<(&'static str, DocType)> {
    RULES
        .title
        .iter()
        .filter_map(|r| {
            let word = r.word.as_str();
            title
                .rfind(word)
                .map(|i| (i + word.len(), word, r.doc_type))
        })
        .max_by_key(|&(end, word, _)| (end, word.len()))
        .map(|(_, word, t)| (word, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_real_documents() {
        let cases: &[(Option<&str>, &str, DocType)] = &[
            (
                Some("产业赋能助推经济高质量发展典型材料"),
                "X县深入学习贯彻…",
                DocType::CaseMaterial,
            ),
            (
                Some("关于推进县域经济高质量发展的实施意见"),
                "为加快推进我市县域经济高质量发展",
                DocType::Opinion,
            ),
            (
                Some("关于加快推进县域经济发展的工作方案"),
                "市委发〔2018〕10号",
                DocType::WorkProgramme,
            ),
            (
                Some("某县工业园区高质量发展情况报告"),
                "现将工作开展情况报告如下。",
                DocType::Summary,
            ),
            (
                Some("2026年上海市政府工作报告"),
                "各位代表:\n现在,我代表上海市人民政府,向大会报告工作",
                DocType::WorkReport,
            ),
            (
                None,
                "各位代表:\n现在,我代表国务院,向大会报告政府工作,请予审议。",
                DocType::WorkReport,
            ),
            (
                Some("上海口岸服务条例"),
                "第一章 总则\n第一条 为了规范口岸开放\n第二条 本条例所称的口岸",
                DocType::Regulation,
            ),
            (
                Some("万载县2022年国民经济和社会发展统计公报"),
                "一、综合",
                DocType::StatisticalBulletin,
            ),
            (
                None,
                "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告",
                DocType::Resolution,
            ),
            (
                None,
                "根据省第十次党代会提出的建设“智慧山东”的战略部署,现就开展“智慧山东”试点工作提出以下意见:",
                DocType::Opinion,
            ),
            (None, "一、“人工智能+”医疗服务管理", DocType::Other),
            // The head noun comes last: a resolution on the work report (00130).
            (
                Some("第十四届全国人民代表大会第一次会议关于政府工作报告的决议"),
                "(2023年3月13日第十四届全国人民代表大会第一次会议通过)",
                DocType::Resolution,
            ),
            // The same without its title line (00159).
            (
                None,
                "第十一届全国人民代表大会第一次会议听取并审议了国务院总理温家宝所作的政府工作报告。",
                DocType::Resolution,
            ),
            // The 1979 State Council report opens differently (00185).
            (
                None,
                "各位代表:\n现在,我受国务院的委托,向全国人民代表大会报告政府工作。\n一、伟大的历史性转变",
                DocType::WorkReport,
            ),
            // The 1960 report on the agricultural programme (00190).
            (
                None,
                "各位代表:\n我受中共中央和国务院的委托,向大会作关于一九五六年到一九六七年全国农业发展纲要的执行情况和争取提前实现这个纲要的报告。",
                DocType::WorkReport,
            ),
            // The 1959 report opens with the session it is made to (00191).
            (
                None,
                "各位代表:\n我现在根据国务院的决定,向第二届全国人民代表大会第一次会议作政府工作报告。",
                DocType::WorkReport,
            ),
            // The 1955 report on the first five-year plan (00195).
            (
                None,
                "各位代表:\n中华人民共和国国务院向第一届全国人民代表大会第二次会议提出关于发展国民经济第一个五年计划的议案,我现在代表国务院向本次大会作关于第一个五年计划的报告。",
                DocType::WorkReport,
            ),
            // A standing committee's 决定 is legislation, articles or not (00617).
            (
                Some("北京市人民代表大会常务委员会关于废止部分地方性法规的决定"),
                "2021年9月24日 北京市第十五届人民代表大会常务委员会第三十三次会议通过\n北京市第十五届人民代表大会常务委员会第三十三次会议决定:",
                DocType::Regulation,
            ),
            // Measures in articles that no people's congress passed are not a
            // 地方性法规 (00081, Shandong's provincial digital-economy parks).
            (
                None,
                "第一章 总则\n第一条 为贯彻落实省委省政府关于推进数字山东建设的部署要求,进一步发挥数字经济园区的集聚和带动作用,加快数字经济和实体经济融合发展,根据《数字山东发展规划(2018-2022年)》和《山东省支持数字经济发展的意见》,制定本办法。\n第二条 本办法所称山东省省级数字经济园区(以下简称省级园区)是指聚焦数字产业化、产业数字化方向,具备相当基础和规模。",
                DocType::Other,
            ),
        ];
        for (title, text, want) in cases {
            assert_eq!(
                extract_doc_type(*title, text).value,
                Some(*want),
                "{title:?} {text}"
            );
        }
    }

    #[test]
    fn parses_labels_and_shorthands() {
        assert_eq!("政府工作报告".parse::<DocType>(), Ok(DocType::WorkReport));
        assert_eq!("法规".parse::<DocType>(), Ok(DocType::Regulation));
        assert!(
            "小说"
                .parse::<DocType>()
                .unwrap_err()
                .contains("政府工作报告")
        );
    }
}
