//! Quantified targets of a passage, as data: 到2025年…生产总值超600亿元 becomes
//! indicator 生产总值, value 600, unit 亿元, bound at least, year 2025.
//!
//! What counts as a target is written down with the hand-annotated passages
//! that measure this module (tests/fixtures/targets.toml): a quantity the text
//! sets out to reach or deliver, not a result, a rule or a name. The reading is
//! by form, sentence by sentence:
//!
//! 1. Documents that promise nothing (regulations, statistical bulletins) and
//!    passages under a review heading (回顾, 成效…) have no targets.
//! 2. A sentence that reports results (同比, 比上年, 以来, 1-8月…) or sets rules
//!    (罚款, 准入) has none; nor has a clause that says what exists (已, 现有,
//!    截至…) or what is rewarded (奖励资金…), nor 累计 without a target year.
//! 3. Each value (Arabic digits or a redacted X, with its unit) counts when its
//!    form makes it a target: a bound after it (以上, 以内, 左右), a comparator
//!    before it (达到, 超, 稳定在, 增长, 压缩…), a verb of delivery before it in
//!    its clause (新建, 培育, 创建…), or a count opening a clause of tasks
//!    (150项服务事项纳入…). Values joined by 、 or 和 share their head's reading
//!    (分别超500亿元、400亿元), and 分别 pairs them with listed indicators.
//! 4. The year is the target year named earlier in the sentence, as
//!    [`super::year::target_years`] reads it, so that structured targets and the
//!    passage's `target_year` field never disagree.
//!
//! Names are never values: anything in quotes (“3个100”), list numbers, 5G and
//! XA级, years and dates, and Chinese numerals.

pub mod eval;
mod words;

use serde::{Deserialize, Serialize};

use super::DocType;
use super::year;
use crate::text::fold_width;
use words::*;

/// How a value bounds its indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The value itself (达到600亿元, 新建X座).
    #[default]
    Exact,
    /// At least (超, 以上, 不低于).
    AtLeast,
    /// At most (以内, 以下, 不超过).
    AtMost,
    /// About (左右).
    About,
}

impl Bound {
    /// The mark shown before a value: ≥, ≤, ≈ or nothing.
    pub fn sign(self) -> &'static str {
        match self {
            Bound::Exact => "",
            Bound::AtLeast => "≥",
            Bound::AtMost => "≤",
            Bound::About => "≈",
        }
    }
}

/// Whether a value is a level or a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A level to reach or a number to deliver.
    #[default]
    Level,
    /// An increase (增长10%, 高于平均水平25%).
    Increase,
    /// A decrease (降低34%, 压缩30%).
    Decrease,
}

/// One quantified target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The noun phrase the value measures or counts (生产总值, 日光温室).
    pub indicator: String,
    /// The value as written: "600", "20.11", "1-2", "X".
    pub value_text: String,
    /// The value as a number (the low end of a range); `None` when redacted.
    pub value: Option<f64>,
    /// The high end of a range (1-2个), if any.
    pub value_max: Option<f64>,
    /// The unit as written (亿元, 万亩, %, 个); `None` when the text gives none.
    pub unit: Option<String>,
    /// At least, at most, about or exactly.
    pub bound: Bound,
    /// Level or change.
    pub kind: Kind,
    /// The comparator as written: 超, 达到…以上, 力争达到, …左右, 增长…以上;
    /// `None` for a plain count (新建日光温室X座).
    pub comparator: Option<String>,
    /// Under 力争/争取: striven for rather than promised.
    pub strive: bool,
    /// The target year named in the sentence (到2025年), if any.
    pub year: Option<u16>,
    /// The value is redacted (X) in the source.
    pub redacted: bool,
    /// The words it was read from (示范县生产总值超600亿元).
    pub text: String,
}

impl Target {
    /// "≥600亿元", "X座 (redacted)", "+10%".
    pub fn quantity(&self) -> String {
        let change = match self.kind {
            Kind::Level => "",
            Kind::Increase => "+",
            Kind::Decrease => "−",
        };
        format!(
            "{}{change}{}{}",
            self.bound.sign(),
            self.value_text,
            self.unit.as_deref().unwrap_or("")
        )
    }

    /// One line for people: "生产总值 ≥600亿元 (2025)".
    pub fn summary(&self) -> String {
        let mut s = format!("{} {}", self.indicator, self.quantity());
        let mut notes = Vec::new();
        if let Some(y) = self.year {
            notes.push(y.to_string());
        }
        if self.strive {
            notes.push("力争".to_string());
        }
        if self.redacted {
            notes.push("redacted".to_string());
        }
        if !notes.is_empty() {
            s.push_str(&format!(" ({})", notes.join(", ")));
        }
        s
    }
}

/// What a passage's targets depend on besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The document's type.
    pub doc_type: Option<DocType>,
    /// The passage's headings, outermost first.
    pub headings: &'a [String],
}

/// The targets of a passage.
pub fn extract_targets(text: &str, context: &Context) -> Vec<Target> {
    if context
        .doc_type
        .is_some_and(|t| words().no_target_types.contains(&t))
    {
        return Vec::new();
    }
    if context
        .headings
        .iter()
        .any(|h| words().review_headings.iter().any(|w| h.contains(w)))
    {
        return Vec::new();
    }
    let folded = fold_width(text);
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    for (start, end) in sentences(&chars) {
        out.extend(sentence_targets(&chars, start, end));
    }
    out
}

