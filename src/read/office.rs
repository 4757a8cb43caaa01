//! What the word-processor readers (DOCX, ODT, DOC/WPS) share: list numbers
//! rendered as the editor shows them, soft line breaks joined the way Chinese
//! text reads, a title from document properties only when it is plausibly the
//! document's, and small XML helpers.
//!
//! Automatic numbering matters here: a 规划 written in Word keeps "一、",
//! "（一）" and "1." only in the list definition, not in the text runs, and
//! plansearch's structure depends on those markers.

use quick_xml::events::{BytesRef, BytesStart};

/// How a list level writes its number (Word's `w:numFmt`, ODF's
/// `style:num-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberFormat {
    Decimal,
    DecimalZero,
    UpperRoman,
    LowerRoman,
    UpperLetter,
    LowerLetter,
    /// 一, 二 … 十, 十一 … 二十 (Word's chineseCounting and chineseCountingThousand).
    ChineseCounting,
    /// 壹, 贰, 叁 … 拾.
    ChineseLegal,
    /// 甲, 乙, 丙 … (the ten heavenly stems).
    HeavenlyStems,
    /// 子, 丑, 寅 … (the twelve earthly branches).
    EarthlyBranches,
    /// Each decimal digit as an ideograph: 一〇 for 10.
    IdeographDigital,
    /// １, ２, ３ (full-width digits).
    FullWidth,
    /// ①, ②, ③.
    Circled,
    /// ⑴, ⑵, ⑶.
    Parenthesized,
    /// ⒈, ⒉, ⒊.
    FullStop,
    /// ㈠, ㈡, ㈢.
    IdeographParenthesized,
    /// A bullet: no number to show.
    Bullet,
    /// The level shows no number.
    None,
}

impl NumberFormat {
    /// Word's `w:numFmt w:val`; formats for other scripts fall back to decimal.
    pub(crate) fn from_word(value: &str) -> NumberFormat {
        match value {
            "decimalZero" => NumberFormat::DecimalZero,
            "upperRoman" => NumberFormat::UpperRoman,
            "lowerRoman" => NumberFormat::LowerRoman,
            "upperLetter" => NumberFormat::UpperLetter,
            "lowerLetter" => NumberFormat::LowerLetter,
            "chineseCounting"
            | "chineseCountingThousand"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand"
            | "japaneseCounting" => NumberFormat::ChineseCounting,
            "chineseLegalSimplified" | "ideographLegalTraditional" => NumberFormat::ChineseLegal,
            "ideographTraditional" => NumberFormat::HeavenlyStems,
            "ideographZodiac" => NumberFormat::EarthlyBranches,
            "ideographDigital" | "taiwaneseDigital" => NumberFormat::IdeographDigital,
            "decimalFullWidth" | "decimalFullWidth2" => NumberFormat::FullWidth,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => NumberFormat::Circled,
            "decimalEnclosedParen" => NumberFormat::Parenthesized,
            "decimalEnclosedFullstop" => NumberFormat::FullStop,
            "ideographEnclosedCircle" => NumberFormat::IdeographParenthesized,
            "bullet" => NumberFormat::Bullet,
            "none" => NumberFormat::None,
            _ => NumberFormat::Decimal,
        }
    }

    /// ODF's `style:num-format`: "1", "a", "A", "i", "I", or (LibreOffice) a
    /// sample list such as "一, 二, 三, ...".
    pub(crate) fn from_odf(value: &str) -> NumberFormat {
        match value.chars().next() {
            None => NumberFormat::None,
            Some('1') => NumberFormat::Decimal,
            Some('a') => NumberFormat::LowerLetter,
            Some('A') => NumberFormat::UpperLetter,
            Some('i') => NumberFormat::LowerRoman,
            Some('I') => NumberFormat::UpperRoman,
            Some('一') => NumberFormat::ChineseCounting,
            Some('壹') => NumberFormat::ChineseLegal,
            Some('甲') => NumberFormat::HeavenlyStems,
            Some('子') => NumberFormat::EarthlyBranches,
            Some('１') => NumberFormat::FullWidth,
            Some('①') => NumberFormat::Circled,
            Some('⑴') => NumberFormat::Parenthesized,
            Some('⒈') => NumberFormat::FullStop,
            Some('㈠') => NumberFormat::IdeographParenthesized,
            Some('0') if value.starts_with("01") => NumberFormat::DecimalZero,
            Some(_) => NumberFormat::Decimal,
        }
    }

