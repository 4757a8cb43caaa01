//! Policy instruments per passage, in the typology of
//! `data/instruments/typology.toml` (Rothwell & Zegveld: supply-side,
//! environment-side, demand-side).
//!
//! What researchers of local policy code by hand: which tools a measure uses.
//! A passage gets at most three instruments, each backed by the cue words
//! that matched and the sentence that holds them; a passage with no cue, or
//! one that states no measure (an enactment line, a purpose article, a list
//! of problems), gets none rather than a guess. The rules are in
//! `docs/instruments.md`, the annotated passages they were written from and
//! evaluated on in `tests/fixtures/instruments/`.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::fold_str;

/// The typology as embedded.
pub const TYPOLOGY_TOML: &str = include_str!("../../data/instruments/typology.toml");

/// At most this many instruments a passage.
pub const MAX_INSTRUMENTS: usize = 3;
/// What a weak cue counts: a word that names the field more often than it
/// states a measure (道路, 金融, 治理) needs a second cue beside it.
pub const WEAK: f32 = 0.5;
/// Score at which an instrument is assigned: one cue, or two weak ones.
const MIN_SCORE: f32 = 1.0;
/// A second or third instrument needs this share of the first one's score:
/// a passage about roads that names a fund in passing is about roads.
const SHARE: f32 = 0.3;

#[derive(Debug, Deserialize)]
struct TypologyFile {
    #[serde(default)]
    skip: Vec<SkipRule>,
    category: Vec<CategoryDef>,
}

#[derive(Debug, Deserialize)]
struct SkipRule {
    name: String,
    pattern: String,
    #[serde(default)]
    first_sentence: bool,
}

#[derive(Debug, Deserialize)]
struct CategoryDef {
    id: String,
    name: String,
    #[serde(default)]
    instrument: Vec<InstrumentDef>,
}

#[derive(Debug, Deserialize)]
struct InstrumentDef {
    id: String,
    name: String,
    #[serde(default)]
    group: Option<String>,
    cues: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
}

/// One instrument of the typology.
#[derive(Debug, Clone)]
pub struct Instrument {
    /// Stable id, e.g. `environment.tax`.
    pub id: String,
    /// Display name, e.g. 税收优惠.
    pub name: String,
    /// Its category's name (供给型, 环境型, 需求型).
    pub category: String,
    /// Its category's id (supply, environment, demand).
    pub category_id: String,
    /// A heading within the category (策略性措施), if any.
    pub group: Option<String>,
    cues: Regex,
    weak: Option<Regex>,
    unless: Option<Regex>,
}

impl Instrument {
    /// Facet path: `/环境型/税收优惠`, `/环境型/策略性措施/示范试点`.
    pub fn facet_path(&self) -> String {
        match &self.group {
            Some(g) => format!("/{}/{}/{}", self.category, g, self.name),
            None => format!("/{}/{}", self.category, self.name),
        }
    }
}

struct Skip {
    name: String,
    pattern: Regex,
    first_sentence: bool,
}

/// An instrument assigned to a passage, with what decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentTag {
    /// Category name (环境型).
    pub category: String,
    /// Instrument name (税收优惠).
    pub instrument: String,
    /// Group within the category (策略性措施), if any.
    pub group: Option<String>,
    /// Distinct cue words matched, a weak one counting [`WEAK`].
    pub score: f32,
    /// The words that matched, in text order.
    pub cues: Vec<String>,
    /// The first sentence that holds one of them.
    pub sentence: String,
}

impl InstrumentTag {
    /// Facet path, as [`Instrument::facet_path`].
    pub fn facet_path(&self) -> String {
        match &self.group {
            Some(g) => format!("/{}/{}/{}", self.category, g, self.instrument),
            None => format!("/{}/{}", self.category, self.instrument),
        }
    }

    /// One line of evidence: `税收优惠 (环境型): 减税, 降费 — “…”`.
    pub fn explain(&self) -> String {
        format!(
            "{} ({}): {} — “{}”",
            self.instrument,
            self.category,
            self.cues.join(", "),
            shorten(&self.sentence, 80)
        )
    }
}

fn shorten(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(chars).collect();
        out.push('…');
        out
    }
}

