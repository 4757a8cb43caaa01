//! The two analyzers of plansearch and the jieba dictionary as a value.
//!
//! Extraction cuts with the built-in jieba (`builtin_jieba`: embedded word
//! lists only); query words are cut with a [`Dictionary`], the built-in one
//! plus a researcher's own words, which an index records and opens with.
//!
//! * `jieba` (word fields): jieba-rs search-mode words with **ordinal** positions.
//!   A long word's dictionary sub-words (农业 in 中国农业发展银行) share its
//!   position, so phrase adjacency is that of whole words; punctuation is dropped
//!   but leaves a position gap, so a phrase never spans a sentence break.
//! * `bigram` (literal fields): overlapping character bigrams of the folded text,
//!   whitespace removed, as Lucene's CJK analyzer does. A phrase of bigrams is exact
//!   containment, which gives grep-like recall whatever jieba does.
//!
//! Both fold width, ASCII case and traditional characters first; offsets always
//! point into the original text (bytes, as tantivy wants).
//!
//! tantivy-jieba's own tokenizer is not used for indexing: with a custom dictionary
//! it holds a copy of the dictionary per clone (tantivy clones analyzers per
//! field and per query), and it neither folds nor drops punctuation. Its re-export
//! of jieba-rs pins the version we build on (see the README).

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use jieba_rs::Jieba;
use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::text::{fold, is_word_char};

/// Name under which the word analyzer is registered.
pub const WORDS: &str = "plansearch_words";
/// Name under which the bigram analyzer is registered.
pub const BIGRAMS: &str = "plansearch_bigrams";

/// What the analyzers do, recorded in every index: an index built by other
/// analyzers is rebuilt. Change it whenever tokens or positions would differ.
pub const TOKENIZER_VERSION: &str = "words: jieba-rs 0.11 search mode, ordinal positions; \
     bigrams with run-start and run-end unigrams; fold v1";

/// Longest token kept, in characters (never bytes: a 14-character Chinese term
/// is 42 bytes and must survive).
pub const MAX_TOKEN_CHARS: usize = 40;

const POLICY_TERMS: &str = include_str!("../data/dict/policy_terms.txt");

/// Frequency given to place names missing from jieba's dictionary: high enough
/// to keep 临泽县 whole, low enough not to pull 范县 out of 示范县.
const PLACE_NAME_FREQ: usize = 20;

/// The jieba built from the embedded word lists alone: jieba's default, the
/// policy terms, the sector keywords and the place names. Extraction's
/// boundary checks use it, so that a document's labels depend on the rule
/// tables and never on a researcher's own words; a [`Dictionary`] without
/// user words shares it.
pub(crate) fn builtin_jieba() -> &'static Arc<Jieba> {
    static BUILTIN: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(build_builtin_jieba()));
    &BUILTIN
}

fn build_builtin_jieba() -> Jieba {
    let mut jieba = Jieba::new();
    for line in dictionary_lines(POLICY_TERMS.lines()) {
        add_dictionary_line(&mut jieba, &line);
    }
    for keyword in crate::lexicon::sectors::sector_table().all_keywords() {
        let keyword = crate::text::fold_str(keyword);
        if keyword.chars().count() >= 2 && !jieba.has_word(&keyword) {
            jieba.add_word(&keyword, None, None);
        }
    }
    for form in sorted_place_forms() {
        if form.chars().count() >= 2 && !jieba.has_word(form) {
            jieba.add_word(form, Some(PLACE_NAME_FREQ), Some("ns"));
        }
    }
    jieba
}

/// The dictionary lines that count: trimmed, neither empty nor comments.
fn dictionary_lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Vec<String> {
    lines
        .into_iter()
        .map(|line| line.as_ref().trim().to_string())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

/// The place names added to jieba, in a fixed order.
fn sorted_place_forms() -> Vec<&'static str> {
    let mut forms: Vec<&str> = crate::gazetteer::gazetteer().forms().collect();
    forms.sort_unstable();
    forms
}

/// The jieba dictionary a query is cut with: the embedded word lists plus a
/// researcher's own words. A value, made from explicit inputs
/// ([`Dictionary::for_corpus`]) and carried by what needs it: an index
/// records the words it was built with and opens with them
/// ([`crate::indexer::OpenIndex::dictionary`]).
///
/// The digest is computed from those inputs alone, so checking an index's
/// compatibility does not build jieba; jieba itself (most of a cold search's
/// time) is built on first use, or ahead of it by [`Dictionary::warm_up`] on
/// another thread while the index opens.
pub struct Dictionary {
    jieba: OnceLock<Arc<Jieba>>,
    digest: String,
    user_words: Vec<String>,
}