    /// The number `n` as this format writes it; `None` for bullets.
    pub(crate) fn render(self, n: u32) -> Option<String> {
        Some(match self {
            NumberFormat::Decimal => n.to_string(),
            NumberFormat::DecimalZero => format!("{n:02}"),
            NumberFormat::UpperRoman => roman(n),
            NumberFormat::LowerRoman => roman(n).to_lowercase(),
            NumberFormat::UpperLetter => letters(n, 'A'),
            NumberFormat::LowerLetter => letters(n, 'a'),
            NumberFormat::ChineseCounting => chinese(n, &CHINESE_DIGITS, ["十", "百", "千"]),
            NumberFormat::ChineseLegal => chinese(n, &LEGAL_DIGITS, ["拾", "佰", "仟"]),
            NumberFormat::HeavenlyStems => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
            NumberFormat::EarthlyBranches => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
            NumberFormat::IdeographDigital => n
                .to_string()
                .chars()
                .map(|d| CHINESE_DIGITS[d as usize - '0' as usize])
                .collect(),
            NumberFormat::FullWidth => n
                .to_string()
                .chars()
                .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10))
                .collect(),
            NumberFormat::Circled => enclosed(n, 0x2460, 20),
            NumberFormat::Parenthesized => enclosed(n, 0x2474, 20),
            NumberFormat::FullStop => enclosed(n, 0x2488, 20),
            NumberFormat::IdeographParenthesized => enclosed(n, 0x3220, 10),
            NumberFormat::None => String::new(),
            NumberFormat::Bullet => return None,
        })
    }
}

const CHINESE_DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const LEGAL_DIGITS: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];

/// A Chinese numeral below 10,000 as Word and WPS count lists: 十, 十一,
/// 二十, 一百零五; larger numbers as digits.
fn chinese(n: u32, digits: &[&str; 10], units: [&str; 3]) -> String {
    if n >= 10_000 {
        return n.to_string();
    }
    if n < 10 {
        return digits[n as usize].to_string();
    }
    if n < 20 {
        let ones = n % 10;
        return format!(
            "{}{}",
            units[0],
            if ones > 0 { digits[ones as usize] } else { "" }
        );
    }
    let places = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
    let unit_of = [Some(units[2]), Some(units[1]), Some(units[0]), None];
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &d) in places.iter().enumerate() {
        if d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push_str(if digits[0] == "〇" { "零" } else { digits[0] });
            zero_pending = false;
        }
        out.push_str(digits[d as usize]);
        if let Some(unit) = unit_of[i] {
            out.push_str(unit);
        }
    }
    out
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// A, B … Z, AA, BB … as Word letters lists.
fn letters(n: u32, first: char) -> String {
    if n == 0 {
        return "0".into();
    }
    let letter = char::from_u32(first as u32 + (n - 1) % 26).unwrap_or(first);
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
}

fn cycle(n: u32, signs: &str) -> String {
    let signs: Vec<char> = signs.chars().collect();
    if n == 0 {
        return "0".into();
    }
    signs[(n as usize - 1) % signs.len()].to_string()
}

/// ①…⑳ and the like: a run of `count` enclosed numbers from `first`.
fn enclosed(n: u32, first: u32, count: u32) -> String {
    if (1..=count).contains(&n) {
        char::from_u32(first + n - 1).map_or_else(|| n.to_string(), String::from)
    } else {
        n.to_string()
    }
}

/// The text between a list number and the paragraph: nothing after a
/// full-width mark ("一、", "（一）"), a space after "1." or "(1)", so the
/// marker stays a separate token.
pub(crate) fn after_marker(marker: &str) -> &'static str {
    match marker.chars().last() {
        Some(c) if is_wide(c) => "",
        Some(_) => " ",
        None => "",
    }
}

