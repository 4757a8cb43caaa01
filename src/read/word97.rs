//! DOC and WPS (the Word 97-2003 binary, which Kingsoft WPS also writes
//! under `.wps`): the text through the piece table, read exactly.
//!
//! The compound file (the `cfb` crate) holds a `WordDocument` stream whose
//! FIB points into the `0Table`/`1Table` stream: the CLX there lists the
//! pieces of text, each 8-bit (cp1252, "compressed") or UTF-16LE. Paragraph
//! properties (FKPs found through the PlcBtePapx) say which paragraphs are
//! table cells and rows, their style and outline level; the style sheet says
//! which styles are headings (built-in "heading N" or an outline level); the
//! list tables (PlfLst, PlfLfo) give automatic numbers ("一、", "（一）"),
//! rendered like Word shows them. Fields keep their displayed result
//! (0x13 instruction 0x14 result 0x15). Only the main story is read, then
//! text boxes: footnotes, headers, footers and comments are other stories.
//! Deleted revisions (character runs marked deleted in the CHPX FKPs) are
//! dropped.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::office::{
    NumberFormat, SOFT_BREAK, after_marker, append_to_cell, finish_paragraph, plausible_issuer,
    plausible_title, row_line,
};
use super::{Extracted, Format, Limits, Line, SkipReason, note_dropped};

/// Reads a DOC/WPS file's main text.
pub fn read_word97(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| SkipReason::Corrupt(format!("Office 97 compound file: {e}")))?;
    if file.exists("/EncryptedPackage") {
        return Err(encrypted());
    }
    let word = stream(&mut file, "/WordDocument", limits)?
        .ok_or_else(|| SkipReason::Corrupt("no WordDocument stream".into()))?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(encrypted());
    }
    let table_name = if fib.table_one { "/1Table" } else { "/0Table" };
    let table = stream(&mut file, table_name, limits)?
        .ok_or_else(|| SkipReason::Corrupt(format!("no {} stream", &table_name[1..])))?;
    limits.check()?;
    let pieces = pieces(slice(&table, fib.clx)?)?;
    let styles = StyleSheet::parse(slice(&table, fib.stsh).unwrap_or(&[]));
    let paragraphs = ParagraphRuns::parse(&word, slice(&table, fib.bte_papx).unwrap_or(&[]));
    let lists = Lists::parse(&table, fib.plf_lst, fib.plf_lfo);
    let deleted = deleted_runs(&word, slice(&table, fib.bte_chpx).unwrap_or(&[]));
    limits.check()?;

    let mut reader = Story {
        styles: &styles,
        paragraphs: &paragraphs,
        lists: &lists,
        deleted: &deleted,
        counters: HashMap::new(),
        lines: Vec::new(),
        dropped: Vec::new(),
        paragraph: String::new(),
        hidden: String::new(),
        cells: Vec::new(),
        cell: String::new(),
        fields: Vec::new(),
    };
    let text_boxes_start = [fib.ccp_ftn, fib.ccp_hdd, fib.ccp_atn, fib.ccp_edn]
        .iter()
        .fold(fib.ccp_text, |sum, n| sum.saturating_add(*n));
    let stories = [
        (0, fib.ccp_text),
        (
            text_boxes_start,
            text_boxes_start.saturating_add(fib.ccp_txbx),
        ),
    ];
    for (start, end) in stories {
        for (i, piece) in pieces.iter().enumerate() {
            if i % 64 == 0 {
                limits.check()?;
            }
            reader.piece(&word, piece, start, end);
        }
        reader.end_paragraph(None);
        reader.fields.clear();
    }
    let mut out = Extracted::new(Format::Word97, "word97");
    out.lines = reader.lines;
    out.dropped = reader.dropped;
    if let Some(summary) = stream(&mut file, "/\u{5}SummaryInformation", limits)? {
        summary_meta(&summary, &mut out);
    }
    Ok(out)
}

fn encrypted() -> SkipReason {
    SkipReason::Encrypted("a Word document protected with a password".into())
}

