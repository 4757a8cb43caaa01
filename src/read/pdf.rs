//! PDF: the text layer read page by page into visual lines with their
//! geometry, handed to [`pages::assemble`]; pages without one go to OCR when
//! the machine has it.
//!
//! lopdf parses the file (objects, cross-reference repair, stream filters,
//! decryption with the empty user password that owner-only "protected"
//! government PDFs carry); plansearch interprets the content streams itself
//! ([`content`]) with its own font and CMap decoding ([`font`]), because
//! the libraries measured side by side each failed Chinese files in some way
//! (docs/formats.md, PDF): pdf-extract panics on predefined CMaps without a
//! ToUnicode map, lopdf's own `extract_text` reads no Type3 text and fails
//! on GBK-EUC-H, others scramble reading order or drop runs.
//!
//! A page whose text does not read as Chinese (a subset font whose ToUnicode
//! map was stripped decodes into confident-looking garbage in every reader)
//! is gated out by the share of common Han characters and treated like a
//! scan.

mod content;
mod font;

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use self::content::{FontCache, Interpreter, Matrix, PlacedImage};
use self::font::{deref, number};
use super::ocr::{self, Engine, INSTALL_HINT};
use super::pages::{self, Geometry, Page, PageLine};
use super::{Extracted, Format, Limits, OcrInfo, SkipReason};

/// Characters of the 3,500 most frequent Han characters of the corpus
/// (99.99 % of its Han text), for telling text from decoding garbage.
static COMMON_HAN: LazyLock<HashSet<char>> = LazyLock::new(|| {
    include_str!("../../data/pdf/common-han.txt")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
});

/// Resolution pages are rendered at for OCR when they are not a plain image.
const RENDER_DPI: u32 = 300;

/// Which reader read the file, for `inspect`.
const READER: &str = "pdf (lopdf + plansearch text)";

/// Reads a PDF's text, by OCR for scanned pages when the machine has
/// tesseract.
pub fn read_pdf(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    read_pdf_with(bytes, limits, ocr::engine())
}

/// [`read_pdf`] with the OCR engine given (none: scans are reported).
pub fn read_pdf_with(
    bytes: &[u8],
    limits: &Limits,
    engine: Option<&Engine>,
) -> Result<Extracted, SkipReason> {
    // lopdf parses untrusted bytes; a panic there must skip the file, not
    // stop the batch.
    match catch_unwind(AssertUnwindSafe(|| read(bytes, limits, engine))) {
        Ok(result) => result,
        Err(_) => Err(SkipReason::Corrupt(
            "the PDF parser failed on this file".to_string(),
        )),
    }
}

/// One page as read from its text layer.
struct PageRead {
    number: u32,
    lines: Vec<PageLine>,
    images: Vec<PlacedImage>,
    width: f32,
    height: f32,
    damaged: bool,
}

fn read(bytes: &[u8], limits: &Limits, engine: Option<&Engine>) -> Result<Extracted, SkipReason> {
    let doc = load(bytes, limits)?;
    let page_ids = doc.get_pages();
    if page_ids.is_empty() {
        return Err(SkipReason::Corrupt("no pages found".to_string()));
    }
    let truncated = is_truncated(bytes);
    let mut fonts = FontCache::new();
    let mut read_pages = Vec::with_capacity(page_ids.len());
    for (&number, &id) in &page_ids {
        limits.check()?;
        read_pages.push(read_page(&doc, id, number, &mut fonts, limits)?);
    }
    let damaged: Vec<u32> = read_pages
        .iter()
        .filter(|p| p.damaged)
        .map(|p| p.number)
        .collect();
    if truncated && !damaged.is_empty() {
        return Err(SkipReason::Corrupt(format!(
            "the file is cut short: {} of {} pages are incomplete",
            damaged.len(),
            read_pages.len()
        )));
    }

    let mut out = Extracted::new(Format::Pdf, READER);
    out.pages = Some(read_pages.len() as u32);
    out.meta.title = info_title(&doc).map(|t| (t, "PDF Info Title".to_string()));
    let texts = PageTexts::of(&doc, bytes, read_pages, engine, limits);
    if let Some(engine) = engine
        && texts.ocr.pages > 0
    {
        out.ocr = Some(OcrInfo {
            engine: engine.name.clone(),
            confidence: texts.ocr.confidence(),
            pages: texts.ocr.pages,
        });
        out.reader = "pdf (lopdf + plansearch text) + tesseract";
    }
    let (lines, dropped) = pages::assemble(&texts.pages);
    out.lines = lines;
    out.dropped = dropped;
    let total = out.pages.unwrap_or(0) as usize;
    if out.is_empty() {
        return Err(SkipReason::NoText(texts.why_no_text(total, engine)));
    }
    let notes = texts.notes(&damaged, total, engine);
    if !notes.is_empty() {
        out.note = Some(notes.join("; "));
    }
    Ok(out)
}

/// The text of every page: its text layer, or what OCR read where the
/// layer is missing or does not decode; and which pages stayed unread.
struct PageTexts {
    pages: Vec<Page>,
    ocr: OcrStats,
    /// Pages with images or no text and nothing OCR could read.
    scanned_unread: Vec<u32>,
    /// Pages whose text does not decode and that OCR could not read.
    garbled_unread: Vec<u32>,
}

