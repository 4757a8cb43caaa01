//! The region a document is about, as a unit of data/regions.
//!
//! Mentions are place names found as whole tokens. Each is weighted by where it
//! stands (title, issuing body, signature, body text), by how it names its unit
//! (full name, short name, alias, ambiguous form, common word) and by its context
//! (a partner in 对口合作, a company, a street are not the subject). Evidence then
//! flows up the hierarchy, and the region is chosen top-down: the province that
//! gathers most independent evidence, a city under it only if the evidence sits
//! there, a county only if it dominates and the document speaks as a county.
//! A wrong answer is worse than none: ties and thin evidence give "unknown".

mod context;
mod decide;
mod tally;

use std::sync::LazyLock;

use regex::Regex;

use super::Evidence;
use super::matcher::WordMatcher;
use crate::gazetteer::{FormKind, Reading, gazetteer};
use context::SelfReference;
use decide::{Decision, decide};
use tally::Tally;

const SIGNALS_CSV: &str = include_str!("../../../data/regions/signals.csv");

/// What a matched word is.
enum Entry {
    /// A place name with its readings.
    Place(Vec<Reading>),
    /// A programme, event or literary name of one province (兰洽会, 贡嘎培优),
    /// or of several (京津冀: `None`, matched only so it is not read as a place).
    Signal(Option<u32>),
}

struct RegionMatcher {
    matcher: WordMatcher,
    entries: Vec<Entry>,
}

static MATCHER: LazyLock<RegionMatcher> = LazyLock::new(|| {
    let g = gazetteer();
    let mut words = Vec::new();
    let mut entries = Vec::new();
    for form in g.forms() {
        if form.chars().count() < 2 || g.common_word_kind(form) == Some("generic") {
            continue;
        }
        words.push(form.to_string());
        entries.push(Entry::Place(g.readings(form).to_vec()));
    }
    let mut rows = csv::Reader::from_reader(SIGNALS_CSV.as_bytes());
    for row in rows.records() {
        let row = row.expect("data/regions/signals.csv is valid CSV");
        words.push(row[0].to_string());
        entries.push(Entry::Signal(row[1].parse().ok()));
    }
    RegionMatcher {
        matcher: WordMatcher::new(words),
        entries,
    }
});

/// Names of this many characters are trusted without the jieba boundary check.
const TRUSTED_CHARS: usize = 4;
/// A national body issuing or signing a document, on a line of its own:
/// 国务院办公厅, 科 技 部, 工业和信息化部, 国家发展改革委.
static NATIONAL_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:中共中央(?:办公厅)?|国务院(?:办公厅)?|全国人民代表大会(?:常务委员会)?|最高人民(?:法院|检察院)|国家\p{Han}{1,12}(?:局|委员会|委|署|院)|\p{Han}{1,10}部(?:办公厅)?)$",
    )
    .expect("valid regex")
});

/// True for the name of a national body (国务院, 国家发展改革委, 工业和信息化部):
/// a document without a region that such bodies issued is national.
pub fn is_national_body(name: &str) -> bool {
    const PLACE_MARKS: &[char] = &['省', '市', '县', '区', '州', '旗', '盟'];
    NATIONAL_BODY.is_match(name) && !name.contains(PLACE_MARKS)
}

/// Lines at the top and bottom where an issuing body stands on its own.
const ISSUER_HEAD_LINES: usize = 8;
const ISSUER_TAIL_LINES: usize = 6;

/// A national body that issued the document, if one stands at its top or
/// bottom ("科 技 部" above the date of a letter).
fn national_issuer(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let tail_from = lines.len().saturating_sub(ISSUER_TAIL_LINES);
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < ISSUER_HEAD_LINES || *i >= tail_from)
        .map(|(_, l)| l.replace([' ', '\u{3000}'], ""))
        .find(|l| NATIONAL_BODY.is_match(l))
}

/// A year before the name in a title: 2026年山东省政府工作报告.
static LEADING_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}\s*年").expect("valid regex"));

/// Finds the document's region: the code of the deepest unit it is sure of.
/// `title` and `text` are folded ([`crate::text::fold_str`]).
pub fn extract_region(title: Option<&str>, text: &str) -> Evidence<u32> {
    extract_region_or_nation(title, text).0
}