/// `[start, end)` of each sentence (ended by 。！？!?).
fn sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '。' | '！' | '？' | '!' | '?') {
            out.push((start, i));
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

fn is_clause_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '，' | '；' | '：')
}

fn text_of(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

/// A value found in the text, with its unit and the bound written after it.
#[derive(Debug, Clone)]
struct Quantity {
    /// Where the value starts.
    start: usize,
    value_text: String,
    unit: Option<String>,
    suffix_bound: Option<Bound>,
    /// The bound as written after the value (以上, 左右, 多).
    suffix_word: Option<&'static str>,
    /// End of the unit and the bound after it.
    span_end: usize,
    /// The clause it stands in.
    clause: usize,
}

/// How a quantity reads.
#[derive(Debug, Clone, Default)]
struct Reading {
    target: bool,
    bound: Bound,
    kind: Kind,
    strive: bool,
    /// The word of 力争 and the comparator before the value, as written.
    strive_word: Option<&'static str>,
    comparator_word: Option<&'static str>,
    indicator: String,
    /// Where the words it was read from start and end.
    from: usize,
    to: usize,
    /// Its indicator came from before the value (not after it).
    indicator_before: bool,
    /// It stands alone (a list member with no words of its own).
    bare: bool,
    /// The year its clause promises it for, and whether a 力争 governs
    /// that year ([`governing_year`]).
    year: Option<u16>,
    year_strive: bool,
}

fn sentence_targets(chars: &[char], start: usize, end: usize) -> Vec<Target> {
    let sentence = text_of(chars, start, end);
    if words()
        .sentence_markers
        .iter()
        .any(|m| sentence.contains(m))
        || month_span(&chars[start..end])
        || FULL_DATE.is_match(&sentence)
    {
        return Vec::new();
    }
    let clauses = clauses_of(chars, start, end);
    let quantities = find_quantities(chars, start, end, &clauses);
    let mut readings = read_quantities(chars, &clauses, &quantities);
    promote_measures(&mut readings, &quantities);
    let mut out = Vec::new();
    for group in list_groups(chars, &quantities, &readings) {
        group_targets(chars, &quantities, &readings, &group, &mut out);
    }
    out
}

/// The clauses of a sentence, as (start, end) in characters; a thousands
/// comma (1,200) breaks none.
fn clauses_of(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    let mut cs = start;
    for i in start..end {
        if is_clause_break(chars[i]) && !thousands_comma(chars, i, end) {
            clauses.push((cs, i));
            cs = i + 1;
        }
    }
    clauses.push((cs, end));
    clauses
}

/// Reads each quantity in the words between it and the value before it in
/// its clause.
fn read_quantities(
    chars: &[char],
    clauses: &[(usize, usize)],
    quantities: &[Quantity],
) -> Vec<Reading> {
    let mut readings: Vec<Reading> = Vec::with_capacity(quantities.len());
    for (qi, q) in quantities.iter().enumerate() {
        let (cstart, cend) = clauses[q.clause];
        let prev_end = qi
            .checked_sub(1)
            .map(|p| &quantities[p])
            .filter(|p| p.clause == q.clause)
            .map(|p| readings[qi - 1].to.max(p.span_end))
            .unwrap_or(cstart)
            .max(cstart);
        let next_start = quantities
            .get(qi + 1)
            .filter(|n| n.clause == q.clause)
            .map_or(cend, |n| n.start);
        let clause_before = text_of(chars, cstart, q.start);
        let pre = text_of(chars, prev_end.min(q.start), q.start);
        let after = text_of(chars, q.span_end, next_start);
        let (year, year_strive) = governing_year(chars, clauses, q.clause, q.start);
        let mut r = read_quantity(q, &pre, &clause_before, &after, year.is_some());
        r.from = prev_end.min(q.start) + leading_junk(&pre);
        if r.to == 0 {
            r.to = q.span_end;
        }
        r.strive |= year_strive;
        (r.year, r.year_strive) = (year, year_strive);
        // 实施100项重大工程和1000个重大项目: a value after a joiner continues
        // the list of the value before it.
        if !r.target
            && !pre.is_empty()
            && pre.chars().all(|c| words().joiners.contains(&c))
            && readings.last().is_some_and(|p| p.target)
            && quantities[qi - 1].clause == q.clause
        {
            r.target = true;
        }
        readings.push(r);
    }
    readings
}

/// 数字经济规模2.5万亿元 among other targets: a measure stated as a target.
fn promote_measures(readings: &mut [Reading], quantities: &[Quantity]) {
    if !readings.iter().any(|r| r.target) {
        return;
    }
    for (r, q) in readings.iter_mut().zip(quantities) {
        if !r.target
            && q.unit.is_some()
            && r.indicator_before
            && words().measures.iter().any(|m| r.indicator.ends_with(m))
        {
            r.target = true;
        }
    }
}

/// Lists: values joined only by 、/和 share the reading of their head. Each
/// group holds the indexes of its quantities.
fn list_groups(chars: &[char], quantities: &[Quantity], readings: &[Reading]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for qi in 0..quantities.len() {
        let joined = qi > 0 && {
            let (p, q) = (&quantities[qi - 1], &quantities[qi]);
            p.clause == q.clause
                && readings[qi].bare
                && chars[p.span_end..q.start]
                    .iter()
                    .all(|c| words().joiners.contains(c))
        };
        match groups.last_mut() {
            Some(g) if joined => g.push(qi),
            _ => groups.push(vec![qi]),
        }
    }
    groups
}

/// The targets of one list group: its head's reading carried to the others.
fn group_targets(
    chars: &[char],
    quantities: &[Quantity],
    readings: &[Reading],
    group: &[usize],
    out: &mut Vec<Target>,
) {
    let head = readings[group[0]].clone();
    let trailing_bound = group.iter().rev().find_map(|&i| quantities[i].suffix_bound);
    let trailing_word = group.iter().rev().find_map(|&i| quantities[i].suffix_word);
    let items = split_list(&head.indicator, group.len());
    for (k, &qi) in group.iter().enumerate() {
        let q = &quantities[qi];
        let mut r = readings[qi].clone();
        if k > 0 {
            r.target = head.target;
            r.kind = head.kind;
            r.strive |= head.strive;
            if q.suffix_bound.is_none() {
                r.bound = head.bound;
            }
            r.indicator = head.indicator.clone();
            r.from = head.from;
            r.comparator_word = head.comparator_word;
            r.strive_word = r.strive_word.or(head.strive_word);
        }
        if q.suffix_bound.is_none()
            && r.bound == Bound::Exact
            && let Some(b) = trailing_bound
        {
            r.bound = b;
        }
        if let Some(items) = &items {
            r.indicator = items[k].clone();
        }
        // A value with nothing it measures (又增长17%左右) is no data.
        if !r.target || r.indicator.is_empty() {
            continue;
        }
        let (year, year_strive) = (r.year, r.year_strive);
        let strive_word = r
            .strive_word
            .or_else(|| (r.strive && year_strive).then_some("力争"));
        let comparator = comparator_text(
            strive_word.filter(|_| r.strive),
            r.comparator_word,
            q.suffix_word.or(trailing_word),
        );
        let (value, value_max) = parse_value(&q.value_text);
        out.push(Target {
            indicator: r.indicator,
            value,
            value_max,
            redacted: q.value_text == "X",
            value_text: q.value_text.clone(),
            unit: q.unit.clone(),
            bound: r.bound,
            kind: r.kind,
            comparator,
            strive: r.strive,
            year,
            text: text_of(chars, r.from.min(q.start), r.to.max(q.span_end)),
        });
    }
}

/// The comparator as written: 力争 + 达到 + …以上.
fn comparator_text(
    strive: Option<&str>,
    before: Option<&str>,
    after: Option<&str>,
) -> Option<String> {
    let mut c = String::new();
    c.push_str(strive.unwrap_or(""));
    c.push_str(before.unwrap_or(""));
    if let Some(a) = after {
        c.push('…');
        c.push_str(a);
    }
    (!c.is_empty()).then_some(c)
}

/// A full date (2024年9月27日): the sentence tells of an event.
static FULL_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日").expect("valid regex")
});

