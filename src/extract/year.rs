//! The year a document was issued or reports on, and the target years it
//! promises.
//!
//! A plan is full of years that are not its own: targets (到2025年), baselines
//! (比2015年), periods (2021-2025年, 十四五). Only dates, document numbers, titles
//! and the report's own framing ("一、2024年工作回顾" in a 2025 report) decide.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::Evidence;
use super::doctype::reads_as_work_report;
use super::title::DOC_NUMBER;
use crate::text::{ceil_boundary, floor_boundary};

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

/// Years that are targets: 到2025年, 2025年前, 2025年底前, 至2030年, 力争2025年,
/// and deadlines: 于2023年1月13日前报送.
static TARGET_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:到|至|力争|争取在|争取到|确保到|预计到|展望)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?:底前|前|之前|年底前|末前|远景目标|\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:前|之前|以前))")
        .expect("valid regex")
});

/// A year range (2021-2025年, 2021—2025年) is a plan period, not the document's year.
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~至到]\s*((?:19|20)\d{2})\s*年?")
        .expect("valid regex")
});

/// What follows an effective date: 起施行, 起实施.
static EFFECTIVE_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:起)?\s*(?:施行|实施|执行|生效)").expect("valid regex"));

/// What a regulation's header says happened on a date: passed, amended, revised,
/// approved or promulgated.
static ENACTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"通过|修正|修订|批准|公布").expect("valid regex"));

/// Lines at the top in which a regulation's header may start.
const HEADER_START_LINES: usize = 4;

/// Lines at the top and bottom of a document where issue dates stand.
const HEAD_LINES: usize = 8;
const TAIL_LINES: usize = 4;

/// Years written in Chinese numerals (一九八三年, 一九九○年), as in older reports.
static CHINESE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[一二三四五六七八九〇○零]{4}年").expect("valid regex"));

/// "一、2024年工作回顾", "一、1994年国内工作的回顾", "首先报告2001年的工作": a
/// report on the year before its own.
static REVIEW_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年(?:国内)?的?(?:政府)?(?:主要)?工作的?回顾|报告\s*((?:19|20)\d{2})\s*年的?工作|刚刚过去的\s*((?:19|20)\d{2})\s*年")
        .expect("valid regex")
});

/// What a work report says of the year it plans: "2025年政府工作的总体要求",
/// "2025年重点工作", "2025年经济社会发展的主要预期目标". ("2024年是…" is not
/// among them: reports say it of the year they review as often as of their own.)
static PLAN_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)\d{2})\s*年度?(?:(?:政府)?工作的?(?:总体要求|总体部署|主要任务|建议)|的?主要任务|重点工作|的?工作安排|的?工作建议|(?:经济社会)?发展的?(?:主要预期目标|总体要求)|国民经济(?:和社会发展)?计划)",
    )
    .expect("valid regex")
});

/// A year in a title with no 年: 数字山东2021行动方案, 标准体系建设指南(2023版).
static TITLE_EDITION_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*(?:版|行动方案|行动计划|工作要点)").expect("valid regex")
});

/// The year whose work a notice organises: 做好2022年…工作, 开展2022年度…行动.
static ORGANISES_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:做好|开展|组织开展|启动)\s*((?:19|20)\d{2})\s*年度?").expect("valid regex")
});

/// A heading of a work report's later part that names one year's work
/// ("三、2011年的工作"): the year it plans. (The first part reviews.)
static PLAN_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*[二三四五六七八九]、\s*((?:19|20)\d{2})\s*年的?工作\s*$")
        .expect("valid regex")
});

/// A National People's Congress session: 第十届全国人民代表大会第一次会议,
/// 九届全国人大一次会议, 第四届全国人民代表大会 (text folded to simplified).
static NPC_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"第?([一二三四五六七八九十]{1,3})届全国(?:人民代表大会|人大)(?:第?([一二三四五六七八九十]{1,2})次会议)?",
    )
    .expect("valid regex")
});

