//! Sectors per passage, from the two-level taxonomy in data/sectors/taxonomy.toml.
//!
//! A passage is tagged with at most two sectors, each backed by keyword evidence
//! in its text or headings; a passage with no evidence gets none rather than a
//! guess. Keywords are matched as whole jieba tokens (招商 is not in 招商银行).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::matcher::WordMatcher;
use crate::lexicon::sectors::{SectorTable, sector_table};
use crate::text::fold_str;

pub use crate::lexicon::sectors::{Sector, SubSector, TAXONOMY_TOML};

/// What a matched word counts for.
#[derive(Debug, Clone, Copy)]
struct Hit {
    sector: usize,
    sub: Option<usize>,
    heading_phrase: bool,
}

/// The taxonomy with a matcher over all its words.
pub struct Taxonomy {
    sectors: Vec<Sector>,
    matcher: WordMatcher,
    hits: Vec<Vec<Hit>>,
}

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(|| Taxonomy::new(sector_table().clone()));

/// The embedded taxonomy.
pub fn taxonomy() -> &'static Taxonomy {
    &TAXONOMY
}

/// A sector assigned to a passage.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SectorTag {
    /// Top-level sector name (农业农村).
    pub sector: String,
    /// Subsector name (特色种养业), when the evidence points to one.
    pub sub: Option<String>,
    /// Weighted evidence score.
    pub score: f32,
    /// The words that decided it.
    pub evidence: Vec<String>,
}

impl SectorTag {
    /// `农业农村/特色种养业` or `农业农村`, as hits, exports and the document view name it.
    pub fn label(&self) -> String {
        self.facet_path().trim_start_matches('/').to_string()
    }

    /// The tag as a facet path: `/农业农村/特色种养业` or `/农业农村`.
    pub fn facet_path(&self) -> String {
        match &self.sub {
            Some(sub) => format!("/{}/{}", self.sector, sub),
            None => format!("/{}", self.sector),
        }
    }
}

/// Score at which a sector is assigned.
const MIN_SCORE: f32 = 2.0;
/// A second sector must reach this share of the first.
const SECOND_SHARE: f32 = 0.6;
/// Heading evidence counts this much more than body evidence.
const HEADING_WEIGHT: f32 = 2.0;
/// Sector keywords of this many characters are trusted as substrings.
const TRUSTED_CHARS: usize = 3;

impl Taxonomy {
    /// Parses a taxonomy file.
    pub fn parse(toml_text: &str) -> Result<Taxonomy, String> {
        Ok(Taxonomy::new(SectorTable::parse(toml_text)?))
    }

    /// The taxonomy of a parsed table.
    pub fn new(table: SectorTable) -> Taxonomy {
        let mut index: HashMap<String, Vec<Hit>> = HashMap::new();
        for (si, s) in table.sectors.iter().enumerate() {
            let mut add = |word: &str, hit: Hit| {
                let list = index.entry(fold_str(word)).or_default();
                list.push(hit);
            };
            for k in &s.keywords {
                add(
                    k,
                    Hit {
                        sector: si,
                        sub: None,
                        heading_phrase: false,
                    },
                );
            }
            for h in &s.headings {
                add(
                    h,
                    Hit {
                        sector: si,
                        sub: None,
                        heading_phrase: true,
                    },
                );
            }
            for (ui, sub) in s.sub.iter().enumerate() {
                for k in &sub.keywords {
                    add(
                        k,
                        Hit {
                            sector: si,
                            sub: Some(ui),
                            heading_phrase: false,
                        },
                    );
                }
            }
        }
        let mut words: Vec<String> = index.keys().cloned().collect();
        words.sort();
        let hits = words.iter().map(|w| index[w].clone()).collect();
        Taxonomy {
            sectors: table.sectors,
            matcher: WordMatcher::new(words),
            hits,
        }
    }

