//! Finding known words (place names, sector keywords) in text as whole jieba
//! tokens, not substrings: 示范县 holds 范县 and 在建水电 holds 建水, and neither
//! is a place. A fast substring scan finds candidates; jieba, run on a small
//! window around each, confirms that the candidate starts and ends on token
//! boundaries.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::tokenizer::builtin_jieba;

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
            .kind(Some(AhoCorasickKind::DFA))
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
        self.find_glued::<&str>(text, min_chars_unchecked, &[])
    }

    /// Like [`WordMatcher::find`], also accepting a word that jieba glued to
    /// one of `glue` (河南省政府 is one jieba word, and holds 河南省 all the same).
    pub fn find_glued<S: AsRef<str>>(
        &self,
        text: &str,
        min_chars_unchecked: usize,
        glue: &[S],
    ) -> Vec<WordMatch> {
        self.automaton
            .find_iter(text)
            .filter(|m| {
                let word = &self.words[m.pattern().as_usize()];
                word.chars().count() >= min_chars_unchecked
                    || is_token_span_glued(text, m.start(), m.end(), glue)
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
/// at both ends, or the span ends inside a token whose rest is one of `glue`:
/// 河南省 in 河南省政府, 张掖市 in 张掖/市委.
fn is_token_span_glued<S: AsRef<str>>(text: &str, start: usize, end: usize, glue: &[S]) -> bool {
    let mut from = start.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + WINDOW_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let window = &text[from..to];
    let tokens = builtin_jieba().cut(window, true);
    let (s, e) = (start - from, end - from);
    let starts = tokens.iter().any(|t| t.byte_start == s);
    let ends = tokens.iter().any(|t| {
        t.byte_end == e
            || (t.byte_start < e
                && t.byte_end > e
                && glue.iter().any(|g| g.as_ref() == &window[e..t.byte_end]))
    });
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

    #[test]
    fn names_glued_to_their_government_are_found_with_glue_only() {
        // jieba has 河南省政府 and 山东省政府 as words; 张掖市委 cuts as 张掖/市委.
        let matcher = WordMatcher::new(vec!["河南省".into(), "山东省".into(), "张掖市".into()]);
        let glue = ["政府", "委"];
        let cases: &[(&str, &[&str])] = &[
            ("河南省政府非税收入管理条例", &["河南省"]),
            ("2026年山东省政府工作报告", &["山东省"]),
            ("中共张掖市委 张掖市人民政府", &["张掖市", "张掖市"]),
        ];
        for (text, want) in cases {
            let found: Vec<&str> = matcher
                .find_glued(text, 99, &glue)
                .iter()
                .map(|m| matcher.word(m.word))
                .collect();
            assert_eq!(found, *want, "{text}");
            assert!(matcher.find(text, 99).len() < want.len(), "{text}");
        }
    }

    #[test]
    fn glue_does_not_admit_names_inside_words() {
        let matcher = WordMatcher::new(vec!["范县".into(), "建水".into()]);
        let cases: &[&str] = &["示范县带动作用显著发挥", "加快在建水电项目建设"];
        for text in cases {
            assert!(
                matcher.find_glued(text, 99, &["政府", "委"]).is_empty(),
                "{text}"
            );
        }
    }
}
