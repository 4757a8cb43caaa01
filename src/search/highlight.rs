//! Snippets and highlights, counted in characters.
//!
//! tantivy's SnippetGenerator measures its window in bytes (150 bytes is about
//! 50 Chinese characters) and only knows the terms of one field. Passages are
//! short, so we highlight ourselves: every occurrence of a query word, literal
//! or jieba part, found in the folded text and mapped back to the original.

use serde::Serialize;

use crate::text::fold;

/// Characters of context in a snippet.
pub const SNIPPET_CHARS: usize = 120;

/// A snippet with highlighted ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The excerpt, with "…" where it was cut.
    pub text: String,
    /// Highlighted ranges as character offsets `[start, end)` into `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Character ranges of `needles` (folded) in `text`, merged and sorted.
pub fn find_ranges(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let folded = fold(text);
    let haystack = folded.text.as_ref();
    // Byte ranges in the folded text; whitespace inside the original (a line
    // break within a word) is not bridged here, which only costs a highlight.
    let mut byte_ranges: Vec<(usize, usize)> = Vec::new();
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        let mut from = 0;
        while let Some(i) = haystack[from..].find(needle.as_str()) {
            let start = from + i;
            let end = start + needle.len();
            byte_ranges.push((folded.original_offset(start), folded.original_offset(end)));
            from = end;
        }
    }
    byte_ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in byte_ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    // Byte offsets to character offsets.
    merged
        .into_iter()
        .map(|(s, e)| (text[..s].chars().count(), text[..e].chars().count()))
        .collect()
}

/// The best window of `text` around the highlights.
pub fn snippet(text: &str, needles: &[String], max_chars: usize) -> Snippet {
    let ranges = find_ranges(text, needles);
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return Snippet {
            text: text.to_string(),
            highlights: ranges,
        };
    }
    // The window start that covers the most highlighted characters.
    let mut best_start = 0;
    let mut best_cover = 0;
    for &(s, _) in &ranges {
        let start = s.saturating_sub(max_chars / 4);
        let end = start + max_chars;
        let cover: usize = ranges
            .iter()
            .map(|&(a, b)| b.min(end).saturating_sub(a.max(start)))
            .sum();
        if cover > best_cover {
            best_cover = cover;
            best_start = start;
        }
    }
    let start = best_start.min(chars.len().saturating_sub(max_chars));
    let end = (start + max_chars).min(chars.len());
    let mut out = String::new();
    let offset = if start > 0 {
        out.push('…');
        1
    } else {
        0
    };
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    let highlights = ranges
        .into_iter()
        .filter(|&(a, b)| b > start && a < end)
        .map(|(a, b)| (a.max(start) - start + offset, b.min(end) - start + offset))
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

/// Renders a snippet with markers around highlights (for terminals and plain text).
pub fn mark(snippet: &Snippet, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut ranges = snippet.highlights.iter().peekable();
    for (i, c) in snippet.text.chars().enumerate() {
        if ranges.peek().is_some_and(|r| r.0 == i) {
            out.push_str(open);
        }
        out.push(c);
        if let Some(&&(_, end)) = ranges.peek()
            && end == i + 1
        {
            out.push_str(close);
            ranges.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_in_characters_across_folding() {
        let text = "新建千头肉牛养殖场(小区)X个,肉牛饲养量达到X万头。";
        let ranges = find_ranges(text, &["肉牛".to_string(), "养殖".to_string()]);
        assert_eq!(ranges, [(4, 8), (16, 18)]);
        // Traditional text is highlighted for a simplified query.
        assert_eq!(find_ranges("發展農業生產", &["农业".to_string()]), [(2, 4)]);
    }

    #[test]
    fn snippets_are_measured_in_characters() {
        // Pitfall: SnippetGenerator's max_num_chars counts bytes.
        let text = format!("{}肉牛养殖{}", "一".repeat(200), "二".repeat(200));
        let s = snippet(&text, &["肉牛养殖".to_string()], 100);
        assert_eq!(s.text.chars().count(), 102); // 100 plus two ellipses
        assert_eq!(mark(&s, "[", "]").matches("[肉牛养殖]").count(), 1);
    }

    #[test]
    fn short_passages_are_whole() {
        let s = snippet("发展肉牛养殖。", &["肉牛".to_string()], 100);
        assert_eq!(mark(&s, "<", ">"), "发展<肉牛>养殖。");
    }
}