/// A stream's bytes, up to the inflation cap.
fn stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, SkipReason> {
    if !file.is_stream(name) {
        return Ok(None);
    }
    let mut stream = file
        .open_stream(name)
        .map_err(|e| SkipReason::Corrupt(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    (&mut stream)
        .take(limits.max_inflated + 1)
        .read_to_end(&mut out)
        .map_err(|e| SkipReason::Corrupt(format!("stream {name}: {e}")))?;
    if out.len() as u64 > limits.max_inflated {
        return Err(SkipReason::Corrupt(format!(
            "stream {name} is over the size cap"
        )));
    }
    Ok(Some(out))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// An (offset, length) pair from the FIB.
type Span = (u32, u32);

fn slice(bytes: &[u8], (fc, lcb): Span) -> Result<&[u8], SkipReason> {
    let start = fc as usize;
    bytes
        .get(start..start.saturating_add(lcb as usize))
        .ok_or_else(|| SkipReason::Corrupt("a table points past the end of its stream".into()))
}

/// What the reader needs from the File Information Block.
struct Fib {
    encrypted: bool,
    table_one: bool,
    ccp_text: u32,
    ccp_ftn: u32,
    ccp_hdd: u32,
    ccp_atn: u32,
    ccp_edn: u32,
    ccp_txbx: u32,
    stsh: Span,
    bte_chpx: Span,
    bte_papx: Span,
    clx: Span,
    plf_lst: Span,
    plf_lfo: Span,
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, SkipReason> {
        let short = || SkipReason::Corrupt("the Word file header (FIB) is cut short".into());
        if u16_at(word, 0) != Some(0xA5EC) {
            return Err(SkipReason::Corrupt(
                "not a Word document (bad FIB signature)".into(),
            ));
        }
        let n_fib = u16_at(word, 2).ok_or_else(short)?;
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        let encrypted = flags & 0x0100 != 0 || flags & 0x8000 != 0;
        if n_fib < 0xC0 && !encrypted {
            return Err(SkipReason::Unsupported("Word 6/95 (or older)"));
        }
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw_at = 34 + csw * 2;
        let cslw = usize::from(u16_at(word, lw_at).ok_or_else(short)?);
        let lw = |i: usize| {
            if i < cslw {
                u32_at(word, lw_at + 2 + i * 4).unwrap_or(0)
            } else {
                0
            }
        };
        let fc_at = lw_at + 2 + cslw * 4;
        let pairs = usize::from(u16_at(word, fc_at).ok_or_else(short)?);
        let pair = |i: usize| -> Span {
            if i < pairs {
                let at = fc_at + 2 + i * 8;
                (
                    u32_at(word, at).unwrap_or(0),
                    u32_at(word, at + 4).unwrap_or(0),
                )
            } else {
                (0, 0)
            }
        };
        Ok(Fib {
            encrypted,
            table_one: flags & 0x0200 != 0,
            ccp_text: lw(3),
            ccp_ftn: lw(4),
            ccp_hdd: lw(5),
            ccp_atn: lw(7),
            ccp_edn: lw(8),
            ccp_txbx: lw(9),
            stsh: pair(1),
            bte_chpx: pair(12),
            bte_papx: pair(13),
            clx: pair(33),
            plf_lst: pair(73),
            plf_lfo: pair(74),
        })
    }
}

/// A run of text: characters `cp_start..cp_end` stored at byte `fc`.
struct Piece {
    cp_start: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// The piece table from the CLX (skipping the property runs before it).
fn pieces(clx: &[u8]) -> Result<Vec<Piece>, SkipReason> {
    let bad = || SkipReason::Corrupt("the piece table (CLX) is damaged".into());
    let mut at = 0;
    while clx.get(at) == Some(&0x01) {
        let size = usize::from(u16_at(clx, at + 1).ok_or_else(bad)?);
        at += 3 + size;
    }
    if clx.get(at) != Some(&0x02) {
        return Err(bad());
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(bad)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb).ok_or_else(bad)?;
    if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
        return Err(bad());
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp_start = u32_at(plc, i * 4).ok_or_else(bad)?;
        let cp_end = u32_at(plc, (i + 1) * 4).ok_or_else(bad)?;
        let pcd = 4 * (n + 1) + i * 8;
        let fc_raw = u32_at(plc, pcd + 2).ok_or_else(bad)?;
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        out.push(Piece {
            cp_start,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// Paragraph properties that matter for text: style, outline, table, list.
#[derive(Debug, Clone, Copy, Default)]
struct Props {
    istd: u16,
    outline: Option<u8>,
    in_table: bool,
    row_end: bool,
    depth: u32,
    ilfo: Option<u16>,
    ilvl: Option<u8>,
}

/// Applies a grpprl (a list of property modifiers) to `props`.
fn apply_sprms(grpprl: &[u8], props: &mut Props) {
    let mut at = 0;
    while at + 2 <= grpprl.len() {
        let Some(sprm) = u16_at(grpprl, at) else {
            return;
        };
        let operand = at + 2;
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                0xD606 | 0xD608 => {
                    usize::from(u16_at(grpprl, operand).unwrap_or(0)).saturating_sub(1) + 2
                }
                _ => usize::from(*grpprl.get(operand).unwrap_or(&0)) + 1,
            },
        };
        let byte = grpprl.get(operand).copied().unwrap_or(0);
        match sprm {
            0x2416 => props.in_table = byte != 0,
            0x2417 => props.row_end = byte != 0,
            0x6649 => props.depth = u32_at(grpprl, operand).unwrap_or(0),
            0x244C => props.row_end |= byte != 0 && props.depth > 1,
            0x2640 => props.outline = Some(byte),
            0x460B => props.ilfo = u16_at(grpprl, operand),
            0x260A => props.ilvl = Some(byte),
            0x4600 => props.istd = u16_at(grpprl, operand).unwrap_or(props.istd),
            _ => {}
        }
        at = operand + size;
    }
}

/// Paragraph properties by file position, from the PAPX FKPs.
struct ParagraphRuns {
    /// (fc_start, fc_end, properties), sorted by start.
    runs: Vec<(u32, u32, Props)>,
}

impl ParagraphRuns {
    fn parse(word: &[u8], plc: &[u8]) -> ParagraphRuns {
        let mut runs = Vec::new();
        if plc.len() >= 4 {
            let n = (plc.len() - 4) / 8;
            for i in 0..n {
                let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4) else {
                    break;
                };
                let start = (pn & 0x3F_FFFF) as usize * 512;
                if let Some(page) = word.get(start..start + 512) {
                    fkp_runs(page, &mut runs);
                }
            }
        }
        runs.sort_by_key(|r| r.0);
        ParagraphRuns { runs }
    }

    fn at(&self, fc: u32) -> Props {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((_, end, props)) if fc < end => props,
            _ => Props::default(),
        }
    }
}

fn fkp_runs(page: &[u8], runs: &mut Vec<(u32, u32, Props)>) {
    let crun = usize::from(page[511]);
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, i * 4), u32_at(page, (i + 1) * 4)) else {
            return;
        };
        let bx = 4 * (crun + 1) + i * 13;
        let Some(&offset) = page.get(bx) else {
            return;
        };
        let mut props = Props::default();
        if offset != 0 {
            let at = usize::from(offset) * 2;
            let cb = usize::from(page.get(at).copied().unwrap_or(0));
            let (data_at, len) = if cb == 0 {
                (
                    at + 2,
                    usize::from(page.get(at + 1).copied().unwrap_or(0)) * 2,
                )
            } else {
                (at + 1, cb * 2 - 1)
            };
            if let Some(data) = page.get(data_at..(data_at + len).min(511)) {
                props.istd = u16_at(data, 0).unwrap_or(0);
                apply_sprms(data.get(2..).unwrap_or(&[]), &mut props);
            }
        }
        runs.push((start, end, props));
    }
}