impl Default for Dictionary {
    /// The embedded word lists, no user words.
    fn default() -> Dictionary {
        Dictionary::new(Vec::<String>::new())
    }
}

impl Dictionary {
    /// The embedded word lists plus `user_words` (lines `word [freq [tag]]`;
    /// blank lines and `#` comments are ignored).
    pub fn new<S: AsRef<str>>(user_words: impl IntoIterator<Item = S>) -> Dictionary {
        let user = dictionary_lines(user_words);
        let mut digest = blake3::Hasher::new();
        digest.update(b"jieba-rs 0.11 default dictionary\n");
        digest.update(POLICY_TERMS.as_bytes());
        digest.update(crate::lexicon::sectors::TAXONOMY_TOML.as_bytes());
        for form in sorted_place_forms() {
            digest.update(form.as_bytes());
        }
        for line in &user {
            digest.update(b"\nuser:");
            digest.update(line.as_bytes());
        }
        Dictionary {
            jieba: OnceLock::new(),
            digest: digest.finalize().to_hex()[..16].to_string(),
            user_words: user,
        }
    }

    /// The embedded word lists alone, made once (for evaluation and tests,
    /// which use no user words).
    pub fn builtin() -> &'static Dictionary {
        static BUILTIN: LazyLock<Dictionary> = LazyLock::new(Dictionary::default);
        &BUILTIN
    }

    /// The words of a user dictionary file (one `word [freq [tag]]` a line),
    /// or none.
    pub fn from_file(file: Option<&Path>) -> crate::error::Result<Dictionary> {
        let Some(path) = file else {
            return Ok(Dictionary::default());
        };
        let text = std::fs::read_to_string(path).map_err(|e| crate::error::Error::io(path, e))?;
        Ok(Dictionary::new(text.lines()))
    }

    /// The dictionary of a corpus: the file given, else the corpus's own
    /// `dict.txt` ([`user_dictionary_file`]). Every front end and the
    /// library's indexer read it this way.
    pub fn for_corpus(corpus: &Path, given: Option<&Path>) -> crate::error::Result<Dictionary> {
        Dictionary::from_file(user_dictionary_file(corpus, given).as_deref())
    }

    /// Builds jieba on another thread now, so that it is ready (or nearly)
    /// when first needed; whoever needs it earlier waits for that build.
    pub fn warm_up(self: &Arc<Self>) {
        if self.jieba.get().is_none() {
            let this = Arc::clone(self);
            std::thread::spawn(move || {
                this.jieba();
            });
        }
    }

    /// The jieba of this dictionary: the built-in one when there are no
    /// user words, else a copy of it with the user's words added.
    pub fn jieba(&self) -> &Arc<Jieba> {
        self.jieba.get_or_init(|| {
            let builtin = builtin_jieba();
            if self.user_words.is_empty() {
                return Arc::clone(builtin);
            }
            let mut jieba = Jieba::clone(builtin);
            for line in &self.user_words {
                add_dictionary_line(&mut jieba, line);
            }
            Arc::new(jieba)
        })
    }

    /// A short digest of everything that went into the dictionary; an index
    /// built with another digest must be rebuilt.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The user's own words in use (the lines that count, trimmed).
    pub fn user_words(&self) -> &[String] {
        &self.user_words
    }

    /// True for a word of the researcher's own dictionary: one term to
    /// them, never searched by its parts.
    pub fn is_user_word(&self, word: &str) -> bool {
        self.user_words.iter().any(|line| {
            line.split_whitespace()
                .next()
                .is_some_and(|w| crate::text::fold_str(w) == word)
        })
    }

    /// Word tokens of `text` as plain strings (search mode, for tests,
    /// evaluation and `--explain`).
    pub fn words(&self, text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        word_tokens(self.jieba(), text, &mut tokens);
        tokens.into_iter().map(|t| t.text).collect()
    }

    /// The words of a text (jieba's default mode, folded), each with whether
    /// jieba tags it a verb: for `similar`, where verbs weigh less.
    pub fn tagged_words(&self, text: &str) -> Vec<(String, bool)> {
        let folded = fold(text);
        self.jieba()
            .tag(&folded.text, true)
            .into_iter()
            .filter(|t| t.word.chars().any(is_word_char))
            .map(|t| (t.word.to_string(), t.tag.starts_with('v')))
            .collect()
    }

    /// A word's own parts: what jieba's search mode finds inside it
    /// (肉牛养殖 → 肉牛, 养殖), the word itself left out.
    pub fn cut_small(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let mut out: Vec<String> = self
            .jieba()
            .cut_for_search(&folded.text, false)
            .into_iter()
            .map(|t| t.word.to_string())
            .filter(|w| *w != *folded.text && w.chars().count() >= 2)
            .collect();
        out.dedup();
        out
    }

    /// Coarse segmentation (jieba's default mode) of folded text: what a
    /// query's words are, before search-mode expansion.
    pub fn cut(&self, text: &str) -> Vec<String> {
        let folded = fold(text);
        self.jieba()
            .cut(&folded.text, true)
            .into_iter()
            .map(|t| t.word.to_string())
            .filter(|w| w.chars().any(is_word_char))
            .collect()
    }
}

