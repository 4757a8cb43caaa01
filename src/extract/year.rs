//! The year a document was issued or reports on, and the target years it
//! promises.
//!
//! A plan is full of years that are not its own: targets (到2025年), baselines
//! (比2015年), periods (2021-2025年, 十四五). Only dates, document numbers, titles
//! and the report's own framing ("一、2024年工作回顾" in a 2025 report) decide.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Evidence;
use super::title::DOC_NUMBER;
use crate::text::floor_boundary;

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2}))",
    )
    .expect("valid regex")
});

static YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(]((?:19|20)\d{2})年(\d{1,2})月[)]").expect("valid regex"));

static TITLE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("valid regex"));

static REVIEW_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})年(?:工作回顾|主要工作回顾|政府工作回顾)").expect("valid regex")
});

/// Years that are targets: 到2025年, 2025年前, 2025年底前, 至2030年, 力争2025年.
static TARGET_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:到|至|力争|争取在|争取到|确保到|预计到|展望)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?:底前|前|之前|年底前|末前)")
        .expect("valid regex")
});

/// A year range (2021-2025年, 2021—2025年) is a plan period, not the document's year.
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~至到]\s*((?:19|20)\d{2})\s*年?")
        .expect("valid regex")
});

/// A year as a baseline (比2015年, 较2020年, 2015年以来) says nothing of the document's year.
static BASELINE_BEFORE: &[&str] = &["比", "较", "自", "从", "与", "同"];
static BASELINE_AFTER: &[&str] = &["以来", "基础上", "为基期", "相比", "同期"];

/// Lines at the top and bottom of a document where issue dates stand.
const HEAD_LINES: usize = 8;
const TAIL_LINES: usize = 4;