/// The file ranges of character runs marked as deleted revisions
/// (sprmCFRMarkDel), from the CHPX FKPs.
fn deleted_runs(word: &[u8], plc: &[u8]) -> Vec<(u32, u32)> {
    let mut runs = Vec::new();
    if plc.len() < 4 {
        return runs;
    }
    let n = (plc.len() - 4) / 8;
    for i in 0..n {
        let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4) else {
            break;
        };
        let start = (pn & 0x3F_FFFF) as usize * 512;
        let Some(page) = word.get(start..start + 512) else {
            continue;
        };
        let crun = usize::from(page[511]);
        for r in 0..crun {
            let (Some(from), Some(to)) = (u32_at(page, r * 4), u32_at(page, (r + 1) * 4)) else {
                break;
            };
            let offset = usize::from(page.get(4 * (crun + 1) + r).copied().unwrap_or(0)) * 2;
            if offset == 0 {
                continue;
            }
            let cb = usize::from(page.get(offset).copied().unwrap_or(0));
            let grpprl = page
                .get(offset + 1..(offset + 1 + cb).min(511))
                .unwrap_or(&[]);
            if chpx_deleted(grpprl) {
                runs.push((from, to));
            }
        }
    }
    runs.sort_unstable();
    runs
}

fn chpx_deleted(grpprl: &[u8]) -> bool {
    let mut at = 0;
    while let Some(sprm) = u16_at(grpprl, at) {
        let operand = at + 2;
        if sprm == 0x0800 {
            return grpprl.get(operand).is_some_and(|&b| b != 0);
        }
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => usize::from(grpprl.get(operand).copied().unwrap_or(0)) + 1,
        };
        at = operand + size;
    }
    false
}