/// 1-8月, 1—6月: a reporting period.
fn month_span(chars: &[char]) -> bool {
    let s: String = chars.iter().collect();
    let b = s.as_bytes();
    s.match_indices('月').any(|(i, _)| {
        // Walk back over digits, a dash and digits.
        let mut j = i;
        let digits = |j: &mut usize| {
            let from = *j;
            while *j > 0 && b[*j - 1].is_ascii_digit() {
                *j -= 1;
            }
            *j < from
        };
        if !digits(&mut j) {
            return false;
        }
        let before = &s[..j];
        let Some(dash) = ['-', '—', '–', '~', '至']
            .iter()
            .find(|d| before.ends_with(**d))
        else {
            return false;
        };
        j -= dash.len_utf8();
        digits(&mut j)
    })
}

/// The target year governing a value at `pos` in clause `clause`: the last
/// one named before it in the sentence; and whether it was introduced by
/// 力争/争取 (力争到2030年), which makes every target after it striven for.
fn governing_year(
    chars: &[char],
    clauses: &[(usize, usize)],
    clause: usize,
    pos: usize,
) -> (Option<u16>, bool) {
    for i in (0..=clause).rev() {
        let (s, e) = clauses[i];
        let e = if i == clause { pos } else { e };
        let text = text_of(chars, s, e);
        // 从2020年的10.5万元提高到2025年的14万元: a span, not a target.
        if text.contains('从') {
            continue;
        }
        if let Some(&y) = year::target_years(&text).last() {
            let strive = text.contains("力争") || text.contains("争取");
            return (Some(y), strive);
        }
    }
    (None, false)
}

/// Values with their units in `[start, end)`, outside quotes and names.
fn find_quantities(
    chars: &[char],
    start: usize,
    end: usize,
    clauses: &[(usize, usize)],
) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut quote_depth: i32 = 0;
    let mut i = start;
    while i < end {
        let c = chars[i];
        match c {
            '“' | '《' | '〈' | '‘' | '「' | '『' | '"' => {
                if c == '"' {
                    quote_depth = if quote_depth > 0 { 0 } else { 1 };
                } else {
                    quote_depth += 1;
                }
                i += 1;
                continue;
            }
            '”' | '》' | '〉' | '’' | '」' | '』' => {
                quote_depth = (quote_depth - 1).max(0);
                i += 1;
                continue;
            }
            _ => {}
        }
        let Some((vstart, vend, value_text)) = value_at(chars, i, end) else {
            i += 1;
            continue;
        };
        i = vend.max(i + 1);
        if quote_depth > 0 || is_name(chars, start, vstart, vend, &value_text) {
            continue;
        }
        let (unit, unit_end, more) = unit_at(chars, vend, end);
        let mut span_end = unit_end;
        let mut suffix_bound = more.then_some(Bound::AtLeast);
        let mut suffix_word = more.then_some("多");
        let rest = text_of(chars, unit_end, end.min(unit_end + 2));
        for (w, b) in &words().suffix_bounds {
            if rest.starts_with(w) {
                suffix_bound = Some(*b);
                suffix_word = Some(*w);
                span_end = unit_end + w.chars().count();
                break;
            }
        }
        let clause = clauses
            .iter()
            .position(|&(s, e)| vstart >= s && vstart < e.max(s + 1))
            .unwrap_or(clauses.len() - 1);
        out.push(Quantity {
            start: vstart,
            value_text,
            unit,
            suffix_bound,
            suffix_word,
            span_end,
            clause,
        });
        i = span_end.max(i);
    }
    out
}

