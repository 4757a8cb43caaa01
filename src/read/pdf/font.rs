//! Fonts as far as text needs them: how a shown string splits into codes,
//! what each code reads as, and how far it advances.
//!
//! Chinese PDFs reach the reader in every way the spec allows: Type0 fonts with
//! a ToUnicode map (LibreOffice, Chromium, Word), Type0 fonts with a
//! predefined CMap and no ToUnicode at all (reportlab's STSong-Light in
//! UniGB-UCS2-H; GBK-EUC-H from 公文 typesetting systems and OFD converters,
//! where the shown bytes are GBK), Identity-H with an Adobe-GB1 ordering and
//! no ToUnicode (the CID is then looked up in Adobe's CID→Unicode table), and
//! Type3 fonts (Chromium writes one for every OpenType/CFF CJK font, with a
//! ToUnicode map and glyph names such as `/g25BD`).

use std::collections::HashMap;
use std::sync::LazyLock;

use encoding_rs::{BIG5, EUC_KR, Encoding, GB18030, SHIFT_JIS, WINDOWS_1252};
use lopdf::{Dictionary, Document, Object};

/// Adobe-GB1 CID → Unicode (BMP), one little-endian u16 a CID, 0 for none;
/// made from Adobe's `Adobe-GB1-UCS2` CMap (see data/pdf/SOURCE.md).
static ADOBE_GB1: &[u8] = include_bytes!("../../../data/pdf/adobe-gb1-ucs2.bin");

/// The most bytes a font program or CMap stream may inflate to: a CMap is a
/// few hundred kilobytes at most.
const MAX_CMAP_BYTES: usize = 8 * 1024 * 1024;

/// Radicals and compatibility ideographs that producers write into
/// ToUnicode maps for the ideograph that shares their glyph (Chromium
/// writes 人 as U+2F08 ⼈ and 民 as U+2EA0 ⺠), and Latin ligatures: each
/// with what it stands for in text (see data/pdf/SOURCE.md).
static EQUIVALENTS: LazyLock<HashMap<char, &'static str>> = LazyLock::new(|| {
    include_str!("../../../data/pdf/radicals.txt")
        .lines()
        .filter_map(|line| {
            let (from, to) = line.split_once('\t')?;
            let mut chars = from.chars();
            let c = chars.next()?;
            chars.next().is_none().then_some((c, to))
        })
        .collect()
});

/// Text with radicals, compatibility ideographs and ligatures replaced by
/// what they stand for.
fn normalise(text: String) -> String {
    let special = |c: char| matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFB06);
    if !text.chars().any(special) {
        return text;
    }
    text.chars()
        .map(|c| match EQUIVALENTS.get(&c) {
            Some(to) if special(c) => (*to).to_string(),
            _ => c.to_string(),
        })
        .collect()
}

fn adobe_gb1(cid: u32) -> Option<char> {
    let i = cid as usize * 2;
    let unit = u16::from_le_bytes([*ADOBE_GB1.get(i)?, *ADOBE_GB1.get(i + 1)?]);
    (unit != 0).then(|| char::from_u32(unit as u32)).flatten()
}

/// One code of a shown string, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// What it reads as (may be empty, or several characters for a ligature).
    pub text: String,
    /// Advance in text space units per unit font size (1.0 = one em).
    pub width: f32,
    /// A one-byte code 32, to which word spacing applies.
    pub is_space_byte: bool,
}

/// How the shown bytes of a Type0 font map to text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Predefined {
    /// Identity-H/V: two-byte codes that are CIDs.
    Identity,
    /// UniGB-UCS2-H, UniGB-UTF16-H and the other Uni…-UCS2/UTF16 CMaps: the
    /// code is UTF-16BE.
    Utf16,
    /// Uni…-UTF8-H.
    Utf8,
    /// Uni…-UTF32-H.
    Utf32,
    /// A legacy double-byte encoding (GBK-EUC-H, GB-EUC-H, B5pc-H, 90ms-RKSJ-H,
    /// KSC-EUC-H): the code bytes are text in that encoding.
    Legacy(&'static Encoding),
}