/// A paragraph style of the style sheet.
#[derive(Debug, Clone, Default)]
struct StyleEntry {
    sti: u16,
    base: u16,
    name: String,
    props: Props,
}

#[derive(Debug, Default)]
struct StyleSheet {
    styles: Vec<Option<StyleEntry>>,
}

impl StyleSheet {
    fn parse(stsh: &[u8]) -> StyleSheet {
        let mut styles = Vec::new();
        let (Some(cb_stshi), Some(cstd), Some(cb_base)) =
            (u16_at(stsh, 0), u16_at(stsh, 2), u16_at(stsh, 4))
        else {
            return StyleSheet { styles };
        };
        let cb_base = usize::from(cb_base);
        let mut at = 2 + usize::from(cb_stshi);
        for _ in 0..cstd {
            let Some(cb_std) = u16_at(stsh, at) else {
                break;
            };
            let std = stsh
                .get(at + 2..at + 2 + usize::from(cb_std))
                .unwrap_or(&[]);
            at += 2 + usize::from(cb_std);
            styles.push(parse_std(std, cb_base));
        }
        StyleSheet { styles }
    }

    fn get(&self, istd: u16) -> Option<&StyleEntry> {
        self.styles.get(usize::from(istd))?.as_ref()
    }

    /// The outline level (1 = top) of style `istd`: built-in heading N
    /// (sti 1-9), a style outline level, a heading name, or its base's.
    fn outline(&self, istd: u16) -> Option<u8> {
        let mut next = Some(istd);
        for _ in 0..16 {
            let style = self.get(next?)?;
            if (1..=9).contains(&style.sti) {
                return Some(style.sti as u8);
            }
            if let Some(level) = style.props.outline {
                return (level < 9).then_some(level + 1);
            }
            if let Some(level) = heading_level(&style.name) {
                return Some(level);
            }
            next = (style.base != 0x0FFF).then_some(style.base);
        }
        None
    }

    /// The list (ilfo, ilvl) a style numbers its paragraphs with.
    fn list(&self, istd: u16) -> Option<(u16, u8)> {
        let mut next = Some(istd);
        let mut ilvl = None;
        for _ in 0..16 {
            let style = self.get(next?)?;
            ilvl = ilvl.or(style.props.ilvl);
            if let Some(ilfo) = style.props.ilfo {
                return Some((ilfo, ilvl.unwrap_or(0)));
            }
            next = (style.base != 0x0FFF).then_some(style.base);
        }
        None
    }
}

