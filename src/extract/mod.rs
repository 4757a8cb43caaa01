//! Metadata extraction: what a document is (title, region, year, type) and what
//! each passage is about (sectors, target years), each with the evidence that
//! decided it, so `plansearch inspect` can show why.

pub mod content;
pub mod doctype;
pub mod instrument;
pub mod issuance;
pub mod matcher;
pub mod overrides;
pub mod region;
pub mod sector;
pub mod targets;
pub mod title;
pub mod versions;
pub mod year;

use serde::Serialize;

pub use doctype::DocType;
pub use instrument::InstrumentTag;
pub use issuance::{Amendment, Date, DocNumber, Force, Issuance, Issuer};
pub use overrides::{Given, OverrideProblem, Overrides};
pub use sector::SectorTag;
pub use targets::Target;

use crate::corpus::{Cleaned, Passage};
use crate::gazetteer::{Level, gazetteer};
use crate::read::SourceMeta;
use crate::text::fold_str;

/// A value with how sure we are and why. `value: None` means unknown: what the
/// text does not say stays unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence<T> {
    /// The value, if decided.
    pub value: Option<T>,
    /// 0.0 (none) to 1.0 (certain).
    pub confidence: f32,
    /// Human-readable reasons, strongest first.
    pub evidence: Vec<String>,
    /// True when a researcher gave the value (override file), not extraction.
    pub given: bool,
}

impl<T> Evidence<T> {
    /// An extracted value with one reason.
    pub fn found(value: T, confidence: f32, why: String) -> Self {
        Evidence {
            value: Some(value),
            confidence,
            evidence: vec![why],
            given: false,
        }
    }

    /// No value, and why not.
    pub fn unknown(why: &str) -> Self {
        Evidence {
            value: None,
            confidence: 0.0,
            evidence: vec![why.to_string()],
            given: false,
        }
    }

    /// A value a researcher gave.
    pub fn given(value: T, source: String) -> Self {
        Evidence {
            value: Some(value),
            confidence: 1.0,
            evidence: vec![source],
            given: true,
        }
    }
}

/// Province, city and county names of a region code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegionNames {
    /// 省级 name.
    pub province: Option<String>,
    /// 地级 name.
    pub city: Option<String>,
    /// 县级 name.
    pub county: Option<String>,
    /// GB/T 2260 code of the deepest known level.
    pub code: Option<String>,
}

impl RegionNames {
    /// The names along a unit's lineage.
    pub fn of(code: Option<u32>) -> RegionNames {
        let Some(code) = code else {
            return RegionNames::default();
        };
        let g = gazetteer();
        let mut names = RegionNames {
            code: Some(code.to_string()),
            ..Default::default()
        };
        for r in g.lineage(code) {
            let slot = match r.level {
                Level::Province => &mut names.province,
                Level::City => &mut names.city,
                Level::County => &mut names.county,
            };
            *slot = Some(r.name.clone());
        }
        names
    }
}

/// Document-level metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocMeta {
    /// The document's title.
    pub title: Evidence<String>,
    /// Region as a code of data/regions.
    pub region: Evidence<u32>,
    /// Without a region: issued by a national body or speaking for the whole
    /// country (region 全国 in the index, `--region 全国`).
    pub national: bool,
    /// Year issued or reported on.
    pub year: Evidence<u16>,
    /// Document type.
    pub doc_type: Evidence<DocType>,
    /// Target years promised anywhere in the document.
    pub target_years: Vec<u16>,
    /// Paragraph index of the title line (left out of the passages).
    pub title_line: Option<usize>,
    /// Issuer, document number, dates and level of force.
    pub issuance: Issuance,
}

/// Extracts document metadata from cleaned text and what its container says.
pub fn extract_document(cleaned: &Cleaned, source: &SourceMeta) -> DocMeta {
    let outline: Vec<Option<u8>> = cleaned.lines.iter().map(|l| l.outline).collect();
    let title = title::find_title(&cleaned.text, &outline, source, &cleaned.page_meta);
    // Extractors read folded text, so traditional characters (農業, 報告 in the
    // 1954 report) meet the same words, names and patterns as simplified ones.
    let text = fold_str(&cleaned.text);
    let title_folded = title.as_ref().map(|t| fold_str(&t.text));
    let title_text = title_folded.as_deref();
    let mut page_meta = cleaned.page_meta.clone();
    if let Some((published, from)) = &source.published {
        page_meta.push(format!("发布日期:{published} ({from})"));
    }
    let (region, national) = region::extract_region_or_nation(title_text, &text);
    let doc_type = doctype::extract_doc_type(title_text, &text);
    let issuance =
        issuance::extract_issuance(title_text, &text, &page_meta, doc_type.value, region.value);
    // The issuer read from the header or signature (国务院 on a work report's
    // opening line) makes a document without a place national too.
    let national = national
        || (region.value.is_none()
            && issuance.issuers.value.as_ref().is_some_and(|list| {
                !list.is_empty() && list.iter().all(|i| region::is_national_body(&i.normalised))
            }));
    let mut meta = DocMeta {
        region,
        national,
        year: year::extract_year(title_text, &text, &page_meta),
        doc_type,
        issuance,
        target_years: year::target_years(&text),
        title_line: title.as_ref().and_then(|t| t.line),
        title: match title {
            Some(t) => Evidence::found(t.text, 0.8, t.why),
            None => Evidence::unknown("no title line found"),
        },
    };
    qualify_title(&mut meta, &text);
    meta
}

