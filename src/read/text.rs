//! Decoding text, whatever encoding it came in, and the reasons a file is not
//! read.
//!
//! Government documents travel as UTF-8, GBK/GB18030 (older sites, Windows
//! editors) and UTF-16 (Word's "Unicode text"). Each is decoded or refused with
//! a reason a user can act on.

use std::fmt;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Files larger than this are refused rather than read whole: a plan or report
/// is rarely over 2 MB, and one passage index entry per paragraph of a 200 MB
/// dump helps nobody. Documented in the README.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A decoded file.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// The encoding it was read as.
    pub encoding: &'static str,
    /// What had to be repaired, if anything (invalid bytes replaced).
    pub note: Option<String>,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Zero bytes or only whitespace.
    Empty,
    /// A kind of file plansearch does not read: the kind detected, e.g. "RAR archive".
    Binary(&'static str),
    /// A format plansearch knows but has no reader for in this build.
    Unsupported(&'static str),
    /// The file is encrypted with a password it does not give.
    Encrypted(String),
    /// The file is damaged or truncated: what the reader found.
    Corrupt(String),
    /// The file holds no text to read (a scan without OCR, glyphs drawn as
    /// paths): why, and what to do.
    NoText(String),
    /// Reading took longer than the per-file time cap.
    TimedOut,
    /// A spreadsheet without a column mapping: what to write where.
    NeedsMapping(String),
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
    /// Could not be decoded as any supported encoding.
    Undecodable,
    /// The file could not be read (permissions, vanished, I/O error).
    Unreadable(String),
    /// The path is not valid UTF-8, so it cannot be stored or shown.
    BadFileName,
    /// plansearch failed on this file (a bug): the file is skipped, the batch goes on.
    Internal,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Empty => write!(f, "empty file"),
            SkipReason::Binary(kind) => write!(
                f,
                "not a document format plansearch reads ({kind}); save it as PDF, DOCX or text"
            ),
            SkipReason::Unsupported(kind) => write!(
                f,
                "{kind} files cannot be read by this build; save it as PDF, DOCX or text"
            ),
            SkipReason::Encrypted(why) => {
                write!(f, "encrypted ({why}); save an unprotected copy to index it")
            }
            SkipReason::Corrupt(why) => {
                write!(f, "damaged or truncated file ({why}); download it again")
            }
            SkipReason::NoText(why) => write!(f, "no text to read: {why}"),
            SkipReason::TimedOut => write!(
                f,
                "reading took longer than {} s and was stopped; the file may be damaged",
                super::DEFAULT_SECONDS
            ),
            SkipReason::NeedsMapping(what) => write!(f, "{what}"),
            SkipReason::TooLarge(n) => write!(
                f,
                "file is {} MB, over the {} MB limit; split it into documents",
                n / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            SkipReason::Undecodable => write!(
                f,
                "text in an unknown encoding; save it as UTF-8 (or GBK/GB18030, UTF-16)"
            ),
            SkipReason::Unreadable(e) => write!(f, "cannot read file: {e}"),
            SkipReason::BadFileName => write!(f, "file name is not valid UTF-8; rename it"),
            SkipReason::Internal => write!(
                f,
                "plansearch failed on this file (a bug); please report it with the file"
            ),
        }
    }
}

/// Decodes file contents to text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SkipReason> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(bytes.len() as u64));
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(SkipReason::Binary(kind));
    }
    let decoded = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        finish(text.into_owned(), encoding, had_errors)
    } else if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        finish(text.into_owned(), encoding, had_errors)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        finish(text.to_string(), UTF_8, false)
    } else if bytes.contains(&0) {
        return Err(SkipReason::Binary("binary data"));
    } else if mostly_utf8(bytes) {
        // A few broken bytes in UTF-8 read better as repaired UTF-8 than as a
        // legacy encoding.
        let (text, had_errors) = UTF_8.decode_without_bom_handling(bytes);
        finish(text.into_owned(), UTF_8, had_errors)
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
        let encoding = if guess == encoding_rs::GBK {
            GB18030
        } else {
            guess
        };
        let (text, _, had_errors) = encoding.decode(bytes);
        let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if replaced * 20 > text.chars().count().max(1) {
            return Err(SkipReason::Undecodable);
        }
        finish(text.into_owned(), encoding, had_errors)
    };
    if decoded.text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(decoded)
}