fn npc_session_year(term: u32, session: u32) -> Option<u16> {
    let index = usize::try_from(session.checked_sub(1)?).ok()?;
    let npc = &RULES.npc;
    let (first_regular, first_year) = (npc.regular_from_term, npc.regular_from_year);
    if term < first_regular {
        let sessions = npc
            .early_terms
            .get(usize::try_from(term.checked_sub(1)?).ok()?)?;
        return sessions.get(index).copied();
    }
    let session = u16::try_from(session).ok()?;
    let term_offset = u16::try_from(term - first_regular).ok()?;
    (session <= npc.term_years)
        .then(|| first_year + term_offset * npc.term_years + session - 1)
        .filter(|y| *y <= 2100)
}

/// The session a State Council report says it is made to: "向第十届全国人民
/// 代表大会第一次会议报告", "我们第一届全国人民代表大会第一次会议", "十届全国
/// 人大一次会议将要进行政府换届" (the report before the new government). A
/// session named in passing ("四届人大第一次会议以来") is another year's.
fn own_npc_session(text: &str) -> Option<(u16, String)> {
    NPC_SESSION
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0).expect("match");
            let before =
                &text[floor_boundary(text, whole.start().saturating_sub(9))..whole.start()];
            let after = &text[whole.end()..ceil_boundary(text, whole.end() + 6)];
            let own = ["向", "我们", "请求"].iter().any(|w| before.ends_with(w))
                || after.starts_with("将要");
            if !own {
                return None;
            }
            let term = chinese_number(&c[1])?;
            let session = c.get(2).map_or(Some(1), |m| chinese_number(m.as_str()))?;
            Some((npc_session_year(term, session)?, whole.as_str().to_string()))
        })
        .max_by_key(|(y, _)| *y)
}

/// 一 to 九十九 as a number.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|i| i as u32 + 1)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Finds the document's year from folded text ([`crate::text::fold_str`]).
pub fn extract_year(title: Option<&str>, text: &str, page_meta: &[String]) -> Evidence<u16> {
    let text = &*arabic_years(text);
    let title = title.map(arabic_years);
    let lines: Vec<&str> = text.lines().collect();
    if let Some(found) = regulation_header_year(&lines) {
        return found;
    }
    let is_work_report = reads_as_work_report(text);
    let mut votes = Votes::default();
    if let Some(title) = title.as_deref() {
        title_votes(&mut votes, title);
    }
    for (i, line) in lines.iter().enumerate() {
        let near_edge = i < HEAD_LINES || i + TAIL_LINES >= lines.len();
        line_votes(&mut votes, line, i, near_edge);
    }
    own_year_votes(&mut votes, text, is_work_report);
    page_meta_votes(&mut votes, page_meta);
    if votes.0.is_empty()
        && let Some(found) = plain_year(text, is_work_report)
    {
        return found;
    }
    votes.decide()
}

/// The weights, words and tables of `data/metadata/year.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    min_review_mentions: usize,
    baseline_before: Vec<String>,
    baseline_after: Vec<String>,
    weights: Weights,
    npc: NpcSessions,
}

/// The weight of each kind of evidence for a year (a vote); each is
/// explained in the table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Weights {
    title: f32,
    edge_doc_number: f32,
    doc_number: f32,
    edge_date_line: f32,
    edge_date: f32,
    takes_effect: f32,
    year_month: f32,
    reviews_year: f32,
    work_report_own_year: f32,
    organises_year: f32,
    page_date: f32,
}

/// When the National People's Congress met.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NpcSessions {
    early_terms: Vec<Vec<u16>>,
    regular_from_term: u32,
    regular_from_year: u16,
    term_years: u16,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/metadata/year.toml"))
        .expect("data/metadata/year.toml is valid")
});

/// Each plausible year with the sum of its weights and the evidence for it.
#[derive(Default)]
struct Votes(BTreeMap<u16, (f32, Vec<String>)>);

impl Votes {
    fn vote(&mut self, year: u16, weight: f32, why: String) {
        if !(1949..=2100).contains(&year) {
            return;
        }
        let entry = self.0.entry(year).or_default();
        entry.0 += weight;
        entry.1.push(why);
    }

