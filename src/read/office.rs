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
    if n == 0 || n > 26 * 20 {
        return n.to_string();
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
pub(crate) fn prefix_of(name: &str) -> &str {
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

/// The word-processing fixtures in tests/fixtures/formats, read through
/// [`super::read`] as the indexer reads them.
#[cfg(test)]
mod fixture_tests {
    use super::super::{Limits, SkipReason, read};
    use std::path::PathBuf;

    fn path(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats")
            .join(name)
    }

    fn bytes(name: &str) -> Vec<u8> {
        std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn read_fixture(name: &str) -> super::super::Extracted {
        read(&bytes(name), &Limits::new()).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    const GOOD: &[&str] = &[
        "docx_numbering.docx",
        "docx_table.docx",
        "docx_libreoffice.docx",
        "odt_numbering.odt",
        "odt_table.odt",
        "doc_numbering.doc",
        "doc_table.doc",
        "wps_report.wps",
    ];

    /// Every paragraph comes out whole and in order, list numbers rendered in
    /// front, table rows as tab-joined cells, and nothing else (no header,
    /// footer, comment, deleted text or field instruction).
    #[test]
    fn fixtures_read_as_their_source_text() {
        for name in GOOD {
            let stem = name.rsplit_once('.').unwrap().0;
            let expected = std::fs::read_to_string(path(&format!("{stem}.expected.txt"))).unwrap();
            let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
            let got = read_fixture(name);
            let got: Vec<&str> = got.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn headings_carry_the_outline_level_of_their_style() {
        let cases = [
            ("docx_numbering.docx", "一、总体要求", Some(1)),
            (
                "docx_numbering.docx",
                "（一）申报范围。本次申报主体为我省普通本科高校。项目建设期限2年。",
                None,
            ),
            ("docx_table.docx", "第一章 总则", Some(1)),
            (
                "docx_table.docx",
                "智能网联汽车自动驾驶功能通用检测项目",
                Some(2),
            ),
            (
                "docx_table.docx",
                "济南市智能网联汽车道路测试与示范应用管理办法（试行）",
                None,
            ),
            ("docx_libreoffice.docx", "三、申报要求", Some(1)),
            ("odt_numbering.odt", "四、其他事宜", Some(1)),
            ("odt_table.odt", "第二章 管理机构及职责", Some(1)),
            (
                "odt_table.odt",
                "智能网联汽车自动驾驶功能通用检测项目",
                Some(2),
            ),
            ("doc_numbering.doc", "二、建设任务", Some(1)),
            (
                "doc_table.doc",
                "智能网联汽车自动驾驶功能通用检测项目",
                Some(2),
            ),
            (
                "doc_table.doc",
                "第四条 市工业和信息化局、市公安局、市城乡交通运输局共同组建济南市智能网联汽车道路测试与示范应用联席会议。",
                None,
            ),
            ("wps_report.wps", "一、2023年工作回顾", Some(1)),
        ];
        for (name, text, outline) in cases {
            let read = read_fixture(name);
            let line = read
                .lines
                .iter()
                .find(|l| l.text == text)
                .unwrap_or_else(|| panic!("{name}: no line {text:?}"));
            assert_eq!(line.outline, outline, "{name}: {text}");
        }
    }

    #[test]
    fn only_a_plausible_title_is_taken_from_the_properties() {
        let title = "关于组织开展2024年人工智能赋能重点领域教学改革项目建设工作的通知";
        let cases = [
            (
                "docx_numbering.docx",
                Some((title, "docx core.xml dc:title")),
            ),
            ("odt_numbering.odt", Some((title, "odt meta.xml dc:title"))),
            (
                "doc_numbering.doc",
                Some((title, "doc SummaryInformation title")),
            ),
            // "Microsoft Word - 附件1.doc"
            ("docx_table.docx", None),
        ];
        for (name, want) in cases {
            let meta = read_fixture(name).meta;
            let got = meta.title.as_ref().map(|(t, e)| (t.as_str(), e.as_str()));
            assert_eq!(got, want, "{name}");
            assert_eq!(meta.author, None, "{name}: the creator is a person");
        }
    }

    #[test]
    fn protected_and_damaged_files_are_refused_with_their_reason() {
        for name in ["encrypted_password.docx", "encrypted_password.doc"] {
            let err = read(&bytes(name), &Limits::new()).unwrap_err();
            assert!(matches!(err, SkipReason::Encrypted(_)), "{name}: {err}");
            assert!(
                err.to_string().contains("unprotected copy"),
                "{name}: {err}"
            );
        }
        for name in ["truncated.docx", "truncated.doc"] {
            let err = read(&bytes(name), &Limits::new()).unwrap_err();
            assert!(matches!(err, SkipReason::Corrupt(_)), "{name}: {err}");
        }
    }

    /// Files cut anywhere or with bytes overwritten never panic: they read
    /// (a cut that only lost padding) or are refused as damaged.
    #[test]
    fn cut_or_garbled_files_never_panic() {
        for name in GOOD {
            let whole = bytes(name);
            let full = read(&whole, &Limits::new()).unwrap();
            for step in 1..40 {
                let cut = &whole[..whole.len() * step / 40];
                match read(cut, &Limits::new()) {
                    Ok(part) => assert!(
                        part.lines.iter().all(|l| full.lines.contains(l)),
                        "{name} cut at {}: lines that the whole file lacks",
                        cut.len()
                    ),
                    Err(e) => assert!(
                        matches!(e, SkipReason::Corrupt(_) | SkipReason::Empty),
                        "{name} cut at {}: {e}",
                        cut.len()
                    ),
                }
                let mut garbled = whole.clone();
                let at = whole.len() * step / 40;
                for b in &mut garbled[at..(at + 64).min(whole.len())] {
                    *b = b.wrapping_mul(31).wrapping_add(7);
                }
                if let Err(e) = read(&garbled, &Limits::new()) {
                    assert!(
                        !matches!(e, SkipReason::Internal | SkipReason::TimedOut),
                        "{name} garbled at {at}: {e}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_reader_stops_at_its_deadline() {
        let mut limits = Limits::new();
        limits.deadline = std::time::Instant::now() - std::time::Duration::from_secs(1);
        for name in GOOD {
            let err = read(&bytes(name), &limits).unwrap_err();
            assert_eq!(err, SkipReason::TimedOut, "{name}");
        }
    }
}