/// Adds a `word [freq [tag]]` line; the word is folded like the text it must meet.
fn add_dictionary_line(jieba: &mut Jieba, line: &str) {
    let mut parts = line.split_whitespace();
    let Some(word) = parts.next() else { return };
    let word = crate::text::fold_str(word);
    let freq = parts.next().and_then(|f| f.parse().ok());
    jieba.add_word(&word, freq, parts.next());
}

/// The name of a corpus's own user dictionary, used when no other is given.
pub const CORPUS_DICTIONARY: &str = "dict.txt";

/// The user dictionary for a corpus: the one given, else the corpus's
/// `dict.txt` when there is one. Index and searches must agree on it (the
/// index records the dictionary's digest), so every front end asks here.
pub fn user_dictionary_file(corpus: &Path, given: Option<&Path>) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(|| {
        let default = corpus.join(CORPUS_DICTIONARY);
        default.is_file().then_some(default)
    })
}

/// Registers the literal analyzer, all that writing an index needs; needed
/// every time an index is opened, since tantivy does not persist tokenizers.
pub fn register_literal(index: &Index) {
    index
        .tokenizers()
        .register(BIGRAMS, TextAnalyzer::from(BigramTokenizer::default()));
}

/// Registers both analyzers on an index opened for searching, the word
/// analyzer over `dictionary`.
pub fn register(index: &Index, dictionary: &Dictionary) {
    register_literal(index);
    let jieba = dictionary.jieba().clone();
    index
        .tokenizers()
        .register(WORDS, TextAnalyzer::from(WordTokenizer::new(jieba)));
}

/// jieba words with ordinal positions; clones share the dictionary.
///
/// The tokens of the last text are kept: tantivy runs one analyzer per field,
/// and a document's title (and often the heading path) comes again with each
/// of its passages, so it is segmented once, not once per passage.
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
    tokens: TokenBuffer,
}