/// Ideographs and full-width punctuation, between which Chinese text has no
/// spaces.
pub(crate) fn is_wide(c: char) -> bool {
    crate::text::is_cjk(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201D | 0x2026)
}

/// Marks a soft line break in a paragraph being collected; [`finish_paragraph`]
/// resolves it.
pub(crate) const SOFT_BREAK: char = '\n';

/// A collected paragraph as one line: soft breaks vanish between two wide
/// characters (a wrap inside a Chinese sentence) and become one space
/// elsewhere; tabs and runs of spaces become one space; the ends are trimmed.
pub(crate) fn finish_paragraph(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_break = false;
    let mut pending_space = false;
    for c in raw.chars() {
        match c {
            SOFT_BREAK => pending_break = true,
            '\t' | ' ' | '\u{a0}' | '\r' => pending_space = true,
            _ => {
                if !out.is_empty() && (pending_break || pending_space) {
                    let joins_tight = pending_break
                        && !pending_space
                        && out.chars().next_back().is_some_and(is_wide)
                        && is_wide(c);
                    if !joins_tight {
                        out.push(' ');
                    }
                }
                pending_break = false;
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Appends paragraph `text` to a table cell, a space between paragraphs
/// unless both sides are wide.
pub(crate) fn append_to_cell(cell: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if let (Some(last), Some(first)) = (cell.chars().next_back(), text.chars().next())
        && !(is_wide(last) && is_wide(first))
    {
        cell.push(' ');
    }
    cell.push_str(text);
}

/// A table row as one line: cells joined by tabs, empty trailing cells
/// dropped; `None` for a row with no text.
pub(crate) fn row_line(cells: &[String]) -> Option<String> {
    let last = cells.iter().rposition(|c| !c.trim().is_empty())?;
    Some(
        cells[..=last]
            .iter()
            .map(|c| c.trim())
            .collect::<Vec<_>>()
            .join("\t"),
    )
}

/// True when a title from document properties is plausibly the document's
/// own: Word and WPS fill it with "Microsoft Word - 文档1.doc", a template's
/// title, an author's name or nothing. A real title has some ideographs, is
/// not a file name, and either appears in the text's first lines or ends as
/// an official document's title does (报告, 方案, 意见…).
pub(crate) fn plausible_title(title: &str, first_lines: &[&str]) -> bool {
    let title = title.trim();
    let chars = title.chars().count();
    let ideographs = title.chars().filter(|&c| crate::text::is_cjk(c)).count();
    let lower = title.to_lowercase();
    let junk = lower.starts_with("microsoft word")
        || [".doc", ".wps", ".rtf", ".txt", ".odt"]
            .iter()
            .any(|ext| lower.contains(ext))
        || [
            "文档",
            "无标题",
            "新建",
            "untitled",
            "document",
            "模板",
            "模版",
        ]
        .iter()
        .any(|w| lower.starts_with(w));
    if junk || ideographs < 4 || !(5..=120).contains(&chars) {
        return false;
    }
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let wanted = squeeze(title);
    let in_text = first_lines
        .iter()
        .take(20)
        .any(|line| squeeze(line).contains(&wanted));
    const TITLE_ENDS: &[&str] = &[
        "报告", "规划", "方案", "意见", "通知", "办法", "条例", "规定", "决定", "公报", "纲要",
        "计划", "细则", "通告", "公告", "批复", "函", "要点", "总结", "决议", "措施", "指南",
    ];
    in_text || TITLE_ENDS.iter().any(|end| title.ends_with(end))
}

/// True when a creator field names an issuing body rather than a person
/// (Word fills it with the account name: "永曦 肖", "Administrator").
pub(crate) fn plausible_issuer(creator: &str) -> bool {
    const BODIES: &[&str] = &[
        "政府",
        "办公室",
        "办公厅",
        "委员会",
        "局",
        "厅",
        "委",
        "院",
        "中心",
        "部",
        "处",
        "所",
        "协会",
        "公司",
    ];
    let creator = creator.trim();
    creator.chars().count() >= 4 && BODIES.iter().any(|b| creator.ends_with(b))
}

/// The character an entity or character reference in XML text stands for.
pub(crate) fn resolve_reference(reference: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c.to_string());
    }
    quick_xml::escape::resolve_predefined_entity(reference).map(str::to_string)
}

/// The unescaped value of attribute `local` (matched without its prefix).
pub(crate) fn attribute(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The prefix an element name uses, "" when it has none.
pub(crate) fn prefix_of<'a>(name: &'a str) -> &'a str {
    name.split_once(':').map_or("", |(prefix, _)| prefix)
}

/// The prefix the root element binds to `namespace` (`xmlns:w="…"`), or
/// `fallback` when it binds none.
pub(crate) fn prefix_for(root: &BytesStart<'_>, namespaces: &[&str], fallback: &str) -> String {
    root.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref().starts_with("xmlns:") && namespaces.contains(&a.value.as_ref()))
        .map_or_else(
            || fallback.to_string(),
            |a| a.key.as_ref()["xmlns:".len()..].to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_numbers_read_as_the_editor_shows_them() {
        let cases = [
            (NumberFormat::ChineseCounting, 1, "一"),
            (NumberFormat::ChineseCounting, 10, "十"),
            (NumberFormat::ChineseCounting, 11, "十一"),
            (NumberFormat::ChineseCounting, 20, "二十"),
            (NumberFormat::ChineseCounting, 23, "二十三"),
            (NumberFormat::ChineseCounting, 105, "一百零五"),
            (NumberFormat::ChineseLegal, 12, "拾贰"),
            (NumberFormat::Decimal, 7, "7"),
            (NumberFormat::DecimalZero, 7, "07"),
            (NumberFormat::UpperRoman, 14, "XIV"),
            (NumberFormat::LowerLetter, 28, "bb"),
            (NumberFormat::HeavenlyStems, 3, "丙"),
            (NumberFormat::Circled, 3, "③"),
            (NumberFormat::Parenthesized, 2, "⑵"),
            (NumberFormat::FullWidth, 12, "１２"),
            (NumberFormat::IdeographParenthesized, 1, "㈠"),
        ];
        for (format, n, want) in cases {
            assert_eq!(format.render(n).as_deref(), Some(want), "{format:?} {n}");
        }
        assert_eq!(NumberFormat::Bullet.render(1), None);
        assert_eq!(
            NumberFormat::from_odf("一, 二, 三, ..."),
            NumberFormat::ChineseCounting
        );
        assert_eq!(
            NumberFormat::from_word("chineseCounting"),
            NumberFormat::ChineseCounting
        );
    }

    #[test]
    fn soft_breaks_join_chinese_without_a_space() {
        let cases = [
            ("加快建设\n现代化产业体系", "加快建设现代化产业体系"),
            ("GDP\ngrowth", "GDP growth"),
            ("增长5.2%\n居民收入", "增长5.2% 居民收入"),
            ("  一、总体要求\t ", "一、总体要求"),
            ("第一条\t为了规范", "第一条 为了规范"),
        ];
        for (raw, want) in cases {
            assert_eq!(finish_paragraph(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn only_plausible_titles_are_taken() {
        let first = [
            "关于加快推进县域经济高质量发展的实施意见",
            "各乡镇人民政府：",
        ];
        let cases = [
            ("关于加快推进县域经济高质量发展的实施意见", true),
            ("2024年政府工作报告", true),
            ("Microsoft Word - 文档1.doc", false),
            ("文档1", false),
            ("永曦 肖", false),
            ("Administrator", false),
            ("", false),
            ("县域经济发展", false),
        ];
        for (title, want) in cases {
            assert_eq!(plausible_title(title, &first), want, "{title:?}");
        }
        assert!(plausible_issuer("东营市人民政府办公室"));
        assert!(!plausible_issuer("永曦 肖"));
    }

    #[test]
    fn table_rows_join_cells_by_tabs() {
        let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            row_line(&cells(&["指标", "", "2023年", ""])).as_deref(),
            Some("指标\t\t2023年")
        );
        assert_eq!(row_line(&cells(&["", " "])), None);
    }
}