/// A value starting at `i`: digits (a decimal, a range 1-2) or a redacted X.
fn value_at(chars: &[char], i: usize, end: usize) -> Option<(usize, usize, String)> {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|p| chars[p]);
    if c == 'X' {
        let next = chars.get(i + 1).copied();
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(prev) || latin(next) || matches!(next, Some('·' | '.')) {
            return None;
        }
        return Some((i, i + 1, "X".to_string()));
    }
    if !c.is_ascii_digit() || prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.') {
        return None;
    }
    let number = |mut j: usize| -> usize {
        while j < end && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j + 1 < end && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
            j += 1;
            while j < end && chars[j].is_ascii_digit() {
                j += 1;
            }
        }
        j
    };
    let mut j = number(i);
    // Thousands separators: 27,203,319,000元.
    while thousands_comma(chars, j, end) {
        j = number(j + 1);
    }
    // A range: 1-2个, 2—3家.
    if j + 1 < end
        && matches!(chars[j], '-' | '—' | '–' | '~' | '～')
        && chars[j + 1].is_ascii_digit()
    {
        j = number(j + 1);
    }
    // 2.5×106: scientific notation as scraped, unreadable.
    if matches!(chars.get(j), Some('×' | '*')) {
        return None;
    }
    // Glued to Latin letters (5G) it is a name, unless they are a unit.
    if chars.get(j).is_some_and(|c| c.is_ascii_alphabetic()) && latin_unit(chars, j).is_none() {
        return None;
    }
    let text: String = chars[i..j]
        .iter()
        .filter(|&&c| c != ',')
        .map(|&c| {
            if matches!(c, '—' | '–' | '~' | '～') {
                '-'
            } else {
                c
            }
        })
        .collect();
    Some((i, j, text))
}

/// A comma between digits that separates thousands (1,000 but not 1,2).
fn thousands_comma(chars: &[char], at: usize, end: usize) -> bool {
    at + 3 < end.max(at + 4).min(chars.len() + 1)
        && chars.get(at) == Some(&',')
        && at > 0
        && chars[at - 1].is_ascii_digit()
        && (1..=3).all(|k| chars.get(at + k).is_some_and(char::is_ascii_digit))
        && !chars.get(at + 4).is_some_and(char::is_ascii_digit)
}

/// A Latin unit starting at `at`.
fn latin_unit(chars: &[char], at: usize) -> Option<&'static str> {
    let rest: String = chars[at..chars.len().min(at + 8)].iter().collect();
    words().latin_units.iter().copied().find(|u| {
        rest.starts_with(u)
            && !rest[u.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
    })
}

/// List numbers (1. (13) 4、), ordinals (第3), and years (2025年, 2030先锋).
fn is_name(chars: &[char], sentence_start: usize, start: usize, end: usize, text: &str) -> bool {
    let prev = start.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(end).copied();
    if prev == Some('第') || next == Some('级') || next == Some('星') {
        return true;
    }
    if prev == Some('(') && next == Some(')') {
        return true;
    }
    let at_clause_start = start == sentence_start
        || prev.is_some_and(|p| is_clause_break(p) || p.is_whitespace() || p == '(');
    if at_clause_start && matches!(next, Some('.' | '、' | ')')) {
        return true;
    }
    if let Ok(n) = text.parse::<u32>()
        && (1900..=2100).contains(&n)
        && text.len() == 4
    {
        // A year, unless money or a count follows (2000亿元).
        let after: String = chars[end..chars.len().min(end + 3)].iter().collect();
        let unit = words()
            .units
            .iter()
            .find(|u| after.starts_with(**u))
            .filter(|u| !words().time_units.contains(u));
        return unit.is_none();
    }
    false
}

/// The unit after a value, if any (with a compound "/亿元"), and where it ends.
fn unit_at(chars: &[char], at: usize, end: usize) -> (Option<String>, usize, bool) {
    let mut at = at;
    // 200多亿元, 50余个: more than the value.
    let more = matches!(chars.get(at), Some('多' | '余'));
    if more {
        at += 1;
    }
    // 至少在 2 类: a space between value and unit.
    let mut start = at;
    while start < end && chars[start] == ' ' {
        start += 1;
    }
    if let Some(u) = latin_unit(chars, start) {
        return (Some(u.to_string()), start + u.chars().count(), more);
    }
    let rest = text_of(chars, start, end.min(start + 6));
    let Some(unit) = words().units.iter().find(|u| rest.starts_with(**u)) else {
        return (None, at, false);
    };
    let mut unit = unit.to_string();
    let mut unit_end = start + unit.chars().count();
    // A compound unit: 公顷/亿元, 元/吨.
    if chars.get(unit_end) == Some(&'/') {
        let rest = text_of(chars, unit_end + 1, end.min(unit_end + 6));
        if let Some(second) = words().units.iter().find(|u| rest.starts_with(**u)) {
            unit.push('/');
            unit.push_str(second);
            unit_end += 1 + second.chars().count();
        }
    }
    // 100条(个): an alternative unit in parentheses.
    if chars.get(unit_end) == Some(&'(') {
        let rest = text_of(chars, unit_end + 1, end.min(unit_end + 5));
        if let Some(alt) = words().units.iter().find(|u| rest.starts_with(**u))
            && chars.get(unit_end + 1 + alt.chars().count()) == Some(&')')
        {
            unit_end += 2 + alt.chars().count();
        }
    }
    (Some(unit), unit_end, more)
}

