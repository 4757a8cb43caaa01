//! What a policy database tells about every document: who issued it, its
//! document number (发文字号), its dates (written, published, adopted,
//! approved, effective, amended) and its level of force (效力级别).
//!
//! All of it is read from the text itself: the header and signature of a
//! 通知/意见/方案, the header of a regulation ("2019年6月25日 三门峡市第七届人民代表大会
//! 常务委员会第十五次会议通过"), the opening of a work report ("——2020年1月21日在
//! 保定市满城区第二届人民代表大会第四次会议上"), and a page's own 发布日期 line. Word
//! lists and the level-of-force rules are data (data/metadata/issuance.toml);
//! docs/metadata-fields.md says what each field means and how it is measured.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize, Serializer};

use super::{DocType, Evidence, RegionNames};
use crate::gazetteer::gazetteer;

mod fields;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day, 1 to 31.
    pub day: u8,
}

impl Date {
    /// A date if it can be one (years 1900 to 2100).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then_some(Date { year, month, day })
    }

    /// The date as the number YYYYMMDD, for sorting and ranges in the index.
    pub fn ordinal(&self) -> u32 {
        u32::from(self.year) * 10_000 + u32::from(self.month) * 100 + u32::from(self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    /// `2019-11-01` or `2019年11月1日`.
    fn from_str(s: &str) -> Result<Date, String> {
        let s = crate::text::fold_str(s.trim());
        find_dates(&s)
            .into_iter()
            .next()
            .map(|(d, _, _)| d)
            .ok_or_else(|| format!("{s:?} is not a date; write it as 2019-11-01 or 2019年11月1日"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An issuing body, as written and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issuer {
    /// As the text writes it (spaces between characters removed).
    pub written: String,
    /// The one form all its spellings share ([`normalise_issuer`]).
    pub normalised: String,
}

impl Issuer {
    /// An issuer from its written name.
    pub fn new(written: &str) -> Issuer {
        let written: String = written.chars().filter(|c| !c.is_whitespace()).collect();
        Issuer {
            normalised: normalise_issuer(&written),
            written,
        }
    }
}

/// A document number (发文字号), as written and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocNumber {
    /// As the text writes it.
    pub written: String,
    /// Issuer code, year in 〔〕, serial number and 号, with no spaces:
    /// 鲁政发〔2021〕5号 whatever brackets and digits were typed.
    pub normalised: String,
}

/// One amendment of a regulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amendment {
    /// When it was adopted.
    pub date: Date,
    /// 修正 (amended by a decision) or 修订 (revised as a whole).
    pub kind: String,
    /// The meeting and decision that made it, as written.
    pub by: String,
}

/// Level of force (效力级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Force {
    /// 法律.
    #[serde(rename = "法律")]
    Law,
    /// 行政法规.
    #[serde(rename = "行政法规")]
    AdministrativeRegulation,
    /// 部门规章.
    #[serde(rename = "部门规章")]
    DepartmentalRule,
    /// 地方性法规.
    #[serde(rename = "地方性法规")]
    LocalRegulation,
    /// 自治条例和单行条例.
    #[serde(rename = "自治条例和单行条例")]
    AutonomousRegulation,
    /// 地方政府规章.
    #[serde(rename = "地方政府规章")]
    LocalGovernmentRule,
    /// 规范性文件.
    #[serde(rename = "规范性文件")]
    Normative,
    /// 工作文件: plans, reports, programmes, 典型材料.
    #[serde(rename = "工作文件")]
    Working,
}

impl Force {
    /// Every level, from most to least binding.
    pub const ALL: [Force; 8] = [
        Force::Law,
        Force::AdministrativeRegulation,
        Force::DepartmentalRule,
        Force::LocalRegulation,
        Force::AutonomousRegulation,
        Force::LocalGovernmentRule,
        Force::Normative,
        Force::Working,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Force::Law => "法律",
            Force::AdministrativeRegulation => "行政法规",
            Force::DepartmentalRule => "部门规章",
            Force::LocalRegulation => "地方性法规",
            Force::AutonomousRegulation => "自治条例和单行条例",
            Force::LocalGovernmentRule => "地方政府规章",
            Force::Normative => "规范性文件",
            Force::Working => "工作文件",
        }
    }
}

impl fmt::Display for Force {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Force {
    type Err = String;

    fn from_str(s: &str) -> Result<Force, String> {
        let s = s.trim();
        Force::ALL
            .into_iter()
            .find(|f| f.label() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = Force::ALL.iter().map(|f| f.label()).collect();
                format!(
                    "unknown level of force {s:?}; the levels are {}",
                    all.join(", ")
                )
            })
    }
}

/// What a document says about its issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issuance {
    /// The issuing bodies (several for a joint document).
    pub issuers: Evidence<Vec<Issuer>>,
    /// The document number.
    pub doc_number: Evidence<DocNumber>,
    /// Written or signed (成文日期; for a report, the day it was delivered).
    pub written: Evidence<Date>,
    /// Published (发布日期), from the page's own line or meta.
    pub published: Evidence<Date>,
    /// Adopted (通过) by a congress or its standing committee.
    pub adopted: Evidence<Date>,
    /// Approved (批准) by a higher congress.
    pub approved: Evidence<Date>,
    /// In force from (施行日期).
    pub effective: Evidence<Date>,
    /// Amendments (修正, 修订), oldest first.
    pub amendments: Vec<Amendment>,
    /// Later adoption lines of the header, oldest first: sites that list each
    /// version's 通过 (2000年11月3日…通过 / 2007年3月30日…通过 / 2023年7月28日…
    /// 通过, corpus 00610) rather than its 修正. Not counted as amendments; they
    /// date the version (`extract::versions`).
    pub readopted: Vec<Date>,
    /// Level of force.
    pub force: Evidence<Force>,
}

