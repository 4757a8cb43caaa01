//! Document type, from the title first and the form of the text second
//! (条例 with 第一条…, 各位代表 for a work report, 统计公报 figures).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Evidence;

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

/// Title words, most specific first.
const TITLE_RULES: &[(&str, DocType)] = &[
    ("统计公报", DocType::StatisticalBulletin),
    ("政府工作报告", DocType::WorkReport),
    ("决议", DocType::Resolution),
    ("典型材料", DocType::CaseMaterial),
    ("经验材料", DocType::CaseMaterial),
    ("典型经验", DocType::CaseMaterial),
    ("经验做法", DocType::CaseMaterial),
    ("交流材料", DocType::CaseMaterial),
    ("规划", DocType::Plan),
    ("纲要", DocType::Plan),
    ("意见", DocType::Opinion),
    ("方案", DocType::WorkProgramme),
    ("行动计划", DocType::WorkProgramme),
    ("工作计划", DocType::WorkProgramme),
    ("工作要点", DocType::WorkProgramme),
    ("三年行动", DocType::WorkProgramme),
    ("总结", DocType::Summary),
    ("情况报告", DocType::Summary),
    ("汇报", DocType::Summary),
    ("报告", DocType::Summary),
];

/// Titles of regulations; they count only when the text has articles.
const REGULATION_TITLE_ENDINGS: &[&str] = &["条例", "规定", "办法", "细则", "规则", "决定"];

/// Phrases of the text's own form, for documents without a usable title.
const FORM_RULES: &[(&str, DocType)] = &[
    ("向大会报告政府工作", DocType::WorkReport),
    ("向大会报告工作", DocType::WorkReport),
    ("听取和审议了", DocType::Resolution),
    ("统计公报", DocType::StatisticalBulletin),
    ("提出以下意见", DocType::Opinion),
    ("提出如下意见", DocType::Opinion),
    ("制定本意见", DocType::Opinion),
    ("制定本规划", DocType::Plan),
    ("规划期", DocType::Plan),
    ("制定本方案", DocType::WorkProgramme),
    ("制定本行动计划", DocType::WorkProgramme),
    ("制定本工作方案", DocType::WorkProgramme),
    ("典型材料", DocType::CaseMaterial),
    ("现将工作开展情况报告如下", DocType::Summary),
    ("现将有关情况报告如下", DocType::Summary),
    ("现将工作情况汇报如下", DocType::Summary),
];

/// Decides the document type.
pub fn extract_doc_type(title: Option<&str>, text: &str) -> Evidence<DocType> {
    let head: String = text.chars().take(3000).collect();
    let has_articles =
        head.contains("第一条") && (head.contains("第二条") || text.contains("第二条"));
    let speaks_to_congress = head.contains("各位代表");
    if let Some(title) = title {
        if REGULATION_TITLE_ENDINGS.iter().any(|e| title.ends_with(e)) && has_articles {
            return Evidence::found(
                DocType::Regulation,
                0.95,
                format!("title ends with a regulation word and the text has articles: \"{title}\""),
            );
        }
        if title.contains("工作报告") && speaks_to_congress {
            return Evidence::found(
                DocType::WorkReport,
                0.95,
                format!("title \"{title}\" and 各位代表"),
            );
        }
        // A notice that issues a plan or programme is that plan or programme.
        if let Some((word, t)) = TITLE_RULES.iter().find(|(w, _)| title.contains(w)) {
            return Evidence::found(*t, 0.9, format!("title contains {word}: \"{title}\""));
        }
    }
    if speaks_to_congress && (head.contains("报告政府工作") || head.contains("报告工作"))
    {
        return Evidence::found(
            DocType::WorkReport,
            0.9,
            "addresses 各位代表 and reports 政府工作".into(),
        );
    }
    if has_articles {
        return Evidence::found(
            DocType::Regulation,
            0.8,
            "text is in articles (第一条, 第二条…)".into(),
        );
    }
    if let Some((phrase, t)) = FORM_RULES.iter().find(|(p, _)| head.contains(p)) {
        return Evidence::found(*t, 0.7, format!("text says {phrase}"));
    }
    Evidence::found(
        DocType::Other,
        0.3,
        "no genre word in the title and no telling form".into(),
    )
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