fn heading_level(name: &str) -> Option<u8> {
    let lower = name.trim().to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?;
    let level: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

fn parse_std(std: &[u8], cb_base: usize) -> Option<StyleEntry> {
    let sti = u16_at(std, 0)? & 0x0FFF;
    let word1 = u16_at(std, 2)?;
    let kind = word1 & 0x000F;
    let base = word1 >> 4;
    let cch = usize::from(u16_at(std, cb_base)?);
    let name_bytes = std.get(cb_base + 2..cb_base + 2 + cch * 2)?;
    let units: Vec<u16> = name_bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let name = String::from_utf16_lossy(&units);
    let mut props = Props::default();
    if kind == 1 {
        // The paragraph UPX follows the name and its terminator.
        let upx = cb_base + 2 + cch * 2 + 2;
        if let Some(cb) = u16_at(std, upx)
            && let Some(papx) = std.get(upx + 2..upx + 2 + usize::from(cb))
        {
            apply_sprms(papx.get(2..).unwrap_or(&[]), &mut props);
        }
    }
    Some(StyleEntry {
        sti,
        base,
        name,
        props,
    })
}

/// One level of a DOC list: start, format and number text, whose
/// characters 0-8 stand for the numbers of levels 1-9.
#[derive(Debug, Clone)]
struct ListLevel {
    start: u32,
    format: NumberFormat,
    text: Vec<u16>,
    legal: bool,
    no_restart: bool,
    follow_nothing: bool,
}

#[derive(Debug, Default)]
struct Lists {
    /// lsid → levels.
    by_lsid: HashMap<i32, Vec<ListLevel>>,
    /// ilfo (1-based) → (lsid, start overrides by level).
    overrides: Vec<(i32, Vec<(u8, u32)>)>,
}

impl Lists {
    fn parse(table: &[u8], plf_lst: Span, plf_lfo: Span) -> Lists {
        let mut lists = Lists::default();
        if plf_lst.1 >= 2 {
            lists.parse_lst(table, plf_lst.0 as usize);
        }
        if plf_lfo.1 >= 4
            && let Some(lfo) = table.get(plf_lfo.0 as usize..)
        {
            lists.parse_lfo(lfo);
        }
        lists
    }

    fn parse_lst(&mut self, table: &[u8], at: usize) -> Option<()> {
        let count = u16_at(table, at)? as i16;
        let count = usize::try_from(count).ok()?.min(4096);
        let mut headers = Vec::with_capacity(count);
        for i in 0..count {
            let lstf = at + 2 + i * 28;
            let lsid = u32_at(table, lstf)? as i32;
            let simple = table.get(lstf + 26)? & 0x01 != 0;
            headers.push((lsid, if simple { 1 } else { 9 }));
        }
        let mut pos = at + 2 + count * 28;
        for (lsid, levels) in headers {
            let mut parsed = Vec::with_capacity(levels);
            for _ in 0..levels {
                let (level, next) = parse_lvl(table, pos)?;
                parsed.push(level);
                pos = next;
            }
            self.by_lsid.insert(lsid, parsed);
        }
        Some(())
    }

    fn parse_lfo(&mut self, lfo: &[u8]) -> Option<()> {
        let count = usize::try_from(u32_at(lfo, 0)?).ok()?.min(4096);
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let at = 4 + i * 16;
            entries.push((u32_at(lfo, at)? as i32, *lfo.get(at + 12)?));
        }
        let mut pos = 4 + count * 16;
        for (lsid, clfolvl) in entries {
            let mut starts = Vec::new();
            pos += 4; // LFOData.cp
            for _ in 0..clfolvl {
                let start = u32_at(lfo, pos)?;
                let flags = u32_at(lfo, pos + 4)?;
                pos += 8;
                let ilvl = (flags & 0x0F) as u8;
                if flags & 0x10 != 0 {
                    starts.push((ilvl, start));
                }
                if flags & 0x20 != 0 {
                    let (_, next) = parse_lvl(lfo, pos)?;
                    pos = next;
                }
            }
            self.overrides.push((lsid, starts));
        }
        Some(())
    }
}