impl Issuance {
    /// The document's own date for sorting: written, else adopted, else
    /// published, else effective.
    pub fn date(&self) -> Option<Date> {
        self.written
            .value
            .or(self.adopted.value)
            .or(self.published.value)
            .or(self.effective.value)
    }
}

// ---------------------------------------------------------------- data

#[derive(Debug, Deserialize)]
struct RulesFile {
    organ_endings: Vec<String>,
    not_organ_words: Vec<String>,
    rewrites: Vec<(String, String)>,
    party_prefixes: Vec<String>,
    self_words: Vec<String>,
    force_verbs: Vec<String>,
    published_labels: Vec<String>,
    written_labels: Vec<String>,
    force: Vec<ForceRuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForceRuleFile {
    level: Force,
    issuer: Option<String>,
    adopted_by_congress: Option<bool>,
    doc_type: Option<Vec<DocType>>,
    title: Option<String>,
    head: Option<String>,
    adopted_by: Option<String>,
    text: Option<String>,
    why: String,
}

struct ForceRule {
    level: Force,
    issuer: Option<Regex>,
    adopted_by_congress: Option<bool>,
    doc_type: Option<Vec<DocType>>,
    title: Option<Regex>,
    head: Option<Regex>,
    adopted_by: Option<Regex>,
    text: Option<Regex>,
    why: String,
}

struct Rules {
    organ_endings: Vec<String>,
    not_organ_words: Vec<String>,
    rewrites: Vec<(String, String)>,
    party_prefixes: Vec<String>,
    force: Vec<ForceRule>,
    /// 本条例自2019年11月1日起施行, 本办法自印发之日起实施.
    effective: Regex,
    /// 发布日期：2023-05-11.
    published_label: Regex,
    /// 成文日期：2023年5月11日.
    written_label: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let file: RulesFile = toml::from_str(include_str!("../../data/metadata/issuance.toml"))
        .expect("data/metadata/issuance.toml is valid");
    let re = |s: &str| Regex::new(s).expect("valid regex in data/metadata/issuance.toml");
    let alt = |words: &[String]| {
        words
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|")
    };
    let effective = re(&format!(
        r"本(?:{})?(?:自|从)\s*({DATE_PATTERN}|公布之日|发布之日|印发之日|颁布之日|公布|发布|印发)\s*(?:之日)?\s*起?\s*(?:{})",
        alt(&file.self_words),
        alt(&file.force_verbs)
    ));
    let published_label = re(&format!(
        r"(?:{})\s*[:：]?\s*({DATE_PATTERN}|{ISO_PATTERN})",
        alt(&file.published_labels)
    ));
    let written_label = re(&format!(
        r"(?:{})\s*[:：]?\s*({DATE_PATTERN}|{ISO_PATTERN})",
        alt(&file.written_labels)
    ));
    Rules {
        organ_endings: file.organ_endings,
        not_organ_words: file.not_organ_words,
        rewrites: file.rewrites,
        party_prefixes: file.party_prefixes,
        force: file
            .force
            .into_iter()
            .map(|r| ForceRule {
                level: r.level,
                issuer: r.issuer.as_deref().map(re),
                adopted_by_congress: r.adopted_by_congress,
                doc_type: r.doc_type,
                title: r.title.as_deref().map(re),
                head: r.head.as_deref().map(re),
                adopted_by: r.adopted_by.as_deref().map(re),
                text: r.text.as_deref().map(re),
                why: r.why,
            })
            .collect(),
        effective,
        published_label,
        written_label,
    }
});