    /// The year with most weight (the later one on a tie); its confidence is
    /// its share of all weight, less when the weight itself is small.
    fn decide(self) -> Evidence<u16> {
        let total: f32 = self.0.values().map(|(w, _)| w).sum();
        let best = self
            .0
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
}

/// Years in the title (2018年…方案, (2021年版)), not those of a range
/// (2021—2025年).
fn title_votes(votes: &mut Votes, title: &str) {
    let ranges: Vec<(usize, usize)> = YEAR_RANGE
        .find_iter(title)
        .map(|m| (m.start(), m.end()))
        .collect();
    for c in TITLE_YEAR
        .captures_iter(title)
        .chain(TITLE_EDITION_YEAR.captures_iter(title))
    {
        let m = c.get(1).expect("group 1");
        if ranges.iter().any(|&(s, e)| m.start() >= s && m.start() < e) {
            continue;
        }
        if let Ok(y) = m.as_str().parse() {
            votes.vote(y, RULES.weights.title, format!("title \"{title}\""));
        }
    }
}

/// The years one line gives: document numbers, dates, (year-month) lines
/// and reviewed years; `i` is the line's index, `near_edge` whether it is
/// among the first or last lines.
fn line_votes(votes: &mut Votes, line: &str, i: usize, near_edge: bool) {
    let cited = cited_spans(line);
    let is_cited = |at: usize| cited.iter().any(|&(s, e)| at >= s && at < e);
    for c in DOC_NUMBER.captures_iter(line) {
        let whole = c.get(0).expect("match");
        // 《…规划》(国发〔2017〕35号) is the number of the document cited.
        if is_cited(whole.start()) {
            continue;
        }
        if let Ok(y) = c[1].parse() {
            let w = if near_edge {
                RULES.weights.edge_doc_number
            } else {
                RULES.weights.doc_number
            };
            votes.vote(y, w, format!("document number {}", whole.as_str()));
        }
    }
    if near_edge {
        date_votes(votes, line, i, &is_cited);
    }
    if let Some(c) = YEAR_MONTH.captures(line)
        && near_edge
        && let Ok(y) = c[1].parse()
    {
        votes.vote(
            y,
            RULES.weights.year_month,
            format!("date {} (line {})", &c[0], i + 1),
        );
    }
    if i < 40
        && let Some(c) = REVIEW_YEAR.captures(line)
        && let Some(Ok(y)) = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map(|m| m.as_str().parse::<u16>())
    {
        votes.vote(
            y + 1,
            RULES.weights.reviews_year,
            format!("reviews the year {} (\"{}\")", y, &c[0]),
        );
    }
}

/// Full dates in a line near the edge of the text: a signature date, or
/// the date a regulation takes effect; not the dates of targets, of cited
/// documents or of what is repealed.
fn date_votes(votes: &mut Votes, line: &str, i: usize, is_cited: &dyn Fn(usize) -> bool) {
    let short = line.chars().count() <= 80;
    for c in FULL_DATE.captures_iter(line) {
        let Ok(y) = c[1].parse::<u16>() else { continue };
        let whole = c.get(0).expect("match");
        let date = whole.as_str();
        let context_start = floor_boundary(line, whole.start().saturating_sub(9));
        let context_end = ceil_boundary(line, whole.end() + 9);
        if is_cited(whole.start())
            || TARGET_YEAR.is_match(&line[context_start..context_end])
            || sentence_at(line, whole.start()).contains("废止")
        {
            continue;
        }
        // 本办法自2022年1月1日起施行: the date it takes effect, weak
        // evidence; taking effect on 1 January, it was adopted the year before.
        if EFFECTIVE_AFTER.is_match(&line[whole.end()..]) {
            let new_year = c.get(2).or(c.get(4)).is_some_and(|m| m.as_str() == "1")
                && c.get(3).or(c.get(5)).is_some_and(|d| d.as_str() == "1");
            let (adopted, why) = if new_year {
                (
                    y - 1,
                    format!("takes effect {date}, so adopted the year before"),
                )
            } else {
                (y, format!("takes effect {date}"))
            };
            votes.vote(
                adopted,
                RULES.weights.takes_effect,
                format!("{why} (line {})", i + 1),
            );
        } else {
            let w = if short {
                RULES.weights.edge_date_line
            } else {
                RULES.weights.edge_date
            };
            votes.vote(y, w, format!("date {date} (line {})", i + 1));
        }
    }
}

/// What the text says of its own year: a work report plans for it and is
/// made to its own session; a notice organises its year's work.
fn own_year_votes(votes: &mut Votes, text: &str, is_work_report: bool) {
    if is_work_report {
        // A work report plans for its own year; it may name only that.
        let planned = PLAN_YEAR
            .captures_iter(text)
            .chain(PLAN_HEADING.captures_iter(text))
            .filter_map(|c| Some((c[1].parse::<u16>().ok()?, c[0].trim().to_string())))
            .max_by_key(|(y, _)| *y);
        if let Some((y, phrase)) = planned {
            votes.vote(
                y,
                RULES.weights.work_report_own_year,
                format!("a work report planning for {y} (\"{phrase}\")"),
            );
        }
        if let Some((y, phrase)) = own_npc_session(text) {
            votes.vote(
                y,
                RULES.weights.work_report_own_year,
                format!("made to the session of its own (\"{phrase}\")"),
            );
        }
    } else if let Some(c) = ORGANISES_YEAR.captures(text)
        && let Ok(y) = c[1].parse()
    {
        // 现就做好2022年“智慧助老”有关工作通知如下: a notice organises its own
        // year's work. (A work report says it of the year it reviews as well.)
        votes.vote(
            y,
            RULES.weights.organises_year,
            format!("organises the work of {y} (\"{}\")", &c[0]),
        );
    }
}

/// The date a page was put online (时间:2022-04-26) backs other evidence but
/// is no evidence alone: pages repost documents years old.
fn page_meta_votes(votes: &mut Votes, page_meta: &[String]) {
    if votes.0.is_empty() {
        return;
    }
    for meta in page_meta {
        for c in FULL_DATE.captures_iter(meta) {
            if let Ok(y) = c[1].parse::<u16>() {
                let entry = votes.0.entry(y).or_default();
                entry.0 += RULES.weights.page_date;
                entry.1.push(format!("page metadata \"{meta}\""));
            }
        }
    }
}

/// With no other evidence: the year the text speaks of plainly (weak), or
/// for a work report the year after the one it reviews.
fn plain_year(text: &str, is_work_report: bool) -> Option<Evidence<u16>> {
    let (year, n) = plain_body_year(text)?;
    let why = format!("the year the text speaks of plainly: {year} ×{n} (weak)");
    if !is_work_report {
        return Some(Evidence {
            value: Some(year),
            confidence: 0.3,
            evidence: vec![why],
            given: false,
        });
    }
    // A work report reviews the year before its own and names it again
    // and again ("2007年,国内生产总值达到…" in the 2008 report); named once
    // or twice, the year may as well be its own ("2018年是…开局之年").
    (n >= RULES.min_review_mentions).then(|| Evidence {
        value: Some(year + 1),
        confidence: 0.4,
        evidence: vec![format!("a work report reviewing {year}: {why}")],
        given: false,
    })
}

/// Whether a folded text names `year` anywhere (1954年, 一九五四年), in any role.
/// A label whose year the text never names cannot be read from the text: the
/// evaluation counts such rows apart.
pub fn names_year(text: &str, year: u16) -> bool {
    arabic_years(text).contains(&year.to_string())
}

/// Rewrites years in Chinese numerals (一九五四年) as digits (1954年), so one set
/// of patterns reads old and new documents alike.
fn arabic_years(text: &str) -> std::borrow::Cow<'_, str> {
    CHINESE_YEAR.replace_all(text, |c: &regex::Captures| {
        c[0].chars()
            .map(|ch| match ch {
                '〇' | '○' | '零' => '0',
                '一' => '1',
                '二' => '2',
                '三' => '3',
                '四' => '4',
                '五' => '5',
                '六' => '6',
                '七' => '7',
                '八' => '8',
                '九' => '9',
                other => other,
            })
            .collect::<String>()
    })
}