/// Text copied out of spreadsheet cells or JSON keeps its line breaks as the
/// two characters `\n` (r0519 of ../shared/reports is one line of
/// "…会议\r\n保定市…"): when such escapes outnumber real line breaks, they
/// are read as line breaks.
pub fn unescape_line_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    const LEAST_ESCAPES: usize = 3;
    let escapes = text.matches("\\n").count();
    let breaks = text.matches('\n').count();
    if escapes < LEAST_ESCAPES || escapes <= breaks {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.replace("\\r\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\r", "\n")
            .replace("\\t", "\t"),
    )
}

/// A markdown file's YAML front matter ("---\ntitle: 吴忠市政府工作报告(…)\n---",
/// as one set of work reports carries it): its `key: value` lines, lower-case
/// keys, and the text after it. Text without one is all body.
pub fn front_matter(text: &str) -> (Vec<(String, String)>, &str) {
    const MAX_LINES: usize = 40;
    let start = text.trim_start_matches('\u{feff}');
    let Some(rest) = start
        .strip_prefix("---\n")
        .or_else(|| start.strip_prefix("---\r\n"))
    else {
        return (Vec::new(), text);
    };
    let mut pairs = Vec::new();
    let mut offset = 0;
    for line in rest.split_inclusive('\n').take(MAX_LINES) {
        offset += line.len();
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return (pairs, &rest[offset..]);
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if !value.is_empty() && !key.trim().is_empty() {
            pairs.push((key.trim().to_lowercase(), value.to_string()));
        }
    }
    (Vec::new(), text)
}

fn finish(text: String, encoding: &'static Encoding, had_errors: bool) -> Decoded {
    let note = had_errors.then(|| {
        let n = text.chars().filter(|&c| c == '\u{FFFD}').count();
        format!("{n} invalid {} byte sequence(s) replaced", encoding.name())
    });
    Decoded {
        text,
        encoding: encoding.name(),
        note,
    }
}

/// Recognises common binary formats saved under a text name.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "zip archive or .docx/.xlsx"),
        (b"\xD0\xCF\x11\xE0", "Word/Excel 97 document"),
        (b"{\\rtf", "RTF document"),
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"\x7FELF", "executable"),
        (b"\x1F\x8B", "gzip archive"),
        (b"Rar!", "RAR archive"),
        (b"7z\xBC\xAF", "7-zip archive"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// UTF-16 without a byte-order mark: ASCII-range characters leave a zero in
/// every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let zeros_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 3 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// In GBK text almost no non-ASCII byte is part of a valid UTF-8 sequence; in
/// broken UTF-8 almost all are, however short the file.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    invalid_utf8_bytes(bytes) * 10 < non_ascii
}

fn invalid_utf8_bytes(mut bytes: &[u8]) -> usize {
    let mut invalid = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return invalid,
            Err(e) => {
                let bad = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                invalid += bad;
                bytes = &bytes[e.valid_up_to() + bad..];
            }
        }
    }
}