// ---------------------------------------------------------------- dates

/// A date in digits or Chinese numerals: 2019年6月25日, 二〇一八年三月十二日.
const DATE_PATTERN: &str = r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[一二][〇○零O0一二三四五六七八九]{3}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日";
/// A date as sites write it: 2023-05-11, 2023/5/11, 2023.05.11.
const ISO_PATTERN: &str = r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}";

static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{DATE_PATTERN}|{ISO_PATTERN}")).expect("valid regex"));

/// The value of a Chinese numeral of one to three characters (十二, 二十一, 三).
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '○' | '零' | 'O' | '0' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        [d] => digit(*d),
        _ => None,
    }
}

/// Parses one date match.
fn parse_date(m: &str) -> Option<Date> {
    let m: String = m.chars().filter(|c| !c.is_whitespace()).collect();
    if m.contains('年') {
        let (y, rest) = m.split_once('年')?;
        let (mo, rest) = rest.split_once('月')?;
        let d = rest.trim_end_matches('日');
        let year = match y.parse::<u16>() {
            Ok(y) => y,
            Err(_) => {
                let mut v = 0u32;
                for c in y.chars() {
                    v = v * 10 + chinese_number(&c.to_string())?;
                }
                u16::try_from(v).ok()?
            }
        };
        let num = |s: &str| s.parse::<u32>().ok().or_else(|| chinese_number(s));
        Date::new(
            year,
            u8::try_from(num(mo)?).ok()?,
            u8::try_from(num(d)?).ok()?,
        )
    } else {
        let mut parts = m.split(['-', '/', '.']);
        let y = parts.next()?.parse().ok()?;
        let mo = parts.next()?.parse().ok()?;
        let d = parts.next()?.get(..2.min(m.len()))?;
        let d = d.trim_start_matches('0');
        Date::new(y, mo, d.parse().ok()?)
    }
}

/// Every date in `text` with its byte span.
pub fn find_dates(text: &str) -> Vec<(Date, usize, usize)> {
    DATE.find_iter(text)
        .filter_map(|m| Some((parse_date(m.as_str())?, m.start(), m.end())))
        .collect()
}

/// The one date a line consists of ("2018年2月8日", "（2019年5月22日）"), with
/// what follows it (印发, 签发, 发布).
fn date_line(line: &str) -> Option<(Date, String)> {
    let dates = find_dates(line);
    let [(date, start, end)] = dates.as_slice() else {
        return None;
    };
    let before = line[..*start].trim_matches(|c: char| c.is_whitespace() || "（(".contains(c));
    let after = line[*end..].trim_matches(|c: char| c.is_whitespace() || "）)".contains(c));
    (before.is_empty() && after.chars().count() <= 3).then(|| (*date, after.to_string()))
}

// ---------------------------------------------------------------- issuers