/// A LVL at `at`: the level and where the next begins.
fn parse_lvl(b: &[u8], at: usize) -> Option<(ListLevel, usize)> {
    let start = u32_at(b, at)?;
    let nfc = *b.get(at + 4)?;
    let flags = *b.get(at + 5)?;
    let follow = *b.get(at + 15)?;
    let cb_chpx = usize::from(*b.get(at + 24)?);
    let cb_papx = usize::from(*b.get(at + 25)?);
    let xst = at + 28 + cb_papx + cb_chpx;
    let cch = usize::from(u16_at(b, xst)?);
    let text = b
        .get(xst + 2..xst + 2 + cch * 2)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let level = ListLevel {
        start,
        format: number_format(nfc),
        text,
        legal: flags & 0x04 != 0,
        no_restart: flags & 0x08 != 0,
        follow_nothing: follow == 2,
    };
    Some((level, xst + 2 + cch * 2))
}

/// The MS-DOC number format codes (nfc), as Word's numFmt names them.
fn number_format(nfc: u8) -> NumberFormat {
    let name = match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        10 => "ideographDigital",
        11 | 33 | 35 | 37 | 39 => "chineseCounting",
        14 | 19 => "decimalFullWidth",
        18 | 28 => "decimalEnclosedCircle",
        22 => "decimalZero",
        23 => "bullet",
        26 => "decimalEnclosedFullstop",
        27 => "decimalEnclosedParen",
        29 => "ideographEnclosedCircle",
        30 => "ideographTraditional",
        31 => "ideographZodiac",
        34 | 38 => "chineseLegalSimplified",
        255 => "none",
        _ => "decimal",
    };
    NumberFormat::from_word(name)
}

/// An open field: instruction until its separator, then the result.
struct Field {
    instruction: String,
    separated: bool,
    dropped: bool,
}

struct Story<'a> {
    styles: &'a StyleSheet,
    paragraphs: &'a ParagraphRuns,
    lists: &'a Lists,
    /// File ranges of deleted revisions, sorted.
    deleted: &'a [(u32, u32)],
    /// Counters per list (lsid), per level.
    counters: HashMap<i32, [Option<u32>; 9]>,
    lines: Vec<Line>,
    dropped: Vec<super::Dropped>,
    paragraph: String,
    hidden: String,
    cells: Vec<String>,
    cell: String,
    fields: Vec<Field>,
}