impl WordTokenizer {
    /// A tokenizer over the given dictionary.
    pub fn new(jieba: Arc<Jieba>) -> Self {
        WordTokenizer {
            jieba,
            tokens: TokenBuffer::default(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = BufferedTokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferedTokens<'a> {
        if !self.tokens.holds(text) {
            self.tokens.clear();
            word_tokens_into(&self.jieba, text, &mut self.tokens);
            self.tokens.set_source(text);
        }
        self.tokens.stream()
    }
}

/// Tokens of one text, kept between texts: a token's string keeps its
/// allocation, so tokenizing a passage allocates nothing once the buffer has
/// grown to the longest passage seen.
#[derive(Clone, Default)]
pub struct TokenBuffer {
    tokens: Vec<Token>,
    len: usize,
    /// The text the tokens are of, when it is to be reused.
    source: String,
}

/// Texts up to this long are remembered, so that the same text tokenized again
/// reuses its tokens (titles and heading paths are short).
const REMEMBERED_BYTES: usize = 512;

impl TokenBuffer {
    /// Forgets the tokens (keeping their allocations).
    pub fn clear(&mut self) {
        self.len = 0;
        self.source.clear();
    }

    /// True if the tokens are those of `text`.
    fn holds(&self, text: &str) -> bool {
        !self.source.is_empty() && self.source == text
    }

    /// Remembers that the tokens are those of `text`, if it is short.
    fn set_source(&mut self, text: &str) {
        if text.len() <= REMEMBERED_BYTES {
            self.source.push_str(text);
        }
    }

    /// The tokens since the last [`TokenBuffer::clear`].
    pub fn tokens(&self) -> &[Token] {
        &self.tokens[..self.len]
    }

    fn push(&mut self, offset_from: usize, offset_to: usize, position: usize, text: &str) {
        if let Some(t) = self.tokens.get_mut(self.len) {
            t.offset_from = offset_from;
            t.offset_to = offset_to;
            t.position = position;
            t.position_length = 1;
            t.text.clear();
            t.text.push_str(text);
        } else {
            self.tokens.push(Token {
                offset_from,
                offset_to,
                position,
                text: text.to_string(),
                position_length: 1,
            });
        }
        self.len += 1;
    }

    fn stream(&mut self) -> BufferedTokens<'_> {
        BufferedTokens::new(&mut self.tokens[..self.len])
    }
}

/// Appends the word tokens of `text` to `out`.
pub fn word_tokens(jieba: &Jieba, text: &str, out: &mut Vec<Token>) {
    let mut buffer = TokenBuffer::default();
    word_tokens_into(jieba, text, &mut buffer);
    out.extend(buffer.tokens().iter().cloned());
}

fn word_tokens_into(jieba: &Jieba, text: &str, out: &mut TokenBuffer) {
    let folded = fold(text);
    for g in grouped_words(jieba, &folded.text) {
        out.push(
            folded.original_offset(g.byte_start),
            folded.original_offset(g.byte_end),
            g.position,
            g.word,
        );
    }
}

/// A search-mode word with its ordinal position.
struct GroupedWord<'a> {
    word: &'a str,
    byte_start: usize,
    byte_end: usize,
    position: usize,
}

/// jieba search-mode words of folded text, kept if they hold a letter or digit,
/// with positions: a long word's grams share its position; punctuation leaves a
/// gap; whitespace leaves none.
fn grouped_words<'a>(jieba: &Jieba, folded: &'a str) -> Vec<GroupedWord<'a>> {
    let words = jieba.cut_for_search(folded, true);
    // cut_for_search emits a long word's 2- and 3-character grams just before the
    // word itself; walking backwards, each word opens a group its grams join.
    // Group numbers count from the end (0: whitespace, in no group).
    let mut group_of = vec![0usize; words.len()];
    let mut groups = 0usize;
    let mut span = (usize::MAX, usize::MAX);
    for (i, w) in words.iter().enumerate().rev() {
        if w.word.chars().all(char::is_whitespace) {
            continue;
        }
        let head = !(w.byte_start >= span.0 && w.byte_end <= span.1);
        if head {
            groups += 1;
            span = (w.byte_start, w.byte_end);
        }
        group_of[i] = groups;
    }
    words
        .iter()
        .zip(group_of)
        .filter(|(w, group)| {
            *group != 0 && w.end - w.start <= MAX_TOKEN_CHARS && w.word.chars().any(is_word_char)
        })
        .map(|(w, group)| GroupedWord {
            word: w.word,
            byte_start: w.byte_start,
            byte_end: w.byte_end,
            position: groups - group,
        })
        .collect()
}

/// Character bigrams over runs of letters, digits and ideographs.
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    tokens: TokenBuffer,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BufferedTokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferedTokens<'a> {
        if !self.tokens.holds(text) {
            self.tokens.clear();
            bigram_tokens_into(text, &mut self.tokens);
            self.tokens.set_source(text);
        }
        self.tokens.stream()
    }
}

