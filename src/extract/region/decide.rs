//! Choosing the region top-down from the evidence per unit: the province that
//! gathers most, a city under it only if the evidence sits there, a county
//! only if it dominates and the document speaks as a county. Ties and thin
//! evidence give no region; a national voice or issuer gives 全国.

use std::collections::HashMap;

use super::context::SelfReference;
use super::tally::Tally;
use crate::gazetteer::{Level, gazetteer};

/// Least evidence for naming a province at all: more than a passing mention (a
/// county named once in the text is 0.8, a province's short name once near
/// the top 1.6, its full name there 2.0).
const MIN_PROVINCE_SCORE: f32 = 2.0;
/// The same for a text that speaks locally (全省, 本市, 县长).
const MIN_LOCAL_PROVINCE_SCORE: f32 = 0.8;

pub(super) struct Decision {
    pub code: Option<u32>,
    pub confidence: f32,
    pub reasons: Vec<String>,
    /// No place: the document speaks for, or is issued by, the nation.
    pub national: bool,
}

impl Decision {
    fn none(reasons: Vec<String>, national: bool) -> Decision {
        Decision {
            code: None,
            confidence: 0.0,
            reasons,
            national,
        }
    }
}

/// Evidence per unit with what its units below it hold added.
struct Totals {
    /// Place names and provincial signals.
    all: HashMap<u32, f32>,
    /// Place names only: signals say which province, never which city.
    places: HashMap<u32, f32>,
}

impl Totals {
    fn of(tally: &Tally) -> Totals {
        let g = gazetteer();
        // Evidence flows up: a county's mentions are evidence for its city and province.
        let mut all: HashMap<u32, f32> = HashMap::new();
        for (&code, &w) in &tally.direct {
            for r in g.lineage(code) {
                *all.entry(r.code).or_default() += w;
            }
        }
        let places = all.clone();
        for (&code, &w) in &tally.signals {
            *all.entry(code).or_default() += w;
        }
        Totals { all, places }
    }

