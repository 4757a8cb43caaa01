//! What the words around a place name say about it: an issuing body, a venue
//! or guest of an event, a partner, a company or a street; and how the whole
//! text speaks (as the nation, a province, a city or a county). The words are
//! `data/regions/context.toml`.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use crate::text::{ceil_boundary, floor_boundary};

/// The table as written; each list is explained there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    pub glue: Vec<String>,
    voice: Voice,
    issuer: IssuerWords,
    event: EventWords,
    not_subject: NotSubjectWords,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Voice {
    nation: Vec<String>,
    every_province: Vec<String>,
    province: Vec<String>,
    city: Vec<String>,
    county: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerWords {
    suffixes: Vec<String>,
    narrow_suffixes: Vec<String>,
    agency_line_endings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventWords {
    verbs: Vec<String>,
    venue_verbs: Vec<String>,
    officials: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotSubjectWords {
    street_suffixes: Vec<String>,
    firm_clause: Vec<String>,
    partner_verbs: Vec<String>,
    partner_clause: Vec<String>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../data/regions/context.toml"))
        .expect("data/regions/context.toml is valid")
});

/// The words of `data/regions/context.toml`.
pub(super) fn words() -> &'static Words {
    &WORDS
}

fn any_in(words: &[String], text: &str) -> bool {
    words.iter().any(|w| text.contains(w.as_str()))
}

fn any_starts(words: &[String], text: &str) -> bool {
    words.iter().any(|w| text.starts_with(w.as_str()))
}

/// How often the text speaks as the nation, a province, a city, a county:
/// 我国/全国 vs 我省/全省 vs 我市/全市 vs 我县/全县.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct SelfReference {
    pub nation: usize,
    pub province: usize,
    pub city: usize,
    pub county: usize,
}

/// Words of a national voice that make a document national.
const MIN_NATION_WORDS: usize = 3;
/// How many times more a national document speaks as the nation than as a place.
const NATION_SHARE: usize = 3;

impl SelfReference {
    pub fn of(text: &str) -> SelfReference {
        let v = &words().voice;
        let count = |words: &[String]| -> usize {
            words.iter().map(|w| text.matches(w.as_str()).count()).sum()
        };
        SelfReference {
            // Addressing every province is the surest national voice: it counts thrice.
            nation: count(&v.nation) + 3 * count(&v.every_province),
            province: count(&v.province),
            city: count(&v.city),
            county: count(&v.county),
        }
    }

    /// Mentions of a province, city or county voice.
    pub fn local(self) -> usize {
        self.province + self.city + self.county
    }

    /// True when the text speaks for the whole country and hardly ever as a
    /// province, city or county: a State Council report, a ministry's notice.
    pub fn is_national(self) -> bool {
        self.nation >= MIN_NATION_WORDS && self.nation >= NATION_SHARE * self.local()
    }
}

/// A people's congress by its term: 第十三届人民代表大会, 第五届人大.
static CONGRESS_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第[一二三四五六七八九十]{1,3}届(?:人民代表大会|人大)").expect("valid regex")
});

/// The rest of a postal address: 海淀区双清路83号, 西长安街13号.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^\s,，。、;；:：]{0,10}?(?:路|街|大道|巷|胡同)\s*\d+\s*号").expect("valid regex")
});

/// The last `n` characters before byte `at`.
fn chars_before(text: &str, from: usize, at: usize, n: usize) -> String {
    let mut v: Vec<char> = text[from..at].chars().rev().take(n).collect();
    v.reverse();
    v.into_iter().collect()
}

/// 中共张掖市委, 张掖市人民政府, 张掖市人大常委会, 市委发: the body that issues the document.
pub(super) fn is_issuer(text: &str, start: usize, end: usize) -> bool {
    // "北京市人民政府:" opens a letter to it: the addressee, not the issuer.
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if text[..line_end].trim_end().ends_with([':', '：']) {
        return false;
    }
    let w = &words().issuer;
    let after: String = text[end..].chars().take(7).collect();
    let before = chars_before(text, 0, start, 2);
    // 山东省第十三届人民代表大会常务委员会…通过: the legislature of a regulation.
    let after_long: String = text[end..].chars().take(14).collect();
    let legislature = CONGRESS_SESSION.is_match(&after_long);
    let follows_issuer = legislature
        || any_starts(&w.suffixes, &after)
        || any_starts(&w.narrow_suffixes, &after) && !after.starts_with("委托");
    follows_issuer || before.ends_with("中共") || heads_an_agency_line(text, start, end)
}

/// A line of its own naming a government body: "济南市工业和信息化局",
/// "济南市城乡交通运输局" at the top of a joint notice.
fn heads_an_agency_line(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = text[line_start..line_end].trim_end();
    line_start == start
        && line.chars().count() <= 24
        && words()
            .issuer
            .agency_line_endings
            .iter()
            .any(|s| line.ends_with(s.as_str()))
}

/// A venue or a guest of an event the document reports: "论坛在北京举行",
/// "出席了在广东惠州举办的…大赛", "河南省人民政府副省长张维宁…出席". The event
/// is the document's subject, not the place.
pub(super) fn is_event_context(text: &str, start: usize, end: usize) -> bool {
    let sentence_start = text[..start]
        .rfind(['。', '\n'])
        .map_or(0, |i| ceil_boundary(text, i + 1));
    let sentence_end = text[end..]
        .find(['。', '\n'])
        .map_or(text.len(), |i| end + i);
    let w = &words().event;
    if !any_in(&w.verbs, &text[sentence_start..sentence_end]) {
        return false;
    }
    let before = &text[floor_boundary(text, start.saturating_sub(9))..start];
    let after = &text[end..ceil_boundary(text, end + 36)];
    let venue = before.contains('在') && any_in(&w.venue_verbs, after);
    venue || any_in(&w.officials, after)
}

/// False when the place is someone else: a partner (与广东台山对口合作), a
/// company (北京海国投, 三江特变), a street (张掖路).
pub(super) fn is_subject_context(text: &str, form: &str, start: usize, end: usize) -> bool {
    let clause_start = text[..start]
        .rfind(['。', ',', '，', ';', '；', '、', '\n', ':', '：'])
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    let clause_end = text[end..]
        .find(['。', ',', '，', ';', '；', '\n'])
        .map_or(text.len(), |i| end + i);
    let clause = &text[clause_start..clause_end];
    let w = &words().not_subject;
    let after: String = text[end..].chars().take(3).collect();
    let before = chars_before(text, clause_start, start, 4);
    if any_starts(&w.street_suffixes, &after) {
        return false;
    }
    // An address (通讯地址:北京市海淀区双清路83号) is where to write, not the subject.
    if before.contains("地址") || ADDRESS.is_match(&text[end..]) {
        return false;
    }
    // A bare short name glued to more name (三江特变, 安吉纳) or co-naming a park
    // (武侯(XX)智谷智能制造产业园) in a clause about firms or parks is a
    // company, brand or partner's park.
    let has_suffix = form.ends_with(['省', '市', '县', '区', '州', '盟', '旗']);
    let glued = text[end..].chars().next().is_some_and(|c| {
        (crate::text::is_cjk(c) && !"省市县区州盟旗镇乡村街".contains(c)) || c == '('
    });
    if !has_suffix && glued && any_in(&w.firm_clause, clause) {
        return false;
    }
    let partner = any_in(&w.partner_verbs, &before) && any_in(&w.partner_clause, clause);
    !partner
}