/// The one form all spellings of a body share: no spaces; 中国共产党张掖市委员会
/// and 中共张掖市委 are 张掖市委; the rewrites of data/metadata/issuance.toml
/// (人民代表大会常务委员会 is 人大常委会, 发展和改革委员会 is 发改委); and a higher
/// region's name before a lower one's dropped (保定市满城区人民政府 is 满城区人民政府,
/// 河南省三门峡市人大常委会 is 三门峡市人大常委会).
pub fn normalise_issuer(name: &str) -> String {
    let rules = &*RULES;
    let mut s: String = crate::text::fold_str(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for (from, to) in &rules.rewrites {
        if s.contains(from.as_str()) {
            s = s.replace(from.as_str(), to);
        }
    }
    for prefix in &rules.party_prefixes {
        if let Some(rest) = s.strip_prefix(prefix.as_str())
            && !rest.starts_with("中央")
            && !rest.is_empty()
        {
            s = rest.to_string();
            // 张掖市委员会 (written out after 中国共产党) is 张掖市委.
            if let Some(body) = s.strip_suffix("委员会") {
                s = format!("{body}委");
            }
            break;
        }
    }
    drop_higher_region(&s)
}

/// 保定市满城区人民政府 → 满城区人民政府: a region name followed by the name of
/// a region within it.
fn drop_higher_region(s: &str) -> String {
    let g = gazetteer();
    let mut s = s.to_string();
    loop {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut cut = None;
        for (i, &(_, c)) in chars.iter().enumerate().take(9).skip(1) {
            if !"省市区县州盟旗".contains(c) {
                continue;
            }
            let end = chars.get(i + 1).map_or(s.len(), |&(b, _)| b);
            let (head, rest) = s.split_at(end);
            if g.readings(head).is_empty() || rest.is_empty() {
                continue;
            }
            let rest_chars: Vec<(usize, char)> = rest.char_indices().collect();
            let lower = rest_chars
                .iter()
                .enumerate()
                .take(9)
                .skip(1)
                .any(|(j, &(_, c))| {
                    "市区县州盟旗".contains(c) && {
                        let e = rest_chars.get(j + 1).map_or(rest.len(), |&(b, _)| b);
                        !g.readings(&rest[..e]).is_empty()
                    }
                });
            if lower {
                cut = Some(end);
                break;
            }
        }
        match cut {
            Some(end) => s = s[end..].to_string(),
            None => return s,
        }
    }
}

/// True if `name` ends like the name of an issuing body and holds no title or
/// sentence words.
fn is_organ(name: &str) -> bool {
    let rules = &*RULES;
    let n = name.chars().count();
    (2..=30).contains(&n)
        && name
            .chars()
            .all(|c| crate::text::is_cjk(c) || "()（）".contains(c))
        && rules
            .organ_endings
            .iter()
            .any(|e| name.ends_with(e.as_str()))
        && !rules
            .not_organ_words
            .iter()
            .any(|w| name.contains(w.as_str()))
}

/// A line of one character and a space after another ("济 南 市 公 安 局",
/// "科 技 部") is one word.
fn collapse_spaced(line: &str) -> String {
    let parts: Vec<&str> = line.split_whitespace().collect();
    if parts.len() >= 2 && parts.iter().all(|p| p.chars().count() == 1) {
        parts.concat()
    } else {
        line.to_string()
    }
}

/// The bodies a header or signature line names, if it names nothing else:
/// "中共张掖市委 张掖市人民政府", "工业和信息化部 国家标准化管理委员会".
fn organ_line(line: &str) -> Option<Vec<String>> {
    let line = collapse_spaced(line.trim());
    let parts: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '、')
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty() && parts.len() <= 8 && parts.iter().all(|p| is_organ(p)))
        .then(|| parts.iter().map(|p| p.to_string()).collect())
}

/// The bodies before 关于 in a title: "国务院办公厅关于…", "工业和信息化部 财政部关于…".
fn title_issuers(title: &str) -> Option<Vec<String>> {
    ["关于", "对"]
        .iter()
        .find_map(|w| organ_line(title.split_once(w)?.0))
}

/// A body written short, by its level alone ("市人大常委会" in 杭州市's header):
/// the place of that level in the title goes before it ("杭州市民用建筑节能条例"
/// gives 杭州市人大常委会).
fn expand_abbreviated(body: &str, title: Option<&str>) -> Option<String> {
    let level = body.chars().next()?;
    if !"省市县区州".contains(level) {
        return None;
    }
    let title = title?;
    let (i, c) = title
        .char_indices()
        .take(12)
        .skip(1)
        .find(|&(_, c)| c == level)?;
    let _ = c;
    Some(format!("{}{body}", &title[..i]))
}

/// A meeting ("上海市第十三届人民代表大会常务委员会第三十次会议") without its
/// term and sitting: the body that met ("上海市人民代表大会常务委员会").
fn meeting_body(meeting: &str) -> String {
    static TERM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"第?[一二三四五六七八九十百零〇\d]+届|第[一二三四五六七八九十百零〇\d]+次(?:全体)?(?:常务)?(?:会议)?|(?:常务)?会议$|^经")
            .expect("valid regex")
    });
    TERM.replace_all(meeting.trim(), "").trim().to_string()
}

// ---------------------------------------------------------------- extraction

/// 2019年6月25日 三门峡市第七届人民代表大会常务委员会第十五次会议通过 (or 批准).
static ADOPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({DATE_PATTERN})\s*(?:经)?\s*([^\s，。；《》()（）]{{2,60}}?(?:(?:人民代表大会|人大|常务委员会|常委会)[^\s，。；《》()（）]{{0,20}}?会议|人民政府[^\s，。；《》()（）]{{0,12}}?常务会议))\s*(?:审议)?\s*(通过|批准)"
    ))
    .expect("valid regex")
});

/// 2020年5月14日 上海市…会议《关于修改本市部分地方性法规的决定》第一次修正.
static AMENDMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({DATE_PATTERN})\s*([^。；]{{2,160}}?)(?:第[一二三四五六七八九十]+次)?(修正|修订)"
    ))
    .expect("valid regex")
});

/// 2007年1月1日 施行 (a header line of its own).
static HEADER_EFFECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\(?({DATE_PATTERN})\s*(?:起)?\s*(?:施行|实施|生效)\)?$"
    ))
    .expect("valid regex")
});