impl PageTexts {
    fn of(
        doc: &lopdf::Document,
        bytes: &[u8],
        read_pages: Vec<PageRead>,
        engine: Option<&Engine>,
        limits: &Limits,
    ) -> PageTexts {
        let mut texts = PageTexts {
            pages: Vec::with_capacity(read_pages.len()),
            ocr: OcrStats::default(),
            scanned_unread: Vec::new(),
            garbled_unread: Vec::new(),
        };
        for page in read_pages {
            let text: String = page.lines.iter().map(|l| l.text.as_str()).collect();
            let garbled = is_garbled(&text);
            let has_text = text.chars().any(char::is_alphanumeric);
            if has_text && !garbled {
                texts.pages.push(Page {
                    number: page.number,
                    lines: page.lines,
                });
                continue;
            }
            let recognised = engine.and_then(|engine| {
                if limits.check().is_err() {
                    return None;
                }
                ocr_page(doc, bytes, &page, engine, limits)
            });
            match recognised {
                Some((lines, recognised)) => {
                    texts.ocr.add(&recognised);
                    texts.pages.push(Page {
                        number: page.number,
                        lines,
                    });
                }
                None if garbled => texts.garbled_unread.push(page.number),
                None => {
                    if !page.images.is_empty() || !has_text {
                        texts.scanned_unread.push(page.number);
                    }
                    texts.pages.push(Page {
                        number: page.number,
                        lines: Vec::new(),
                    });
                }
            }
        }
        texts
    }

    /// Why a PDF of `total` pages gave no text at all.
    fn why_no_text(&self, total: usize, engine: Option<&Engine>) -> String {
        if !self.scanned_unread.is_empty() && self.garbled_unread.is_empty() {
            format!(
                "scanned PDF, no text layer on {}{}",
                page_list(&self.scanned_unread, total),
                ocr_hint(engine)
            )
        } else if !self.garbled_unread.is_empty() {
            format!(
                "the text layer does not decode (subset fonts without a ToUnicode map){}",
                ocr_hint(engine)
            )
        } else {
            "no text layer (the text may be drawn as outlines)".to_string()
        }
    }

    /// What was left out or read only in part, for the read info.
    fn notes(&self, damaged: &[u32], total: usize, engine: Option<&Engine>) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.garbled_unread.is_empty() {
            notes.push(format!(
                "{} whose text does not decode (fonts without a ToUnicode map) left out{}",
                page_list(&self.garbled_unread, total),
                ocr_hint(engine)
            ));
        }
        if !self.scanned_unread.is_empty() {
            notes.push(format!(
                "{} scanned, no text layer{}",
                page_list(&self.scanned_unread, total),
                ocr_hint(engine)
            ));
        }
        if !damaged.is_empty() {
            notes.push(format!(
                "{} damaged, read as far as possible",
                page_list(damaged, total)
            ));
        }
        notes
    }
}

/// What to say about OCR for pages it could not read.
fn ocr_hint(engine: Option<&Engine>) -> String {
    match engine {
        None => format!("; {INSTALL_HINT}"),
        Some(_) => {
            "; OCR could not read it (install poppler-utils to render such pages)".to_string()
        }
    }
}

/// "page 3", "pages 2, 5, 7", "all 12 pages".
fn page_list(numbers: &[u32], total: usize) -> String {
    if numbers.len() == total && total > 1 {
        return format!("all {total} pages");
    }
    let shown: Vec<String> = numbers.iter().take(10).map(u32::to_string).collect();
    let more = if numbers.len() > 10 { ", …" } else { "" };
    match numbers.len() {
        1 => format!("page {}", shown[0]),
        _ => format!("pages {}{more}", shown.join(", ")),
    }
}

#[derive(Default)]
struct OcrStats {
    pages: u32,
    words: usize,
    confidence_sum: f32,
}

impl OcrStats {
    fn add(&mut self, page: &ocr::Recognised) {
        self.pages += 1;
        self.words += page.words;
        self.confidence_sum += page.confidence_sum;
    }

    fn confidence(&self) -> f32 {
        if self.words == 0 {
            0.0
        } else {
            self.confidence_sum / self.words as f32
        }
    }
}

/// Loads the file; a user password is `Encrypted`, an owner password alone
/// is no obstacle (lopdf decrypts with the empty user password).
fn load(bytes: &[u8], limits: &Limits) -> Result<Document, SkipReason> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_inflated as usize),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => {
            SkipReason::Encrypted(format!("the PDF cannot be decrypted: {e}"))
        }
        lopdf::Error::Decompress(_) => {
            SkipReason::Corrupt(format!("a stream does not inflate within the cap: {e}"))
        }
        other => SkipReason::Corrupt(format!("not a readable PDF: {other}")),
    })?;
    // lopdf leaves /Encrypt in the trailer, and the objects unloaded, when
    // the empty user password does not open the file: reading on would give
    // empty text, not an error.
    if doc.trailer.has(b"Encrypt") {
        return Err(SkipReason::Encrypted(
            "the PDF opens only with a password".to_string(),
        ));
    }
    Ok(doc)
}