/// Finds the document's year.
pub fn extract_year(title: Option<&str>, text: &str, page_meta: &[String]) -> Evidence<u16> {
    let mut votes: BTreeMap<u16, (f32, Vec<String>)> = BTreeMap::new();
    let mut vote = |year: u16, weight: f32, why: String| {
        if !(1949..=2100).contains(&year) {
            return;
        }
        let entry = votes.entry(year).or_default();
        entry.0 += weight;
        entry.1.push(why);
    };

    if let Some(title) = title {
        let ranges: Vec<(usize, usize)> = YEAR_RANGE
            .find_iter(title)
            .map(|m| (m.start(), m.end()))
            .collect();
        for c in TITLE_YEAR.captures_iter(title) {
            let m = c.get(1).expect("group 1");
            if ranges.iter().any(|&(s, e)| m.start() >= s && m.start() < e) {
                continue;
            }
            if let Ok(y) = m.as_str().parse() {
                vote(y, 10.0, format!("title \"{title}\""));
            }
        }
    }
    for c in DOC_NUMBER.captures_iter(text) {
        if let Ok(y) = c[1].parse() {
            vote(y, 8.0, format!("document number {}", &c[0]));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let is_regulation_header = lines.iter().take(HEAD_LINES).any(|l| {
        l.contains("通过") || l.contains("修正") || l.contains("修订") || l.contains("批准")
    });
    for (i, line) in lines.iter().enumerate() {
        let near_edge = i < HEAD_LINES || i + TAIL_LINES >= lines.len();
        let short = line.chars().count() <= 80;
        for c in FULL_DATE.captures_iter(line) {
            let Ok(y) = c[1].parse::<u16>() else { continue };
            let whole = c.get(0).expect("match");
            let date = whole.as_str();
            let context_start = floor_boundary(line, whole.start().saturating_sub(9));
            if TARGET_YEAR.is_match(&line[context_start..whole.end()]) {
                continue;
            }
            if near_edge && short {
                // A regulation's header lists its passing and each amendment:
                // the latest is the version in force.
                let weight = if is_regulation_header {
                    6.0 + f32::from(y - 1900) / 1000.0
                } else {
                    6.0
                };
                vote(y, weight, format!("date {date} (line {})", i + 1));
            } else if near_edge {
                vote(y, 2.0, format!("date {date} (line {})", i + 1));
            }
        }
        if let Some(c) = YEAR_MONTH.captures(line)
            && near_edge
            && let Ok(y) = c[1].parse()
        {
            vote(y, 5.0, format!("date {} (line {})", &c[0], i + 1));
        }
        if i < 40
            && let Some(c) = REVIEW_YEAR.captures(line)
            && let Ok(y) = c[1].parse::<u16>()
        {
            vote(
                y + 1,
                7.0,
                format!("reviews the year {} (\"{}\")", y, &c[0]),
            );
        }
    }
    for meta in page_meta {
        for c in FULL_DATE.captures_iter(meta) {
            if let Ok(y) = c[1].parse() {
                vote(y, 1.0, format!("page metadata \"{meta}\""));
            }
        }
    }

    if votes.is_empty()
        && let Some((year, why)) = plain_body_year(text)
    {
        return Evidence {
            value: Some(year),
            confidence: 0.3,
            evidence: vec![why],
            given: false,
        };
    }
    let total: f32 = votes.values().map(|(w, _)| w).sum();
    let best = votes
        .into_iter()
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(a.0.cmp(&b.0)));
    match best {
        Some((year, (weight, evidence))) => Evidence {
            value: Some(year),
            confidence: (weight / total.max(1.0)).min(1.0) * (weight / 6.0).min(1.0),
            evidence,
            given: false,
        },
        None => Evidence::unknown("no date, document number, dated title or review year"),
    }
}

/// With no date, number or title to go by: the one year the text speaks of
/// plainly (not as a target, baseline or period), if a single year clearly
/// leads. A work-report section planning "确保2022年…竣工" is of 2022.
fn plain_body_year(text: &str) -> Option<(u16, String)> {
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    let ranges: Vec<(usize, usize)> = YEAR_RANGE
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let targets: Vec<(usize, usize)> = TARGET_YEAR
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    for c in TITLE_YEAR.captures_iter(text) {
        let m = c.get(1).expect("group 1");
        let inside =
            |spans: &[(usize, usize)]| spans.iter().any(|&(s, e)| m.start() >= s && m.start() < e);
        if inside(&ranges) || inside(&targets) {
            continue;
        }
        let before = &text[floor_boundary(text, m.start().saturating_sub(3))..m.start()];
        let after = &text[c.get(0).expect("match").end()..];
        if BASELINE_BEFORE.iter().any(|b| before.ends_with(b))
            || BASELINE_AFTER.iter().any(|a| after.starts_with(a))
        {
            continue;
        }
        if let Ok(y) = m.as_str().parse::<u16>() {
            *counts.entry(y).or_default() += 1;
        }
    }
    let mut ranked: Vec<(u16, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let (year, n) = *ranked.first()?;
    let next = ranked.get(1).map_or(0, |r| r.1);
    (n >= 2 * next.max(1) || next == 0).then(|| {
        (
            year,
            format!("the only year the text speaks of plainly: {year} ×{n} (weak)"),
        )
    })
}

/// Distinct target years promised in a text (到2025年, 2020年底前), sorted.
pub fn target_years(text: &str) -> Vec<u16> {
    let mut years: Vec<u16> = TARGET_YEAR
        .captures_iter(text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .filter_map(|m| m.as_str().parse().ok())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_year_of_real_documents() {
        let cases: &[(Option<&str>, &str, Option<u16>)] = &[
            // Seed 003: document number and date, targets 到2020年 ignored.
            (
                Some("关于加快推进县域经济发展的工作方案"),
                "市委发〔2018〕10号\n中共张掖市委 张掖市人民政府\n2018年2月8日\n关于加快推进县域经济发展的工作方案\n到2020年,全市县域经济体实现生产总值480亿元以上。",
                Some(2018),
            ),
            // A provincial work report: the title's year.
            (
                Some("2026年上海市政府工作报告"),
                "2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n一、2025年工作回顾",
                Some(2026),
            ),
            // The State Council report without title: the review year + 1.
            (
                None,
                "各位代表:\n现在,我代表国务院,向大会报告政府工作。\n一、2024年工作回顾\n过去一年,我国发展历程很不平凡。",
                Some(2025),
            ),
            // A statistical bulletin reports on the year in its title.
            (
                Some("万载县2022年国民经济和社会发展统计公报"),
                "万载县2022年国民经济和社会发展统计公报\n万载县统计局 国家统计局万载调查队\n(2023年5月)\n2022年,万载全县上下坚持以习近平新时代中国特色社会主义思想为指导。",
                Some(2022),
            ),
            // A regulation: the latest amendment in its header.
            (
                Some("上海口岸服务条例"),
                "上海口岸服务条例\n2011年11月17日上海市第十三届人民代表大会常务委员会第三十次会议通过\n2020年5月14日上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改本市部分地方性法规的决定》第一次修正\n第一章 总则",
                Some(2020),
            ),
            // A section of a work report with no date: the year it plans for.
            (
                None,
                "完成190条侵蚀沟治理,确保2022年高标准农田、黑土地保护项目竣工。",
                Some(2022),
            ),
            // Only targets and periods: unknown.
            (
                Some("产业赋能助推经济高质量发展典型材料"),
                "产业赋能助推经济高质量发展典型材料\n围绕“十四五”重大项目,到2025年,全县生产总值比2020年增长50%。",
                None,
            ),
            // A plan period in the title is not the year.
            (
                Some("乡村振兴规划(2021-2025年)"),
                "乡村振兴规划(2021-2025年)\n到2025年,乡村振兴取得重要进展。",
                None,
            ),
        ];
        for (title, text, want) in cases {
            let got = extract_year(*title, text, &[]);
            assert_eq!(got.value, *want, "{text}: {:?}", got.evidence);
        }
    }

    #[test]
    fn finds_target_years() {
        let text = "到2025年,示范县生产总值超600亿元。2020年底前完成改造;力争2030年实现碳达峰。比2015年翻一番。";
        assert_eq!(target_years(text), [2020, 2025, 2030]);
        assert!(target_years("“十四五”期间,比2015年增长").is_empty());
    }
}
