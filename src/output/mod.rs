//! Rendering results for people (text, colour on a terminal) and for scripts
//! (JSON with a stable shape).

pub mod crosstab;
mod group;
mod inspect;
mod search;
mod similar;
mod stats;
pub mod terminal;
pub mod timeline;
mod tree;

pub use group::write_group_text;
pub use inspect::{write_inspect_json, write_inspect_text};
pub use search::write_search_text;
pub use similar::write_similar_text;
pub use stats::write_stats_text;
pub use tree::write_tree_text;

use std::io::{self, Write};

use crate::search::highlight::Snippet;

/// Writes any result as one pretty JSON object and a newline: the same JSON
/// a JSON API serves.
pub fn write_json<T: serde::Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

/// How text output looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    /// `text` in a colour, made [`terminal::safe`] first: what is painted
    /// is titles, headings, paths and passages, and an escape in them must
    /// not reach the terminal.
    fn paint(&self, code: &str, text: &str) -> String {
        let text = terminal::safe(text);
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }

    pub(crate) fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub(crate) fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// The snippet with its highlights marked (in colour, or in 【】), each
    /// character made [`terminal::safe`].
    pub(crate) fn highlight(&self, snippet: &Snippet) -> String {
        let (open, close) = if self.color {
            ("\x1b[1;31m", "\x1b[0m")
        } else {
            ("【", "】")
        };
        let mut out = String::new();
        let mut ranges = snippet.highlights.iter().peekable();
        let mut buf = [0u8; 4];
        for (i, c) in snippet.text.chars().enumerate() {
            if ranges.peek().is_some_and(|r| r.0 == i) {
                out.push_str(open);
            }
            out.push_str(&terminal::safe(c.encode_utf8(&mut buf)));
            if let Some(&&(_, end)) = ranges.peek()
                && end == i + 1
            {
                out.push_str(close);
                ranges.next();
            }
        }
        out
    }
}

/// "甘肃省 张掖市 临泽县", or "地区未知".
pub fn region_label(
    province: &Option<String>,
    city: &Option<String>,
    county: &Option<String>,
) -> String {
    let parts: Vec<&str> = [province, city, county]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if parts.is_empty() {
        "地区未知".to_string()
    } else {
        parts.join(" ")
    }
}