/// True when the file ends before its trailer: no `%%EOF` in its last
/// kilobyte.
fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    !tail.windows(5).any(|w| w == b"%%EOF")
}

/// A page attribute, from the page or the nearest ancestor that has it.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(value) = node.get(key) {
            return deref(doc, Some(value));
        }
        node = deref(doc, node.get(b"Parent").ok())?.as_dict().ok()?;
    }
    None
}

fn read_page(
    doc: &Document,
    id: ObjectId,
    page_number: u32,
    fonts: &mut FontCache,
    limits: &Limits,
) -> Result<PageRead, SkipReason> {
    let empty = Dictionary::new();
    let page = doc.get_dictionary(id).unwrap_or(&empty);
    let bbox = inherited(doc, page, b"CropBox")
        .or_else(|| inherited(doc, page, b"MediaBox"))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| {
            let v: Vec<f32> = a
                .iter()
                .filter_map(|o| deref(doc, Some(o)).and_then(number))
                .collect();
            (v.len() == 4).then(|| {
                [
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    v[0].max(v[2]),
                    v[1].max(v[3]),
                ]
            })
        })
        .filter(|b| b[2] - b[0] > 1.0 && b[3] - b[1] > 1.0)
        .unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(number)
        .map(|r| (r as i64).rem_euclid(360))
        .unwrap_or(0);
    let [x0, y0, x1, y1] = bbox;
    let (w, h) = (x1 - x0, y1 - y0);
    // To upright, bottom-up coordinates of the page as displayed.
    let (start, width, height) = match rotate {
        90 => (Matrix::from_array([0.0, -1.0, 1.0, 0.0, -y0, w + x0]), h, w),
        180 => (
            Matrix::from_array([-1.0, 0.0, 0.0, -1.0, x0 + w, y0 + h]),
            w,
            h,
        ),
        270 => (Matrix::from_array([0.0, 1.0, -1.0, 0.0, y0 + h, -x0]), h, w),
        _ => (Matrix::from_array([1.0, 0.0, 0.0, 1.0, -x0, -y0]), w, h),
    };
    let mut damaged = false;
    let mut data = Vec::new();
    let cap = content::max_content_bytes(limits);
    for content_id in doc.get_page_contents(id) {
        match doc.get_object(content_id).and_then(|o| o.as_stream()) {
            Ok(stream) => {
                match stream.decompressed_content_with_limit(cap.saturating_sub(data.len())) {
                    Ok(bytes) => {
                        data.extend_from_slice(&bytes);
                        data.push(b'\n');
                    }
                    Err(_) => damaged = true,
                }
            }
            Err(_) => damaged = true,
        }
    }
    let resources = inherited(doc, page, b"Resources")
        .and_then(|o| o.as_dict().ok())
        .unwrap_or(&empty);
    let result = Interpreter::new(doc, fonts, limits, height).run_page(&data, resources, start)?;
    Ok(PageRead {
        number: page_number,
        lines: content::lines(result.glyphs),
        images: result.images,
        width,
        height,
        damaged: damaged || result.damaged,
    })
}

/// True when a page's text is not Chinese (or ASCII) as people write it: most
/// of its letters are rare characters, private-use code points or
/// replacement characters.
fn is_garbled(text: &str) -> bool {
    let mut letters = 0usize;
    let mut common = 0usize;
    for c in text.chars() {
        if c.is_whitespace() || c.is_ascii_punctuation() {
            continue;
        }
        letters += 1;
        let usual = c.is_ascii_alphanumeric()
            || COMMON_HAN.contains(&c)
            || matches!(c as u32,
                0x3000..=0x303F | 0xFF01..=0xFF5E | 0x2010..=0x2027 | 0x2030..=0x2033
                | 0x00B0 | 0x00B7 | 0x00D7 | 0x2103 | 0x2116 | 0x2160..=0x216B | 0x2460..=0x249B);
        if usual {
            common += 1;
        }
    }
    letters >= 20 && common * 10 < letters * 6
}

/// OCR of one page: its largest image when that is (nearly) the page, else
/// the page rendered by pdftoppm when the machine has it. Lines come back in
/// points, so that OCR pages and text pages share one set of margins.
fn ocr_page(
    doc: &Document,
    pdf: &[u8],
    page: &PageRead,
    engine: &Engine,
    limits: &Limits,
) -> Option<(Vec<PageLine>, ocr::Recognised)> {
    let page_area = page.width * page.height;
    let largest = page
        .images
        .iter()
        .filter(|i| i.width * i.height >= 0.3 * page_area)
        .max_by(|a, b| (a.width * a.height).total_cmp(&(b.width * b.height)));
    let from_image = largest.and_then(|placed| {
        let (bytes, extension, pixels_wide) = image_file(doc, placed.id, limits)?;
        let dpi = (pixels_wide as f32 * 72.0 / placed.width.max(1.0)).round() as u32;
        Some((bytes, extension, dpi))
    });
    let (bytes, extension, dpi) = match from_image {
        Some(found) => found,
        None => (
            ocr::render_page(pdf, page.number, RENDER_DPI, limits)?,
            "pgm",
            RENDER_DPI,
        ),
    };
    let dpi = dpi.clamp(50, 1200);
    let mut recognised = engine
        .recognise(&bytes, extension, Some(dpi), limits)
        .ok()?
        .into_iter()
        .next()?;
    let scale = 72.0 / dpi as f32;
    let lines = std::mem::take(&mut recognised.lines)
        .into_iter()
        .map(|line| PageLine {
            geometry: line.geometry.map(|g| Geometry {
                x0: g.x0 * scale,
                x1: g.x1 * scale,
                top: g.top * scale,
                size: g.size * scale,
            }),
            ..line
        })
        .collect();
    Some((lines, recognised))
}