impl Predefined {
    fn from_name(name: &str) -> Option<Predefined> {
        let upper = name.to_ascii_uppercase();
        if upper.starts_with("IDENTITY") {
            return Some(Predefined::Identity);
        }
        if upper.starts_with("UNI") {
            return Some(if upper.contains("UTF8") {
                Predefined::Utf8
            } else if upper.contains("UTF32") {
                Predefined::Utf32
            } else {
                Predefined::Utf16
            });
        }
        let legacy = if upper.starts_with("GB") {
            GB18030
        } else if upper.contains("B5") || upper.starts_with("ETEN") || upper.starts_with("HKSCS") {
            BIG5
        } else if upper.contains("RKSJ") {
            SHIFT_JIS
        } else if upper.starts_with("KSC") {
            EUC_KR
        } else {
            return None;
        };
        Some(Predefined::Legacy(legacy))
    }

    /// Length of the code starting `bytes`.
    fn code_len(self, bytes: &[u8]) -> usize {
        let b0 = bytes[0];
        let n = match self {
            Predefined::Identity => 2,
            Predefined::Utf16 => {
                if (0xD8..0xDC).contains(&b0) {
                    4
                } else {
                    2
                }
            }
            Predefined::Utf8 => match b0 {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            },
            Predefined::Utf32 => 4,
            Predefined::Legacy(enc) if enc == GB18030 => match (b0, bytes.get(1)) {
                (0x81..=0xFE, Some(0x30..=0x39)) => 4,
                (0x81..=0xFE, _) => 2,
                _ => 1,
            },
            Predefined::Legacy(enc) if enc == SHIFT_JIS => match b0 {
                0x81..=0x9F | 0xE0..=0xFC => 2,
                _ => 1,
            },
            Predefined::Legacy(_) => match b0 {
                0x81..=0xFE => 2,
                _ => 1,
            },
        };
        n.min(bytes.len())
    }

    /// The text of a code, where the encoding itself tells it.
    fn text(self, code: &[u8]) -> Option<String> {
        match self {
            Predefined::Identity => None,
            Predefined::Utf16 => {
                let units: Vec<u16> = code
                    .chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect();
                let text = String::from_utf16(&units).ok()?;
                Some(text)
            }
            Predefined::Utf8 => std::str::from_utf8(code).ok().map(str::to_string),
            Predefined::Utf32 => {
                let v = u32::from_be_bytes(code.try_into().ok()?);
                char::from_u32(v).map(String::from)
            }
            Predefined::Legacy(enc) => {
                let (text, had_errors) = enc.decode_without_bom_handling(code);
                (!had_errors).then(|| text.into_owned())
            }
        }
    }
}

/// A CMap as read from a stream: code space ranges, code → CID, code → text.
#[derive(Debug, Default, Clone)]
pub struct CMap {
    /// (length, low bytes, high bytes) of each code space range.
    codespace: Vec<(usize, Vec<u8>, Vec<u8>)>,
    /// Code (with its byte length) → text.
    unicode: HashMap<(usize, u32), String>,
    /// Code ranges → CID (length, low, high, first CID).
    cid_ranges: Vec<(usize, u32, u32, u32)>,
    /// The predefined CMap it builds on (`usecmap`).
    uses: Option<String>,
}

