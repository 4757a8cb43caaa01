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
    /// Zero bytes, or nothing but whitespace and punctuation.
    Empty,
    /// Every line was page furniture that cleaning drops (a breadcrumb, a
    /// toolbar, a "来源:" line): how many lines, the first kind and line.
    OnlyBoilerplate {
        /// Lines dropped.
        lines: usize,
        /// The first kind dropped ("breadcrumb", "toolbar", "page metadata").
        what: &'static str,
        /// That line, as it read.
        sample: String,
    },
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
            SkipReason::OnlyBoilerplate {
                lines,
                what,
                sample,
            } => write!(
                f,
                "no document text: {lines} line(s) of web-page furniture only ({what} \"{sample}\"); save the page with its article"
            ),
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

/// UTF-16 without a byte-order mark. Two signs, each checked by decoding:
/// ASCII-range characters leave a zero in every other byte (English, or
/// Chinese with many figures); Chinese text has few zeros (2-8% of its
/// bytes) but, read in the right byte order, almost every code unit is an
/// ideograph, punctuation or ASCII. Random or binary bytes read as UTF-16
/// land in those ranges less than half the time and leave unpaired
/// surrogates and control characters; 8-bit text (ASCII, GBK, UTF-8) read
/// as UTF-16 gives units made of two ASCII bytes or Hangul and private-use
/// units: neither is taken for UTF-16.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
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
    let le = utf16_shares(sample, u16::from_le_bytes);
    let be = utf16_shares(sample, u16::from_be_bytes);
    let ascii_le = odd * 10 >= pairs * 3 && even * 20 < pairs;
    let ascii_be = even * 10 >= pairs * 3 && odd * 20 < pairs;
    let le_fits = le.is_text() && (ascii_le || le.is_chinese());
    let be_fits = be.is_text() && (ascii_be || be.is_chinese());
    match (le_fits, be_fits) {
        (true, false) => Some(UTF_16LE),
        (false, true) => Some(UTF_16BE),
        // ASCII read in the wrong order is ideographs too: the zeros tell.
        (true, true) if ascii_le => Some(UTF_16LE),
        (true, true) if ascii_be => Some(UTF_16BE),
        (true, true) if le.text >= be.text => Some(UTF_16LE),
        (true, true) => Some(UTF_16BE),
        (false, false) => None,
    }
}

/// How the code units of a sample read in one byte order: how many are
/// text (CJK, punctuation, ASCII, Latin, paired surrogates), how many of
/// those are ideographs, how many are made of two printable ASCII bytes
/// (as every unit of ASCII text read as UTF-16 is), and how many cannot be
/// in text at all (controls other than tab, line breaks and form feed;
/// unpaired surrogates; noncharacters).
#[derive(Debug, Clone, Copy, Default)]
struct Utf16Shares {
    units: usize,
    text: usize,
    cjk: usize,
    ascii_pairs: usize,
    bad: usize,
}

impl Utf16Shares {
    /// At least 95% text and under 1% impossible units.
    fn is_text(&self) -> bool {
        self.units > 0 && self.text * 100 >= self.units * 95 && self.bad * 100 < self.units.max(100)
    }

    /// At least 40% of the units are ideographs (Chinese, whose UTF-16 has
    /// too few zero bytes for the ASCII sign), and under 35% are two ASCII
    /// bytes (about 18% in Chinese UTF-16, nearly all in ASCII text).
    fn is_chinese(&self) -> bool {
        self.cjk * 10 >= self.units * 4 && self.ascii_pairs * 100 < self.units * 35
    }
}