/// The region, and whether a document without one is national (issued by a
/// national body or speaking for the whole country): region 全国 in the index.
pub fn extract_region_or_nation(title: Option<&str>, text: &str) -> (Evidence<u32>, bool) {
    let title = title.unwrap_or_default();
    let tally = Tally::of(title, text);
    let mut lines = tally.evidence_lines();
    let decision = match title_place(title) {
        Some(code) => Decision {
            national: false,
            code: Some(code),
            confidence: 0.95,
            reasons: vec![format!(
                "the title opens with {}: the document is its own",
                gazetteer().display_path(code)
            )],
        },
        None => decide(&tally, SelfReference::of(text), national_issuer(text)),
    };
    lines.extend(decision.reasons);
    let national = decision.code.is_none() && decision.national;
    if decision.code.is_none() && lines.is_empty() {
        lines.push("no place name, issuing body or provincial programme found".into());
    }
    let region = Evidence {
        value: decision.code,
        confidence: decision.code.map_or(0.0, |_| decision.confidence),
        evidence: lines,
        given: false,
    };
    (region, national)
}

/// The unit a (folded) title opens with, as deep as its names run on:
/// 上海市…条例 is 上海市's, 浙江省景宁畲族自治县自治条例 景宁's,
/// 2026年山东省政府工作报告 山东省's. A leading year is passed over; a name
/// shared by several units that the next name does not settle gives nothing.
pub fn title_place(title: &str) -> Option<u32> {
    let g = gazetteer();
    let rm = &*MATCHER;
    let mut at = LEADING_YEAR.find(title).map_or(0, |m| m.end());
    let mut candidates: Option<Vec<u32>> = None;
    for m in rm
        .matcher
        .find_glued(title, TRUSTED_CHARS, &context::words().glue)
    {
        let Entry::Place(readings) = &rm.entries[m.word] else {
            break;
        };
        if m.start != at || g.common_word_kind(rm.matcher.word(m.word)).is_some() {
            break;
        }
        let next: Vec<u32> = readings
            .iter()
            .filter(|r| {
                matches!(
                    r.kind,
                    FormKind::Full | FormKind::Short | FormKind::Informal | FormKind::Historical
                )
            })
            .map(|r| r.code)
            .filter(|&c| {
                candidates
                    .as_ref()
                    .is_none_or(|prev| prev.iter().any(|&p| p != c && g.is_within(c, p)))
            })
            .collect();
        if next.is_empty() {
            break;
        }
        candidates = Some(next);
        at = m.end;
    }
    match candidates?.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(title: Option<&str>, text: &str) -> Option<String> {
        extract_region(title, text)
            .value
            .map(|c| gazetteer().facet_path(c))
    }

    #[test]
    fn issuing_body_and_listed_counties_make_a_city_document() {
        // Seed 003.
        let text = "市委发〔2018〕10号\n各县区委、县区人民政府,市委各部门:\n中共张掖市委 张掖市人民政府\n2018年2月8日\n关于加快推进县域经济发展的工作方案\n深入落实习近平总书记视察甘肃重要讲话。到2020年,全市县域经济体实现生产总值480亿元以上,其中甘州区生产总值超过200亿元,临泽县、高台县、山丹县、民乐县生产总值超过60亿元。";
        assert_eq!(
            path_of(Some("关于加快推进县域经济发展的工作方案"), text).as_deref(),
            Some("/甘肃省/张掖市")
        );
    }

    #[test]
    fn partners_and_companies_are_not_the_subject() {
        // Seed 002: 勃利 is the subject; 广东台山 and 北京海国投 are partners.
        let text = "严格落实粮食安全县长责任制,粮食种植面积稳定在150万亩以上。打造倭肯民主三产融合、勃利镇元明文旅融合等模式。强化以商招商,依托北京海国投等合作企业,扩大招商引资“朋友圈”。强化对口合作,与广东台山在开发区共建、文化旅游、人才科技等领域实现互通交流。强化政企合作,与北京海国投、中国电建等企业保持长期稳定合作关系。";
        assert_eq!(
            path_of(None, text).as_deref(),
            Some("/黑龙江省/七台河市/勃利县")
        );
    }

    #[test]
    fn provincial_programmes_name_the_province() {
        // Seed 000: 兰洽会 and 全省“四强”行动 are Gansu's; the county is anonymised.
        let text = "X县深入学习贯彻中央和省市委经济工作会议精神。抢抓全省“四强”行动等重大机遇。依托“兰洽会”等平台,精准开展定向招商。";
        assert_eq!(
            path_of(Some("产业赋能助推经济高质量发展典型材料"), text).as_deref(),
            Some("/甘肃省")
        );
    }

    #[test]
    fn place_names_inside_words_are_not_mentions() {
        let text = "示范县带动作用显著发挥,成功创建省级县域经济“三起来”示范县。加快在建水电项目。";
        let found = path_of(None, text);
        assert!(found.as_deref() != Some("/河南省/濮阳市/范县"), "{found:?}");
        assert!(
            found.as_deref().is_none_or(|p| !p.contains("建水")),
            "{found:?}"
        );
    }

    #[test]
    fn regulations_take_the_region_in_their_title() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "上海市优化营商环境条例",
                "第一条 为了持续优化本市营商环境,根据国务院《优化营商环境条例》,制定本条例。第二条 本条例适用于本市行政区域内优化营商环境工作。浦东新区应当发挥改革开放试验田作用。",
                "/上海市",
            ),
            (
                "景宁畲族自治县自治条例",
                "第一条 根据宪法和民族区域自治法,结合景宁畲族自治县的政治、经济和文化特点,制定本条例。第二条 自治县是浙江省丽水市管辖的畲族实行区域自治的地方。",
                "/浙江省/丽水市/景宁畲族自治县",
            ),
        ];
        for (title, text, want) in cases {
            assert_eq!(
                path_of(Some(title), text).as_deref(),
                Some(*want),
                "{title}"
            );
        }
    }

    #[test]
    fn rivers_and_mountains_alone_are_not_regions() {
        let text = "加强黑河流域生态保护,推进祁连山生态修复。";
        assert_eq!(path_of(None, text), None);
    }

    #[test]
    fn historical_and_informal_names_resolve() {
        let text = "郫县人民政府关于加快发展的意见。全县上下要认真贯彻落实。";
        assert_eq!(
            path_of(None, text).as_deref(),
            Some("/四川省/成都市/郫都区")
        );
    }

    #[test]
    fn national_documents_have_no_province() {
        let cases: &[(Option<&str>, &str)] = &[
            // The 2024 State Council report (00127): 粤港澳大湾区 and 甘肃积石山 are
            // places it speaks of, not its own.
            (
                Some("政府工作报告"),
                "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n各位代表:\n现在,我代表国务院,向大会报告政府工作,请予审议,并请全国政协委员提出意见。\n面对异常复杂的国际环境和艰巨繁重的改革发展稳定任务,以习近平同志为核心的党中央团结带领全国各族人民,顶住外部压力、克服内部困难。\n有效应对海河等流域特大洪涝灾害,做好甘肃积石山地震等抢险救援,加强灾后恢复重建。\n支持京津冀、长三角、粤港澳大湾区等经济发展优势地区更好发挥高质量发展动力源作用。\n支持香港、澳门发展经济、改善民生,积极参与粤港澳大湾区建设,更好融入国家发展大局。",
            ),
            // A ministry's letter to a city (00307): signed by 科技部, addressed to Beijing.
            (
                None,
                "北京市人民政府:\n《关于申请建设北京国家新一代人工智能创新发展试验区的函》(京政函〔2019〕11号)收悉。根据《国务院关于印发新一代人工智能发展规划的通知》(国发〔2017〕35号)的部署要求,经研究,现函复如下。\n科技部将积极配合北京推进试验区建设,协调研究解决相关政策问题,加强工作指导。\n专此函复。\n科 技 部\n2019年2月20日",
            ),
            // A venue is not the subject (00294).
            (
                None,
                "8月30日,2019世界人工智能大会全球工业智能峰会在上海举办,工业和信息化部信息化和软件服务业司巡视员李颖参加会议并致辞。\n当前,工业互联网创新发展与人工智能技术突破正处于历史交汇期。",
            ),
            // Nor is a postal address (00334).
            (
                None,
                "根据标准化工作的总体安排,现将申请立项的《智能制造 射频识别系统 通用技术要求》等43项智能制造领域国家标准计划项目予以公示。\n地址:北京市西长安街13号 工业和信息化部科技司 标准处",
            ),
        ];
        for (title, text) in cases {
            let got = extract_region(*title, text);
            assert_eq!(got.value, None, "{text}: {:?}", got.evidence);
        }
    }

    #[test]
    fn the_title_and_issuing_body_decide_over_mentions() {
        let cases: &[(Option<&str>, &str, &str)] = &[
            // 蒙山 is also 蒙山县 of Guangxi; the title's 临沂市 decides (00803).
            (
                Some("临沂市蒙山保护条例"),
                "第一条 为了加强蒙山生态环境保护,合理利用蒙山资源,推进生态文明建设,促进经济社会可持续发展,根据有关法律、法规,结合本市实际,制定本条例。\n第二条 蒙山的规划、建设、保护和管理,适用本条例。",
                "/山东省/临沂市",
            ),
            // jieba keeps 河南省政府 as one word (01525).
            (
                Some("河南省政府非税收入管理条例"),
                "第一条 为加强政府非税收入管理,规范政府非税收入分配行为,增强政府宏观调控和公共服务能力,保护公民、法人和其他组织的合法权益,根据有关法律、法规,结合本省实际,制定本条例。",
                "/河南省",
            ),
            // 城市和县人民政府 holds no 和县 (01986).
            (
                Some("浙江省城市景观风貌条例"),
                "第二条 本条例适用于本省行政区域内城市和县人民政府所在地镇(或者中心城区,下同)的景观风貌规划设计和管理。\n第九条 城市和县人民政府所在地镇的总体城市设计和详细城市设计,由城市、县人民政府自然资源主管部门组织编制。",
                "/浙江省",
            ),
            // The legislature in the header, though the text speaks of 国务院 (01017).
            (
                Some("泰山风景名胜区保护管理条例"),
                "泰山风景名胜区保护管理条例\n2000年10月26日 山东省第九届人民代表大会常务委员会第十七次会议通过\n2016年3月30日 山东省第十二届人民代表大会常务委员会第二十次会议《关于修改〈山东省海洋环境保护条例〉等九件地方性法规的决定》第一次修正\n第一条 泰山是国家级风景名胜区、世界自然与文化遗产。为加强泰山风景名胜区管理,有效保护和合理开发利用风景名胜资源,根据国家有关法律、法规,结合泰山风景名胜区实际,制定本条例。\n第二条 本条例所称泰山风景名胜区包括登天、天烛峰、桃花峪、樱桃园、玉泉寺、灵岩寺六个景区及外围保护地带,其面积和界线按国务院批准的总体规划确定。\n第四条 泰山风景名胜区的保护和建设,必须符合国务院批准的《泰山风景名胜区总体规划》,遵循严格保护、科学规划、统一管理、永续利用的原则。\n第十八条 泰山风景名胜区详细规划,应当符合风景名胜区总体规划,由省人民政府自然资源主管部门组织编制并报国务院有关部门审批。",
                "/山东省",
            ),
            // Agencies heading a joint notice (00101).
            (
                None,
                "济南市工业和信息化局\n济南市公安局\n济南市城乡交通运输局\n济工信装备字〔2022〕1号\n关于印发《济南市智能网联汽车道路测试与示范应用管理办法(试行)》的通知",
                "/山东省/济南市",
            ),
        ];
        for (title, text, want) in cases {
            assert_eq!(
                path_of(*title, text).as_deref(),
                Some(*want),
                "{title:?} {text}"
            );
        }
    }

    #[test]
    fn a_partners_park_is_not_the_county() {
        // Seed 004: 武侯 co-names a park; the county is anonymised, the province is
        // known from 贡嘎培优.
        let text = "今年以来,培育规上企业6户,实施技改扩能项目15个,佳禧印染、固锐实业、中研模具成功入选全国专精特新“小巨人”企业,力达泵业成为全省专精特新中小企业,佳联印染入选全省制造业“贡嘎培优”名单。\n研究出台《XX县全面开展“清闲促建”进一步促进园区产业用地节约集约利用的实施意见》,加快中国西部食品包装产业园、武侯(XX)智谷智能制造产业园、青东XX标准厂房三期、现代农业产业园等40万平方米标准厂房建设,今年已建成标准厂房万平方米。";
        assert_eq!(path_of(None, text).as_deref(), Some("/四川省"));
    }
}