/// Appends the bigram tokens of `text` to `out`.
///
/// Whitespace is skipped (a line break inside a word must not hide it); any other
/// non-word character ends a run. Each run gives its overlapping bigrams and
/// unigrams of its first and last characters (at the positions of the first and
/// last bigram), so that a one-character query is a prefix search over this
/// field's terms, and a query that spans punctuation (R&D, PM2.5) is one phrase:
/// the run before the mark ends with a unigram, the run after it starts with one.
fn bigram_tokens_into(text: &str, out: &mut TokenBuffer) {
    let folded = fold(text);
    let folded_text: &str = &folded.text;
    let offset = |i: usize| folded.original_offset(i);
    let mut position = 0usize;
    // The run so far: its first character, and the last one seen.
    let mut first: Option<(usize, char)> = None;
    let mut last: (usize, char) = (0, ' ');
    let mut pair = String::with_capacity(8);
    let end_run = |first: &mut Option<(usize, char)>,
                   last: (usize, char),
                   position: &mut usize,
                   out: &mut TokenBuffer| {
        let Some(_) = first.take() else { return };
        let (start, c) = last;
        let mut one = [0u8; 4];
        out.push(
            offset(start),
            offset(start + c.len_utf8()),
            *position,
            c.encode_utf8(&mut one),
        );
        // Leave a gap so that no phrase spans two runs.
        *position += 2;
    };
    for (i, c) in folded_text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        if !is_word_char(c) {
            end_run(&mut first, last, &mut position, out);
            continue;
        }
        match first {
            None => first = Some((i, c)),
            Some(start) => {
                if start.0 == last.0 {
                    // The run's second character: its first unigram.
                    let mut one = [0u8; 4];
                    out.push(
                        offset(start.0),
                        offset(start.0 + start.1.len_utf8()),
                        position,
                        start.1.encode_utf8(&mut one),
                    );
                }
                pair.clear();
                pair.push(last.1);
                pair.push(c);
                out.push(offset(last.0), offset(i + c.len_utf8()), position, &pair);
                position += 1;
            }
        }
        last = (i, c);
    }
    end_run(&mut first, last, &mut position, out);
}