/// An image XObject as a file tesseract reads: JPEG and JPEG 2000 as they
/// are, CCITT fax data in a TIFF wrapper, other samples as PNM. With the
/// image's width in pixels.
fn image_file(
    doc: &Document,
    id: ObjectId,
    limits: &Limits,
) -> Option<(Vec<u8>, &'static str, u32)> {
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let dict = &stream.dict;
    let get = |key: &[u8]| deref(doc, dict.get(key).ok());
    let width = get(b"Width").and_then(number)? as u32;
    let height = get(b"Height").and_then(number)? as u32;
    if width == 0 || height == 0 || width as u64 * height as u64 > 200_000_000 {
        return None;
    }
    let filters: Vec<Vec<u8>> = match get(b"Filter") {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| deref(doc, Some(o))?.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let last = filters.last().map(Vec::as_slice);
    match last {
        Some(b"DCTDecode" | b"DCT") if filters.len() == 1 => {
            return Some((stream.content.clone(), "jpg", width));
        }
        Some(b"JPXDecode") if filters.len() == 1 => {
            return Some((stream.content.clone(), "jp2", width));
        }
        Some(b"CCITTFaxDecode" | b"CCF") if filters.len() == 1 => {
            let params = match get(b"DecodeParms") {
                Some(Object::Dictionary(d)) => Some(d),
                Some(Object::Array(a)) => {
                    a.first().and_then(|o| deref(doc, Some(o))?.as_dict().ok())
                }
                _ => None,
            };
            let k = params
                .and_then(|p| deref(doc, p.get(b"K").ok()))
                .and_then(number)
                .unwrap_or(0.0);
            return Some((ccitt_tiff(&stream.content, width, height, k), "tif", width));
        }
        Some(b"JBIG2Decode") => return None,
        _ => {}
    }
    let samples = stream
        .decompressed_content_with_limit(limits.max_inflated as usize)
        .ok()?;
    let bits = get(b"BitsPerComponent").and_then(number).unwrap_or(8.0) as u32;
    let mask = matches!(get(b"ImageMask"), Some(Object::Boolean(true)));
    let components = if mask {
        1
    } else {
        colour_components(doc, get(b"ColorSpace"))?
    };
    // PDF grey: 0 is black; PBM: 1 is black, unless the image says otherwise.
    let inverted =
        matches!(get(b"Decode"), Some(Object::Array(a)) if a.first().and_then(number) == Some(1.0));
    let (pnm, ext) = pnm_of(&samples, bits, components, width, height, inverted)?;
    Some((pnm, ext, width))
}

/// Raw image samples as a PNM file tesseract reads (bilevel, grey, RGB;
/// CMYK as grey ink), with its extension; `None` for other layouts or too
/// few samples.
fn pnm_of(
    samples: &[u8],
    bits: u32,
    components: u32,
    width: u32,
    height: u32,
    inverted: bool,
) -> Option<(Vec<u8>, &'static str)> {
    let (w, h) = (width as usize, height as usize);
    match (bits, components) {
        (1, 1) => {
            let row = w.div_ceil(8);
            let data = samples.get(..row * h)?;
            let mut pnm = format!("P4\n{w} {h}\n").into_bytes();
            pnm.extend(data.iter().map(|b| if inverted { *b } else { !b }));
            Some((pnm, "pbm"))
        }
        (8, 1) => {
            let data = samples.get(..w * h)?;
            let mut pnm = format!("P5\n{w} {h}\n255\n").into_bytes();
            pnm.extend_from_slice(data);
            Some((pnm, "pgm"))
        }
        (8, 3) => {
            let data = samples.get(..w * h * 3)?;
            let mut pnm = format!("P6\n{w} {h}\n255\n").into_bytes();
            pnm.extend_from_slice(data);
            Some((pnm, "ppm"))
        }
        (8, 4) => {
            let data = samples.get(..w * h * 4)?;
            let mut pnm = format!("P5\n{w} {h}\n255\n").into_bytes();
            pnm.extend(data.chunks_exact(4).map(|p| {
                let ink = (p[0] as u32 + p[1] as u32 + p[2] as u32) / 3 + p[3] as u32;
                255 - ink.min(255) as u8
            }));
            Some((pnm, "pgm"))
        }
        _ => None,
    }
}

/// Colour components of a colour space (grey, RGB, CMYK, ICC-based).
fn colour_components(doc: &Document, space: Option<&Object>) -> Option<u32> {
    match space? {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" | b"G" => Some(1),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Some(3),
            b"DeviceCMYK" | b"CMYK" => Some(4),
            _ => None,
        },
        Object::Array(a) => match a.first().and_then(|o| o.as_name().ok())? {
            b"ICCBased" => {
                let profile = deref(doc, a.get(1))?.as_stream().ok()?;
                deref(doc, profile.dict.get(b"N").ok())
                    .and_then(number)
                    .map(|n| n as u32)
            }
            b"CalGray" => Some(1),
            b"CalRGB" => Some(3),
            _ => None,
        },
        _ => None,
    }
}

