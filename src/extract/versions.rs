//! Versions of one text: the 2020 and 2024 上海市优化营商环境条例, a
//! regulation and its amendment. A researcher comparing places wants the text
//! in force, and to be told when a hit is from an older one.
//!
//! Each binding document gets a version key (region and title without its
//! version marks, `data/metadata/versions.toml`) and a version date (its own
//! date or the latest amendment of its history); the search side groups
//! documents by key and marks all but the newest superseded.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::issuance::{Force, Issuance};
use crate::text::fold_str;

#[derive(Deserialize)]
struct RuleFile {
    forces: Vec<String>,
    mark: Vec<Mark>,
    amendment: Amendment,
}

#[derive(Deserialize)]
struct Mark {
    name: String,
    pattern: String,
}

#[derive(Deserialize)]
struct Amendment {
    pattern: String,
}

struct Rules {
    forces: Vec<String>,
    marks: Vec<Regex>,
    amendment: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let file: RuleFile = toml::from_str(include_str!("../../data/metadata/versions.toml"))
        .expect("data/metadata/versions.toml is valid");
    let compile = |name: &str, p: &str| {
        Regex::new(p).unwrap_or_else(|e| panic!("data/metadata/versions.toml {name}: {e}"))
    };
    Rules {
        forces: file.forces,
        marks: file
            .mark
            .iter()
            .map(|m| compile(&m.name, &m.pattern))
            .collect(),
        amendment: compile("amendment", &file.amendment.pattern),
    }
});

/// True for a level of force (its label) whose documents have versions.
pub fn has_versions(force: &str) -> bool {
    RULES.forces.iter().any(|f| f == force)
}

/// The title a document is a version of: folded, without version marks, the
/// amended text's title for an amending decision. `None` for a document whose
/// level of force has no versions (a work report, a plan).
pub fn version_title(title: &str, force: Option<Force>) -> Option<String> {
    let rules = &*RULES;
    let force = force?;
    if !has_versions(force.label()) {
        return None;
    }
    let mut t: String = fold_str(title)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for mark in &rules.marks {
        t = mark.replace_all(&t, "").into_owned();
    }
    if let Some(amended) = rules.amendment.captures(&t).and_then(|c| c.get(1)) {
        t = amended.as_str().to_string();
    }
    (!t.is_empty()).then_some(t)
}

/// The version key of a document: a hash of its region and version title,
/// never 0 (0 is "no versions" in the index).
pub fn version_key(title: &str, force: Option<Force>, region: Option<u32>) -> Option<u64> {
    let t = version_title(title, force)?;
    let key = format!("{}|{t}", region.unwrap_or(0));
    let h = blake3::hash(key.as_bytes());
    Some(u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes")).max(1))
}

/// The date a version stands for, YYYYMMDD: the latest of the document's own
/// date, the dates of its amendment history and later adoption lines.
pub fn version_date(issue: &Issuance) -> Option<u32> {
    let own = issue.date().map(|d| d.ordinal());
    let amended = issue.amendments.iter().map(|a| a.date.ordinal()).max();
    let readopted = issue.readopted.iter().map(|d| d.ordinal()).max();
    own.max(amended).max(readopted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_of_one_text_share_a_version_title() {
        let law = Some(Force::LocalRegulation);
        // (title, force, version title); titles from ../shared/corpus.
        let cases: &[(&str, Option<Force>, Option<&str>)] = &[
            (
                "上海市优化营商环境条例",
                law,
                Some("上海市优化营商环境条例"),
            ),
            (
                "上海市住宅物业管理规定(2020年修正)",
                law,
                Some("上海市住宅物业管理规定"),
            ),
            (
                "北京市安全生产条例（2022年修订）",
                law,
                Some("北京市安全生产条例"),
            ),
            (
                "上海市人民代表大会常务委员会关于修改《上海市住宅物业管理规定》的决定",
                law,
                Some("上海市住宅物业管理规定"),
            ),
            (
                "关于修改《上海市音像制品管理条例》等5件地方性法规的决定",
                law,
                Some("关于修改《上海市音像制品管理条例》等5件地方性法规的决定"),
            ),
            (
                "National Smart Manufacturing Standards System Construction Guidelines (2018 Edition)",
                Some(Force::Normative),
                Some("nationalsmartmanufacturingstandardssystemconstructionguidelines"),
            ),
            ("吴忠市政府工作报告", Some(Force::Working), None),
            ("上海市优化营商环境条例", None, None),
        ];
        for (title, force, want) in cases {
            assert_eq!(version_title(title, *force).as_deref(), *want, "{title}");
        }
    }

    #[test]
    fn the_same_title_in_two_regions_is_two_texts() {
        let f = Some(Force::LocalGovernmentRule);
        let a = version_key("物业管理办法", f, Some(310000));
        let b = version_key("物业管理办法", f, Some(110000));
        assert!(a.is_some() && b.is_some());
        assert_ne!(a, b);
        assert_eq!(a, version_key("物业管理办法(2021年修正)", f, Some(310000)));
    }
}