/// The typology, compiled.
pub struct Typology {
    instruments: Vec<Instrument>,
    categories: Vec<(String, String)>,
    skips: Vec<Skip>,
}

static TYPOLOGY: LazyLock<Typology> = LazyLock::new(|| {
    Typology::parse(TYPOLOGY_TOML).expect("data/instruments/typology.toml is valid")
});

/// The embedded typology.
pub fn typology() -> &'static Typology {
    &TYPOLOGY
}

/// Sentences of a passage with their byte ranges: split after 。！？ and
/// their ASCII forms.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '!' | '?') {
            let end = i + c.len_utf8();
            out.push((start, end));
            start = end;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn alternation(patterns: &[String]) -> Result<Regex, String> {
    let joined = patterns
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&joined).map_err(|e| e.to_string())
}

impl Typology {
    /// Parses and compiles a typology file.
    pub fn parse(toml_text: &str) -> Result<Typology, String> {
        let file: TypologyFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let mut instruments = Vec::new();
        let mut categories = Vec::new();
        for c in file.category {
            categories.push((c.id.clone(), c.name.clone()));
            for i in c.instrument {
                if i.cues.is_empty() {
                    return Err(format!("instrument {} has no cues", i.id));
                }
                let cues = alternation(&i.cues).map_err(|e| format!("{} cues: {e}", i.id))?;
                let optional = |list: &[String], what: &str| -> Result<Option<Regex>, String> {
                    if list.is_empty() {
                        Ok(None)
                    } else {
                        alternation(list)
                            .map(Some)
                            .map_err(|e| format!("{} {what}: {e}", i.id))
                    }
                };
                let weak = optional(&i.weak, "weak")?;
                let unless = optional(&i.unless, "unless")?;
                instruments.push(Instrument {
                    id: i.id,
                    name: i.name,
                    category: c.name.clone(),
                    category_id: c.id.clone(),
                    group: i.group,
                    cues,
                    weak,
                    unless,
                });
            }
        }
        let skips = file
            .skip
            .into_iter()
            .map(|s| {
                Regex::new(&s.pattern)
                    .map(|pattern| Skip {
                        name: s.name.clone(),
                        pattern,
                        first_sentence: s.first_sentence,
                    })
                    .map_err(|e| format!("skip {}: {e}", s.name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Typology {
            instruments,
            categories,
            skips,
        })
    }

    /// The instruments, in file order.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// Categories as (id, name), in file order.
    pub fn categories(&self) -> &[(String, String)] {
        &self.categories
    }

    /// Why a passage states no measure at all, if it does not (the name of
    /// the skip rule that applies). Reads folded text.
    pub fn skip_reason(&self, folded: &str) -> Option<&str> {
        let first = sentences(folded)
            .first()
            .map(|&(s, e)| &folded[s..e])
            .unwrap_or("");
        self.skips
            .iter()
            .find(|s| {
                if s.first_sentence {
                    s.pattern.is_match(first)
                } else {
                    s.pattern.is_match(folded)
                }
            })
            .map(|s| s.name.as_str())
    }

    /// Tags a passage's text with at most [`MAX_INSTRUMENTS`] instruments.
    pub fn classify(&self, text: &str) -> Vec<InstrumentTag> {
        let folded = fold_str(text);
        if self.skip_reason(&folded).is_some() {
            return Vec::new();
        }
        let spans = sentences(&folded);
        let sentence_of = |pos: usize| -> &str {
            spans
                .iter()
                .find(|&&(s, e)| pos >= s && pos < e)
                .map(|&(s, e)| folded[s..e].trim())
                .unwrap_or("")
        };
        let mut found: Vec<(f32, usize, InstrumentTag)> = Vec::new();
        for (order, inst) in self.instruments.iter().enumerate() {
            let cancelled: Vec<(usize, usize)> = inst
                .unless
                .as_ref()
                .map(|u| u.find_iter(&folded).map(|m| (m.start(), m.end())).collect())
                .unwrap_or_default();
            let mut seen: HashSet<&str> = HashSet::new();
            let mut cues: Vec<(usize, String)> = Vec::new();
            let mut score = 0.0f32;
            let mut strong_pos = None;
            for (re, weight) in [(Some(&inst.cues), 1.0f32), (inst.weak.as_ref(), WEAK)] {
                let Some(re) = re else { continue };
                for m in re.find_iter(&folded) {
                    if cancelled.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                        continue;
                    }
                    if seen.insert(m.as_str()) {
                        cues.push((m.start(), m.as_str().to_string()));
                        score += weight;
                    }
                    if weight >= 1.0 {
                        strong_pos.get_or_insert(m.start());
                    }
                }
            }
            cues.sort();
            if score >= MIN_SCORE
                && let Some(pos) = strong_pos.or(cues.first().map(|c| c.0))
            {
                found.push((
                    score,
                    order,
                    InstrumentTag {
                        category: inst.category.clone(),
                        instrument: inst.name.clone(),
                        group: inst.group.clone(),
                        score,
                        cues: cues.into_iter().map(|c| c.1).collect(),
                        sentence: sentence_of(pos).to_string(),
                    },
                ));
            }
        }
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let top = found.first().map(|f| f.0).unwrap_or(0.0);
        found
            .into_iter()
            .filter(|f| f.0 >= top * SHARE)
            .take(MAX_INSTRUMENTS)
            .map(|(_, _, t)| t)
            .collect()
    }

    /// Resolves what a user typed (税收优惠, environment.tax, 环境型, 需求型,
    /// 策略性措施, 环境型/税收优惠) to a facet path; a category or group
    /// path matches every instrument under it.
    pub fn resolve(&self, input: &str) -> Result<String, String> {
        let input = input.trim().trim_matches('/');
        let last = input.rsplit('/').next().unwrap_or(input);
        if let Some(i) = self
            .instruments
            .iter()
            .find(|i| i.name == last || i.id == input)
        {
            return Ok(i.facet_path());
        }
        if let Some((_, name)) = self
            .categories
            .iter()
            .find(|(id, name)| name == input || id == input || name.trim_end_matches('型') == input)
        {
            return Ok(format!("/{name}"));
        }
        if let Some(i) = self
            .instruments
            .iter()
            .find(|i| i.group.as_deref() == Some(last))
        {
            return Ok(format!("/{}/{}", i.category, last));
        }
        Err(format!(
            "unknown instrument {input:?}; instruments are {}; categories {}",
            self.instruments
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            self.categories
                .iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let mut v: Vec<String> = typology()
            .classify(text)
            .into_iter()
            .map(|t| t.instrument)
            .collect();
        v.sort();
        v
    }

    /// Real sentences of ../shared/corpus and ../shared/reports (the source in
    /// each comment), and the instruments they use.
    #[test]
    fn tags_real_passages() {
        let cases: &[(&str, &[&str])] = &[
            // reports/r0420.md#7: tax relief reported in a review.
            (
                "出台实施两批208项稳经济措施。全年退税减税缓税降费超59亿元。",
                &["税收优惠"],
            ),
            // reports/r0154.txt#36: credit, listings and funds.
            (
                "深化政银企对接,加强信贷政策与财政政策联动,新增信贷500亿元以上、普惠小微企业贷款100亿元以上。加强上市企业培育,新增上市企业1家、挂牌企业20家。",
                &["金融支持"],
            ),
            // reports/r0011.txt#37: trade-ins and exports.
            (
                "认真落实家电、摩托车下乡和家电以旧换新政策。积极扩大出口。落实鼓励出口的政策措施,重点支持优质农畜产品、医药、化工、帽服等传统产品的出口。",
                &["消费补贴与市场培育", "贸易与出口促进"],
            ),
            // corpus/00461.txt#5: a budget line.
            (
                "第五条 各级人民政府应当将侨务工作专项经费列入本级财政预算,并予以保障。",
                &["资金投入与补贴"],
            ),
            // reports/r0554.txt#41: networks built.
            (
                "完成投资7215万元的雨污分流管网建设。完成投资9700万元的给水管网建设。",
                &["基础设施建设"],
            ),
            // corpus/01954.txt#8: publicity.
            (
                "第七条 县级以上人民政府有关部门和乡镇人民政府应当组织开展宣传教育,普及污水处理设施运行维护知识,倡导绿色环保生活方式,增强环境保护意识。",
                &["宣传引导"],
            ),
            // corpus/02041.txt#60: a penalty.
            (
                "第五十六条 利用天然阔叶林烧制木炭的,责令改正,没收非法烧制的木炭和违法所得,并可处非法烧制木炭价值一至三倍的罚款。",
                &["法规管制"],
            ),
            // reports/r0498.md#23: expected targets.
            (
                "主要预期目标是:地区生产总值增长6%左右,经济总量突破2000亿元;规模工业增加值增长10%左右。",
                &["目标规划"],
            ),
        ];
        for (text, want) in cases {
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(names(text), want, "{text}");
        }
    }

    #[test]
    fn passages_stating_no_measure_get_none() {
        for text in [
            // corpus/00928.txt#1: an enactment line.
            "2019年11月29日 山东省第十三届人民代表大会常务委员会第十五次会议通过",
            // corpus/01132.txt#4: a purpose article, full of cue words.
            "第一条 为了加强燃放烟花爆竹管理,保障公共安全和公民人身财产安全,减少环境污染,倡导健康文明生活方式,根据《中华人民共和国大气污染防治法》等有关法律法规,结合本市实际,制定本条例。",
            // reports/r0457.md#12: a list of problems.
            "各位代表,我们清醒认识到,踏上现代化通辽建设新征程,还面临不少困难、问题和挑战。营商环境还需进一步优化,用地审批、融资服务、政务诚信建设等方面存在短板弱项。",
            // corpus/00007.txt#2: the opening of a report.
            "各位代表:现在,我代表市人民政府向大会报告工作,请予审议。",
        ] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
    }

    #[test]
    fn unless_cancels_a_cue_in_its_own_words() {
        // reports/r0090.txt#3: a tax statistic, not tax relief.
        assert!(!names("工业税收还原留抵退税后增长40.4%。").contains(&"税收优惠".to_string()));
        // A consumer subsidy is demand-side, not a producer subsidy.
        let n = names("开展汽车、家电系列促销活动,发放惠民消费券1.06亿元。");
        assert!(n.contains(&"消费补贴与市场培育".to_string()), "{n:?}");
        assert!(!n.contains(&"资金投入与补贴".to_string()), "{n:?}");
    }

    #[test]
    fn at_most_three_with_evidence() {
        // reports/r0348.md#30: a passage touching many instruments.
        let text = "积极培育外贸企业,外贸收入实现零突破。设立重大项目咨询机构,积极发展金融保险;大力开展消费促进活动,推动电子商务进农村,开展市场化物业管理试点和购买社会服务发展环卫新模式,支持健康医疗、养老育幼事业。";
        let tags = typology().classify(text);
        assert!(
            !tags.is_empty() && tags.len() <= MAX_INSTRUMENTS,
            "{tags:?}"
        );
        for t in &tags {
            assert!(!t.cues.is_empty() && !t.sentence.is_empty(), "{t:?}");
            assert!(
                t.cues
                    .iter()
                    .all(|c| t.sentence.contains(c.as_str()) || text.contains(c.as_str()))
            );
        }
    }

    #[test]
    fn resolves_what_users_type() {
        let t = typology();
        assert_eq!(t.resolve("税收优惠").unwrap(), "/环境型/税收优惠");
        assert_eq!(t.resolve("需求型").unwrap(), "/需求型");
        assert_eq!(t.resolve("demand").unwrap(), "/需求型");
        assert_eq!(t.resolve("策略性措施").unwrap(), "/环境型/策略性措施");
        assert_eq!(
            t.resolve("示范试点").unwrap(),
            "/环境型/策略性措施/示范试点"
        );
        assert_eq!(t.resolve("environment.tax").unwrap(), "/环境型/税收优惠");
        assert!(t.resolve("航天").unwrap_err().contains("税收优惠"));
    }

    #[test]
    fn a_broken_typology_is_refused_with_a_reason() {
        let err = Typology::parse("[[category]]\nid='x'\nname='X'\n[[category.instrument]]\nid='x.a'\nname='A'\ncues=['(']\n").err().unwrap();
        assert!(err.contains("x.a"), "{err}");
    }
}
