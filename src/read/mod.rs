//! Reading: the bytes of a file, whatever its format, as lines of text in
//! reading order, each with the page it stands on and, where the format says
//! so, its outline level; plus what the container itself tells about the
//! document (a web page's ArticleTitle and PubDate, an OFD's DocInfo).
//!
//! Researchers' folders hold text, web pages saved from government sites, PDF
//! attachments, Word and WPS files, OFD (GB/T 33190) and spreadsheets of
//! collected reports. The format is told by the bytes ([`detect`]), never by
//! the name: a PDF saved as `.txt` is read as a PDF. Every reader works under
//! [`Limits`] (a deadline and a cap on what it may inflate), so a corrupt,
//! encrypted or enormous file is skipped with its reason and never stops a
//! batch. What a reader drops (page numbers, running headers) is counted in
//! [`Extracted::dropped`] so that `inspect` can show it.
//!
//! Paged formats (PDF, OFD, OCR output) share [`pages::assemble`]: the lines
//! every PDF library leaves (a wrap every ~30 characters, page numbers,
//! running headers) become paragraphs, and that matters more than which
//! library read the glyphs.

pub mod archive;
pub mod docx;
pub mod html;
pub mod mhtml;
pub mod ocr;
pub mod odt;
pub mod ofd;
mod office;
pub mod pages;
pub mod pdf;
pub mod sheet;
pub mod text;
pub mod word97;

use std::time::{Duration, Instant};

use serde::Serialize;

pub use text::{Decoded, MAX_FILE_BYTES, SkipReason, decode};

/// A file format, as told by its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// Plain text or markdown, in any Chinese encoding.
    Text,
    /// An HTML page.
    Html,
    /// A web page saved as one MIME file (.mht, .mhtml).
    Mhtml,
    /// PDF.
    Pdf,
    /// Word 2007+ (.docx), WPS saving as .docx.
    Docx,
    /// OpenDocument text (.odt).
    Odt,
    /// The Word 97-2003 binary (.doc), which Kingsoft WPS also writes (.wps).
    Word97,
    /// OFD, the national format for electronic official documents (GB/T 33190).
    Ofd,
    /// An Excel workbook (.xlsx).
    Xlsx,
    /// An Excel 97-2003 workbook (.xls).
    Xls,
    /// An OpenDocument spreadsheet (.ods).
    Ods,
    /// An image (PNG, JPEG, TIFF…): text only by OCR.
    Image(&'static str),
    /// Anything else recognised but not read: the kind, e.g. "RAR archive".
    Other(&'static str),
    /// A container too damaged to tell what it holds: the kind, e.g. "zip archive".
    Damaged(&'static str),
}

impl Format {
    /// The name users see: "PDF", "DOCX", "DOC/WPS".
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "HTML",
            Format::Mhtml => "MHTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Odt => "ODT",
            Format::Word97 => "DOC/WPS",
            Format::Ofd => "OFD",
            Format::Xlsx => "XLSX",
            Format::Xls => "XLS",
            Format::Ods => "ODS",
            Format::Image(kind) | Format::Other(kind) | Format::Damaged(kind) => kind,
        }
    }

    /// True for formats whose documents have pages that hits can cite.
    pub fn has_pages(self) -> bool {
        matches!(self, Format::Pdf | Format::Ofd | Format::Image(_))
    }
}

/// Tells a file's format from its bytes: magic numbers, then what a zip or
/// compound file holds, then markup at the start of text.
pub fn detect(bytes: &[u8]) -> Format {
    const MAGIC: &[(&[u8], Format)] = &[
        (b"%PDF", Format::Pdf),
        (b"\x89PNG", Format::Image("PNG image")),
        (b"\xFF\xD8\xFF", Format::Image("JPEG image")),
        (b"II*\x00", Format::Image("TIFF image")),
        (b"MM\x00*", Format::Image("TIFF image")),
        (b"BM", Format::Image("BMP image")),
        (b"GIF8", Format::Other("GIF image")),
        (b"{\\rtf", Format::Other("RTF document")),
        (b"\x7FELF", Format::Other("executable")),
        (b"\x1F\x8B", Format::Other("gzip archive")),
        (b"Rar!", Format::Other("RAR archive")),
        (b"7z\xBC\xAF", Format::Other("7-zip archive")),
    ];
    // A PDF may have junk before its header (the spec allows 1024 bytes).
    if bytes.len() > 4 && find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if let Some((_, format)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        // "BM" also starts plain text ("BMW…"): a bitmap has its size next.
        if *format != Format::Image("BMP image") || looks_like_bmp(bytes) {
            return *format;
        }
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_format(bytes);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return compound_format(bytes);
    }
    markup_format(bytes)
}