/// How many leading characters of `pre` are joiners and punctuation.
fn leading_junk(pre: &str) -> usize {
    pre.chars()
        .take_while(|c| words().joiners.contains(c) || is_clause_break(*c) || c.is_whitespace())
        .count()
}

/// Reads one quantity: whether it is a target, its bound, kind and indicator.
///
/// `pre` is the text between the previous value of its clause (or the clause
/// start) and the value; `clause_before` the whole clause up to the value;
/// `after` the text after its unit and bound up to the next value or the
/// clause end.
fn read_quantity(
    q: &Quantity,
    pre: &str,
    clause_before: &str,
    after: &str,
    has_year: bool,
) -> Reading {
    let mut r = Reading {
        bound: q.suffix_bound.unwrap_or_default(),
        ..Default::default()
    };
    if words()
        .clause_markers
        .iter()
        .any(|m| clause_before.contains(m))
        || (!has_year && clause_before.contains("累计"))
        || done(clause_before)
    {
        return r;
    }
    let pre_words = strip_leading(pre.trim_start_matches(|c: char| {
        words().joiners.contains(&c) || is_clause_break(c) || c.is_whitespace()
    }));
    let noun_after = noun_after(after);
    let shape = read_shape(
        q,
        &pre_words,
        clause_before,
        after,
        noun_after.is_some(),
        &mut r,
    );
    read_indicator(q, &shape, &pre_words, after, noun_after, &mut r);
    r
}

/// What the words before a value make of it, beyond what [`read_shape`]
/// writes into the reading.
struct Shape {
    /// The words that may name the indicator.
    indicator_head: String,
    /// The noun a verb of change governs (增加支出42亿元: 支出).
    changed_noun: Option<String>,
    /// Where a verb of delivery ends in `indicator_head`.
    delivery: Option<usize>,
}

/// Reads the comparator, the strive word, the kind of change and whether
/// the form makes a target, into `r`.
fn read_shape(
    q: &Quantity,
    pre_words: &str,
    clause_before: &str,
    after: &str,
    has_noun_after: bool,
    r: &mut Reading,
) -> Shape {
    // The comparator right before the value, past fillers.
    let (head, comparator) = split_comparator(pre_words);
    r.strive_word = ["力争", "争取", "努力"]
        .into_iter()
        .find(|w| clause_before.contains(w));
    r.strive = r.strive_word.is_some();
    let mut form = q.suffix_bound.is_some();
    if let Some((word, bound, kind)) = comparator {
        form = true;
        if q.suffix_bound.is_none() {
            r.bound = bound;
        }
        r.kind = kind;
        r.comparator_word = Some(word);
    }
    let mut indicator_head = head.clone();
    let mut changed_noun = None;
    if comparator.is_none() {
        if let Some((kind, before_margin)) = margin(pre_words) {
            form = true;
            r.kind = kind;
            indicator_head = before_margin;
        }
        if let Some((kind, noun)) = changed(pre_words) {
            form = true;
            r.kind = kind;
            changed_noun = Some(noun);
        }
    }
    let counted = q
        .unit
        .as_deref()
        .is_some_and(|u| words().count_units.contains(&u));
    // 提升21个酒旅融合景区运营水平: a count of things to improve, not an increase.
    if r.kind == Kind::Increase && counted && has_noun_after && head.trim().is_empty() {
        r.kind = Kind::Level;
    }
    let delivery = match delivery_in(&indicator_head, comparator.is_none()) {
        // 推动建设超100条幸福河湖: the verb ends the words, the noun follows.
        Some(i)
            if indicator_head[i..]
                .trim_matches(&words().joiners[..])
                .is_empty() =>
        {
            Some(i)
        }
        // With a comparator the words before it are the indicator whole
        // (推介重大项目总投资不低于2000亿元).
        Some(i) if comparator.is_none() => Some(i),
        _ => None,
    };
    form |= delivers(pre_words, clause_before, after, counted && has_noun_after);
    let time = q
        .unit
        .as_deref()
        .is_some_and(|u| words().time_units.contains(&u));
    let bounded = comparator.is_some() || q.suffix_bound.is_some();
    if (time || q.unit.is_none()) && !bounded {
        form = false;
    }
    r.target = form;
    Shape {
        indicator_head,
        changed_noun,
        delivery,
    }
}

/// Whether the clause delivers the value: a strong verb of delivery in it, a
/// verb of delivery near the value (but 等4个方面, a count summing up a
/// list, only describes), or a count of things opening a clause of tasks
/// (150项服务事项纳入…; `counts_a_noun`: a count unit with a noun after it).
fn delivers(pre_words: &str, clause_before: &str, after: &str, counts_a_noun: bool) -> bool {
    let clause_delivers = words()
        .strong_delivery
        .iter()
        .any(|v| clause_before.contains(v))
        || (delivery_near(pre_words) && !pre_words.ends_with('等'));
    let count_first = pre_words.is_empty()
        && counts_a_noun
        && words().phrase_ends.iter().any(|v| after.contains(v));
    clause_delivers || count_first
}