/// Byte ranges of a line that quote another document: 《…》 and a parenthesis
/// right after it (《新一代人工智能发展规划》(国发〔2017〕35号)). Years and numbers
/// there are the cited document's, not this one's.
fn cited_spans(line: &str) -> Vec<(usize, usize)> {
    // The end of a quote, with the reference right after it: 》(国发〔2017〕35号).
    let with_reference = |end: usize| -> usize {
        let rest = &line[end..];
        match rest.find([')', '）']) {
            Some(close) if rest.starts_with(['(', '（']) => {
                end + close + rest[close..].chars().next().map_or(1, char::len_utf8)
            }
            _ => end,
        }
    };
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut open = 0;
    for (i, c) in line.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            // A 》 with no 《 before it closes a quote opened on an earlier line.
            '》' if depth == 0 => spans.push((0, with_reference(i + c.len_utf8()))),
            '》' => {
                depth -= 1;
                if depth == 0 {
                    spans.push((open, with_reference(i + c.len_utf8())));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        spans.push((open, line.len()));
    }
    spans
}

/// The sentence of `line` around byte `at`.
fn sentence_at(line: &str, at: usize) -> &str {
    let start = line[..at].rfind('。').map_or(0, |i| i + '。'.len_utf8());
    let end = line[at..].find('。').map_or(line.len(), |i| at + i);
    &line[start..end]
}

/// A regulation's header: the lines under its title, each starting with a date,
/// that record its passing and every amendment ("2017年4月20日 …会议通过",
/// "2020年5月14日 …第一次修正"). The version in force is the latest of them,
/// unless it is an approval in the last days of a year ([`LATE_APPROVAL`]); the
/// date it takes effect (本条例自…起施行) is not its year.
fn regulation_header_year(lines: &[&str]) -> Option<Evidence<u16>> {
    let enacted = regulation_header(lines);
    let n = enacted.len();
    let latest = enacted
        .into_iter()
        .max_by_key(|e| (e.year, e.month, e.day))?;
    let where_ = format!("(line {}), the latest of {n}", latest.line + 1);
    // A city's regulation is promulgated by the city after the province
    // approves it, weeks later: approved in the last days of a year, it is
    // issued in the next.
    if latest.approval && (latest.month, latest.day) >= LATE_APPROVAL {
        let year = latest.year + 1;
        return Some(Evidence::found(
            year,
            0.7,
            format!(
                "regulation header: approved {} {where_}; promulgated after approval, so in {year}",
                latest.date
            ),
        ));
    }
    Some(Evidence::found(
        latest.year,
        0.95,
        format!(
            "regulation header: passed or amended {} {where_}",
            latest.date
        ),
    ))
}

/// The years in a regulation's header (passed, amended, approved), in the
/// order written; empty without a header. The evaluation uses it to tell a
/// label naming an older version from one the header does not record.
pub fn regulation_header_years(text: &str) -> Vec<u16> {
    let lines: Vec<&str> = text.lines().collect();
    regulation_header(&lines).iter().map(|e| e.year).collect()
}

/// The dated lines of a regulation's header.
fn regulation_header(lines: &[&str]) -> Vec<Enactment> {
    let mut header = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let opens_with_date = FULL_DATE
            .find(line.trim_start_matches(['(', '（', ' ']))
            .is_some_and(|m| m.start() == 0);
        if opens_with_date {
            header.push((i, *line));
        } else if !header.is_empty() || i >= HEADER_START_LINES {
            break;
        }
    }
    let mut enacted: Vec<Enactment> = Vec::new();
    for (i, line) in header {
        let dates: Vec<_> = FULL_DATE.captures_iter(line).collect();
        for (k, c) in dates.iter().enumerate() {
            let whole = c.get(0).expect("match");
            let next = dates
                .get(k + 1)
                .map_or(line.len(), |n| n.get(0).expect("match").start());
            let event = &line[whole.end()..next];
            if !ENACTED.is_match(event) {
                continue;
            }
            let number = |a: usize, b: usize| -> u8 {
                c.get(a)
                    .or(c.get(b))
                    .and_then(|m| m.as_str().parse().ok())
                    .unwrap_or(0)
            };
            if let Ok(year) = c[1].parse::<u16>() {
                enacted.push(Enactment {
                    year,
                    month: number(2, 4),
                    day: number(3, 5),
                    approval: event.contains("批准") && !event.contains("公布"),
                    date: whole.as_str().to_string(),
                    line: i,
                });
            }
        }
    }
    enacted
}