fn utf16_shares(sample: &[u8], unit: fn([u8; 2]) -> u16) -> Utf16Shares {
    let units: Vec<u16> = sample.chunks_exact(2).map(|p| unit([p[0], p[1]])).collect();
    let mut s = Utf16Shares {
        units: units.len(),
        ..Utf16Shares::default()
    };
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        let [hi, lo] = u.to_be_bytes();
        if (0x20..=0x7E).contains(&hi) && (0x20..=0x7E).contains(&lo) {
            s.ascii_pairs += 1;
        }
        match u {
            0xD800..=0xDBFF
                if units
                    .get(i + 1)
                    .is_some_and(|n| (0xDC00..=0xDFFF).contains(n)) =>
            {
                // A pair: an ideograph of the extensions, or an emoji.
                s.text += 2;
                i += 2;
                continue;
            }
            // The sample may cut a pair at its end.
            0xD800..=0xDBFF if i + 1 == units.len() => s.text += 1,
            0xD800..=0xDFFF | 0xFFFE | 0xFFFF => s.bad += 1,
            0x09 | 0x0A | 0x0C | 0x0D | 0x20..=0x7E => s.text += 1,
            0x00..=0x1F | 0x7F..=0x9F => s.bad += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => {
                s.text += 1;
                s.cjk += 1;
            }
            // Latin, Greek, Cyrillic; general punctuation, letterlike
            // symbols, arrows, maths, circled numbers, box drawing and
            // shapes; CJK punctuation, kana, bopomofo; full-width forms.
            0xA0..=0x24F
            | 0x370..=0x4FF
            | 0x2000..=0x206F
            | 0x2100..=0x22FF
            | 0x2460..=0x25FF
            | 0x3000..=0x312F
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF => s.text += 1,
            _ => {}
        }
        i += 1;
    }
    s
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

    /// Two real texts (../shared/corpus 00003 and 00023), title and a sentence.
    const INNER_MONGOLIA: &str = "2026年内蒙古自治区政府工作报告\n\n打造自治区牛羊、玉米、马铃薯、大豆技术创新中心，高质量建设巴彦淖尔国家农高区和兴安盟现代畜牧业试验区，支持赤峰建设蒙东作物种质资源库。\n";
    const GANSU: &str = "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n“十四五”时期是甘肃发展极不寻常、极不平凡的五年。在迈上现代化建设新征程的重要时点，习近平总书记第三次亲临视察，为我省发展把脉定向、指路领航。\n";

    fn utf16(text: &str, unit: fn(u16) -> [u8; 2]) -> Vec<u8> {
        text.encode_utf16().flat_map(unit).collect()
    }

    /// Bytes that look like nothing: a fixed linear congruential sequence.
    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect()
    }

    #[test]
    fn reads_chinese_utf16_without_bom_and_still_refuses_binaries() {
        for text in [INNER_MONGOLIA, GANSU] {
            for (bytes, encoding) in [
                (utf16(text, u16::to_le_bytes), "UTF-16LE"),
                (utf16(text, u16::to_be_bytes), "UTF-16BE"),
            ] {
                // Far from the 30% of zero bytes that ASCII leaves.
                let zeros = bytes.iter().filter(|&&b| b == 0).count();
                assert!(zeros * 10 < bytes.len(), "{zeros} of {}", bytes.len());
                let decoded = decode(&bytes).unwrap();
                assert_eq!(decoded.encoding, encoding);
                assert_eq!(decoded.text, text);
            }
        }
        // ASCII UTF-16 without a BOM, in either order.
        let ascii = "County government annual report 2023: output grew 5.2%\n";
        assert_eq!(
            decode(&utf16(ascii, u16::to_be_bytes)).unwrap().encoding,
            "UTF-16BE"
        );
        assert_eq!(decode(&utf16(ascii, u16::to_le_bytes)).unwrap().text, ascii);
        // 8-bit text stays what it is, made of an even length (an odd one
        // cannot be UTF-16).
        for (mut bytes, encoding) in [
            (b"Annual report of the county, 2023\n".to_vec(), "UTF-8"),
            (INNER_MONGOLIA.as_bytes().to_vec(), "UTF-8"),
            (GB18030.encode(INNER_MONGOLIA).0.into_owned(), "gb18030"),
            (GB18030.encode(GANSU).0.into_owned(), "gb18030"),
        ] {
            if !bytes.len().is_multiple_of(2) {
                bytes.push(b'\n');
            }
            assert_eq!(decode(&bytes).unwrap().encoding, encoding);
        }
        // Binaries, with and without a known header, are still refused.
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &noise(4096, 1)].concat();
        let zip = [b"PK\x03\x04\x14\x00\x00\x00".as_slice(), &noise(2048, 2)].concat();
        let no_zeros: Vec<u8> = noise(8192, 4).into_iter().map(|b| b | 1).collect();
        for (name, blob) in [
            ("png", png),
            ("zip", zip),
            ("noise", noise(4096, 3)),
            ("noise without zero bytes", no_zeros),
        ] {
            assert!(
                matches!(
                    decode(&blob),
                    Err(SkipReason::Binary(_) | SkipReason::Undecodable)
                ),
                "{name}: {:?}",
                decode(&blob).map(|d| d.encoding)
            );
        }
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