/// 2017年12月29日 青岛市人民代表大会常务委员会公告公布.
static HEADER_PROMULGATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^({DATE_PATTERN})\s*\S{{2,40}}公布\)?$")).expect("valid regex")
});

/// ——2020年1月21日在保定市满城区第二届人民代表大会第四次会议上.
static REPORT_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:({DATE_PATTERN})\s*)?在\s*(\S{{0,30}}?)第?[一二三四五六七八九十\d]+届(全国)?人民代表大会第[一二三四五六七八九十\d]+次(?:全体)?会议上"
    ))
    .expect("valid regex")
});

/// 我代表国务院向大会, 我代表市人民政府向大会.
static REPORT_ON_BEHALF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"我代表(国务院|\S{0,12}?人民政府|\S{0,12}?政府)[,，]?向").expect("valid regex")
});

/// A document number: 市委发〔2018〕10号, 鲁政发[2021]5号, 国办发(2022)1号.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{1,12}?)\s*[〔\[(【［（]\s*((?:19|20)\d{2})\s*[〕\])】］）]\s*第?\s*(\d{1,4})\s*号")
        .expect("valid regex")
});

/// 发文字号：鲁政发〔2021〕5号.
static DOC_NUMBER_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:发文字号|文号)\s*[:：]").expect("valid regex"));

/// Normalises a document number as typed or written: any bracket, full-width
/// digits, spaces. `None` when it is not one.
pub fn normalise_doc_number(s: &str) -> Option<String> {
    let s = crate::text::fold_str(s);
    let c = DOC_NUMBER.captures(&s)?;
    Some(format!("{}〔{}〕{}号", &c[1], &c[2], &c[3]))
}

/// The non-empty lines of the text, trimmed.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The header of a document: its lines before the body starts (a regulation's
/// 第一章/第一条, a report's 各位代表, a marker of the end of front matter),
/// at most `most`.
fn head<'a>(lines: &[&'a str], most: usize) -> Vec<&'a str> {
    let mut out = Vec::new();
    for l in lines.iter().take(most) {
        let plain = l.trim_start_matches(['#', ' ']);
        if plain.starts_with("第一章")
            || plain.starts_with("第一条")
            || plain.starts_with("<!-- INFO END")
            || plain.starts_with("各位代表")
        {
            break;
        }
        out.push(*l);
    }
    out
}

/// Extracts the issue fields, in stages (one a field, in [`fields`]) run in
/// the order their fallbacks need: the regulation header first, since its
/// adopting body and promulgation stand in for the issuer and the
/// publication; the effective date after the dates it may refer to; the
/// level of force last, as its rules look at the issuers.
pub fn extract_issuance(
    title: Option<&str>,
    text: &str,
    page_meta: &[String],
    doc_type: Option<DocType>,
    region: Option<u32>,
) -> Issuance {
    let src = fields::Sources::new(title, text, page_meta, doc_type, region);
    let mut header = fields::regulation_header(&src);
    let published = fields::published_date(&src, &header);
    let (mut written, session_place) = fields::written_date(&src, &header.adopted);
    if let Some(body) = header.adopting_body.as_mut()
        && let Some(full) = expand_abbreviated(body, title)
    {
        *body = full;
    }
    let issuers = fields::issuers(
        &src,
        header.adopting_body.as_deref(),
        session_place.as_deref(),
        &mut written,
    );
    let doc_number = fields::doc_number(&src);
    let effective = fields::effective_date(&src, &header, &published, &written);
    let force = fields::force(&src, &issuers, &header);
    Issuance {
        issuers,
        doc_number,
        written,
        published,
        adopted: header.adopted,
        approved: header.approved,
        effective,
        amendments: header.amendments,
        readopted: header.readopted,
        force,
    }
}

/// A label alone on its line and its value on the next (发文日期： / 2023-04-18,
/// as government information pages set them), joined.
fn join_label_lines(lines: &[&str], most: usize) -> Vec<String> {
    lines
        .windows(2)
        .take(most)
        .filter(|w| {
            let l = w[0].trim_end_matches([':', '：']);
            (2..=6).contains(&l.chars().count()) && (l.ends_with("日期") || l.ends_with("时间"))
        })
        .map(|w| format!("{}:{}", w[0].trim_end_matches([':', '：']), w[1]))
        .collect()
}