impl Story<'_> {
    /// Reads the part of `piece` that lies in `start..end` (character positions).
    fn piece(&mut self, word: &[u8], piece: &Piece, start: u32, end: u32) {
        let from = piece.cp_start.max(start);
        let to = piece.cp_end.min(end);
        if from >= to {
            return;
        }
        let skip = (from - piece.cp_start) as usize;
        let count = (to - from) as usize;
        let width = if piece.compressed { 1 } else { 2 };
        let first_fc = piece.fc as usize + skip * width;
        let Some(bytes) = word.get(first_fc..(first_fc + count * width).min(word.len())) else {
            return;
        };
        if piece.compressed {
            for (i, &b) in bytes.iter().enumerate() {
                let c = cp1252(b);
                self.char(c, (first_fc + i) as u32);
            }
        } else {
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            let mut i = 0u32;
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or('\u{FFFD}');
                self.char(c, first_fc as u32 + i * 2);
                i += c.len_utf16() as u32;
            }
        }
    }

    fn char(&mut self, c: char, fc: u32) {
        if !matches!(c, '\r' | '\u{7}') && self.is_deleted(fc) {
            return;
        }
        match c {
            '\u{13}' => self.fields.push(Field {
                instruction: String::new(),
                separated: false,
                dropped: self.fields.iter().any(|f| f.dropped),
            }),
            '\u{14}' => {
                if let Some(field) = self.fields.last_mut() {
                    field.separated = true;
                    field.dropped |= field
                        .instruction
                        .trim_start()
                        .to_ascii_uppercase()
                        .starts_with("TOC");
                }
            }
            '\u{15}' => {
                self.fields.pop();
            }
            '\r' | '\u{7}' | '\u{c}' => self.end_paragraph(Some((c, fc))),
            _ => {
                let c = match c {
                    '\u{b}' => SOFT_BREAK,
                    '\t' | '\u{a0}' => ' ',
                    '\u{1e}' => '-',
                    c if (c as u32) < 0x20 => return,
                    c => c,
                };
                if let Some(field) = self.fields.last_mut()
                    && !field.separated
                {
                    field.instruction.push(c);
                    return;
                }
                if self.fields.iter().any(|f| !f.separated) {
                    return;
                }
                if self.fields.iter().any(|f| f.dropped) {
                    self.hidden.push(c);
                } else {
                    self.paragraph.push(c);
                }
            }
        }
    }

    fn is_deleted(&self, fc: u32) -> bool {
        let i = self.deleted.partition_point(|r| r.0 <= fc);
        i > 0 && fc < self.deleted[i - 1].1
    }

    /// Ends the paragraph whose mark `c` stands at file position `fc`
    /// (`None` at the end of a story).
    fn end_paragraph(&mut self, mark: Option<(char, u32)>) {
        let props = mark.map_or_else(Props::default, |(_, fc)| self.paragraphs.at(fc));
        let body = finish_paragraph(&std::mem::take(&mut self.paragraph));
        let hidden = std::mem::take(&mut self.hidden);
        if body.is_empty() && !hidden.trim().is_empty() {
            note_dropped(
                &mut self.dropped,
                "table of contents",
                &finish_paragraph(&hidden),
            );
        }
        let in_table = props.in_table || props.depth > 0;
        let cell_mark = mark.is_some_and(|(c, _)| c == '\u{7}');
        if in_table && cell_mark && props.row_end {
            let cells = std::mem::take(&mut self.cells);
            if let Some(text) = row_line(&cells) {
                self.lines.push(Line::plain(text));
            }
            return;
        }
        let marker = self.marker(&props);
        let text = match marker {
            Some(m) if !body.is_empty() => format!("{m}{body}"),
            _ => body,
        };
        if in_table && props.depth <= 1 {
            append_to_cell(&mut self.cell, &text);
            if cell_mark {
                self.cells.push(std::mem::take(&mut self.cell));
            }
            return;
        }
        if in_table {
            // A nested table's cells and rows run on inside the outer cell.
            append_to_cell(&mut self.cell, &text);
            return;
        }
        if !text.is_empty() {
            let outline = match props.outline {
                Some(level) if level < 9 => Some(level + 1),
                Some(_) => None,
                None => self.styles.outline(props.istd),
            };
            self.lines.push(Line {
                text,
                outline,
                ..Line::default()
            });
        }
    }

    /// The number text of a list paragraph, counted as Word counts.
    fn marker(&mut self, props: &Props) -> Option<String> {
        let (ilfo, ilvl) = match props.ilfo {
            Some(0) => return None,
            Some(ilfo) => (
                ilfo,
                props
                    .ilvl
                    .or_else(|| self.styles.list(props.istd).map(|(_, l)| l))
                    .unwrap_or(0),
            ),
            None => {
                let (ilfo, ilvl) = self.styles.list(props.istd)?;
                (ilfo, props.ilvl.unwrap_or(ilvl))
            }
        };
        if ilfo == 0 || ilfo >= 0xF000 {
            return None;
        }
        let (lsid, starts) = self.lists.overrides.get(usize::from(ilfo) - 1)?;
        let levels = self.lists.by_lsid.get(lsid)?;
        let ilvl = usize::from(ilvl.min(8)).min(levels.len().saturating_sub(1));
        let level = levels.get(ilvl)?;
        let start_of = |i: usize| {
            starts
                .iter()
                .find(|(l, _)| usize::from(*l) == i)
                .map(|(_, s)| *s)
                .or_else(|| levels.get(i).map(|l| l.start))
                .unwrap_or(1)
        };
        let counters = self.counters.entry(*lsid).or_default();
        let value = counters[ilvl].map_or_else(|| start_of(ilvl), |c| c.saturating_add(1));
        counters[ilvl] = Some(value);
        for (deeper, counter) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            if !levels.get(deeper).is_some_and(|l| l.no_restart) {
                *counter = None;
            }
        }
        if level.format == NumberFormat::Bullet {
            return None;
        }
        let mut text = String::new();
        for unit in char::decode_utf16(level.text.iter().copied()) {
            let c = unit.unwrap_or('\u{FFFD}');
            if (c as u32) < 9 {
                let i = c as usize;
                let n = counters[i].unwrap_or_else(|| start_of(i));
                let format = if level.legal {
                    NumberFormat::Decimal
                } else {
                    levels.get(i).map_or(NumberFormat::Decimal, |l| l.format)
                };
                text.push_str(&format.render(n).unwrap_or_default());
            } else {
                text.push(c);
            }
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            return None;
        }
        let gap = if level.follow_nothing {
            ""
        } else {
            after_marker(&text)
        };
        Some(format!("{text}{gap}"))
    }
}