impl CMap {
    /// Parses a CMap program; what it cannot parse it skips.
    pub fn parse(data: &[u8]) -> CMap {
        let tokens = lex(data);
        let mut map = CMap::default();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Keyword(k) if k == "begincodespacerange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if lo.len() == hi.len() && !lo.is_empty() && lo.len() <= 4 {
                            map.codespace.push((lo.len(), lo.clone(), hi.clone()));
                        }
                        i += 2;
                    }
                }
                Token::Keyword(k) if k == "beginbfchar" => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(dst)) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if let Some(text) = destination_text(dst) {
                            map.insert_unicode(src, text);
                        }
                        i += 2;
                    }
                }
                Token::Keyword(k) if k == "beginbfrange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi)), Some(dst)) =
                        (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
                    {
                        map.insert_bf_range(lo, hi, dst);
                        i += 3;
                    }
                }
                Token::Keyword(k) if k == "begincidchar" => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(Token::Number(cid))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let code = be_value(src);
                        map.cid_ranges.push((src.len(), code, code, *cid as u32));
                        i += 2;
                    }
                }
                Token::Keyword(k) if k == "begincidrange" => {
                    i += 1;
                    while let (
                        Some(Token::Hex(lo)),
                        Some(Token::Hex(hi)),
                        Some(Token::Number(cid)),
                    ) = (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
                    {
                        map.cid_ranges
                            .push((lo.len(), be_value(lo), be_value(hi), *cid as u32));
                        i += 3;
                    }
                }
                Token::Keyword(k) if k == "usecmap" => {
                    if let Some(Token::Name(name)) = i.checked_sub(1).and_then(|j| tokens.get(j)) {
                        map.uses = Some(name.clone());
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        map
    }

    fn insert_unicode(&mut self, src: &[u8], text: String) {
        if src.is_empty() || src.len() > 4 {
            return;
        }
        self.unicode.insert((src.len(), be_value(src)), text);
    }

    fn insert_bf_range(&mut self, lo: &[u8], hi: &[u8], dst: &Token) {
        if lo.is_empty() || lo.len() > 4 || lo.len() != hi.len() {
            return;
        }
        let (start, end) = (be_value(lo), be_value(hi));
        // A hostile range of billions of codes would take forever: ranges
        // over one 64K plane are broken.
        if end < start || end - start > 0xFFFF {
            return;
        }
        match dst {
            Token::Hex(first) => {
                let mut units = utf16_units(first);
                for code in start..=end {
                    if let Ok(text) = String::from_utf16(&units) {
                        self.unicode.insert((lo.len(), code), text);
                    }
                    if let Some(last) = units.last_mut() {
                        *last = last.wrapping_add(1);
                    }
                }
            }
            Token::ArrayOfHex(items) => {
                for (code, item) in (start..=end).zip(items) {
                    if let Ok(text) = String::from_utf16(&utf16_units(item)) {
                        self.unicode.insert((lo.len(), code), text);
                    }
                }
            }
            _ => {}
        }
    }

    fn has_codespace(&self) -> bool {
        !self.codespace.is_empty()
    }

    /// Length of the code starting `bytes` by the code space ranges.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        for len in 1..=4 {
            if bytes.len() < len {
                break;
            }
            let code = &bytes[..len];
            let inside = self.codespace.iter().any(|(n, lo, hi)| {
                *n == len
                    && code
                        .iter()
                        .zip(lo.iter().zip(hi))
                        .all(|(b, (l, h))| l <= b && b <= h)
            });
            if inside {
                return Some(len);
            }
        }
        None
    }

    fn text(&self, code: &[u8]) -> Option<&str> {
        if code.is_empty() || code.len() > 4 {
            return None;
        }
        self.unicode
            .get(&(code.len(), be_value(code)))
            .map(String::as_str)
    }

    fn cid(&self, code: &[u8]) -> Option<u32> {
        let value = be_value(code);
        self.cid_ranges
            .iter()
            .find(|(n, lo, hi, _)| *n == code.len() && *lo <= value && value <= *hi)
            .map(|(_, lo, _, cid)| cid + (value - lo))
    }
}

fn destination_text(token: &Token) -> Option<String> {
    match token {
        Token::Hex(bytes) => String::from_utf16(&utf16_units(bytes)).ok(),
        Token::Name(name) => glyph_name_text(name),
        _ => None,
    }
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    if bytes.len() == 1 {
        return vec![bytes[0] as u16];
    }
    bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect()
}

fn be_value(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |v, &b| (v << 8) | b as u32)
}

/// A token of a CMap program (PostScript syntax, as much as CMaps use).
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Name(String),
    Number(i64),
    Keyword(String),
    ArrayOfHex(Vec<Vec<u8>>),
    Other,
}

/// The bytes of the hex string opening at `data[at]` (`<0041>`), and where
/// lexing goes on.
fn hex_string(data: &[u8], at: usize) -> (Vec<u8>, usize) {
    let end = data[at..]
        .iter()
        .position(|&c| c == b'>')
        .map_or(data.len(), |p| at + p);
    let digits: Vec<u8> = data[at + 1..end]
        .iter()
        .filter(|c| c.is_ascii_hexdigit())
        .copied()
        .collect();
    (hex_bytes(&digits), end + 1)
}