/// 高于全市平均水平25%: a margin over a reference, and the words before it.
fn margin(pre_words: &str) -> Option<(Kind, String)> {
    let mut found = None;
    for (word, kind) in [("高于", Kind::Increase), ("低于", Kind::Decrease)] {
        if let Some(i) = pre_words.find(word) {
            found = Some((kind, pre_words[..i].to_string()));
        }
    }
    found
}

/// 将增加支出42亿元: a change of a noun, and the noun.
fn changed(pre_words: &str) -> Option<(Kind, String)> {
    let mut found = None;
    for (verb, kind) in [
        ("增加", Kind::Increase),
        ("提高", Kind::Increase),
        ("减少", Kind::Decrease),
        ("降低", Kind::Decrease),
    ] {
        if let Some(i) = pre_words.rfind(verb) {
            let noun = &pre_words[i + verb.len()..];
            if (1..=6).contains(&noun.chars().count()) && !noun.contains('、') {
                found = Some((kind, noun.to_string()));
            }
        }
    }
    found
}

/// The indicator: the words before the value, past any verb of delivery;
/// else the noun phrase after it (培育2-3家龙头企业).
fn read_indicator(
    q: &Quantity,
    shape: &Shape,
    pre_words: &str,
    after: &str,
    noun_after: Option<String>,
    r: &mut Reading,
) {
    let before = match (&shape.changed_noun, shape.delivery) {
        (Some(noun), _) => noun.clone(),
        (None, Some(i)) => shape.indicator_head[i..].to_string(),
        (None, None) => shape.indicator_head.clone(),
    };
    let before = trim_indicator(&before);
    // 关键通用技术、伦理等20项以上重点标准: what precedes 等 only exemplifies;
    // 覆盖不少于8个学科领域: a verb before the value, the noun after it counts.
    let ends_with_verb = words()
        .phrase_ends
        .iter()
        .chain(delivery_verbs())
        .any(|v| before.ends_with(v));
    let before = if noun_after.is_some() && (before.ends_with('等') || ends_with_verb) {
        String::new()
    } else {
        before
    };
    match (noun_after, before.is_empty()) {
        (Some(noun), true) => {
            r.to = q.span_end
                + after
                    .find(noun.as_str())
                    .map_or(0, |b| after[..b].chars().count())
                + noun.chars().count();
            r.indicator = noun;
        }
        (_, false) => {
            r.indicator = before;
            r.indicator_before = true;
        }
        (None, true) => {
            // 投入1亿元实施…: the verb names what is counted.
            r.indicator = words()
                .delivery_adjacent
                .iter()
                .find(|v| pre_words.ends_with(**v))
                .map(|v| v.to_string())
                .unwrap_or_default();
            r.bare = r.indicator.is_empty();
        }
    }
}

/// A verb marked as done (降低了10%, 建成了): the clause reports a result.
fn done(clause: &str) -> bool {
    clause.match_indices('了').any(|(i, _)| {
        let before = &clause[..i];
        words()
            .comparators
            .iter()
            .any(|(w, ..)| w.chars().count() > 1 && before.ends_with(w))
            || delivery_verbs().any(|v| before.ends_with(v))
    })
}

/// Drops year phrases and words that open a clause without naming anything
/// (到2025年, 其中, 力争, 全年).
fn strip_leading(text: &str) -> String {
    let mut s = text.trim().to_string();
    loop {
        let before = s.clone();
        for w in [
            "其中", "力争", "争取", "确保", "努力", "全年", "今年", "每年", "同时", "预计", "到",
            "至", "将",
        ] {
            if let Some(rest) = s.strip_prefix(w) {
                s = rest.to_string();
            }
        }
        // A year phrase: 2025年, 2020年底前, 2021年年底.
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 4 && s[4..].starts_with('年') {
            let mut rest = &s[4 + '年'.len_utf8()..];
            for w in ["年底前", "年底", "底前", "末前", "之前", "前", "底", "末"] {
                if let Some(r) = rest.strip_prefix(w) {
                    rest = r;
                    break;
                }
            }
            s = rest.to_string();
        }
        // A list marker: (三), 3.
        if s.starts_with('(')
            && let Some(close) = s.find(')')
            && s[1..close]
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        {
            s = s[close + 1..].to_string();
        }
        s = s.trim_start_matches(['，', ',', ' ']).to_string();
        if s == before {
            return s;
        }
    }
}