fn looks_like_bmp(bytes: &[u8]) -> bool {
    bytes.len() > 26
        && u32::from_le_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]) as usize == bytes.len()
}

/// What a zip holds: OOXML names its parts in `[Content_Types].xml`, an
/// OpenDocument file starts with its `mimetype`, an OFD has `OFD.xml` at the root.
fn zip_format(bytes: &[u8]) -> Format {
    let Ok(archive) = archive::Archive::open(bytes, &Limits::new()) else {
        return Format::Damaged("zip archive");
    };
    let opendocument =
        |kind: &[u8]| bytes.len() > 80 && find(&bytes[30..100.min(bytes.len())], kind).is_some();
    let opendocument_text = opendocument(b"application/vnd.oasis.opendocument.text");
    if archive.has("OFD.xml") {
        Format::Ofd
    } else if archive.has("word/document.xml") {
        Format::Docx
    } else if archive.has("xl/workbook.xml") {
        Format::Xlsx
    } else if opendocument(b"application/vnd.oasis.opendocument.spreadsheet") {
        Format::Ods
    } else if opendocument_text || archive.has("content.xml") && archive.has("mimetype") {
        Format::Odt
    } else if archive.has("ppt/presentation.xml") {
        Format::Other("PowerPoint presentation")
    } else {
        Format::Other("zip archive")
    }
}

/// An OLE compound file: Word 97-2003 and WPS keep a `WordDocument` stream,
/// Excel a `Workbook`, PowerPoint a `PowerPoint Document`; an encrypted
/// OOXML file is a compound file with an `EncryptedPackage`.
fn compound_format(bytes: &[u8]) -> Format {
    let Ok(file) = cfb::CompoundFile::open(std::io::Cursor::new(bytes)) else {
        return Format::Damaged("Office 97 file");
    };
    let has = |name: &str| file.exists(name);
    if has("/WordDocument") {
        Format::Word97
    } else if has("/EncryptedPackage") {
        Format::Other("password-protected Office document")
    } else if has("/Workbook") || has("/Book") {
        Format::Xls
    } else if has("/PowerPoint Document") {
        Format::Other("PowerPoint 97 presentation")
    } else {
        Format::Other("Office 97 file")
    }
}

/// Text that starts as a web page or a saved MIME page.
fn markup_format(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(2048)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let lower: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(1024)
        .map(u8::to_ascii_lowercase)
        .collect();
    if (lower.starts_with(b"mime-version:")
        || lower.starts_with(b"from:")
        || lower.starts_with(b"content-type: multipart/related"))
        && find(&lower, b"multipart/related").is_some()
    {
        return Format::Mhtml;
    }
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<?xml") || lower.starts_with(b"<!--"))
            && find(&lower, b"<html").is_some()
    {
        return Format::Html;
    }
    Format::Text
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How long a reader may take and how much it may inflate: a 1,000-page PDF
/// reads in well under a minute; a file that takes longer is broken or
/// hostile, and so is a zip entry that inflates past the cap.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// When the reader must give up.
    pub deadline: Instant,
    /// The most bytes any one stream or zip entry may inflate to.
    pub max_inflated: u64,
}

/// Seconds one file may take to read, unless told otherwise.
pub const DEFAULT_SECONDS: u64 = 60;

impl Limits {
    /// Limits starting now, with the default deadline and inflation cap.
    pub fn new() -> Limits {
        Limits::with_seconds(DEFAULT_SECONDS)
    }

    /// Limits starting now with a deadline `seconds` away.
    pub fn with_seconds(seconds: u64) -> Limits {
        Limits {
            deadline: Instant::now() + Duration::from_secs(seconds),
            max_inflated: 256 * 1024 * 1024,
        }
    }

    /// An error once the deadline has passed; readers call it between pages
    /// and parts.
    pub fn check(&self) -> Result<(), SkipReason> {
        if Instant::now() > self.deadline {
            Err(SkipReason::TimedOut)
        } else {
            Ok(())
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new()
    }
}

/// One line of a read document.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Line {
    /// The text, one paragraph (or a table row, cells joined by tabs).
    pub text: String,
    /// The 1-based page it starts on, for paged formats.
    pub page: Option<u32>,
    /// The page it ends on when the paragraph runs over a page break.
    pub last_page: Option<u32>,
    /// Outline level from the document's own styles (1 = top), where the
    /// format carries one (Word heading styles, `text:h`, HTML `h1`-`h6`).
    pub outline: Option<u8>,
}