/// Past the literal string opening at `data[at]`, its nested parentheses
/// and escapes included.
fn literal_string_end(data: &[u8], at: usize) -> usize {
    let mut i = at;
    let mut depth = 0;
    while i < data.len() {
        match data[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i + 1
}

/// Where the name or word starting at `data[start]` ends.
fn word_end(data: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < data.len() && !is_delimiter(data[i]) {
        i += 1;
    }
    i
}

fn lex(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut array: Option<Vec<Vec<u8>>> = None;
    while i < data.len() {
        let b = data[i];
        match b {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                tokens.push(Token::Other);
                i += 2;
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                tokens.push(Token::Other);
                i += 2;
            }
            b'<' => {
                let (bytes, next) = hex_string(data, i);
                match array.as_mut() {
                    Some(items) => items.push(bytes),
                    None => tokens.push(Token::Hex(bytes)),
                }
                i = next;
            }
            b'[' => {
                array = Some(Vec::new());
                i += 1;
            }
            b']' => {
                tokens.push(Token::ArrayOfHex(array.take().unwrap_or_default()));
                i += 1;
            }
            b'(' => {
                // Literal strings in CMaps are names of things, never codes.
                tokens.push(Token::Other);
                i = literal_string_end(data, i);
            }
            b'/' => {
                let start = i + 1;
                i = word_end(data, start);
                tokens.push(Token::Name(
                    String::from_utf8_lossy(&data[start..i]).into_owned(),
                ));
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                i = word_end(data, start);
                if i == start {
                    i += 1;
                    tokens.push(Token::Other);
                    continue;
                }
                let word = String::from_utf8_lossy(&data[start..i]);
                tokens.push(match word.parse::<i64>() {
                    Ok(n) => Token::Number(n),
                    Err(_) => Token::Keyword(word.into_owned()),
                });
            }
        }
    }
    tokens
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b)
}

fn hex_bytes(digits: &[u8]) -> Vec<u8> {
    let nibble = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    digits
        .chunks(2)
        .map(|p| (nibble(p[0]) << 4) | p.get(1).map_or(0, |&c| nibble(c)))
        .collect()
}

/// The character a glyph name stands for: `uni4E00`, `u4E00`, `A`, `zero`,
/// `comma`… (names such as Skia's `g25BD` tell nothing).
pub fn glyph_name_text(name: &str) -> Option<String> {
    let base = name.split('.').next().unwrap_or(name);
    if let Some(hex) = base.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        let units: Vec<u16> = hex
            .as_bytes()
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return String::from_utf16(&units).ok();
    }
    if let Some(hex) = base.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    if base.len() == 1 && base.as_bytes()[0].is_ascii_alphabetic() {
        return Some(base.to_string());
    }
    GLYPH_NAMES.get(base).map(|c| c.to_string())
}

/// The Adobe Glyph List names of the printable ASCII and common Latin-1
/// glyphs (the rest of a Chinese document's simple-font text).
static GLYPH_NAMES: LazyLock<HashMap<&'static str, char>> = LazyLock::new(|| {
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("quoteright", '’'),
        ("quoteleft", '‘'),
        ("quotedblleft", '“'),
        ("quotedblright", '”'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '−'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("endash", '–'),
        ("emdash", '—'),
        ("bullet", '•'),
        ("ellipsis", '…'),
        ("degree", '°'),
        ("periodcentered", '·'),
        ("multiply", '×'),
        ("divide", '÷'),
        ("section", '§'),
        ("perthousand", '‰'),
        ("nbspace", '\u{a0}'),
    ];
    NAMES.iter().copied().collect()
});

/// What a font is, for decoding.
#[derive(Debug, Clone)]
enum Kind {
    /// Type1, TrueType, Type3: one byte a code.
    Simple {
        /// Code → text from the font's encoding (base encoding + Differences).
        encoding: Box<[Option<String>; 256]>,
        /// Code → width in em.
        widths: Box<[f32; 256]>,
    },
    /// Type0 with a CIDFont.
    Composite {
        predefined: Option<Predefined>,
        /// An embedded encoding CMap.
        embedded: Option<CMap>,
        /// CID → width in em, and the default.
        widths: HashMap<u32, f32>,
        default_width: f32,
        /// The CIDSystemInfo ordering is Adobe-GB1.
        gb1: bool,
    },
}

/// A font, read once per PDF object.
#[derive(Debug, Clone)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Type3 glyph space scale: FontMatrix x scale × 1000 (1.0 for others).
    pub type3_scale: f32,
}