/// Splits the comparator (and fillers) off the end of the words before a value.
fn split_comparator(pre: &str) -> (String, Option<(&'static str, Bound, Kind)>) {
    let mut s = pre.trim_end().to_string();
    let mut found = None;
    loop {
        let mut changed = false;
        for f in &words().fillers {
            if let Some(rest) = s.strip_suffix(f) {
                s = rest.to_string();
                changed = true;
            }
        }
        if found.is_none()
            && let Some(&(w, b, k)) = words().comparators.iter().find(|(w, ..)| s.ends_with(w))
        {
            // "在" and "为" only as the last word before the value.
            s.truncate(s.len() - w.len());
            found = Some((w, b, k));
            changed = true;
        }
        if !changed {
            break;
        }
    }
    (s, found)
}

/// Where the indicator starts when a verb of delivery precedes it: just after
/// the last such verb (全年新增各类市场主体 → 各类市场主体).
fn delivery_in(text: &str, adjacent: bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for v in delivery_verbs() {
        if let Some(i) = text.rfind(v) {
            let mut end = i + v.len();
            // A complement belongs to the verb: 遴选出, 建设好.
            for c in ['出', '好', '了'] {
                if text[end..].starts_with(c) {
                    end += c.len_utf8();
                }
            }
            best = Some(best.map_or(end, |b: usize| b.max(end)));
        }
    }
    if adjacent && words().delivery_adjacent.iter().any(|v| text.ends_with(v)) {
        best = Some(text.len());
    }
    best
}

/// A verb of delivery close before the value, with no list between
/// (全年实现利用内资30亿元; not 经济发展、创新驱动…24个主要指标).
fn delivery_near(pre: &str) -> bool {
    words().delivery_adjacent.iter().any(|v| pre.ends_with(v))
        || delivery_verbs().any(|v| {
            pre.rfind(v).is_some_and(|i| {
                let between = &pre[i + v.len()..];
                !between.contains('、') && between.chars().count() <= 8
            })
        })
}

/// The noun phrase right after a value (培育2-3家龙头企业: 龙头企业), up to the
/// verb that follows it, the last 的 before it, or a joiner.
fn noun_after(after: &str) -> Option<String> {
    // 30%以上的行政审批事项: the noun follows 的.
    let after = after.strip_prefix('的').unwrap_or(after);
    let first = after.chars().next()?;
    if words().joiners.contains(&first) || is_clause_break(first) || !crate::text::is_cjk(first) {
        // A quote opens a name that is still a noun (400个“三品一标”农产品品牌).
        if first != '“' {
            return None;
        }
    }
    if delivery_verbs()
        .chain(&words().delivery_adjacent)
        .chain(&words().phrase_ends)
        .any(|v| after.starts_with(v))
        || words()
            .comparators
            .iter()
            .any(|(w, ..)| after.starts_with(w))
    {
        return None;
    }
    let mut end = after.len();
    for v in &words().phrase_ends {
        if let Some(i) = after.find(v)
            && i > 0
        {
            end = end.min(i);
        }
    }
    // A verb inside a list of modifiers (有基础、有潜力、能形成竞争力的特色主导产业)
    // does not end the phrase: the noun is what follows the last 的.
    let head = &after[..end];
    if head.contains('、') || head.ends_with('能') || head.ends_with('可') {
        end = after.len();
    }
    let mut phrase = after[..end]
        .trim_end_matches(&words().joiners[..])
        .to_string();
    if let Some(i) = phrase.rfind('的') {
        // 具有代表性的标准应用试点项目: a modifier with a verb, the noun follows;
        // 重点标准的预研工作: a noun owns what follows, the count is of it.
        let (head, tail) = (&phrase[..i], &phrase[i + '的'.len_utf8()..]);
        if tail.chars().count() >= 2 {
            phrase = if has_verb(head) { tail } else { head }.to_string();
        }
    }
    let phrase = trim_indicator(&phrase);
    (!phrase.is_empty()).then_some(phrase)
}

/// Whether jieba tags a verb in `text`.
fn has_verb(text: &str) -> bool {
    crate::tokenizer::builtin_jieba()
        .tag(text, true)
        .iter()
        .any(|t| t.tag.starts_with('v'))
}

/// Trims joiners, punctuation and a dangling 的 from an indicator; a single
/// character left (为, 对) names nothing.
fn trim_indicator(s: &str) -> String {
    let t = s.trim_matches(|c: char| {
        words().joiners.contains(&c) || is_clause_break(c) || c.is_whitespace() || c == '的'
    });
    if t.chars().count() < 2 {
        String::new()
    } else {
        t.to_string()
    }
}

/// 分别 pairs listed indicators with listed values: 牛饲养量、出栏量分别达到X万头、X万头.
fn split_list(indicator: &str, values: usize) -> Option<Vec<String>> {
    if values < 2 {
        return None;
    }
    // 、 inside parentheses (各省(区、市)) does not list indicators.
    let mut items: Vec<String> = vec![String::new()];
    let mut depth = 0i32;
    for c in indicator.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ => {}
        }
        if c == '、' && depth == 0 {
            items.push(String::new());
        } else if let Some(last) = items.last_mut() {
            last.push(c);
        }
    }
    let items: Vec<String> = items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    (items.len() == values).then_some(items)
}

