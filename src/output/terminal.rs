//! Text for a terminal: whatever a document or a file name holds is shown,
//! never obeyed, and a closed pipe ends output quietly.
//!
//! A file name may hold a newline (it would forge a line of the index
//! summary) and a document may hold ANSI escapes (`\x1b[31m`, or a sequence
//! that retitles the window or moves the cursor): [`safe`] shows them
//! escaped. JSON output is left exact: serde escapes control characters.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

/// `text` with every character a terminal would act on shown escaped:
/// line breaks as `\n` and `\r`, other C0 and C1 controls and DEL as
/// `\u{1b}`, and the bidirectional overrides and line separators, which
/// make a line read as something else, the same way. A tab is kept: it moves
/// the cursor right and can neither break a line nor start a sequence.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes one line to stderr. A message that cannot be written (stderr
/// closed, as by `2>&1 | head`) is dropped: the work it reports on goes on
/// and its exit code stands, where `eprintln!` would panic.
pub fn say_line(line: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(line).and_then(|()| err.write_all(b"\n"));
}

/// `eprintln!` that never panics: see [`say_line`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::terminal::say_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_escapes_are_shown_not_obeyed() {
        let cases: &[(&str, &str)] = &[
            (
                "关于印发张掖市肉牛产业发展实施方案的通知",
                "关于印发张掖市肉牛产业发展实施方案的通知",
            ),
            (
                "张掖.txt\n  added    forged.txt",
                "张掖.txt\\n  added    forged.txt",
            ),
            ("\x1b[31m肉牛\x1b[0m", "\\u{1b}[31m肉牛\\u{1b}[0m"),
            ("a\rb\u{7}c\u{7f}", "a\\rb\\u{7}c\\u{7f}"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("txt.\u{202e}exe", "txt.\\u{202e}exe"),
            ("第一列\t第二列", "第一列\t第二列"),
        ];
        for (text, shown) in cases {
            assert_eq!(safe(text), *shown, "{text:?}");
        }
    }
}