/// CCITT fax data (as a PDF stores it) wrapped as a one-strip TIFF, which
/// tesseract's image library decodes.
fn ccitt_tiff(data: &[u8], width: u32, height: u32, k: f32) -> Vec<u8> {
    let (compression, t4_options) = if k < 0.0 {
        (4u16, None)
    } else if k > 0.0 {
        (3, Some(1u32))
    } else {
        (3, Some(0))
    };
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, 4, width),
        (257, 4, height),
        (258, 3, 1),
        (259, 3, compression as u32),
        (262, 3, 0),
        (273, 4, 0), // strip offset, set below
        (277, 3, 1),
        (278, 4, height),
        (279, 4, data.len() as u32),
    ];
    if let Some(options) = t4_options {
        entries.push((292, 4, options));
    }
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_offset = (8 + ifd_len) as u32;
    for entry in &mut entries {
        if entry.0 == 273 {
            entry.2 = data_offset;
        }
    }
    let mut tiff = Vec::with_capacity(data_offset as usize + data.len());
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            tiff.extend_from_slice(&(value as u16).to_le_bytes());
            tiff.extend_from_slice(&[0, 0]);
        } else {
            tiff.extend_from_slice(&value.to_le_bytes());
        }
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(data);
    tiff
}

/// The document's Info Title, when it is a title and not a tool's name for
/// the file ("Microsoft Word - 附件1.docx").
fn info_title(doc: &Document) -> Option<String> {
    let info = deref(doc, doc.trailer.get(b"Info").ok())?.as_dict().ok()?;
    let raw = deref(doc, info.get(b"Title").ok())?.as_str().ok()?;
    let title = pdf_text_string(raw);
    let title = title.trim();
    let title = title.strip_prefix("Microsoft Word - ").unwrap_or(title);
    let looks_like_file = [".doc", ".docx", ".wps", ".pdf", ".txt"]
        .iter()
        .any(|ext| title.to_ascii_lowercase().ends_with(ext));
    let meaningful = title.chars().any(|c| COMMON_HAN.contains(&c));
    (meaningful && !looks_like_file && !title.contains('\u{FFFD}')).then(|| title.to_string())
}