/// `(value, high end of a range)` of a value as written; X has none.
fn parse_value(text: &str) -> (Option<f64>, Option<f64>) {
    match text.split_once('-') {
        Some((a, b)) => (a.parse().ok(), b.parse().ok()),
        None => (text.parse().ok(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indicator, value, unit, bound, year.
    type Read = (String, String, Option<String>, Bound, Option<u16>);

    fn read(text: &str) -> Vec<Read> {
        extract_targets(text, &Context::default())
            .into_iter()
            .map(|t| (t.indicator, t.value_text, t.unit, t.bound, t.year))
            .collect()
    }

    type Row = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Bound,
        Option<u16>,
    );

    #[test]
    fn reads_targets_from_real_sentences() {
        use Bound::*;
        let cases: &[(&str, &[Row])] = &[
            // Seed 001: 超, 分别 over a list of values, 力争达到.
            (
                "到2025年,示范县生产总值超600亿元,一般公共预算收入超40亿元;其他县区生产总值分别超500亿元、400亿元。",
                &[
                    ("示范县生产总值", "600", Some("亿元"), AtLeast, Some(2025)),
                    ("一般公共预算收入", "40", Some("亿元"), AtLeast, Some(2025)),
                    ("其他县区生产总值", "500", Some("亿元"), AtLeast, Some(2025)),
                    ("其他县区生产总值", "400", Some("亿元"), AtLeast, Some(2025)),
                ],
            ),
            // Seed 000: redacted values, 分别 pairing indicators with values.
            (
                "新建日光温室X座、钢架大棚X座,蔬菜面积、产量分别达到X万亩、X万吨。",
                &[
                    ("日光温室", "X", Some("座"), Exact, None),
                    ("钢架大棚", "X", Some("座"), Exact, None),
                    ("蔬菜面积", "X", Some("万亩"), Exact, None),
                    ("产量", "X", Some("万吨"), Exact, None),
                ],
            ),
            // Seed 002: 稳定在…以上; 投入 names what a sum is for; a count after a verb.
            (
                "粮食种植面积稳定在150万亩以上。投入1亿元实施小五站河河流整治,完成190条侵蚀沟治理。",
                &[
                    ("粮食种植面积", "150", Some("万亩"), AtLeast, None),
                    ("投入", "1", Some("亿元"), Exact, None),
                    ("侵蚀沟治理", "190", Some("条"), Exact, None),
                ],
            ),
            // Seed 003: 控制在…以内, a compound unit, a rate without unit.
            (
                "确保到2020年,年用水总量控制在20.11亿立方米以内;农田灌溉水有效利用系数提高到0.6以上。到2020年单位GDP建设用地使用面积达到95公顷/亿元。",
                &[
                    ("年用水总量", "20.11", Some("亿立方米"), AtMost, Some(2020)),
                    ("农田灌溉水有效利用系数", "0.6", None, AtLeast, Some(2020)),
                    (
                        "单位GDP建设用地使用面积",
                        "95",
                        Some("公顷/亿元"),
                        Exact,
                        Some(2020),
                    ),
                ],
            ),
            // A range and 左右 after a verb of delivery (seed 001).
            (
                "创建2个省级智能化产业园区,建成30家左右绿色示范工厂,力争成功创建1-2个省级绿色示范园区。",
                &[
                    ("省级智能化产业园区", "2", Some("个"), Exact, None),
                    ("绿色示范工厂", "30", Some("家"), About, None),
                    ("省级绿色示范园区", "1-2", Some("个"), Exact, None),
                ],
            ),
            // Results: 同比, 累计, 现有; rules: rewards; names: quotes, 5G, XA级.
            ("全县规上工业企业完成工业总产值X亿元,同比增长X%。", &[]),
            ("累计接待游客X万人(次)。依托现有X个XA级旅游景区。", &[]),
            (
                "县域经济高质量发展市级年度考核第一名的县和区,分别奖励资金100万元。",
                &[],
            ),
            ("大力实施“3个100”市重点工程。", &[]),
            (
                "新建5G基站82个。",
                &[("5G基站", "82", Some("个"), Exact, None)],
            ),
            // Chinese numerals and list numbers are not values.
            ("1. 提升农业产业化发展水平。实施乡村经济提质三年行动。", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<Read> = want
                .iter()
                .map(|(i, v, u, b, y)| {
                    (i.to_string(), v.to_string(), u.map(str::to_string), *b, *y)
                })
                .collect();
            assert_eq!(read(text), want, "{text}");
        }
    }

    #[test]
    fn strive_and_change_are_read() {
        let t = extract_targets(
            "力争到2030年,重庆经西部陆海新通道货运量达到50万标箱。农产品加工业产值年均增长10%以上。万元GDP用水量比2015年降低34%。",
            &Context::default(),
        );
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[0].strive && t[0].year == Some(2030));
        assert_eq!((t[1].kind, t[1].bound), (Kind::Increase, Bound::AtLeast));
        assert_eq!(t[2].kind, Kind::Decrease);
        assert_eq!(t[2].year, None, "比2015年 is a baseline");
        assert!(t.iter().all(|t| !t.redacted));
    }

    #[test]
    fn reviews_regulations_and_bulletins_promise_nothing() {
        let review = ["一、2024年工作回顾".to_string()];
        let text = "粮食总产量稳定在100万吨以上,新建高标准农田50万亩。";
        assert_eq!(extract_targets(text, &Context::default()).len(), 2);
        let in_review = Context {
            headings: &review,
            ..Default::default()
        };
        assert!(extract_targets(text, &in_review).is_empty());
        for t in [DocType::Regulation, DocType::StatisticalBulletin] {
            let cx = Context {
                doc_type: Some(t),
                headings: &[],
            };
            assert!(extract_targets(text, &cx).is_empty(), "{t:?}");
        }
    }

    #[test]
    fn comparators_are_kept_as_written() {
        let t = extract_targets(
            "到2025年,示范县生产总值超600亿元,一般公共预算收入分别力争达到30亿元、16亿元。建成30家左右绿色示范工厂。农产品加工业产值年均增长10%以上。新建日光温室X座。",
            &Context::default(),
        );
        let written: Vec<Option<&str>> = t.iter().map(|t| t.comparator.as_deref()).collect();
        assert_eq!(
            written,
            [
                Some("超"),
                Some("力争达到"),
                Some("力争达到"),
                Some("…左右"),
                Some("增长…以上"),
                None
            ]
        );
    }

    #[test]
    fn summaries_show_bound_change_year_and_redaction() {
        let t = extract_targets(
            "到2025年,示范县生产总值超600亿元。新建日光温室X座。",
            &Context::default(),
        );
        assert_eq!(t[0].summary(), "示范县生产总值 ≥600亿元 (2025)");
        assert_eq!(t[1].summary(), "日光温室 X座 (redacted)");
        assert_eq!(t[0].value, Some(600.0));
        assert_eq!(t[1].value, None);
    }
}
