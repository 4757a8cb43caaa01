//! China's administrative divisions, embedded at compile time from data/regions
//! (CC BY 4.0, see data/regions/SOURCE.md), and the surface forms that name them.
//!
//! Extraction, the jieba dictionary and the `--region` filter all resolve names
//! here, so "张掖", "张掖市" and "肃南县" mean the same units everywhere.

use std::collections::HashMap;
use std::sync::LazyLock;

const REGIONS_CSV: &str = include_str!("../data/regions/regions.csv");
const ALIASES_CSV: &str = include_str!("../data/regions/aliases.csv");
const AMBIGUOUS_CSV: &str = include_str!("../data/regions/ambiguous.csv");
const COMMON_WORDS_CSV: &str = include_str!("../data/regions/common_words.csv");

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 省, 自治区, 直辖市.
    Province,
    /// 地级市, 自治州, 地区, 盟.
    City,
    /// 县, 县级市, 市辖区, 旗 and the like.
    County,
}

/// One administrative unit.
#[derive(Debug, Clone)]
pub struct Region {
    /// 6-digit GB/T 2260 code.
    pub code: u32,
    /// Full name, e.g. 临泽县.
    pub name: String,
    /// Short name without the administrative suffix, when it names this unit alone.
    pub short_name: Option<String>,
    /// Level of the unit.
    pub level: Level,
    /// Code of the parent unit (a province for municipal districts).
    pub parent: Option<u32>,
}

/// How a surface form names a unit; earlier variants are stronger evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormKind {
    /// The unit's full current name.
    Full,
    /// The unit's short name (张掖 for 张掖市).
    Short,
    /// An informal name (肃南县 for 肃南裕固族自治县).
    Informal,
    /// A former name (郫县 for 郫都区).
    Historical,
    /// A short form shared by several units, none of which owns it.
    AmbiguousShort,
    /// An old name that is also a current unit's name elsewhere.
    HistoricalShadowed,
}

/// A surface form's reading as one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The unit named.
    pub code: u32,
    /// How the form names it.
    pub kind: FormKind,
}

/// The embedded tables, indexed for lookups.
pub struct Gazetteer {
    regions: Vec<Region>,
    by_code: HashMap<u32, usize>,
    forms: HashMap<String, Vec<Reading>>,
    common_words: HashMap<String, String>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);

/// The process-wide gazetteer.
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