/// A PDF text string: UTF-16 with a byte-order mark, UTF-8 with one, else
/// PDFDocEncoding, which Chinese producers often fill with GBK bytes.
fn pdf_text_string(raw: &[u8]) -> String {
    if let Some(rest) = raw.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if raw.is_ascii() {
        return String::from_utf8_lossy(raw).into_owned();
    }
    if let Ok(text) = std::str::from_utf8(raw) {
        return text.to_string();
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(raw);
    if !had_errors {
        return text.into_owned();
    }
    raw.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_samples_become_the_pnm_tesseract_reads() {
        // (samples, bits, components, width, height, inverted, header, body or None)
        type Case<'a> = (
            &'a [u8],
            u32,
            u32,
            u32,
            u32,
            bool,
            &'a str,
            Option<&'a [u8]>,
        );
        let cases: &[Case] = &[
            // Bilevel: PDF 0 is black, PBM 1 is black, so the bits flip ...
            (
                &[0b1010_0000],
                1,
                1,
                3,
                1,
                false,
                "P4\n3 1\n",
                Some(&[0b0101_1111]),
            ),
            // ... unless /Decode [1 0] says 1 is black already.
            (
                &[0b1010_0000],
                1,
                1,
                3,
                1,
                true,
                "P4\n3 1\n",
                Some(&[0b1010_0000]),
            ),
            (
                &[10, 20],
                8,
                1,
                2,
                1,
                false,
                "P5\n2 1\n255\n",
                Some(&[10, 20]),
            ),
            (
                &[1, 2, 3],
                8,
                3,
                1,
                1,
                false,
                "P6\n1 1\n255\n",
                Some(&[1, 2, 3]),
            ),
            // CMYK as grey: no ink is white, full black ink is black.
            (
                &[0, 0, 0, 0, 0, 0, 0, 255],
                8,
                4,
                2,
                1,
                false,
                "P5\n2 1\n255\n",
                Some(&[255, 0]),
            ),
        ];
        for &(samples, bits, components, w, h, inverted, header, body) in cases {
            let (pnm, _) = pnm_of(samples, bits, components, w, h, inverted).unwrap();
            assert!(pnm.starts_with(header.as_bytes()), "{header:?}");
            assert_eq!(Some(&pnm[header.len()..]), body, "{header:?}");
        }
        // Too few samples, or a layout tesseract is not given, is no image.
        assert!(pnm_of(&[1, 2], 8, 1, 3, 1, false).is_none());
        assert!(pnm_of(&[1, 2], 16, 1, 1, 1, false).is_none());
    }
    use lopdf::content::{Content, Operation};
    use lopdf::{Stream, StringFormat, dictionary};

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/formats/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn read_fixture(name: &str) -> Result<Extracted, SkipReason> {
        read_pdf_with(&fixture(name), &Limits::new(), None)
    }

    fn whole_text(e: &Extracted) -> String {
        e.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Share of the expected text's characters found in order in the read
    /// text (whitespace ignored), as the format evaluation measures it.
    fn accuracy(expected: &str, got: &str) -> f64 {
        let a: Vec<char> = expected.chars().filter(|c| !c.is_whitespace()).collect();
        let b: Vec<char> = got.chars().filter(|c| !c.is_whitespace()).collect();
        let mut prev = vec![0usize; b.len() + 1];
        for x in &a {
            let mut cur = vec![0usize; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                cur[j + 1] = if x == y {
                    prev[j] + 1
                } else {
                    prev[j + 1].max(cur[j])
                };
            }
            prev = cur;
        }
        prev[b.len()] as f64 / a.len().max(b.len()).max(1) as f64
    }

    /// Born-digital fixtures: each reads whole, paragraphs unbroken, page
    /// numbers and running headers gone, a known paragraph on its page.
    #[test]
    fn born_digital_fixtures_read_as_their_source_text() {
        // (fixture, a sentence that must come out whole, its page, a header
        // or page-number line that must be gone)
        let cases: &[(&str, &str, u32, &str)] = &[
            (
                "pdf_libreoffice.pdf",
                "全年一般公共预算收入17.9亿元，比上年增收1.4亿元，增长8.6%。",
                3,
                "万载县统计局 国家统计局万载调查队",
            ),
            (
                "pdf_chromium.pdf",
                "第一条 为了妥善处理中小学校学生伤害事故",
                1,
                "上海市中小学校学生伤害事故处理条例file",
            ),
            (
                "pdf_reportlab_stsong.pdf",
                "第一条 为了促进本市中小学校外实践教育高质量发展",
                1,
                "上海市人民代表大会常务委员会公报",
            ),
            (
                "pdf_reportlab_ttf.pdf",
                "第一条 为了加强本市人才流动的管理，规范人才流动秩序",
                1,
                "上海市人民代表大会常务委员会公报",
            ),
            (
                "pdf_gbk_euc.pdf",
                "第一条 为了规范市人民代表大会常务委员会（以下简称市人大常委会）依法行使讨论、决定重大事项职权",
                1,
                "上海市人民代表大会常务委员会公报",
            ),
            ("pdf_type3.pdf", "为了进一步完善本市“一网通办”服务", 1, "PM"),
            (
                "pdf_owner_password.pdf",
                "第一条 为了促进本市中小学校外实践教育高质量发展",
                1,
                "上海市人民代表大会常务委员会公报",
            ),
        ];
        for (name, sentence, page, gone) in cases {
            let e = read_fixture(name).unwrap_or_else(|err| panic!("{name}: {err}"));
            let text = whole_text(&e);
            let expected_path = name.replace(".pdf", ".expected.txt");
            let expected = String::from_utf8(fixture(&expected_path)).unwrap();
            let score = accuracy(&expected, &text);
            assert!(score >= 0.99, "{name}: accuracy {score:.4}\n{text}");
            let line = e
                .lines
                .iter()
                .find(|l| l.text.replace(' ', "").contains(&sentence.replace(' ', "")))
                .unwrap_or_else(|| panic!("{name}: no line holds {sentence}\n{text}"));
            assert_eq!(line.page, Some(*page), "{name}: {}", line.text);
            assert!(
                !e.lines.iter().any(|l| l.text.starts_with(gone)),
                "{name}: {gone} still there"
            );
            assert!(
                !e.lines.iter().any(|l| pages::is_page_number(&l.text)),
                "{name}: a page number is left"
            );
            assert!(e.pages.unwrap() >= 1 && e.lines.iter().all(|l| l.page.is_some()));
        }
    }

    #[test]
    fn a_paragraph_over_a_page_break_keeps_both_pages_and_a_table_row_its_cells() {
        let e = read_fixture("pdf_libreoffice.pdf").unwrap();
        assert_eq!(e.pages, Some(3));
        let over = e
            .lines
            .iter()
            .find(|l| l.last_page.is_some())
            .expect("a paragraph runs over a page break");
        assert_eq!(over.last_page, Some(over.page.unwrap() + 1));
        let row = e
            .lines
            .iter()
            .find(|l| l.text.starts_with("第二产业"))
            .expect("table row");
        assert_eq!(row.text, "第二产业\t127.2\t6.9");
        assert!(
            e.dropped
                .iter()
                .any(|d| d.what == "page number" && d.count == 3)
        );
    }

    #[test]
    fn a_user_password_is_encrypted_and_a_truncated_file_corrupt() {
        match read_fixture("pdf_user_password.pdf") {
            Err(SkipReason::Encrypted(why)) => assert!(why.contains("password"), "{why}"),
            other => panic!("user password: {other:?}"),
        }
        match read_fixture("pdf_truncated.pdf") {
            Err(SkipReason::Corrupt(_)) => {}
            other => panic!("truncated: {other:?}"),
        }
        for junk in [
            &b"%PDF-1.7\n"[..],
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog",
            b"",
        ] {
            assert!(matches!(
                read_pdf_with(junk, &Limits::new(), None),
                Err(SkipReason::Corrupt(_))
            ));
        }
    }

    /// Scans stored as Flate 1-bit samples and as CCITT group 4.
    #[test]
    fn a_scan_is_read_by_ocr_or_says_what_to_install() {
        for name in ["pdf_scanned.pdf", "pdf_scanned_ccitt.pdf"] {
            match read_fixture(name) {
                Err(SkipReason::NoText(why)) => {
                    assert!(why.contains("scanned"), "{name}: {why}");
                    assert!(why.contains("tesseract-ocr-chi-sim"), "{name}: {why}");
                }
                other => panic!("{name} without OCR: {other:?}"),
            }
            let Some(engine) = ocr::engine() else {
                continue;
            };
            let e = read_pdf_with(&fixture(name), &Limits::new(), Some(engine)).unwrap();
            let text = whole_text(&e);
            assert!(text.contains("一般公共预算收入"), "{name}: {text}");
            let info = e.ocr.expect("OCR info");
            assert_eq!(info.pages, 1);
            assert!(info.confidence > 50.0, "{name}: {info:?}");
            let expected = String::from_utf8(fixture("pdf_scanned.expected.txt")).unwrap();
            let score = accuracy(&expected, &text);
            assert!(score >= 0.9, "{name}: OCR accuracy {score:.3}\n{text}");
        }
    }

    #[test]
    fn fonts_stripped_of_their_to_unicode_are_gated_out_and_read_by_ocr_when_it_can() {
        match read_fixture("pdf_no_tounicode.pdf") {
            Err(SkipReason::NoText(why)) => {
                assert!(why.contains("does not decode"), "{why}");
                assert!(why.contains(INSTALL_HINT), "{why}");
            }
            other => panic!("stripped fonts without OCR: {other:?}"),
        }
        let (Some(engine), true) = (ocr::engine(), ocr::can_render()) else {
            return;
        };
        let e = read_pdf_with(
            &fixture("pdf_no_tounicode.pdf"),
            &Limits::new(),
            Some(engine),
        )
        .unwrap();
        assert_eq!(e.ocr.as_ref().map(|o| o.pages), Some(3));
        let expected = String::from_utf8(fixture("pdf_no_tounicode.expected.txt")).unwrap();
        let score = accuracy(&expected, &whole_text(&e));
        assert!(score >= 0.9, "OCR accuracy {score:.3}\n{}", whole_text(&e));
        assert!(!e.lines.iter().any(|l| pages::is_page_number(&l.text)));
    }

    /// Cut short anywhere or with bytes overwritten, a file is read or
    /// refused with a reason, never a panic (the inner reader is called, so
    /// that `catch_unwind` hides nothing) or a hang.
    #[test]
    fn damaged_files_are_read_or_refused_with_a_reason() {
        for name in [
            "pdf_libreoffice.pdf",
            "pdf_reportlab_stsong.pdf",
            "pdf_type3.pdf",
        ] {
            let good = fixture(name);
            let mut variants: Vec<Vec<u8>> = (1..24)
                .map(|i| good[..good.len() * i / 24].to_vec())
                .collect();
            for i in 1..24 {
                let mut bad = good.clone();
                let at = bad.len() * i / 24;
                for b in bad.iter_mut().skip(at).take(64) {
                    *b = b.wrapping_mul(31).wrapping_add(7);
                }
                variants.push(bad);
            }
            for bytes in &variants {
                match read(bytes, &Limits::new(), None) {
                    Ok(e) => assert!(e.pages.is_some()),
                    Err(SkipReason::Corrupt(_) | SkipReason::NoText(_)) => {}
                    Err(other) => panic!("{name}, {} bytes: {other:?}", bytes.len()),
                }
            }
        }
    }

    /// A document built in memory: one Type0 font in UniGB-UCS2-H (as
    /// reportlab writes STSong-Light), `pages` pages of `lines` lines.
    fn synthetic(
        pages: usize,
        lines: &[&str],
        extra: impl Fn(&mut Document, &mut Dictionary),
    ) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("GB1"),
                "Supplement" => 2,
            },
            "DW" => 1000,
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
            "Encoding" => "UniGB-UCS2-H", "DescendantFonts" => vec![cid_font.into()],
        });
        let mut resources = dictionary! { "Font" => dictionary! { "F1" => font } };
        extra(&mut doc, &mut resources);
        let resources_id = doc.add_object(resources);
        let mut kids = Vec::new();
        for n in 0..pages {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
            ];
            for (i, line) in lines.iter().enumerate() {
                let own = include_str!("../../data/pdf/common-han.txt")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .nth(n)
                    .unwrap();
                let text = line
                    .replace("{n}", &(n + 1).to_string())
                    .replace("{c}", &own.to_string());
                let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
                ops.push(Operation::new(
                    "Tm",
                    vec![
                        1.into(),
                        0.into(),
                        0.into(),
                        1.into(),
                        72.into(),
                        (770 - 18 * i as i64).into(),
                    ],
                ));
                ops.push(Operation::new(
                    "Tj",
                    vec![Object::String(utf16, StringFormat::Hexadecimal)],
                ));
            }
            ops.push(Operation::new("ET", vec![]));
            ops.push(Operation::new("Do", vec!["X0".into()]));
            let content = Content { operations: ops }.encode().unwrap();
            let content_id = doc.add_object(Stream::new(dictionary! {}, content));
            kids.push(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
                "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }).into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_thousand_page_file_reads_every_page() {
        // Each page's text differs ({c} is a character of its own), as in a
        // real report, so that only the page number recurs at the edges.
        let lines = [
            "第{n}章 推进{c}县域经济高质量发展",
            "{c}到2025年，各县区综合实力显著提高，示范县带动作用显著发挥，",
            "一般公共预算收入超40亿元。",
            "{c}县城镇化率达到60%以上，农村居民收入增长7%。",
            "- {n} -",
        ];
        let bytes = synthetic(1000, &lines, |_, _| {});
        let e = read_pdf_with(&bytes, &Limits::new(), None).unwrap();
        assert_eq!(e.pages, Some(1000));
        let last = e
            .lines
            .iter()
            .rev()
            .find(|l| l.text.starts_with("第1000章"))
            .unwrap();
        assert_eq!(last.page, Some(1000));
        assert_eq!(e.lines.len(), 3000);
        assert!(
            e.lines[1]
                .text
                .ends_with("发挥，一般公共预算收入超40亿元。"),
            "{}",
            e.lines[1].text
        );
        assert_eq!(
            e.dropped
                .iter()
                .find(|d| d.what == "page number")
                .unwrap()
                .count,
            1000
        );
    }

    #[test]
    fn a_form_that_draws_itself_is_drawn_once() {
        let bytes = synthetic(
            1,
            &["一般公共预算收入增长8.6%。"],
            |doc, resources| {
                let form_id = doc.new_object_id();
                let content = b"BT /F1 12 Tf 72 500 Td <4E616751> Tj ET /X0 Do".to_vec();
                let mut form = Stream::new(
                    dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] },
                    content,
                );
                form.dict.set(
                    "Resources",
                    dictionary! {
                        "Font" => resources.get(b"Font").unwrap().clone(),
                        "XObject" => dictionary! { "X0" => form_id },
                    },
                );
                doc.objects.insert(form_id, Object::Stream(form));
                resources.set("XObject", dictionary! { "X0" => form_id });
            },
        );
        let e = read_pdf_with(&bytes, &Limits::new(), None).unwrap();
        let text = whole_text(&e);
        assert!(text.contains("一般公共预算收入增长8.6%。"), "{text}");
        assert_eq!(text.matches("乡村").count(), 1, "{text}");
    }

    #[test]
    fn a_deadline_passed_stops_reading() {
        let bytes = synthetic(3, &["全面推进乡村振兴"], |_, _| {});
        let past = Limits {
            deadline: std::time::Instant::now() - std::time::Duration::from_secs(1),
            ..Limits::new()
        };
        assert_eq!(
            read_pdf_with(&bytes, &past, None),
            Err(SkipReason::TimedOut)
        );
    }

    #[test]
    fn garbage_from_stripped_fonts_is_told_from_chinese() {
        let cases: &[(&str, bool)] = &[
            (
                "全年一般公共预算收入17.9亿元，比上年增收1.4亿元，增长8.6%。其中税收收入完成11.1亿元",
                false,
            ),
            (
                "Annual report of the county government on the implementation of the plan",
                false,
            ),
            (
                "\u{0106}\u{0F23}\u{1A2B}\u{0E11}\u{0C44}\u{0D55}\u{0B66}\u{0A77}\u{0988}\u{0899}\u{07AA}\u{06BB}\u{05CC}\u{04DD}\u{03EE}\u{02FF}\u{0110}\u{0221}\u{0332}\u{0443}",
                true,
            ),
            (
                "鬱鬻鬼魁魂魄魅魇魉魍魑鳏鳐鳓鳔鳕鳗鳘鳙鳜鳝鳟鳢鸀鸁鸂鸃鸄鸅鸆",
                true,
            ),
            (
                "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
                true,
            ),
            ("— 3 —", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_garbled(text), *want, "{text}");
        }
    }

    #[test]
    fn info_strings_decode_in_their_encodings() {
        let utf16: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("实施意见".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(pdf_text_string(&utf16), "实施意见");
        let (gbk, _, _) = encoding_rs::GBK.encode("工作方案");
        assert_eq!(pdf_text_string(&gbk), "工作方案");
        assert_eq!(pdf_text_string(b"Report"), "Report");
    }
}