    /// Tags a passage given its text and heading path.
    pub fn classify(&self, headings: &[String], text: &str) -> Vec<SectorTag> {
        #[derive(Default, Clone)]
        struct Score {
            total: f32,
            subs: HashMap<usize, f32>,
            words: Vec<String>,
        }
        let mut scores: Vec<Score> = vec![Score::default(); self.sectors.len()];
        let mut count = |folded: &str, weight: f32, in_heading: bool| {
            for m in self.matcher.find(folded, TRUSTED_CHARS) {
                let mut counted: Vec<usize> = Vec::new();
                for hit in &self.hits[m.word] {
                    if hit.heading_phrase && !in_heading {
                        continue;
                    }
                    let s = &mut scores[hit.sector];
                    if let Some(u) = hit.sub {
                        *s.subs.entry(u).or_default() += weight;
                    }
                    // A word listed for a sector and its subsector counts once.
                    if !counted.contains(&hit.sector) {
                        counted.push(hit.sector);
                        s.total += weight;
                        let w = self.matcher.word(m.word).to_string();
                        if !s.words.contains(&w) {
                            s.words.push(w);
                        }
                    }
                }
            }
        };
        // Only the innermost two headings speak for a passage: the outer ones
        // ("二、重点任务") are too broad.
        for h in headings.iter().rev().take(2) {
            count(&fold_str(h), HEADING_WEIGHT, true);
        }
        count(&fold_str(text), 1.0, false);

        let mut ranked: Vec<(usize, &Score)> = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| s.total >= MIN_SCORE)
            .collect();
        ranked.sort_by(|a, b| b.1.total.total_cmp(&a.1.total).then(a.0.cmp(&b.0)));
        let top = ranked.first().map(|(_, s)| s.total).unwrap_or(0.0);
        ranked
            .into_iter()
            .take(2)
            .filter(|(_, s)| s.total >= top * SECOND_SHARE)
            .map(|(i, s)| {
                let sector = &self.sectors[i];
                let sub = s
                    .subs
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(&u, _)| sector.sub[u].name.clone());
                SectorTag {
                    sector: sector.name.clone(),
                    sub,
                    score: s.total,
                    evidence: s.words.clone(),
                }
            })
            .collect()
    }

    /// Resolves a sector a user typed (农业农村, 农业, agriculture, 特色种养业,
    /// 农业农村/特色种养业) to its facet path.
    pub fn resolve(&self, input: &str) -> Result<String, String> {
        let input = input.trim().trim_matches('/');
        let (top, sub) = match input.split_once('/') {
            Some((t, s)) => (t, Some(s)),
            None => (input, None),
        };
        let top_match = self.sectors.iter().find(|s| {
            s.name == top || s.id == top || (top.chars().count() >= 2 && s.name.starts_with(top))
        });
        if let Some(sector) = top_match {
            return match sub {
                None => Ok(format!("/{}", sector.name)),
                Some(sub) => sector
                    .sub
                    .iter()
                    .find(|u| u.name == sub || u.id.ends_with(sub))
                    .map(|u| format!("/{}/{}", sector.name, u.name))
                    .ok_or_else(|| format!("unknown subsector {sub:?} of {}", sector.name)),
            };
        }
        for s in &self.sectors {
            if let Some(u) = s.sub.iter().find(|u| u.name == input || u.id == input) {
                return Ok(format!("/{}/{}", s.name, u.name));
            }
        }
        Err(format!(
            "unknown sector {input:?}; sectors are {}",
            self.sectors
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sectors_of(headings: &[&str], text: &str) -> Vec<String> {
        let headings: Vec<String> = headings.iter().map(|h| h.to_string()).collect();
        taxonomy()
            .classify(&headings, text)
            .iter()
            .map(SectorTag::facet_path)
            .collect()
    }

    #[test]
    fn tags_real_passages() {
        let cases: &[(&[&str], &str, &[&str])] = &[
            // Seed 000: cattle, orchards and greenhouses.
            (
                &["一、发展优势产业,筑牢经济发展“压舱石”。"],
                "特色产业扩量提质。大力实施“万千百十”工程,新建千头肉牛养殖场(小区)X个,累计建成百头以上规模养牛场(小区)X个;新建日光温室X座、钢架大棚X座,蔬菜面积、产量分别达到X万亩、X万吨。",
                &["/农业农村/特色种养业"],
            ),
            // Seed 002: investment attraction.
            (
                &["(二)实施项目建设“倍增”行动,着力积蓄高质量发展新动能。"],
                "一是招商引资上项目。完善招商引资工作方案和考核办法,制定招商图谱,营造全员招商氛围,全年实现利用内资30亿元。强化驻点招商,精准对接、靶向跟进。",
                &["/招商引资与对外开放/招商引资"],
            ),
            // 保健 in a regulation on maternal care is health care, not the
            // health-products industry.
            (
                &["第三章 婚前保健"],
                "第十五条 医疗保健机构应当为公民提供婚前保健服务。",
                &["/民生与社会事业/医疗卫生"],
            ),
            // A social-insurance fund is social security, not capital markets.
            (
                &["第二章 基本养老保险基金的筹集和管理"],
                "第八条 基本养老保险基金由以下部分组成:",
                &["/民生与社会事业/社会保障与养老"],
            ),
            // No evidence, no sector.
            (
                &[],
                "各位代表:现在,我代表国务院,向大会报告政府工作,请予审议。",
                &[],
            ),
        ];
        for (headings, text, want) in cases {
            assert_eq!(sectors_of(headings, text), *want, "{text}");
        }
    }

    #[test]
    fn keywords_match_whole_words_only() {
        // 招商 inside 招商银行 is a bank, not investment attraction.
        assert!(
            sectors_of(&[], "招商银行和中国银行在县城设立网点。")
                .iter()
                .all(|s| !s.starts_with("/招商引资"))
        );
    }

    #[test]
    fn at_most_two_sectors() {
        let text = "发展肉牛养殖和设施蔬菜,建设工业园区和标准厂房,推进招商引资,发展乡村旅游和全域旅游,加强义务教育和医疗卫生。";
        assert!(sectors_of(&[], text).len() <= 2);
    }

    #[test]
    fn resolves_sector_names_users_type() {
        let t = taxonomy();
        assert_eq!(t.resolve("农业农村").unwrap(), "/农业农村");
        assert_eq!(t.resolve("农业").unwrap(), "/农业农村");
        assert_eq!(t.resolve("agriculture").unwrap(), "/农业农村");
        assert_eq!(t.resolve("特色种养业").unwrap(), "/农业农村/特色种养业");
        assert!(t.resolve("航天").unwrap_err().contains("农业农村"));
    }
}