    /// The units of `level` under `parent` (provinces for `None`), heaviest first.
    fn children(&self, parent: Option<u32>, level: Level) -> Vec<(u32, f32)> {
        let g = gazetteer();
        let mut v: Vec<(u32, f32)> = self
            .all
            .iter()
            .filter_map(|(&code, &w)| {
                let r = g.region(code)?;
                let matches_parent = match parent {
                    None => r.level == Level::Province,
                    Some(p) => r.parent == Some(p) && r.level == level,
                };
                matches_parent.then_some((code, w))
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    fn places_of(&self, code: u32) -> f32 {
        self.places.get(&code).copied().unwrap_or(0.0)
    }
}

fn name(code: u32) -> String {
    gazetteer()
        .region(code)
        .map_or(String::new(), |r| r.name.clone())
}

/// Chooses the region: a province, then a city and a county under it.
pub(super) fn decide(
    tally: &Tally,
    speaks: SelfReference,
    national_issuer: Option<String>,
) -> Decision {
    let totals = Totals::of(tally);
    let mut reasons = Vec::new();
    let (province, confidence) =
        match choose_province(&totals, tally, speaks, national_issuer, &mut reasons) {
            Ok(chosen) => chosen,
            Err(national) => return Decision::none(reasons, national),
        };
    let (city, city_score) = choose_city(&totals, province, speaks, &mut reasons);
    let chosen = choose_county(&totals, city, city_score, speaks, &mut reasons);
    Decision {
        national: false,
        code: Some(chosen),
        confidence,
        reasons,
    }
}

/// The province and the confidence in it, or `Err(national)` when there is none.
fn choose_province(
    totals: &Totals,
    tally: &Tally,
    speaks: SelfReference,
    national_issuer: Option<String>,
    reasons: &mut Vec<String>,
) -> Result<(u32, f32), bool> {
    let g = gazetteer();
    let provinces = totals.children(None, Level::Province);
    let &(province, p_score) = provinces.first().ok_or(false)?;
    let runner_up = provinces.get(1).map_or(0.0, |p| p.1);
    // A text that speaks as a province or below (全省, 本市, 县长) needs less
    // evidence to be filed under the province it names than one that does not.
    let least = if speaks.local() > speaks.nation {
        MIN_LOCAL_PROVINCE_SCORE
    } else {
        MIN_PROVINCE_SCORE
    };
    if p_score < least || p_score < 2.0 * runner_up {
        reasons.push(format!(
            "no province stands out: {} {p_score:.1}{}",
            name(province),
            provinces
                .get(1)
                .map_or(String::new(), |p| format!(" vs {} {:.1}", name(p.0), p.1))
        ));
        return Err(false);
    }
    let is_anchored = tally
        .anchored
        .keys()
        .any(|&code| g.is_within(code, province));
    if let Some(body) = national_issuer.filter(|_| !is_anchored) {
        reasons.push(format!(
            "issued by {body}, a national body, and no place is in its title or issuing body: a national document, best place {} {p_score:.1}",
            name(province)
        ));
        return Err(true);
    }
    if speaks.is_national() && !is_anchored {
        reasons.push(format!(
            "speaks for the whole country (我国, 全国, 国务院 ×{}; as a province, city or county ×{}) and no place is in its title or issuing body: a national document, best place {} {p_score:.1}",
            speaks.nation,
            speaks.local(),
            name(province)
        ));
        return Err(true);
    }
    let all: f32 = provinces.iter().map(|p| p.1).sum();
    reasons.push(format!(
        "province {} gathers {p_score:.1} of {all:.1}{}",
        name(province),
        provinces.get(1).map_or(String::new(), |p| format!(
            " (next: {} {:.1})",
            name(p.0),
            p.1
        ))
    ));
    Ok((province, p_score / all))
}

/// The city under the province that holds most of its place evidence, or the
/// province itself; with the chosen unit's place evidence. Municipal
/// districts report to the province directly.
fn choose_city(
    totals: &Totals,
    province: u32,
    speaks: SelfReference,
    reasons: &mut Vec<String>,
) -> (u32, f32) {
    let p_places = totals.places_of(province);
    let cities = totals.children(Some(province), Level::City);
    let Some(&(city, c_score)) = cities.first() else {
        return (province, p_places);
    };
    let city_share = if speaks.province > speaks.city.max(speaks.county) {
        0.75
    } else {
        0.5
    };
    let next = cities.get(1).map_or(0.0, |c| c.1);
    let speaks_below_province = speaks.city + speaks.county > speaks.province;
    if c_score >= city_share * p_places
        && c_score >= 2.0 * next
        && (c_score >= 1.5 || speaks_below_province && c_score >= 0.8)
    {
        reasons.push(format!(
            "city {} holds {c_score:.1} of the province's {p_places:.1} from place names",
            name(city)
        ));
        (city, c_score)
    } else {
        reasons.push(format!(
            "no city holds most of the evidence (best {} {c_score:.1} of {p_places:.1})",
            name(city)
        ));
        (province, p_places)
    }
}

/// A county under `parent` that dominates its evidence, or `parent`.
fn choose_county(
    totals: &Totals,
    parent: u32,
    parent_score: f32,
    speaks: SelfReference,
    reasons: &mut Vec<String>,
) -> u32 {
    let counties = totals.children(Some(parent), Level::County);
    let Some(&(county, k_score)) = counties.first() else {
        return parent;
    };
    let next = counties.get(1).map_or(0.0, |c| c.1);
    let speaks_as_county = speaks.county > 0 && speaks.county * 2 >= speaks.city;
    // A county needs the document to speak as one (全县, 县长), or a lot of evidence.
    let (share, least) = if speaks_as_county {
        (0.5, 0.8)
    } else {
        (0.7, 5.0)
    };
    if k_score >= share * parent_score && k_score >= least && k_score >= 2.5 * next {
        reasons.push(format!(
            "county {} dominates with {k_score:.1} of {parent_score:.1}",
            name(county)
        ));
        county
    } else {
        if counties.len() >= 2 {
            reasons.push(format!(
                "{} counties mentioned, none dominant: a document of {}",
                counties.len(),
                name(parent)
            ));
        }
        parent
    }
}