impl Font {
    /// A stand-in for a missing or broken font: bytes read as Latin-1.
    pub fn fallback() -> Font {
        Font {
            kind: Kind::Simple {
                encoding: standard_encoding(None),
                widths: Box::new([0.5; 256]),
            },
            to_unicode: None,
            type3_scale: 1.0,
        }
    }

    /// Reads a font dictionary.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = name_of(doc, dict.get(b"Subtype").ok()).unwrap_or_default();
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o))
            .map(|data| CMap::parse(&data))
            .filter(|m| !m.unicode.is_empty());
        if subtype == "Type0" {
            return Font::load_composite(doc, dict, to_unicode);
        }
        let type3_scale = if subtype == "Type3" {
            deref(doc, dict.get(b"FontMatrix").ok())
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(number)
                .map(|x| x.abs() * 1000.0)
                .filter(|x| *x > 0.0 && x.is_finite())
                .unwrap_or(1.0)
        } else {
            1.0
        };
        let encoding = simple_encoding(doc, dict);
        let mut widths = Box::new([0.5f32; 256]);
        let missing = descriptor_number(doc, dict, b"MissingWidth").unwrap_or(0.0);
        let first = deref(doc, dict.get(b"FirstChar").ok())
            .and_then(number)
            .unwrap_or(0.0) as usize;
        if let Some(array) = deref(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok()) {
            if missing > 0.0 {
                widths.fill(missing / 1000.0);
            }
            for (i, w) in array.iter().enumerate() {
                if let (Some(slot), Some(w)) = (
                    widths.get_mut(first + i),
                    deref(doc, Some(w)).and_then(number),
                ) {
                    *slot = w / 1000.0;
                }
            }
        }
        Font {
            kind: Kind::Simple { encoding, widths },
            to_unicode,
            type3_scale,
        }
    }

    fn load_composite(doc: &Document, dict: &Dictionary, to_unicode: Option<CMap>) -> Font {
        let encoding = deref(doc, dict.get(b"Encoding").ok());
        let (predefined, embedded) = match encoding {
            Some(Object::Name(name)) => {
                (Predefined::from_name(&String::from_utf8_lossy(name)), None)
            }
            Some(Object::Stream(stream)) => {
                let map = stream
                    .decompressed_content_with_limit(MAX_CMAP_BYTES)
                    .ok()
                    .or_else(|| Some(stream.content.clone()))
                    .map(|d| CMap::parse(&d))
                    .unwrap_or_default();
                let base = map.uses.as_deref().and_then(Predefined::from_name);
                (base, Some(map))
            }
            _ => (Some(Predefined::Identity), None),
        };
        let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| deref(doc, Some(o)))
            .and_then(|o| o.as_dict().ok());
        let mut widths = HashMap::new();
        let mut default_width = 1.0;
        let mut gb1 = false;
        if let Some(cid_font) = descendant {
            if let Some(dw) = deref(doc, cid_font.get(b"DW").ok()).and_then(number) {
                default_width = dw / 1000.0;
            }
            if let Some(w) = deref(doc, cid_font.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
                read_cid_widths(doc, w, &mut widths);
            }
            gb1 = deref(doc, cid_font.get(b"CIDSystemInfo").ok())
                .and_then(|o| o.as_dict().ok())
                .and_then(|info| deref(doc, info.get(b"Ordering").ok()))
                .and_then(|o| o.as_str().ok())
                .is_some_and(|o| o.starts_with(b"GB1"));
        }
        Font {
            kind: Kind::Composite {
                predefined,
                embedded,
                widths,
                default_width,
                gb1,
            },
            to_unicode,
            type3_scale: 1.0,
        }
    }

    /// Splits a shown string into codes and decodes each.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        let mut out = Vec::with_capacity(bytes.len());
        match &self.kind {
            Kind::Simple { encoding, widths } => {
                for &b in bytes {
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|m| m.text(&[b]))
                        .map(str::to_string)
                        .or_else(|| encoding[b as usize].clone())
                        .unwrap_or_else(|| '\u{FFFD}'.to_string());
                    out.push(Code {
                        text: normalise(text),
                        width: widths[b as usize],
                        is_space_byte: b == 32,
                    });
                }
            }
            Kind::Composite {
                predefined,
                embedded,
                widths,
                default_width,
                gb1,
            } => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let len = embedded
                        .as_ref()
                        .filter(|m| m.has_codespace())
                        .and_then(|m| m.code_len(rest))
                        .or_else(|| predefined.map(|p| p.code_len(rest)))
                        .or_else(|| {
                            self.to_unicode
                                .as_ref()
                                .filter(|m| m.has_codespace())
                                .and_then(|m| m.code_len(rest))
                        })
                        .unwrap_or(2)
                        .clamp(1, rest.len());
                    let code = &rest[..len];
                    i += len;
                    let cid = embedded.as_ref().and_then(|m| m.cid(code)).or_else(|| {
                        (*predefined == Some(Predefined::Identity)).then(|| be_value(code))
                    });
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|m| m.text(code))
                        .map(str::to_string)
                        .or_else(|| predefined.and_then(|p| p.text(code)))
                        .or_else(|| cid.filter(|_| *gb1).and_then(adobe_gb1).map(String::from))
                        .unwrap_or_else(|| '\u{FFFD}'.to_string());
                    // Predefined Unicode and legacy CMaps map printable ASCII
                    // to the proportional Latin CIDs 1-95 of every Adobe
                    // ordering; without the CMap at hand, that is the CID
                    // whose width counts.
                    let cid = cid.or_else(|| {
                        let mut chars = text.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c @ ' '..='~'), None) => Some(c as u32 - 0x1F),
                            _ => None,
                        }
                    });
                    let width = cid
                        .and_then(|c| widths.get(&c).copied())
                        .unwrap_or(*default_width);
                    out.push(Code {
                        text: normalise(text),
                        width,
                        is_space_byte: len == 1 && code[0] == 32,
                    });
                }
            }
        }
        out
    }
}