fn csv_rows(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .map(|r| r.expect("embedded region tables are valid CSV"))
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut regions = Vec::new();
        for row in csv_rows(REGIONS_CSV) {
            let level = match &row[3] {
                "province" => Level::Province,
                "city" => Level::City,
                _ => Level::County,
            };
            regions.push(Region {
                code: row[0].parse().expect("numeric region code"),
                name: row[1].to_string(),
                short_name: Some(row[2].to_string()).filter(|s| !s.is_empty()),
                level,
                parent: row[4].parse().ok(),
            });
        }
        let by_code: HashMap<u32, usize> = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code, i))
            .collect();
        let mut forms: HashMap<String, Vec<Reading>> = HashMap::new();
        let mut add = |form: &str, code: u32, kind: FormKind| {
            let readings = forms.entry(form.to_string()).or_default();
            if !readings.iter().any(|r| r.code == code) {
                readings.push(Reading { code, kind });
            }
        };
        for r in &regions {
            add(&r.name, r.code, FormKind::Full);
            if let Some(short) = &r.short_name {
                add(short, r.code, FormKind::Short);
            }
        }
        for row in csv_rows(AMBIGUOUS_CSV) {
            if &row[1] != "short" || !row[3].is_empty() {
                continue;
            }
            for code in row[5].split_whitespace().filter_map(|c| c.parse().ok()) {
                add(&row[0], code, FormKind::AmbiguousShort);
            }
        }
        for row in csv_rows(ALIASES_CSV) {
            let kind = match &row[2] {
                "informal" => FormKind::Informal,
                "historical" => FormKind::Historical,
                _ => FormKind::HistoricalShadowed,
            };
            if let Ok(code) = row[1].parse() {
                add(&row[0], code, kind);
            }
        }
        for readings in forms.values_mut() {
            readings.sort_by_key(|r| r.kind);
        }
        let common_words = csv_rows(COMMON_WORDS_CSV)
            .map(|row| (row[0].to_string(), row[1].to_string()))
            .collect();
        Gazetteer {
            regions,
            by_code,
            forms,
            common_words,
        }
    }

    /// The unit with this code.
    pub fn region(&self, code: u32) -> Option<&Region> {
        self.by_code.get(&code).map(|&i| &self.regions[i])
    }

    /// Every unit, provinces first as in the table.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The readings of a surface form, strongest first; empty if it names nothing.
    pub fn readings(&self, form: &str) -> &[Reading] {
        self.forms.get(form).map_or(&[], Vec::as_slice)
    }

    /// Every surface form the gazetteer knows.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.forms.keys().map(String::as_str)
    }

    /// True if the form is also an ordinary word, river or mountain (合作, 黑河),
    /// so a match on it counts only when other evidence backs it up.
    pub fn is_common_word(&self, form: &str) -> bool {
        self.common_words.contains_key(form)
    }

    /// Why a form is a common word: `generic` (城区), `water` (黑河) or `word` (合作).
    pub fn common_word_kind(&self, form: &str) -> Option<&str> {
        self.common_words.get(form).map(String::as_str)
    }

    /// The chain from the province down to this unit.
    pub fn lineage(&self, code: u32) -> Vec<&Region> {
        let mut chain = Vec::new();
        let mut next = self.region(code);
        while let Some(r) = next {
            chain.push(r);
            next = r.parent.and_then(|p| self.region(p));
        }
        chain.reverse();
        chain
    }

    /// True if `ancestor` is `code` or one of its parents.
    pub fn is_within(&self, code: u32, ancestor: u32) -> bool {
        self.lineage(code).iter().any(|r| r.code == ancestor)
    }

    /// The facet path of a unit, e.g. `/甘肃省/张掖市/临泽县`.
    pub fn facet_path(&self, code: u32) -> String {
        self.lineage(code)
            .iter()
            .map(|r| format!("/{}", r.name))
            .collect()
    }

    /// Resolves a name a user typed (甘肃, 张掖市, 临泽, 肃南县, 甘肃/张掖, 南京市鼓楼区)
    /// to one unit, or explains why it cannot.
    pub fn resolve(&self, input: &str) -> Result<u32, String> {
        let name = crate::text::fold_width(input.trim()).replace(' ', "");
        if name.is_empty() {
            return Err("empty region name".into());
        }
        let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            return self.resolve_path(&parts, input);
        }
        let candidates = self.candidates(&name);
        match candidates.as_slice() {
            [one] => Ok(*one),
            [] => self.resolve_concatenated(&name).ok_or_else(|| {
                format!("unknown region {input:?}: not a province, city or county name")
            }),
            many => Err(format!(
                "region {input:?} is ambiguous: {}; give the parent too, e.g. {:?}",
                many.iter()
                    .map(|&c| self.display_path(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.lineage(many[0])
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join("/")
            )),
        }
    }

    /// Units a single name can mean: an owned form wins over shared ones.
    fn candidates(&self, name: &str) -> Vec<u32> {
        let readings = self.readings(name);
        let strongest = readings.iter().map(|r| r.kind).min();
        match strongest {
            Some(FormKind::Full) | Some(FormKind::Short) | Some(FormKind::Informal) => readings
                .iter()
                .filter(|r| {
                    matches!(
                        r.kind,
                        FormKind::Full | FormKind::Short | FormKind::Informal
                    )
                })
                .map(|r| r.code)
                .collect(),
            Some(_) => readings.iter().map(|r| r.code).collect(),
            None => Vec::new(),
        }
    }

    fn resolve_path(&self, parts: &[&str], input: &str) -> Result<u32, String> {
        let mut scope: Option<u32> = None;
        for part in parts {
            let found: Vec<u32> = self
                .all_candidates(part)
                .into_iter()
                .filter(|&c| scope.is_none_or(|s| self.is_within(c, s)))
                .collect();
            scope = match found.as_slice() {
                [one] => Some(*one),
                [] => return Err(format!("unknown region {part:?} in {input:?}")),
                _ => return Err(format!("region {part:?} in {input:?} is ambiguous")),
            };
        }
        scope.ok_or_else(|| format!("empty region name {input:?}"))
    }

    fn all_candidates(&self, name: &str) -> Vec<u32> {
        let strong = self.candidates(name);
        if !strong.is_empty() {
            return strong;
        }
        self.readings(name).iter().map(|r| r.code).collect()
    }

    /// 南京市鼓楼区 or 甘肃张掖: a parent name followed by a child name.
    fn resolve_concatenated(&self, name: &str) -> Option<u32> {
        let chars: Vec<(usize, char)> = name.char_indices().collect();
        for &(split, _) in chars.iter().skip(2) {
            let (head, tail) = name.split_at(split);
            let parents = self.all_candidates(head);
            if parents.is_empty() {
                continue;
            }
            let children: Vec<u32> = self
                .all_candidates(tail)
                .into_iter()
                .filter(|&c| parents.iter().any(|&p| c != p && self.is_within(c, p)))
                .collect();
            if let [one] = children.as_slice() {
                return Some(*one);
            }
        }
        None
    }

    /// `甘肃省张掖市临泽县`, for messages.
    pub fn display_path(&self, code: u32) -> String {
        self.lineage(code).iter().map(|r| r.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_completely() {
        let g = gazetteer();
        assert_eq!(g.regions().len(), 3211);
        assert!(g.is_common_word("黑河"));
        assert!(!g.is_common_word("张掖"));
    }

    #[test]
    fn resolves_names_users_type() {
        let g = gazetteer();
        let cases: &[(&str, &str)] = &[
            ("甘肃", "/甘肃省"),
            ("甘肃省", "/甘肃省"),
            ("张掖市", "/甘肃省/张掖市"),
            ("张掖", "/甘肃省/张掖市"),
            ("临泽", "/甘肃省/张掖市/临泽县"),
            ("肃南县", "/甘肃省/张掖市/肃南裕固族自治县"),
            ("郫县", "/四川省/成都市/郫都区"),
            ("勃利县", "/黑龙江省/七台河市/勃利县"),
            ("南京市鼓楼区", "/江苏省/南京市/鼓楼区"),
            ("江苏/徐州/鼓楼区", "/江苏省/徐州市/鼓楼区"),
            ("上海", "/上海市"),
        ];
        for (input, want) in cases {
            let code = g.resolve(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(g.facet_path(code), *want, "{input}");
        }
    }

    #[test]
    fn explains_unknown_and_ambiguous_names() {
        let g = gazetteer();
        let err = g.resolve("鼓楼区").unwrap_err();
        assert!(err.contains("ambiguous") && err.contains("南京市"), "{err}");
        let err = g.resolve("火星").unwrap_err();
        assert!(err.contains("unknown region"), "{err}");
    }
}
