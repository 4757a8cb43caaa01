//! Character folding shared by cleaning, the tokenizers, extraction and the query
//! path, so that a query typed in full-width or traditional characters meets the
//! text it names (農業 finds 农业, ＧＤＰ finds GDP).

use std::borrow::Cow;
use std::sync::LazyLock;

/// Folds a full-width ASCII character or the ideographic space to its ASCII form.
pub fn fold_width_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Folds full-width ASCII and ideographic spaces in `text` (used by cleaning).
pub fn fold_width(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| fold_width_char(c) == c) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().map(fold_width_char).collect())
    }
}

/// Text folded for matching, with a way back to byte offsets of the original.
///
/// Traditional-to-simplified folding keeps every character's UTF-8 length, and
/// so does ASCII lower-casing; only width folding shortens characters. The
/// offset map is therefore built only when a full-width character was present.
#[derive(Debug)]
pub struct Folded<'a> {
    /// The folded text: half-width, lower-case ASCII, simplified characters.
    pub text: Cow<'a, str>,
    /// `(folded_byte, original_byte)` at each character start where the two
    /// differ, sorted; empty when offsets are the same in both.
    shifts: Vec<(usize, usize)>,
}

impl Folded<'_> {
    /// Maps a byte offset of the folded text to the original text.
    pub fn original_offset(&self, folded: usize) -> usize {
        if self.shifts.is_empty() {
            return folded;
        }
        match self.shifts.binary_search_by(|(f, _)| f.cmp(&folded)) {
            Ok(i) => self.shifts[i].1,
            Err(0) => folded,
            Err(i) => {
                let (f, o) = self.shifts[i - 1];
                o + (folded - f)
            }
        }
    }
}

/// Folds `text` for matching: width, ASCII case and traditional characters.
///
/// One scan decides what needs doing; text that is already folded (almost all
/// of it: cleaning folds width, and few documents are in traditional
/// characters) is borrowed, not copied.
pub fn fold(text: &str) -> Folded<'_> {
    let mut needs_width = false;
    let mut needs_case = false;
    let mut needs_t2s = false;
    for c in text.chars() {
        if c.is_ascii() {
            needs_case |= c.is_ascii_uppercase();
        } else {
            needs_width |= fold_width_char(c) != c;
            needs_t2s |= may_be_traditional(c);
        }
    }
    let mut shifts = Vec::new();
    let mut out: Cow<str> = if needs_width {
        let mut s = String::with_capacity(text.len());
        for (orig, c) in text.char_indices() {
            let f = fold_width_char(c);
            if f.len_utf8() != c.len_utf8() || !shifts.is_empty() {
                shifts.push((s.len(), orig));
            }
            s.push(f);
        }
        shifts.push((s.len(), text.len()));
        Cow::Owned(s)
    } else {
        Cow::Borrowed(text)
    };
    if needs_case || needs_width {
        out.to_mut().make_ascii_lowercase();
    }
    if needs_t2s {
        let simplified = fast2s::convert(&out);
        // fast2s maps 3-byte characters to 3-byte characters; keep the fold
        // only if that holds, so offsets stay valid.
        if simplified.len() == out.len() && simplified != out {
            out = Cow::Owned(simplified);
        }
    }
    Folded { text: out, shifts }
}

/// Characters fast2s may change (in some context): every 3-byte character it
/// converts on its own, and those its context rules look at. Text without any
/// of them is left as it is by fast2s, so it need not be converted.
fn may_be_traditional(c: char) -> bool {
    static TABLE: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        let mut set = |c: char| bits[c as usize / 64] |= 1 << (c as usize % 64);
        let mut one = String::new();
        for c in (0x800..=0xFFFF).filter_map(char::from_u32) {
            one.clear();
            one.push(c);
            if fast2s::convert(&one) != one {
                set(c);
            }
        }
        // Keys of fast2s's context rules (kept or converted by neighbours).
        "兒覆夥藉瞭麽幺於乾著苧闔鍾讎畫".chars().for_each(set);
        bits
    });
    let u = c as usize;
    c.len_utf8() == 3 && TABLE[u / 64] & (1 << (u % 64)) != 0
}

/// Folds `text` for matching and returns only the folded string.
pub fn fold_str(text: &str) -> String {
    fold(text).text.into_owned()
}

/// True for characters of the CJK ideograph blocks.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// True for characters that carry meaning in a search term (letters, digits,
/// ideographs, and the percent signs that belong to a figure: 30% is not 300).
pub fn is_word_char(c: char) -> bool {
    // Ideographs first: they are most of the text, and the general Unicode
    // lookup is slow for them.
    matches!(c as u32, 0x4E00..=0x9FFF) || c.is_alphanumeric() || c == '%' || c == '‰'
}

/// The largest character boundary of `text` at or before byte `index`.
pub fn floor_boundary(text: &str, index: usize) -> usize {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary of `text` at or after byte `index`, or its end.
pub fn ceil_boundary(text: &str, index: usize) -> usize {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Truncates `text` to at most `max_chars` characters (not bytes).
pub fn truncate_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// At most `max` characters of `text`, with "…" when cut: for messages and
/// snippets that must stay on a line.
pub fn ellipsize(text: &str, max: usize) -> String {
    let cut = truncate_chars(text, max);
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_traditional() {
        let cases: &[(&str, &str)] = &[
            ("農業發展", "农业发展"),
            ("ＧＤＰ增長５％", "gdp增长5%"),
            ("5G基站", "5g基站"),
            ("一般公共预算", "一般公共预算"),
            ("（一）加快發展", "(一)加快发展"),
            ("全\u{3000}县", "全 县"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input).text, *want, "{input}");
        }
    }

    #[test]
    fn folds_traditional_text_as_fast2s_does() {
        // The fast path skips fast2s for text it would leave alone; text it
        // changes, context rules included (憑藉, 看著, 批覆), comes out the same.
        for text in [
            "憑藉經驗,看著辦,批覆同意",
            "中華人民共和國憲法",
            "乾隆年間",
            "县域经济",
        ] {
            assert_eq!(fold(text).text, fast2s::convert(text), "{text}");
        }
    }

    #[test]
    fn maps_folded_offsets_back_to_original() {
        let original = "ＧＤＰ增长";
        let folded = fold(original);
        assert_eq!(folded.text, "gdp增长");
        // "增" starts at byte 3 of the folded text and byte 9 of the original.
        assert_eq!(folded.original_offset(3), 9);
        assert_eq!(folded.original_offset(6), 12);
        assert_eq!(folded.original_offset(folded.text.len()), original.len());
        assert_eq!(folded.original_offset(1), 3);
    }

    #[test]
    fn offsets_are_identity_without_width_folding() {
        let folded = fold("農業");
        assert_eq!(folded.original_offset(3), 3);
    }

    #[test]
    fn truncates_on_characters() {
        assert_eq!(truncate_chars("县域经济高质量发展", 4), "县域经济");
        assert_eq!(truncate_chars("ab", 4), "ab");
    }
}