impl Line {
    /// A line with no page or outline.
    pub fn plain(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            ..Line::default()
        }
    }
}

/// What the container tells about the document, apart from its text. Each
/// value keeps where it came from ("meta ArticleTitle", "OFD DocInfo Title").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceMeta {
    /// The document's title.
    pub title: Option<(String, String)>,
    /// When it was published, as written ("2023-05-11", "2023年5月11日").
    pub published: Option<(String, String)>,
    /// Who published it (ContentSource, 来源).
    pub source: Option<(String, String)>,
    /// Who wrote or issued it (OFD Author, docx creator when not a person's tool).
    pub author: Option<(String, String)>,
}

/// Something a reader or cleaning left out of the text, counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    /// What it was: "page number", "running header", "navigation".
    pub what: &'static str,
    /// How many lines.
    pub count: usize,
    /// The first one, as it read.
    pub sample: String,
}

/// Adds one dropped line of kind `what` to a tally.
pub fn note_dropped(dropped: &mut Vec<Dropped>, what: &'static str, line: &str) {
    match dropped.iter_mut().find(|d| d.what == what) {
        Some(d) => d.count += 1,
        None => dropped.push(Dropped {
            what,
            count: 1,
            sample: crate::text::truncate_chars(line, 80).to_string(),
        }),
    }
}

/// Text that came from OCR, and how sure the engine was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrInfo {
    /// The engine and language, e.g. "tesseract 5.3.0 chi_sim".
    pub engine: String,
    /// Mean word confidence, 0-100.
    pub confidence: f32,
    /// Pages that were recognised.
    pub pages: u32,
}

/// What reading a file found out, apart from its lines: kept with the
/// document for `inspect` and the page view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadInfo {
    /// The format told by the bytes.
    pub format: Format,
    /// Which reader read it.
    pub reader: &'static str,
    /// The text encoding, for text formats.
    pub encoding: &'static str,
    /// What reading had to repair or could not read, if anything.
    pub note: Option<String>,
    /// Pages in the file, for paged formats.
    pub pages: Option<u32>,
    /// What the container says about the document.
    pub meta: SourceMeta,
    /// What the reader and cleaning dropped.
    pub dropped: Vec<Dropped>,
    /// Set when the text came from OCR.
    pub ocr: Option<OcrInfo>,
}

/// A file read into lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extracted {
    /// The format told by the bytes.
    pub format: Format,
    /// Which reader read it, for `inspect`.
    pub reader: &'static str,
    /// The text encoding, for text formats ("UTF-8", "gb18030").
    pub encoding: &'static str,
    /// What reading had to repair or could not read, if anything.
    pub note: Option<String>,
    /// The lines, in reading order.
    pub lines: Vec<Line>,
    /// Pages in the file, for paged formats.
    pub pages: Option<u32>,
    /// What the container says about the document.
    pub meta: SourceMeta,
    /// What the reader dropped.
    pub dropped: Vec<Dropped>,
    /// Set when the text came from OCR.
    pub ocr: Option<OcrInfo>,
}

impl Extracted {
    /// An extraction of `format` by `reader` with nothing in it yet.
    pub fn new(format: Format, reader: &'static str) -> Extracted {
        Extracted {
            format,
            reader,
            encoding: "UTF-8",
            note: None,
            lines: Vec::new(),
            pages: None,
            meta: SourceMeta::default(),
            dropped: Vec::new(),
            ocr: None,
        }
    }

    /// Plain text as lines: a form feed (as `pdftotext` writes between pages)
    /// starts the next page.
    pub fn from_text(format: Format, reader: &'static str, text: &str) -> Extracted {
        let mut out = Extracted::new(format, reader);
        let paged = text.contains('\u{c}');
        let mut page = 1;
        for raw in text.lines() {
            let mut parts = raw.split('\u{c}');
            if let Some(first) = parts.next() {
                out.push_text_line(first, paged.then_some(page));
            }
            for part in parts {
                page += 1;
                out.push_text_line(part, Some(page));
            }
        }
        if paged {
            out.pages = Some(page);
        }
        out
    }