/// A line shortened for evidence.
fn truncate(s: &str) -> String {
    crate::text::truncate_chars(s, 60).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, doc_type: Option<DocType>) -> Issuance {
        let text = crate::text::fold_str(text);
        let title = lines(&text)
            .first()
            .map(|l| l.trim_start_matches("# ").to_string());
        extract_issuance(title.as_deref(), &text, &[], doc_type, None)
    }

    #[test]
    fn dates_in_digits_and_numerals() {
        for (written, want) in [
            ("2019年6月25日", "2019-06-25"),
            ("2019 年 6 月 25 日", "2019-06-25"),
            ("二〇一八年三月十二日", "2018-03-12"),
            ("二○二二年十二月三十一日", "2022-12-31"),
            ("2003-02-2116:02", "2003-02-21"),
            ("２０１９年１月３日", "2019-01-03"),
        ] {
            let d: Date = written.parse().unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(d.to_string(), want, "{written}");
        }
        assert!("5355年6月6日".parse::<Date>().is_err());
    }

    /// Document numbers in every spelling, each a real line of the corpus
    /// (the last ones retyped with other brackets), normalised to one form.
    #[test]
    fn document_numbers_in_every_spelling() {
        for (line, want) in [
            ("济工信装备字〔2022〕1号 ", "济工信装备字〔2022〕1号"), // corpus 00101
            ("（教师函〔2021〕13号）", "教师函〔2021〕13号"),        // corpus 00263
            ("（科技发展函〔2021〕182号）", "科技发展函〔2021〕182号"), // corpus 00266
            ("民函〔2021〕742号", "民函〔2021〕742号"),              // corpus 00267
            ("市委发〔2018〕10号", "市委发〔2018〕10号"),            // seeds 003
            ("鲁政发[2021]5号", "鲁政发〔2021〕5号"),
            ("鲁政发(2021)5号", "鲁政发〔2021〕5号"),
            ("鲁政发［２０２１］５号", "鲁政发〔2021〕5号"),
            ("国办发（2022）1 号", "国办发〔2022〕1号"),
        ] {
            let text = format!("关于加快推进县域经济发展的工作方案\n{line}\n一、总体要求\n正文。");
            let got = run(&text, None);
            assert_eq!(
                got.doc_number.value.as_ref().map(|d| d.normalised.as_str()),
                Some(want),
                "{line}: {:?}",
                got.doc_number
            );
            assert_eq!(normalise_doc_number(line).as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn a_number_cited_in_a_sentence_is_not_the_documents() {
        // corpus 00228: the cited 国发〔2021〕24号 is another document's.
        let text = "为贯彻落实《中华人民共和国测绘法》《国务院关于开展营商环境创新试点工作的意见》（国发〔2021〕24号），制定本通知。";
        assert_eq!(run(text, None).doc_number.value, None);
    }

    /// Regulation headers, real lines of the corpus.
    #[test]
    fn regulation_headers() {
        struct Case {
            text: &'static str,
            issuer: &'static str,
            adopted: Option<&'static str>,
            approved: Option<&'static str>,
            effective: Option<&'static str>,
            amendments: &'static [&'static str],
            force: Force,
        }
        let cases = [
            // corpus 01341: a city's regulation approved by the province.
            Case {
                text: "# 三门峡市大气污染防治条例\n\n2019年6月25日 三门峡市第七届人民代表大会常务委员会第十五次会议通过\n\n2019年7月26日 河南省第十三届人民代表大会常务委员会第十一次会议批准\n\n<!-- INFO END -->\n\n第一条 为了防治大气污染。\n\n第五十二条 本条例自2019年11月1日起施行。",
                issuer: "三门峡市人大常委会",
                adopted: Some("2019-06-25"),
                approved: Some("2019-07-26"),
                effective: Some("2019-11-01"),
                amendments: &[],
                force: Force::LocalRegulation,
            },
            // corpus 00360: amended by a decision.
            Case {
                text: "# 上海口岸服务条例\n\n2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过\n\n2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改本市部分地方性法规的决定》第一次修正\n\n<!-- INFO END -->\n\n第一条 为了规范口岸开放。\n\n第三十一条 本条例自2012年3月1日起施行。",
                issuer: "上海市人大常委会",
                adopted: Some("2011-11-17"),
                approved: None,
                effective: Some("2012-03-01"),
                amendments: &["2020-05-14 修正"],
                force: Force::LocalRegulation,
            },
            // corpus: the header of a Chongqing regulation, amendments on one line.
            Case {
                text: "# 重庆市乡镇人民代表大会工作条例\n\n2002年5月31日 重庆市第一届人民代表大会常务委员会第四十次会议通过 \n\n2005年3月25日 重庆市第二届人民代表大会常务委员会第十六次会议《关于修改〈重庆市乡镇人民代表大会工作条例〉的决定》第一次修正 根据2010年7月23日 重庆市第三届人民代表大会常务委员会第十八次会议《关于修改部分地方性法规的决定》第二次修正\n\n<!-- INFO END -->\n\n第一条 为了保障。",
                issuer: "重庆市人大常委会",
                adopted: Some("2002-05-31"),
                approved: None,
                effective: None,
                amendments: &["2005-03-25 修正", "2010-07-23 修正"],
                force: Force::LocalRegulation,
            },
        ];
        for case in cases {
            let got = run(case.text, Some(DocType::Regulation));
            let show = |e: &Evidence<Date>| e.value.map(|d| d.to_string());
            let issuers = got.issuers.value.clone().unwrap_or_default();
            assert_eq!(issuers.len(), 1, "{:?}", got.issuers);
            assert_eq!(issuers[0].normalised, case.issuer);
            assert_eq!(
                show(&got.adopted).as_deref(),
                case.adopted,
                "{:?}",
                got.adopted
            );
            assert_eq!(show(&got.approved).as_deref(), case.approved);
            assert_eq!(
                show(&got.effective).as_deref(),
                case.effective,
                "{:?}",
                got.effective
            );
            let amendments: Vec<String> = got
                .amendments
                .iter()
                .map(|a| format!("{} {}", a.date, a.kind))
                .collect();
            assert_eq!(amendments, case.amendments);
            assert_eq!(got.force.value, Some(case.force), "{:?}", got.force);
        }
    }

    #[test]
    fn later_adoption_lines_date_the_version_but_are_no_amendments() {
        // corpus 00610: a site that lists each version's 通过.
        let got = run(
            "北京市人民代表大会常务委员会任免国家机关工作人员条例\n\
             2000年11月3日 北京市第十一届人民代表大会常务委员会第二十二次会议通过\n\
             2007年3月30日 北京市第十二届人民代表大会常务委员会第三十五次会议通过\n\
             2023年7月28日 北京市第十六届人民代表大会常务委员会第四次会议通过\n\
             第一条 为了规范北京市人民代表大会常务委员会任免国家机关工作人员的活动,制定本条例。",
            Some(DocType::Regulation),
        );
        assert_eq!(
            got.adopted.value.map(|d| d.to_string()).as_deref(),
            Some("2000-11-03")
        );
        let later: Vec<String> = got.readopted.iter().map(|d| d.to_string()).collect();
        assert_eq!(later, ["2007-03-30", "2023-07-28"]);
        assert!(got.amendments.is_empty(), "{:?}", got.amendments);
        assert_eq!(crate::extract::versions::version_date(&got), Some(20230728));
    }

    #[test]
    fn header_effective_and_promulgation_lines() {
        // The header form of LawRefBook's Qingdao regulations.
        let text = "# 青岛市城市风貌保护条例\n\n2016年11月25日 青岛市第十五届人民代表大会常务委员会第四十七次会议通过\n\n2017年3月30日 山东省第十二届人民代表大会常务委员会第二十八次会议批准\n\n2017年4月10日 青岛市人民代表大会常务委员会公告公布\n\n2017年6月1日 施行\n\n<!-- INFO END -->\n\n第一条 为了保护。";
        let got = run(text, Some(DocType::Regulation));
        assert_eq!(
            got.published.value.map(|d| d.to_string()).as_deref(),
            Some("2017-04-10")
        );
        assert_eq!(
            got.effective.value.map(|d| d.to_string()).as_deref(),
            Some("2017-06-01")
        );
    }

    /// Work report openings, real lines of ../shared/reports.
    #[test]
    fn work_report_openings() {
        for (text, issuer, written) in [
            // reports r0499
            (
                "政 府 工 作 报 告\n——2020年1月21日在保定市满城区第二届人民代表大会第四次会议上\n保定市满城区人民政府区长 程 杰\n各位代表：\n现在，我代表区人民政府，向大会作工作报告。",
                "满城区人民政府",
                Some("2020-01-21"),
            ),
            // reports r0162
            (
                "2023年1月7日在三亚市第八届人民代表大会第四次会议上\n三亚市市长陈希\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。",
                "三亚市人民政府",
                Some("2023-01-07"),
            ),
            // corpus 00173
            (
                "各位代表：\n现在，我代表国务院向大会作政府工作报告，请予审议。",
                "国务院",
                None,
            ),
        ] {
            let got = run(text, Some(DocType::WorkReport));
            let issuers = got.issuers.value.clone().unwrap_or_default();
            assert_eq!(
                issuers.first().map(|i| i.normalised.as_str()),
                Some(issuer),
                "{text}"
            );
            assert_eq!(got.written.value.map(|d| d.to_string()).as_deref(), written);
            assert_eq!(got.force.value, Some(Force::Working));
        }
    }

    /// Headers and signatures of notices, real lines of the corpus.
    #[test]
    fn notice_headers_and_signatures() {
        // seeds 003: a joint notice's header.
        let got = run(
            "市委发〔2018〕10号\n中共张掖市委 张掖市人民政府\n2018年2月8日\n关于加快推进县域经济发展的工作方案\n到2020年,全市县域经济体实现生产总值480亿元以上。",
            Some(DocType::WorkProgramme),
        );
        let issuers: Vec<String> = got
            .issuers
            .value
            .unwrap()
            .into_iter()
            .map(|i| i.normalised)
            .collect();
        assert_eq!(issuers, ["张掖市委", "张掖市人民政府"]);
        assert_eq!(
            got.written.value.map(|d| d.to_string()).as_deref(),
            Some("2018-02-08")
        );
        // corpus 00331: a joint signature.
        let got = run(
            "各省、自治区、直辖市及计划单列市工业和信息化主管部门：\n根据产业发展需要，现发布《国家车联网产业标准体系建设指南（智能网联汽车）》。\n附件：国家车联网产业标准体系建设指南（智能网联汽车）\n工业和信息化部  国家标准化管理委员会\n2017年12月27日",
            None,
        );
        let issuers: Vec<String> = got
            .issuers
            .value
            .unwrap()
            .into_iter()
            .map(|i| i.written)
            .collect();
        assert_eq!(issuers, ["工业和信息化部", "国家标准化管理委员会"]);
        assert_eq!(
            got.written.value.map(|d| d.to_string()).as_deref(),
            Some("2017-12-27")
        );
        // corpus 00307: a spaced signature and a public notice mark.
        let got = run(
            "北京市人民政府：\n一、支持北京市建设国家新一代人工智能创新发展试验区。\n科 技 部\n2019年2月20日\n（此件主动公开）",
            None,
        );
        assert_eq!(got.issuers.value.unwrap()[0].written, "科技部");
        // corpus 00323: signed and published lines.
        let got = run(
            "各省、自治区、直辖市科技厅：\n一、项目组织申报要求及评审流程\n2018年7月30日签发\n2018年8月3日发布\n（此件主动公开）",
            None,
        );
        assert_eq!(
            got.written.value.map(|d| d.to_string()).as_deref(),
            Some("2018-07-30")
        );
        assert_eq!(
            got.published.value.map(|d| d.to_string()).as_deref(),
            Some("2018-08-03")
        );
        // corpus 00075: the printing line of 版记.
        let got = run(
            "为贯彻落实《数字山东发展规划（2018-2022年）》，制定本方案。\n抄送：省委各部门，省人大常委会办公厅。\n山东省人民政府办公厅2019年3月15日印发",
            Some(DocType::WorkProgramme),
        );
        assert_eq!(
            got.written.value.map(|d| d.to_string()).as_deref(),
            Some("2019-03-15")
        );
    }

    #[test]
    fn effective_clauses() {
        for (line, want) in [
            ("第十四条本规定自2017年7月1日起实施。", Some("2017-07-01")), // corpus 00345
            (
                "第十五条　本办法自2022年4月30日起执行，有效期至2025年12月31日。",
                Some("2022-04-30"),
            ), // corpus 00106
            ("本政策自发布之日起施行，有效期3年。", None), // corpus 00083, no date given
        ] {
            let got = run(&format!("标题\n正文。\n{line}"), None);
            assert_eq!(
                got.effective.value.map(|d| d.to_string()).as_deref(),
                want,
                "{line}"
            );
        }
    }

    #[test]
    fn published_from_the_pages_own_line_only() {
        // reports r0003: the city site's 发布时间 line.
        let text = "政府工作报告二00三年政府工作报告发布时间：2003-02-2116:02信息来源：驻马店市情网打印分享到：\n一、2002年工作完成情况";
        let got = run(text, Some(DocType::WorkReport));
        assert_eq!(
            got.published.value.map(|d| d.to_string()).as_deref(),
            Some("2003-02-21")
        );
        // reports r0499: a reposting site's bare 时间 is not a publication date.
        let text = "保定市满城区2020年政府工作报告\n时间：2023-03-30 作者：中国县域 来源：政府官网\n各位代表：";
        assert_eq!(run(text, Some(DocType::WorkReport)).published.value, None);
    }

    #[test]
    fn issuer_spellings_normalise_to_one() {
        for (a, b) in [
            ("中共张掖市委", "张掖市委"),
            ("中国共产党张掖市委员会", "张掖市委"),
            ("上海市人民代表大会常务委员会", "上海市人大常委会"),
            ("国家发展和改革委员会", "国家发改委"),
            ("保定市满城区人民政府", "满城区人民政府"),
            ("中共中央", "中共中央"),
        ] {
            assert_eq!(normalise_issuer(a), b, "{a}");
        }
    }
}
