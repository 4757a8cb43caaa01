//! Finding known words (place names, sector keywords) in text as whole jieba
//! tokens, not substrings: 示范县 holds 范县 and 在建水电 holds 建水, and neither
//! is a place. A fast substring scan finds candidates; jieba, run on a small
//! window around each, confirms that the candidate starts and ends on token
//! boundaries.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::tokenizer::dictionary;

/// A set of words to look for, each with a payload index.
pub struct WordMatcher {
    automaton: AhoCorasick,
    words: Vec<String>,
}

/// One confirmed occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordMatch {
    /// Index of the word in the list the matcher was built from.
    pub word: usize,
    /// Byte range in the searched text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// Bytes of context on each side given to jieba to confirm a match.
const WINDOW_BYTES: usize = 24;

impl WordMatcher {
    /// Builds a matcher; longer words win over words they contain.
    pub fn new(words: Vec<String>) -> WordMatcher {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("word list builds an automaton");
        WordMatcher { automaton, words }
    }

    /// The word with this index.
    pub fn word(&self, index: usize) -> &str {
        &self.words[index]
    }

    /// Occurrences of the words in `text` (already folded) that are whole
    /// tokens. Words of `min_chars_unchecked` characters or more are trusted
    /// without the jieba check (long names are not found inside other words).
    pub fn find(&self, text: &str, min_chars_unchecked: usize) -> Vec<WordMatch> {
        self.automaton
            .find_iter(text)
            .filter(|m| {
                let word = &self.words[m.pattern().as_usize()];
                word.chars().count() >= min_chars_unchecked
                    || is_token_span(text, m.start(), m.end())
            })
            .map(|m| WordMatch {
                word: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }
}

/// True if jieba, cutting the text around `start..end`, puts token boundaries
/// at both ends.
pub fn is_token_span(text: &str, start: usize, end: usize) -> bool {
    let mut from = start.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + WINDOW_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let window = &text[from..to];
    let tokens = dictionary().jieba().cut(window, true);
    let (s, e) = (start - from, end - from);
    let starts = tokens.iter().any(|t| t.byte_start == s);
    let ends = tokens.iter().any(|t| t.byte_end == e);
    starts && ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_tokens_only() {
        let matcher = WordMatcher::new(vec![
            "范县".into(),
            "建水".into(),
            "兰考县".into(),
            "杞县".into(),
        ]);
        let cases: &[(&str, &[&str])] = &[
            ("示范县带动作用显著发挥", &[]),
            ("加快在建水电项目建设", &[]),
            ("兰考县、杞县生产总值分别超500亿元", &["兰考县", "杞县"]),
            ("河南省范县人民政府", &["范县"]),
        ];
        for (text, want) in cases {
            let found: Vec<&str> = matcher
                .find(text, 99)
                .iter()
                .map(|m| matcher.word(m.word))
                .collect();
            assert_eq!(found, *want, "{text}");
        }
    }
}