    fn push_text_line(&mut self, text: &str, page: Option<u32>) {
        self.lines.push(Line {
            text: text.to_string(),
            page,
            last_page: None,
            outline: None,
        });
    }

    /// Splits off the lines, keeping the rest as [`ReadInfo`].
    pub fn into_parts(self) -> (Vec<Line>, ReadInfo) {
        let info = ReadInfo {
            format: self.format,
            reader: self.reader,
            encoding: self.encoding,
            note: self.note,
            pages: self.pages,
            meta: self.meta,
            dropped: self.dropped,
            ocr: self.ocr,
        };
        (self.lines, info)
    }

    /// True when no line holds a letter or a digit.
    pub fn is_empty(&self) -> bool {
        !self
            .lines
            .iter()
            .any(|l| l.text.chars().any(char::is_alphanumeric))
    }
}

/// Reads a file's bytes as lines, by the format its bytes tell.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(bytes.len() as u64));
    }
    let format = detect(bytes);
    let extracted = match format {
        Format::Text => {
            let decoded = decode(bytes)?;
            let unescaped = text::unescape_line_breaks(&decoded.text);
            let (front, body) = text::front_matter(&unescaped);
            let mut out = Extracted::from_text(Format::Text, "text", body);
            if out.pages.is_none() {
                out.pages = pages::number_text_pages(&mut out.lines, &mut out.dropped);
            }
            out.encoding = decoded.encoding;
            out.note = decoded.note;
            for (key, value) in front {
                let from = format!("front matter {key}");
                match key.as_str() {
                    "title" => out.meta.title = Some((value, from)),
                    "date" | "published" | "pubdate" => out.meta.published = Some((value, from)),
                    "source" => out.meta.source = Some((value, from)),
                    "author" => out.meta.author = Some((value, from)),
                    _ => {}
                }
            }
            out
        }
        Format::Ofd => ofd::read_ofd(bytes, limits)?,
        Format::Html => html::read_html(bytes, limits)?,
        Format::Mhtml => mhtml::read_mhtml(bytes, limits)?,
        Format::Docx => docx::read_docx(bytes, limits)?,
        Format::Odt => odt::read_odt(bytes, limits)?,
        Format::Word97 => word97::read_word97(bytes, limits)?,
        Format::Other("password-protected Office document") => {
            return Err(SkipReason::Encrypted(
                "an Office document protected with a password".into(),
            ));
        }
        Format::Pdf => pdf::read_pdf(bytes, limits)?,
        Format::Image(_) => ocr::read_image(bytes, format, limits, ocr::engine())?,
        Format::Other(kind) => return Err(SkipReason::Binary(kind)),
        Format::Damaged(kind) => {
            return Err(SkipReason::Corrupt(format!("{kind} that cannot be opened")));
        }
        other => return Err(SkipReason::Unsupported(other.name())),
    };
    limits.check()?;
    // A title the container gives (front matter, a page's title) with no
    // body is still a document: its title is its text.
    if extracted.is_empty() && extracted.meta.title.is_none() {
        return Err(SkipReason::Empty);
    }
    Ok(extracted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_formats_by_their_bytes() {
        let cases: &[(&[u8], Format)] = &[
            (b"%PDF-1.7\n%\xE2\xE3", Format::Pdf),
            (b"\x89PNG\r\n\x1a\n", Format::Image("PNG image")),
            ("全面推进乡村振兴".as_bytes(), Format::Text),
            (b"BMW and BYD", Format::Text),
            (b"<!DOCTYPE html><html><head>", Format::Html),
            (b"  <html lang=\"zh\">", Format::Html),
            (
                b"From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: multipart/related;",
                Format::Mhtml,
            ),
            (b"Rar!\x1a\x07", Format::Other("RAR archive")),
        ];
        for (bytes, want) in cases {
            assert_eq!(detect(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn form_feeds_start_pages() {
        let text = "关于推进县域经济高质量发展的实施意见\n一、目标任务\u{c}到2025年,各县区综合实力显著提高。\n";
        let e = Extracted::from_text(Format::Text, "text", text);
        let pages: Vec<Option<u32>> = e.lines.iter().map(|l| l.page).collect();
        assert_eq!(pages, [Some(1), Some(1), Some(2)]);
        assert_eq!(e.pages, Some(2));
        let plain = Extracted::from_text(Format::Text, "text", "一、目标任务\n正文。");
        assert_eq!(plain.pages, None);
        assert!(plain.lines.iter().all(|l| l.page.is_none()));
    }
}