/// A "compressed" byte: cp1252, as the piece table stores 8-bit text.
fn cp1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('?'),
        _ => char::from(b),
    }
}

/// Title and issuer from the SummaryInformation property set, only where
/// plausible (as for DOCX).
fn summary_meta(bytes: &[u8], out: &mut Extracted) {
    let title = summary_string(bytes, 2);
    let author = summary_string(bytes, 4);
    let first: Vec<&str> = out.lines.iter().take(20).map(|l| l.text.as_str()).collect();
    if let Some(title) = title
        && plausible_title(&title, &first)
        && Some(title.trim()) != author.as_deref().map(str::trim)
    {
        out.meta.title = Some((
            title.trim().to_string(),
            "doc SummaryInformation title".into(),
        ));
    }
    if let Some(author) = author
        && plausible_issuer(&author)
    {
        out.meta.author = Some((
            author.trim().to_string(),
            "doc SummaryInformation author".into(),
        ));
    }
}

/// String property `id` of the first property set in `bytes`, decoded by
/// the set's code page.
fn summary_string(bytes: &[u8], id: u32) -> Option<String> {
    let section = u32_at(bytes, 28 + 16)? as usize;
    let count = u32_at(bytes, section + 4)? as usize;
    let property = |wanted: u32| -> Option<usize> {
        (0..count.min(256)).find_map(|i| {
            let at = section + 8 + i * 8;
            (u32_at(bytes, at)? == wanted)
                .then(|| u32_at(bytes, at + 4).map(|o| section + o as usize))?
        })
    };
    let codepage = property(1)
        .and_then(|at| u16_at(bytes, at + 4))
        .unwrap_or(1252);
    let at = property(id)?;
    let kind = u32_at(bytes, at)?;
    let len = u32_at(bytes, at + 4)? as usize;
    let data = bytes.get(at + 8..at + 8 + len.min(4096))?;
    let text = match kind {
        0x1E => {
            let encoding = match codepage {
                936 => encoding_rs::GBK,
                950 => encoding_rs::BIG5,
                54936 => encoding_rs::GB18030,
                65001 => encoding_rs::UTF_8,
                _ => encoding_rs::WINDOWS_1252,
            };
            encoding.decode_without_bom_handling(data).0.into_owned()
        }
        0x1F => {
            let units: Vec<u16> = bytes
                .get(at + 8..at + 8 + (len * 2).min(8192))?
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let text = text.trim_end_matches('\0').trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_bytes_read_as_cp1252() {
        let cases = [
            (b'A', 'A'),
            (0x93, '“'),
            (0x94, '”'),
            (0x96, '–'),
            (0x80, '€'),
            (0xB7, '·'),
        ];
        for (byte, want) in cases {
            assert_eq!(cp1252(byte), want, "{byte:#x}");
        }
    }

    #[test]
    fn a_stream_that_is_not_word_is_corrupt_not_a_panic() {
        let cases: &[&[u8]] = &[b"", b"\xEC\xA5", b"\xEC\xA5\xC1\x00", &[0u8; 600]];
        for bytes in cases {
            assert!(
                matches!(Fib::parse(bytes), Err(SkipReason::Corrupt(_))),
                "{bytes:?}"
            );
        }
        assert!(pieces(&[0x02, 0xFF, 0xFF, 0xFF, 0x7F]).is_err());
    }
}