/// The literal "words" of a query string as the bigram field sees them: folded,
/// whitespace removed, split at punctuation.
pub fn literal_runs(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in folded.text.chars() {
        if c.is_whitespace() {
            continue;
        }
        if is_word_char(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The bigram terms of one run, in order (a one-character run is its unigram).
pub fn run_bigrams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() == 1 {
        return vec![run.to_string()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The bigram-field terms, with their relative positions, that a literal string
/// (its runs, as [`literal_runs`] gives them) occurs as: a phrase query over
/// them is exact containment, punctuation between runs standing for any
/// punctuation. Mirrors `bigram_tokens_into`: a run before a mark ends with its
/// final unigram, a one-character run after a mark is its first unigram, and a
/// run takes its length plus one positions.
///
/// A single run of one character is the caller's case (a prefix search).
pub fn literal_phrase(runs: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut base = 0;
    for (i, run) in runs.iter().enumerate() {
        let chars: Vec<char> = run.chars().collect();
        if chars.len() == 1 {
            out.push((base, run.clone()));
        } else {
            for (j, pair) in chars.windows(2).enumerate() {
                out.push((base + j, pair.iter().collect()));
            }
            // The last run may continue in the text; the others end at a mark.
            if i + 1 < runs.len() {
                out.push((base + chars.len() - 1, chars[chars.len() - 1].to_string()));
            }
        }
        base += chars.len() + 1;
    }
    out
}

/// A token stream over tokens computed up front.
pub struct BufferedTokens<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl<'a> BufferedTokens<'a> {
    fn new(tokens: &'a mut [Token]) -> Self {
        BufferedTokens { tokens, next: 0 }
    }
}

impl TokenStream for BufferedTokens<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens_of<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<Token> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.clone());
        }
        out
    }

    fn words(text: &str) -> Vec<String> {
        Dictionary::default().words(text)
    }

    fn cut(text: &str) -> Vec<String> {
        Dictionary::default().cut(text)
    }

    fn word_tokenizer() -> WordTokenizer {
        WordTokenizer::new(builtin_jieba().clone())
    }

    #[test]
    fn positions_are_ordinal_not_character_offsets() {
        // Pitfall: tantivy-jieba counts positions in characters by default.
        let tokens = tokens_of(word_tokenizer(), "我们都有光明的前途");
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["我们", "都", "有", "光明", "的", "前途"]);
        assert_eq!(positions, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn subwords_share_the_position_of_their_word() {
        // Pitfall: plain cut does not find 农业 in 中国农业发展银行.
        let tokens = tokens_of(word_tokenizer(), "中国农业发展银行贷款");
        let at = |w: &str| tokens.iter().find(|t| t.text == w).map(|t| t.position);
        assert!(at("农业").is_some());
        assert_eq!(at("农业"), at("农业发展银行"));
        assert_eq!(at("银行"), at("农业发展银行"));
        assert_eq!(at("贷款"), at("农业发展银行").map(|p| p + 1));
    }

    #[test]
    fn punctuation_and_spaces_are_not_tokens() {
        // Pitfall: jieba emits "，" and " " as tokens.
        let tokens = tokens_of(word_tokenizer(), "特色农业，农产品 加工、物流");
        for t in &tokens {
            assert!(t.text.chars().any(char::is_alphanumeric), "{:?}", t.text);
        }
        // A punctuation mark leaves a gap: no phrase spans the comma.
        let agri = tokens.iter().find(|t| t.text == "农业").unwrap().position;
        let produce = tokens.iter().find(|t| t.text == "农产品").unwrap().position;
        assert_eq!(produce, agri + 2);
    }

    #[test]
    fn offsets_are_bytes_into_the_original() {
        let text = "ＧＤＰ增长，農業發展";
        for t in tokens_of(word_tokenizer(), text) {
            assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
            let original = &text[t.offset_from..t.offset_to];
            assert_eq!(crate::text::fold_str(original), t.text);
        }
    }

    #[test]
    fn long_chinese_terms_are_kept() {
        // Pitfall: RemoveLongFilter counts bytes and drops 14-character terms.
        let term = "黄河流域生态保护和高质量发展";
        assert_eq!(term.chars().count(), 14);
        assert!(words(term).iter().any(|w| w == term));
    }

    #[test]
    fn traditional_and_full_width_text_is_folded() {
        let cases: &[(&str, &str)] = &[("農業", "农业"), ("ＧＤＰ", "gdp"), ("５Ｇ基站", "5g基站")];
        for (input, want) in cases {
            assert!(
                words(input).iter().any(|w| w == want),
                "{input}: {:?}",
                words(input)
            );
        }
    }

    #[test]
    fn policy_terms_and_place_names_are_whole_words() {
        for term in [
            "放管服",
            "专精特新",
            "营商环境",
            "高标准农田",
            "张掖市",
            "临泽县",
            "勃利县",
        ] {
            assert!(cut(term) == [term], "{term}: {:?}", cut(term));
        }
    }

    #[test]
    fn place_names_are_not_pulled_out_of_other_words() {
        // From the seeds: 示范县 holds 范县, 在建水电 holds 建水.
        let cases: &[(&str, &str)] = &[
            ("示范县带动作用显著发挥", "范县"),
            ("加快在建水电项目建设", "建水"),
            ("探索县域经济发展新路径", "索县"),
            ("培育和龙头企业合作", "和龙"),
        ];
        for (sentence, place) in cases {
            assert!(
                !cut(sentence).iter().any(|w| w == place),
                "{sentence}: {:?}",
                cut(sentence)
            );
        }
    }

    #[test]
    fn bigrams_cover_runs_and_skip_whitespace() {
        let texts: Vec<String> = tokens_of(BigramTokenizer::default(), "一般公\n\n共预算，5G")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            texts,
            [
                "一", "一般", "般公", "公共", "共预", "预算", "算", "5", "5g", "g"
            ]
        );
    }

    #[test]
    fn bigram_phrases_do_not_span_runs() {
        let tokens = tokens_of(BigramTokenizer::default(), "农业，产业");
        let pos = |w: &str| tokens.iter().find(|t| t.text == w).unwrap().position;
        assert!(pos("产业") > pos("农业") + 2);
    }

    #[test]
    fn query_literals_split_at_punctuation() {
        assert_eq!(literal_runs("特色农业，农产品"), ["特色农业", "农产品"]);
        assert_eq!(literal_runs("5Ａ级 景区"), ["5a级景区"]);
        assert_eq!(run_bigrams("农业"), ["农业"]);
        assert_eq!(run_bigrams("牛"), ["牛"]);
        assert_eq!(run_bigrams("中国农业"), ["中国", "国农", "农业"]);
        let phrase =
            |runs: &[&str]| literal_phrase(&runs.iter().map(|r| r.to_string()).collect::<Vec<_>>());
        let at = |v: &[(usize, &str)]| {
            v.iter()
                .map(|(p, t)| (*p, t.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(phrase(&["r", "d"]), at(&[(0, "r"), (2, "d")]));
        assert_eq!(
            phrase(&["pm2", "5"]),
            at(&[(0, "pm"), (1, "m2"), (2, "2"), (4, "5")])
        );
        assert_eq!(
            phrase(&["农业", "农产品"]),
            at(&[(0, "农业"), (1, "业"), (3, "农产"), (4, "产品")])
        );
    }
}