/// One dated line of a regulation's header.
struct Enactment {
    year: u16,
    month: u8,
    day: u8,
    /// Approved by the province's standing committee (a city's regulation),
    /// not yet promulgated by the city.
    approval: bool,
    date: String,
    line: usize,
}

/// An approval on or after this (month, day) is promulgated the next year.
const LATE_APPROVAL: (u8, u8) = (12, 20);

/// With no date, number or title to go by: the one year the text speaks of
/// plainly (not as a target, baseline or period), if a single year clearly
/// leads, and how often it is named. A work-report section planning
/// "确保2022年…竣工" is of 2022.
fn plain_body_year(text: &str) -> Option<(u16, usize)> {
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for line in text.lines() {
        let spans = |re: &Regex| -> Vec<(usize, usize)> {
            re.find_iter(line).map(|m| (m.start(), m.end())).collect()
        };
        let ranges = spans(&YEAR_RANGE);
        let targets = spans(&TARGET_YEAR);
        let cited = cited_spans(line);
        for c in TITLE_YEAR.captures_iter(line) {
            let m = c.get(1).expect("group 1");
            let inside = |spans: &[(usize, usize)]| {
                spans.iter().any(|&(s, e)| m.start() >= s && m.start() < e)
            };
            if inside(&ranges) || inside(&targets) || inside(&cited) {
                continue;
            }
            let before = &line[floor_boundary(line, m.start().saturating_sub(3))..m.start()];
            let after = &line[c.get(0).expect("match").end()..];
            if RULES
                .baseline_before
                .iter()
                .any(|b| before.ends_with(b.as_str()))
                || RULES
                    .baseline_after
                    .iter()
                    .any(|a| after.starts_with(a.as_str()))
            {
                continue;
            }
            if let Ok(y) = m.as_str().parse::<u16>() {
                *counts.entry(y).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(u16, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let (year, n) = *ranked.first()?;
    let next = ranked.get(1).map_or(0, |r| r.1);
    (n >= 2 * next.max(1) || next == 0).then_some((year, n))
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
            // The 2018 State Council report (00138) names the year it reviews
            // and the year it plans, never its own date.
            (
                None,
                "各位代表:\n现在,我代表国务院,向大会报告过去五年政府工作,对今年工作提出建议,请予审议。\n一、过去五年工作回顾\n刚刚过去的2017年,经济社会发展主要目标任务全面完成。\n三、对2018年政府工作的建议",
                Some(2018),
            ),
            // The 2004 report (00164): "二、2004年主要任务".
            (
                None,
                "各位代表:\n现在,我代表国务院向大会作政府工作报告,请予审议。\n一、过去一年的工作\n二、2004年主要任务\n到2007年使西部地区基本普及九年义务教育。",
                Some(2004),
            ),
            // A statistical bulletin reports on the year in its title.
            (
                Some("万载县2022年国民经济和社会发展统计公报"),
                "万载县2022年国民经济和社会发展统计公报\n2023-07-12\n万载县统计局 国家统计局万载调查队\n(2023年5月)\n2022年,万载全县上下坚持以习近平新时代中国特色社会主义思想为指导。",
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
            // A regulation takes effect on 1 January the year after it passed
            // (上海市数据条例): its year is the year it passed.
            (
                Some("上海市数据条例"),
                "上海市数据条例\n2021年11月25日 上海市第十五届人民代表大会常务委员会第三十七次会议通过\n第一章 总则\n第一条 为了保护自然人、法人和非法人组织与数据有关的权益,制定本条例。\n第九十一条 本条例自2022年1月1日起施行。",
                Some(2021),
            ),
            // No header: the date it takes effect, not the repealed law's (00367).
            (
                Some("上海市产品质量条例"),
                "上海市产品质量条例\n第一章 总则\n第一条 为了明确产品质量责任,加强对产品质量的监督管理,制定本条例。\n第五十条 本条例自2012年9月1日起施行。1994年8月26日上海市第十届人民代表大会常务委员会第十二次会议通过、1998年6月24日上海市第十一届人民代表大会常务委员会第三次会议修正的《上海市产品质量监督条例》同时废止。",
                Some(2012),
            ),
            // The 2002 State Council report: "首先报告2001年的工作" (00166).
            (
                None,
                "各位代表:\n现在,我代表国务院向大会作政府工作报告,请予审议,并请全国政协各位委员提出意见。\n首先报告2001年的工作\n新世纪第一年,全国各族人民在中国共产党领导下,面对复杂多变的国际形势,克服困难,阔步前进。",
                Some(2002),
            ),
            // The 2008 report names the year it reviews again and again (00158).
            (
                None,
                "各位代表:\n现在,我代表国务院,向大会报告本届政府过去五年的工作,对今年工作提出建议,请予审议。\n一、过去五年工作回顾\n——经济跨上新台阶。2007年,国内生产总值达到24.66万亿元,比2002年增长65.5%。\n——取消农业税,终结了农民种田交税的历史。全国粮食连续四年增产,2007年产量达到50150万吨。\n——国有企业、金融、财税、外经贸体制和行政管理体制等改革迈出重大步伐。2007年进出口总额达到2.17万亿美元,从世界第六位上升到第三位。\n——人民生活显著改善。城镇居民人均可支配收入由2002年7703元增加到2007年13786元。",
                Some(2008),
            ),
            // Years and numbers of cited documents are theirs (00215, 00087).
            (
                None,
                "根据《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》、《国家中长期科学和技术发展规划纲要(2021-2035年)》、《新一代人工智能发展规划(国发〔2017〕35 号)》、《新时代防震减灾事业现代化纲要(2019-2035年)》等文件,制定本规划",
                None,
            ),
            (
                Some("山东省“十四五”教育事业发展规划"),
                "山东省“十四五”教育事业发展规划\n为加快推进教育高质量发展,根据《中国教育现代化2035》《山东省国民经济和社会发展第十四个五年规划和2035年远景目标纲要》等,制定本规划。",
                None,
            ),
            // A deadline is a target: 于2023年1月13日前报送 (00232).
            (
                None,
                "各示范商圈、示范商店要及时总结工作做法和成效,形成书面总结,经所在省级商务主管部门汇总后报商务部。2022年总结于2023年1月13日前报送,后续年度总结于每年11月底前报送。",
                Some(2022),
            ),
            // The State Council reports name the session they are made to,
            // not their year: 1998 (00170), 1975 (00187), 1954 (00196).
            (
                None,
                "各位代表:\n现在,我代表国务院向大会作政府工作报告,请予审议。\n一、关于过去五年的政府工作\n第八届全国人民代表大会第一次会议以来的五年,我国各族人民在中国共产党领导下,取得了巨大成就。\n九届全国人大一次会议将要进行政府换届。",
                Some(1998),
            ),
            (
                None,
                "各位代表!\n根据中共中央的决定,我代表国务院,向第四届全国人民代表大会作政府工作报告。",
                Some(1975),
            ),
            (
                None,
                &crate::text::fold_str(
                    "各位代表:\n我們第一届全國人民代表大會第一次會議,在聽了劉少奇同志關於憲法草案的報告並進行了三天的討論以後,已經光榮地完成了一件歷史性的工作。現在,我代表中央人民政府作工作報告。",
                ),
                Some(1954),
            ),
            // A session named in passing is another year's: unknown.
            (
                None,
                "各位代表:\n现在,我代表国务院向大会作政府工作报告。\n周总理正是根据毛主席的指示,在四届人大第一次会议上,号召全国人民进一步团结起来。",
                None,
            ),
            // The 2011 report's plan heading (00152).
            (
                None,
                "各位代表:\n现在,我代表国务院,向大会作政府工作报告,请各位代表审议。\n一、“十一五”时期国民经济和社会发展的回顾\n三、2011年的工作\n今年是“十二五”时期开局之年。",
                Some(2011),
            ),
            // A city's regulation approved in the last days of a year is
            // promulgated by the city in the next (01393, promulgated 2022-01-12).
            (
                Some("开封市优化营商环境条例"),
                "开封市优化营商环境条例\n2021年10月29日 开封市第十五届人民代表大会常务委员会第二十次会议审议通过\n2021年12月28日 河南省第十三届人民代表大会常务委员会第二十九次会议批准\n第一条 为了持续优化营商环境,制定本条例。",
                Some(2022),
            ),
            // Approved earlier in the year: that year (00808's batch, 2019-11-29).
            (
                Some("信阳市城市市容和环境卫生管理条例"),
                "信阳市城市市容和环境卫生管理条例\n2017年9月8日 信阳市第五届人民代表大会常务委员会第三次会议通过\n2017年9月29日 河南省第十二届人民代表大会常务委员会第三十一次会议批准\n第一条 为了加强城市市容和环境卫生管理,制定本条例。",
                Some(2017),
            ),
            // A notice organises its own year's work (00250, 00237).
            (
                None,
                "为贯彻落实《国务院办公厅关于切实解决老年人运用智能技术困难实施方案的通知》,现就做好2022年“智慧助老”有关工作通知如下。",
                Some(2022),
            ),
            // A title's year with no 年 (00091).
            (
                Some("数字山东2021行动方案"),
                "数字山东2021行动方案\n为贯彻落实省委、省政府部署,制定本方案。",
                Some(2021),
            ),
            // A work report says it of the year it reviews: not its own (00178).
            (
                None,
                "各位代表:\n现在,我代表国务院向大会作政府工作报告。\n去年各地认真做好1985年的各项改革工作。1985年工农业总产值增长。1985年财政收入增加。",
                Some(1986),
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
    fn reads_years_in_chinese_numerals_and_traditional_characters() {
        // The 1954 report, folded as extraction sees it.
        let folded = crate::text::fold_str(
            "在建設期間,工業發展的速度當然要低些,但是一九五三年工業總産值仍然比一九五二年增加了百分之三十三。",
        );
        let text = arabic_years(&folded);
        assert!(text.contains("1953年工业总产值"), "{text}");
        assert!(text.contains("比1952年"), "{text}");
    }

    #[test]
    fn quotes_and_their_references_are_cited() {
        // 00198: the reference follows the quote; a quote may open on the line before.
        let line = "(五)落实《国务院关于印发进一步鼓励软件产业和集成电路产业发展若干政策的通知》(国发〔2011〕4号)和《关于印发<高新技术企业认定管理办法>的通知》(国科发火〔2008〕172号),对符合相关政策条件经认定的传感器及智能化仪器仪表企业,可按规定享受有关税收优惠政策。";
        let spans = cited_spans(line);
        assert_eq!(spans.len(), 2, "{spans:?}");
        for number in ["〔2011〕4号", "〔2008〕172号"] {
            let at = line.find(number).unwrap();
            assert!(spans.iter().any(|&(s, e)| s <= at && at < e), "{number}");
        }
        let continued = "若干政策的通知》(国发〔2011〕4号)和有关规定";
        let at = continued.find("〔2011〕").unwrap();
        assert!(
            cited_spans(continued)
                .iter()
                .any(|&(s, e)| s <= at && at < e)
        );
    }

    #[test]
    fn knows_the_year_of_each_congress_session() {
        let cases: &[(&str, &str, Option<u16>)] = &[
            ("一", "一", Some(1954)),
            ("一", "五", Some(1958)),
            ("二", "三", Some(1962)),
            ("四", "一", Some(1975)),
            ("五", "五", Some(1982)),
            ("六", "一", Some(1983)),
            ("九", "一", Some(1998)),
            ("十一", "四", Some(2011)),
            ("十四", "三", Some(2025)),
            ("四", "二", None),
            ("十", "六", None),
        ];
        for (term, session, want) in cases {
            let (t, s) = (
                chinese_number(term).unwrap(),
                chinese_number(session).unwrap(),
            );
            assert_eq!(npc_session_year(t, s), *want, "{term}届{session}次");
        }
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("廿"), None);
    }

    #[test]
    fn finds_target_years() {
        let text = "到2025年,示范县生产总值超600亿元。2020年底前完成改造;力争2030年实现碳达峰。比2015年翻一番。";
        assert_eq!(target_years(text), [2020, 2025, 2030]);
        assert!(target_years("“十四五”期间,比2015年增长").is_empty());
    }
}