fn read_cid_widths(doc: &Document, w: &[Object], widths: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() {
        let first = deref(doc, w.get(i)).and_then(number);
        let second = deref(doc, w.get(i + 1));
        match (first, second) {
            (Some(first), Some(Object::Array(list))) => {
                for (k, item) in list.iter().enumerate().take(65536) {
                    if let Some(width) = deref(doc, Some(item)).and_then(number) {
                        widths.insert(first as u32 + k as u32, width / 1000.0);
                    }
                }
                i += 2;
            }
            (Some(first), Some(last)) => {
                let last = number(last).unwrap_or(first);
                let width = deref(doc, w.get(i + 2)).and_then(number).unwrap_or(1000.0);
                let (first, last) = (first as u32, last as u32);
                if last >= first && last - first <= 65535 {
                    for cid in first..=last {
                        widths.insert(cid, width / 1000.0);
                    }
                }
                i += 3;
            }
            _ => break,
        }
    }
}

/// The text of each code of a simple font from its Encoding entry: a base
/// encoding and Differences (glyph names).
fn simple_encoding(doc: &Document, dict: &Dictionary) -> Box<[Option<String>; 256]> {
    let encoding = deref(doc, dict.get(b"Encoding").ok());
    let base = match encoding {
        Some(Object::Name(name)) => Some(name.as_slice()),
        Some(Object::Dictionary(d)) => match deref(doc, d.get(b"BaseEncoding").ok()) {
            Some(Object::Name(name)) => Some(name.as_slice()),
            _ => None,
        },
        _ => None,
    };
    let mut table = standard_encoding(base);
    if let Some(Object::Dictionary(d)) = encoding
        && let Some(diffs) = deref(doc, d.get(b"Differences").ok()).and_then(|o| o.as_array().ok())
    {
        let mut code = 0usize;
        for item in diffs {
            match deref(doc, Some(item)) {
                Some(Object::Integer(n)) => code = (*n).clamp(0, 255) as usize,
                Some(Object::Name(name)) => {
                    if code < 256 {
                        table[code] = glyph_name_text(&String::from_utf8_lossy(name));
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    table
}

/// WinAnsi for every base encoding: it is Standard and MacRoman in the
/// printable ASCII that Chinese documents use simple fonts for.
fn standard_encoding(_base: Option<&[u8]>) -> Box<[Option<String>; 256]> {
    let mut table: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|_| None));
    for (b, slot) in table.iter_mut().enumerate().skip(32) {
        let byte = [b as u8];
        let (text, _, had_errors) = WINDOWS_1252.decode(&byte);
        if !had_errors && b != 127 {
            *slot = Some(text.into_owned());
        }
    }
    table
}

fn descriptor_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    deref(doc, dict.get(b"FontDescriptor").ok())
        .and_then(|o| o.as_dict().ok())
        .and_then(|d| deref(doc, d.get(key).ok()))
        .and_then(number)
}

/// Follows a reference (a chain of them, up to a few).
pub fn deref<'a>(doc: &'a Document, mut object: Option<&'a Object>) -> Option<&'a Object> {
    for _ in 0..8 {
        match object? {
            Object::Reference(id) => object = doc.get_object(*id).ok(),
            other => return Some(other),
        }
    }
    None
}

/// A number, integer or real.
pub fn number(object: &Object) -> Option<f32> {
    match object {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

fn name_of(doc: &Document, object: Option<&Object>) -> Option<String> {
    match deref(doc, object)? {
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    }
}

/// A stream's decoded bytes, capped.
fn stream_bytes(doc: &Document, object: &Object) -> Option<Vec<u8>> {
    match deref(doc, Some(object))? {
        Object::Stream(stream) => stream.decompressed_content_with_limit(MAX_CMAP_BYTES).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_to_unicode_cmap_with_chars_ranges_and_arrays() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <4E00> <0004> <9884D8A2> endbfchar
            2 beginbfrange <0010> <0012> <53BF> <0020> <0021> [<4E61> <6751>] endbfrange
            endcmap";
        let map = CMap::parse(cmap);
        let text = |code: &[u8]| map.text(code).map(str::to_string);
        assert_eq!(text(&[0, 3]).as_deref(), Some("一"));
        assert_eq!(text(&[0, 0x12]).as_deref(), Some("\u{53C1}"));
        assert_eq!(text(&[0, 0x10]).as_deref(), Some("县"));
        assert_eq!(text(&[0, 0x20]).as_deref(), Some("乡"));
        assert_eq!(text(&[0, 0x21]).as_deref(), Some("村"));
        assert_eq!(map.code_len(&[0x12, 0x34]), Some(2));
    }

    #[test]
    fn predefined_cmaps_decode_without_to_unicode() {
        let utf16 = Predefined::from_name("UniGB-UCS2-H").unwrap();
        assert_eq!(utf16.text(&[0x4E, 0x61]).as_deref(), Some("乡"));
        let gbk = Predefined::from_name("GBK-EUC-H").unwrap();
        let (bytes, _, _) = GB18030.encode("预算");
        assert_eq!(gbk.code_len(&bytes), 2);
        assert_eq!(gbk.text(&bytes[..2]).as_deref(), Some("预"));
        assert_eq!(gbk.code_len(b"2025"), 1);
        assert_eq!(
            Predefined::from_name("GB-EUC-H"),
            Some(Predefined::Legacy(GB18030))
        );
        assert_eq!(
            Predefined::from_name("Identity-H"),
            Some(Predefined::Identity)
        );
    }

    #[test]
    fn adobe_gb1_cids_read_as_unicode() {
        // CID 1 is the proportional space; 4000 is 姓 in Adobe-GB1.
        assert_eq!(adobe_gb1(1), Some(' '));
        assert_eq!(adobe_gb1(4000), Some('姓'));
        assert_eq!(adobe_gb1(10_000_000), None);
    }

    #[test]
    fn radicals_and_ligatures_read_as_what_they_stand_for() {
        assert_eq!(
            normalise("上海市⼈⺠代表⼤会".to_string()),
            "上海市人民代表大会"
        );
        assert_eq!(normalise("ﬁle".to_string()), "file");
        assert_eq!(normalise("一般公共预算".to_string()), "一般公共预算");
    }

    #[test]
    fn glyph_names_read_as_characters() {
        let cases: &[(&str, Option<&str>)] = &[
            ("uni4E00", Some("一")),
            ("uni53BF.vert", Some("县")),
            ("u20BB7", Some("𠮷")),
            ("zero", Some("0")),
            ("A", Some("A")),
            ("g25BD", None),
        ];
        for (name, want) in cases {
            assert_eq!(glyph_name_text(name).as_deref(), *want, "{name}");
        }
    }
}