impl serde::Serialize for SkipReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str = "全面推进乡村振兴，加快发展肉牛养殖和设施蔬菜产业。";

    #[test]
    fn reads_utf8_with_and_without_bom() {
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), SENTENCE.as_bytes()].concat();
        assert_eq!(decode(&with_bom).unwrap().text, SENTENCE);
        assert_eq!(decode(SENTENCE.as_bytes()).unwrap().encoding, "UTF-8");
    }

    #[test]
    fn reads_gbk_and_gb18030() {
        let (bytes, _, _) = GB18030.encode(SENTENCE);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, SENTENCE);
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn reads_utf16_with_and_without_bom() {
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        let mut le_plain = Vec::new();
        for unit in format!("2023年 {SENTENCE} GDP").encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            le_plain.extend_from_slice(&unit.to_le_bytes());
        }
        assert!(decode(&le).unwrap().text.contains(SENTENCE));
        let mut be = vec![0xFE, 0xFF];
        for unit in SENTENCE.encode_utf16() {
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().text, SENTENCE);
        // Without BOM, ASCII-heavy UTF-16 is still recognised.
        let ascii: Vec<u8> = "Annual report 2023 of the county government"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&ascii).unwrap().encoding, "UTF-16LE");
    }

    #[test]
    fn repairs_a_few_invalid_bytes_in_utf8() {
        let mut bytes = SENTENCE.repeat(20).into_bytes();
        bytes.insert(30, 0xFF);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.note.unwrap().contains("replaced"));
        assert!(decoded.text.contains("肉牛养殖"));
    }

    #[test]
    fn a_short_file_with_a_few_broken_bytes_is_still_utf8() {
        let text = "油橄榄产业发展情况汇报\n\n近年来，我县把油橄榄产业作为富民产业来抓。";
        let mut bytes = text.as_bytes().to_vec();
        bytes.insert(40, 0xFF);
        bytes.insert(20, 0xC3);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(
            decoded.text.contains("产业作为富民产业"),
            "{}",
            decoded.text
        );
        // GBK of the same text is not mistaken for broken UTF-8.
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).unwrap().text, text);
    }

    #[test]
    fn escaped_line_breaks_become_lines() {
        // r0519 of ../shared/reports, copied from a spreadsheet cell.
        let text = r"2019年1月29日保定市徐水区第二届人民代表大会第三次会议\r\n保定市徐水区人民政府\r\n各位代表：\r\n现在，我代表区人民政府向大会作工作报告。";
        let lines: Vec<String> = unescape_line_breaks(text)
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[2], "各位代表：");
        // A text that only mentions the escape keeps it.
        let code = "用\\n表示换行。\n第二行。\n第三行。\n第四行。";
        assert_eq!(unescape_line_breaks(code), code);
    }

    #[test]
    fn reads_front_matter_and_leaves_the_body() {
        // r0216 of ../shared/reports.
        let text = "---\ntitle: 吴忠市政府工作报告（2022年12月17日 王学军）\n---\n\n——2022年12月17日在吴忠市第六届人民代表大会第二次会议上\n";
        let (pairs, body) = front_matter(text);
        assert_eq!(
            pairs,
            [(
                "title".to_string(),
                "吴忠市政府工作报告（2022年12月17日 王学军）".to_string()
            )]
        );
        assert!(body.trim_start().starts_with("——2022年12月17日"));
        // A rule that opens the text and never closes is not front matter.
        let (pairs, body) = front_matter("---\n一、目标任务\n");
        assert!(pairs.is_empty());
        assert!(body.starts_with("---"));
    }

    #[test]
    fn refuses_empty_and_binary_files_with_a_reason() {
        assert_eq!(decode(b""), Err(SkipReason::Empty));
        assert_eq!(decode(b" \n\t\r\n"), Err(SkipReason::Empty));
        assert_eq!(
            decode(b"%PDF-1.7\n%\xE2\xE3"),
            Err(SkipReason::Binary("PDF document"))
        );
        assert!(matches!(
            decode(b"PK\x03\x04\x14\x00"),
            Err(SkipReason::Binary(_))
        ));
        assert!(matches!(
            decode(&[0u8, 1, 2, 3, 0, 0, 200, 255, 0, 17]),
            Err(SkipReason::Binary(_))
        ));
        let reason = SkipReason::Binary("RAR archive").to_string();
        assert!(reason.contains("save it as"), "{reason}");
    }
}
