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

use crate::text::{ellipsize, fold_str};

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
            ellipsize(&self.sentence, 80)
        )
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
    compile(&joined)
}

/// Room for a cue regex's lazy DFA, per thread. The cues' bounded gaps
/// (`引进[^。]{0,8}`) in one alternation make many DFA states; with regex's
/// default of 2 MB the cache filled and was rebuilt over and over, most of
/// the analysis time. Indexing ../shared/corpus (2 threads, release): 2 MB
/// 14.0 s and 410 MB peak RSS, 4 MB 13.0 s / 452 MB, 8 MB 11.5 s / 509 MB,
/// 32 MB 10.4 s / 603 MB; 8 MB keeps most of the gain within the memory goal.
const DFA_BYTES: usize = 8 << 20;

fn compile(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(DFA_BYTES)
        .build()
        .map_err(|e| e.to_string())
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
                compile(&s.pattern)
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

    /// The rules added after the third rule-writing draw (SALT=3), each with
    /// the rule-writing passage of ../shared/corpus or ../shared/reports that
    /// motivated it (tests/fixtures/instruments/rules.toml) and the
    /// instruments annotated for it.
    #[test]
    fn rules_of_the_third_draw() {
        let cases: &[(&str, &[&str])] = &[
            // corpus/00627.txt#3: a scope article names a field (skip: scope article).
            (
                "第二条 本市行政区域内的科技成果转化及相关活动,适用本条例。",
                &[],
            ),
            // reports/r0430.md#13: a roll-call of fields that made progress (skip).
            (
                "民族宗教、审计、统计、新闻出版广电、外事侨务、人防、史志档案、气象地震、援疆等工作取得新成效,工会、妇女儿童、青少年、老龄、慈善、残疾人、志愿服务等事业取得新进步。",
                &[],
            ),
            // corpus/02124.txt#7: an article sharing out duties (skip).
            (
                "第五条 综合行政执法部门是养犬管理工作的主管部门,应当建立养犬管理信息平台,负责犬只准养登记、重点管理区的流浪犬捕捉收容等工作,依法查处不文明养犬等行为。公安机关负责烈性犬和大型犬认定、狂犬捕杀,配合流浪犬收容等工作,依法查处犬只扰民、伤人等行为。农业农村部门负责犬只防疫、犬只诊疗活动的监督管理,指导死亡犬只无害化处理工作。教育、财政、自然资源和规划、建设、商务、卫生健康、市场监督管理等部门,应当按照各自职责做好养犬管理相关工作。",
                &[],
            ),
            // reports/r0490.md#101: a glossary note numbered [ 19 ] (skip).
            (
                "[ 19 ]森林草原防灭火8311机制:即建立森林草原防灭火8个方面机制,明确3个清单,落实包保责任,实施工作承诺。",
                &[],
            ),
            // corpus/00805.txt#9: a public body's duty (人民政府应当) is not a rule on parties.
            (
                "第七条 倡导文明停车、绿色出行。鼓励开展维护停车秩序的志愿服务。市、区(县级市)人民政府应当加大公共交通基础设施建设,优化公共交通网络,为公众绿色出行提供条件。",
                &["宣传引导", "基础设施建设"],
            ),
            // corpus/01335.txt#7: nor is a people's organisation's (人民团体,应当).
            (
                "第五条 工会、共产主义青年团、妇女联合会、残疾人联合会等人民团体,应当在各自工作范围内做好文明行为促进工作。村民委员会、居民委员会应当加强文明行为的宣传、教育和引导,推动将文明行为基本要求纳入村规民约、居民公约,协助做好文明行为促进工作。",
                &["宣传引导"],
            ),
            // corpus/02020.txt#31: nor a duty to recruit (招聘应当).
            (
                "第二十九条 鼓励企业和其他组织在同等条件下优先招用有良好志愿服务记录的志愿者。公务员考录、事业单位招聘应当将志愿服务情况纳入考察内容。志愿服务组织应当根据国家和省有关规定建立志愿服务记录制度,并可以建立以服务时间和服务质量为主要内容的志愿者星级评定制度,对获得相应星级的志愿者推荐参加相关评选和表彰。",
                &["宣传引导"],
            ),
            // reports/r0317.md#24: 整治 of a place is upkeep, not a rule.
            (
                "扎实推进乡村建设。全面完成村庄实用性规划编制。实施村道安防工程,新改建一批农村公路,持续改善农村出行条件。全面完成农村供水保障三年专项行动。规范农村建房秩序,完成农村危房和农房抗震改造2.7万户。持续整治农村人居环境,提升农村“两污”治理水平。",
                &["基础设施建设", "目标规划"],
            ),
            // corpus/00078.txt#11: 研发 as one step of a value chain.
            (
                "1.加强工业数据分类分级管理。落实国家《工业数据分类分级指南(试行)》要求,强化企业主体责任,推动企业构建涵盖研发、生产、运维、管理、外部等五类数据域和高、中、低三级风险的分类分级管理体系。(省工业和信息化厅负责)",
                &["法规管制"],
            ),
            // reports/r0267.md#54: 金融 beside 风险 is risk control.
            (
                "牢牢守住安全底线。认真落实安全生产“硬措施”,扎实推进治本攻坚、监管队伍素质达标行动,提升应急保障“五大能力”。稳妥有序化解中小金融机构风险,如期完成化债任务。严格落实“四个最严”要求,守护好群众舌尖上的安全。健全以气象预警为先导的应急联动机制,提升防灾减灾救灾能力。",
                &["法规管制"],
            ),
            // corpus/01567.txt#18: a department's name is not a service; 创业培训 is training.
            (
                "第十七条 县级以上人民政府人力资源社会保障等部门应当根据劳动者的不同需求开展创业意识教育、创业项目指导和企业经营管理等多种形式的创业培训。",
                &["人才培养与引进"],
            ),
            // reports/r0434.md#21: designations won in reviews (获评, 上榜…名单, 被确定为).
            (
                "二是县域经济稳健发展。支持县域发展园区、承接产业转移和推进城镇化并重。常宁市有色金属、纺织服装两大产业集聚效应凸显。衡东县泵业智造、祁东县黄花菜精深加工被确定为省级中小企业特色产业集群培育对象。衡南县、衡山县获评“2023年度全省县域经济先进县”。衡阳县获评“2023年度全省县域经济突出贡献县”。耒阳市上榜全国县域商业“领跑县”名单。",
                &["示范试点"],
            ),
            // corpus/01850.txt#34: insurance taken out with encouragement is finance.
            (
                "第二十八条 鼓励非机动车所有人或者使用人投保车辆第三者责任保险、财产损失保险和驾乘人员人身意外伤害保险。鼓励互联网租赁非机动车、快递、外卖等企业为非机动车驾驶人购买人身意外伤害保险、车辆第三者责任保险。",
                &["金融支持"],
            ),
            // reports/r0003.txt#12: a plan's limits (控制在…以内) are targets.
            (
                "社会消费品零售总额增长lO.5%:财政收入与经济发展保持同步增长:外贸出口增长12%,城镇居民人均可支配收人增长8%,农民人均纯收入增长5%;人口自然增长率控制在7‰以内,城镇登记失业率控制在4.5%以内。实现上述目标,必须坚持把发展作为第一要务,解放思想,实事求是,与时惧进,切实做到发展要有新思路,改革要有新突破.开放要有新局面,各项工作要有新举措。必须坚持速度和结构、质量、效益相统一,既要保持较高的增长速度,又要特别注重提高经济增长的质量和效益;必须正确处理改革、发展、稳定的关系,坚持把改革的力度、发展的速度和社会可承受的程度统一起来,以改革促发展,以发展保稳定;",
                &["目标规划"],
            ),
            // reports/r0287.md#8: 争取…预算内投资、特别国债、专项债 is public money.
            (
                "抢抓政策机遇稳增长。紧盯国家一揽子存量、增量政策,抢抓“两重”“两新”政策机遇,突出“大思路、大项目”争资跑项,策划包装重点项目409个,争取中央预算内投资、特别国债、专项债资金134.07亿元。着力推进重点项目建设,组织实施“百日攻坚”行动,首座500千伏变电站建成运行,桑龙、炉慈高速公路路基工程基本完成,阿巴砦、大夫第、茶马雄风等文旅项目建成,省、市重点项目完成投资215.05亿元。",
                &["资金投入与补贴", "基础设施建设"],
            ),
        ];
        for (text, want) in cases {
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(names(text), want, "{text}");
        }
    }

    #[test]
    fn creating_a_civilised_city_is_a_designation_not_publicity() {
        // reports/r0461.md#41 (rules.toml): 争创全国文明城市、国家卫生城市….
        let n = names(
            "推动中心城区做大做强做热。高质量做好中心城区详细规划。加快高铁辐射区建设,金融中心建成投用。推动城市有机更新,打通守敬路南延、莲池大街西延、新华路北延等6条断头路,开工建设钢铁路北延工程,畅通城市微循环。妥善解决城建项目遗留问题。抓好国家公交都市建设示范工程,争创全国文明城市、国家卫生城市、国家生态园林城市、国家历史文化名城,深入推进国家食品安全示范城市创建。",
        );
        assert!(n.contains(&"示范试点".to_string()), "{n:?}");
        assert!(!n.contains(&"宣传引导".to_string()), "{n:?}");
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