/// How a resolution on a report opens: "第十四届全国人民代表大会第三次会议听取和
/// 审议了国务院总理李强所作的政府工作报告。": its title is the session's
/// resolution on what it heard ("…第三次会议关于政府工作报告的决议").
static RESOLUTION_OPENING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(.{4,40}?会议)听取(?:和审议|并审议|审议)?了.{0,40}?(?:所作的|提交的|提出的)(.{2,60}?)[。,]")
        .expect("valid regex")
});

/// A work report's or bulletin's title that names only its genre
/// ("政府工作报告"), or none at all (a report that opens with 各位代表), says
/// nothing among hundreds of its kind: it gets the year and place found, as
/// the sources' own lists name them ("2026年广东省政府工作报告"), with that
/// said in the evidence.
fn qualify_title(meta: &mut DocMeta, text: &str) {
    let genre = match (&meta.title.value, meta.doc_type.value) {
        (Some(t), _) if title::BARE_GENRES.contains(&t.as_str()) => t.clone(),
        (None, Some(DocType::WorkReport)) => "政府工作报告".to_string(),
        (None, Some(DocType::StatisticalBulletin)) => "国民经济和社会发展统计公报".to_string(),
        (None, Some(DocType::Resolution)) => {
            if let Some(c) = RESOLUTION_OPENING.captures(text.lines().next().unwrap_or("")) {
                meta.title = Evidence::found(
                    format!("{}关于{}的决议", &c[1], &c[2]),
                    0.6,
                    format!("no title in the text: a resolution on \"{}\"", &c[2]),
                );
            }
            return;
        }
        _ => return,
    };
    let names = RegionNames::of(meta.region.value);
    let place = match (&names.province, &names.city, &names.county) {
        (_, Some(city), Some(county)) => format!("{city}{county}"),
        (_, Some(city), None) => city.clone(),
        (Some(province), None, _) => province.clone(),
        _ if text
            .lines()
            .take(8)
            .any(|l| l.contains("国务院") || l.contains("全国人民代表大会")) =>
        {
            "国务院".to_string()
        }
        _ => return,
    };
    let composed = match meta.year.value {
        Some(year) => format!("{year}年{place}{genre}"),
        None => format!("{place}{genre}"),
    };
    let why = match &meta.title.value {
        Some(t) => format!(
            "\"{t}\" ({}), with the year and region found",
            meta.title.evidence.join("; ")
        ),
        None => "no title in the text: its type, year and region".to_string(),
    };
    meta.title = Evidence::found(composed, 0.6, why);
}

/// Per-passage metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageMeta {
    /// Up to two sectors.
    pub sectors: Vec<SectorTag>,
    /// Up to three policy instruments, each with its evidence (see
    /// [`instrument`]).
    pub instruments: Vec<InstrumentTag>,
    /// Target years in the passage: every year it promises something for
    /// (到2025年), its quantified targets' years included.
    pub target_years: Vec<u16>,
    /// Quantified targets (see [`targets`]).
    pub targets: Vec<Target>,
    /// How much concrete content it holds (see [`content`]).
    pub content: content::Content,
}

/// Extracts passage metadata; the document's type decides whether it can hold
/// targets at all.
pub fn extract_passage(passage: &Passage, doc: &DocMeta) -> PassageMeta {
    let targets = targets::extract_targets(
        &passage.text,
        &targets::Context {
            doc_type: doc.doc_type.value,
            headings: &passage.headings,
        },
    );
    // One source of truth: a target's year is a target year of its passage.
    let mut target_years = year::target_years(&passage.text);
    target_years.extend(targets.iter().filter_map(|t| t.year));
    target_years.sort_unstable();
    target_years.dedup();
    PassageMeta {
        sectors: sector::taxonomy().classify(&passage.headings, &passage.text),
        instruments: instrument::typology().classify(&passage.text),
        target_years,
        content: content::assess(&passage.text, targets.len()),
        targets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_are_read_as_simplified() {
        // The opening of the 1954 report, in traditional characters (00196).
        let raw = "各位代表：\n我們第一届全國人民代表大會第一次會議，在聽了劉少奇同志\n關於憲法草案的報告\n並進行了三天的討論以後，已經光榮地完成了一件歷史性的工作，通過了我們國家的根本法——\n中華人民共和國憲法\n，接着，又通過了幾個重要的法律。現在，我代表中央人民政府作工作報告。";
        let meta = extract_document(&crate::corpus::clean(raw), &SourceMeta::default());
        assert_eq!(meta.doc_type.value, Some(DocType::WorkReport), "{meta:?}");
        assert_eq!(meta.region.value, None, "{meta:?}");
    }
}
