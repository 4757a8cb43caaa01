//! DOCX (Word 2007+, and WPS saving as .docx): `word/document.xml` read as
//! it displays. One line per paragraph, one per table row (cells joined by
//! tabs); headings from the document's own styles and outline levels; list
//! numbers ("一、", "（一）", "1.") rendered from `numbering.xml`, since Word
//! keeps them out of the text runs; a field's displayed result, never its
//! instruction; deleted revisions dropped; text boxes after the paragraph
//! that anchors them. Footnotes, comments, headers and footers live in other
//! parts and are not read: headers and footers are running boilerplate.
//!
//! A small reader over quick-xml rather than a DOCX crate: measured on the 20
//! real files in `shared/formats`, it is exact and many times faster, and the
//! crates measured drop tables or numbering (docs/formats.md).

use std::collections::{HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::archive::Archive;
use super::office::{
    NumberFormat, SOFT_BREAK, after_marker, append_to_cell, attribute, finish_paragraph,
    plausible_issuer, plausible_title, prefix_for, prefix_of, resolve_reference, row_line,
};
use super::{Extracted, Format, Limits, Line, SkipReason, note_dropped};

const WORDML: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// Reads a DOCX file's body text.
pub fn read_docx(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    let mut archive = Archive::open(bytes, limits)?;
    let main = main_part(&mut archive)?;
    let rels = relationships(&mut archive, &main)?;
    let styles = match part_of(&rels, "/styles", &main, "word/styles.xml") {
        Some(name) => archive
            .read_text(&name)?
            .map(|xml| Styles::parse(&xml))
            .unwrap_or_default(),
        None => Styles::default(),
    };
    let numbering = match part_of(&rels, "/numbering", &main, "word/numbering.xml") {
        Some(name) => archive
            .read_text(&name)?
            .map(|xml| Numbering::parse(&xml))
            .unwrap_or_default(),
        None => Numbering::default(),
    };
    let xml = archive.read_text(&main)?.ok_or_else(|| {
        SkipReason::Corrupt(format!("the DOCX has no main document part ({main})"))
    })?;
    limits.check()?;
    let mut out = Extracted::new(Format::Docx, "docx");
    let mut body = Body::new(&styles, &numbering, limits);
    if let Err(why) = body.walk(&xml) {
        if body.lines.is_empty() {
            return Err(why);
        }
        out.note = Some(format!(
            "{main} is damaged; text after the damage is missing"
        ));
    }
    out.lines = body.lines;
    out.dropped = body.dropped;
    if let Some(core) = archive.read_text("docProps/core.xml")? {
        core_meta(&core, &mut out);
    }
    Ok(out)
}

/// The main document part named by `_rels/.rels`; `word/document.xml` when
/// the relationships are missing.
fn main_part(archive: &mut Archive<'_>) -> Result<String, SkipReason> {
    if let Some(xml) = archive.read_text("_rels/.rels")? {
        let rels = parse_relationships(&xml);
        if let Some((_, target)) = rels
            .iter()
            .find(|(kind, _)| kind.ends_with("/officeDocument"))
        {
            let name = resolve_target("", target);
            if archive.has(&name) {
                return Ok(name);
            }
        }
    }
    Ok("word/document.xml".into())
}

fn relationships(
    archive: &mut Archive<'_>,
    part: &str,
) -> Result<Vec<(String, String)>, SkipReason> {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    Ok(archive
        .read_text(&rels_name)?
        .map(|xml| parse_relationships(&xml))
        .unwrap_or_default())
}

/// (type, target) of each `Relationship`.
fn parse_relationships(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attribute(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(kind), Some(target)) = (attribute(&e, "Type"), attribute(&e, "Target"))
                {
                    out.push((kind, target));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The part a relationship of a type ending in `kind` points to, else
/// `fallback`.
fn part_of(rels: &[(String, String)], kind: &str, source: &str, fallback: &str) -> Option<String> {
    let dir = source.rsplit_once('/').map_or("", |(d, _)| d);
    rels.iter()
        .find(|(k, _)| k.ends_with(kind))
        .map(|(_, target)| resolve_target(dir, target))
        .or_else(|| Some(fallback.to_string()))
}

/// A relationship target relative to the folder `dir` of its source part,
/// with `.` and `..` resolved inside the package (never outside it).
fn resolve_target(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A paragraph style: what decides headings and style-borne numbering.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    /// `w:outlineLvl` as written: 0-8 a level, 9 body text.
    outline: Option<u8>,
    /// `w:numPr`: the list and level a style numbers its paragraphs with.
    num_id: Option<u32>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
}

impl Styles {
    fn parse(xml: &str) -> Styles {
        let mut styles = Styles::default();
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        let mut current: Option<(String, Style)> = None;
        let mut in_ppr = false;
        let mut in_rpr = false;
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let opens = matches!(event, Event::Start(_));
                    match e.local_name().as_ref() {
                        "style" => {
                            let is_paragraph = attribute(e, "type").as_deref() == Some("paragraph");
                            let id = attribute(e, "styleId").unwrap_or_default();
                            if is_paragraph && attribute(e, "default").as_deref() == Some("1") {
                                styles.default_paragraph = Some(id.clone());
                            }
                            current = is_paragraph.then(|| (id, Style::default()));
                            in_ppr = false;
                            in_rpr = false;
                        }
                        "pPr" => in_ppr = opens,
                        "rPr" => in_rpr = opens,
                        name => {
                            let Some((_, style)) = current.as_mut() else {
                                continue;
                            };
                            let value = || attribute(e, "val");
                            match name {
                                "name" => style.name = value().unwrap_or_default(),
                                "basedOn" => style.based_on = value(),
                                "outlineLvl" if in_ppr && !in_rpr => {
                                    style.outline = value().and_then(|v| v.parse().ok());
                                }
                                "numId" if in_ppr => {
                                    style.num_id = value().and_then(|v| v.parse().ok());
                                }
                                "ilvl" if in_ppr => {
                                    style.ilvl = value().and_then(|v| v.parse().ok());
                                }
                                _ => {}
                            }
                        }
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "style" => {
                        if let Some((id, style)) = current.take() {
                            styles.by_id.insert(id, style);
                        }
                    }
                    "pPr" => in_ppr = false,
                    "rPr" => in_rpr = false,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        styles
    }

    /// The style chain from `id` up through `basedOn`, bounded against loops.
    fn chain<'a>(&'a self, id: Option<&'a str>) -> impl Iterator<Item = &'a Style> + 'a {
        let start = id.or(self.default_paragraph.as_deref());
        let mut next = start.and_then(|id| self.by_id.get(id));
        std::iter::from_fn(move || {
            let style = next?;
            next = style.based_on.as_deref().and_then(|id| self.by_id.get(id));
            Some(style)
        })
        .take(16)
    }

    /// The outline level (1 = top) a paragraph of style `id` carries: the
    /// style's own outline level, a built-in heading name ("heading 2",
    /// "标题 2"), or what it is based on.
    fn outline(&self, id: Option<&str>) -> Option<u8> {
        for style in self.chain(id) {
            if let Some(level) = style.outline {
                return (level < 9).then_some(level + 1);
            }
            if let Some(level) = heading_level(&style.name) {
                return Some(level);
            }
        }
        None
    }

    /// The list a paragraph of style `id` is numbered with.
    fn numbering(&self, id: Option<&str>) -> Option<(u32, u8)> {
        let mut ilvl = None;
        for style in self.chain(id) {
            ilvl = ilvl.or(style.ilvl);
            if let Some(num_id) = style.num_id {
                return Some((num_id, ilvl.unwrap_or(0)));
            }
        }
        None
    }
}

/// The level of a built-in heading style's name: "heading 1" (Word writes
/// built-in names in English whatever the UI language), "标题 1" or "标题1"
/// (WPS and localized styles).
fn heading_level(name: &str) -> Option<u8> {
    let lower = name.trim().to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?;
    let level: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: NumberFormat,
    text: String,
    /// `w:lvlRestart`: restart after a level above this 1-based one; 0 never.
    restart: Option<u32>,
    legal: bool,
    suffix_nothing: bool,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            format: NumberFormat::Decimal,
            text: String::new(),
            restart: None,
            legal: false,
            suffix_nothing: false,
        }
    }
}

#[derive(Debug, Default, Clone)]
struct AbstractList {
    levels: [Option<Level>; 9],
}

#[derive(Debug, Default, Clone)]
struct NumInstance {
    abstract_id: u32,
    start_overrides: Vec<(u8, u32)>,
    level_overrides: Vec<(u8, Level)>,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<u32, AbstractList>,
    nums: HashMap<u32, NumInstance>,
}

impl Level {
    /// Sets the property of a `w:lvl` child element named `name` from its
    /// `w:val`.
    fn set(&mut self, name: &str, value: Option<String>) {
        match name {
            "start" => self.start = value.and_then(|v| v.parse().ok()).unwrap_or(1),
            "numFmt" => self.format = NumberFormat::from_word(&value.unwrap_or_default()),
            "lvlText" => self.text = value.unwrap_or_default(),
            "lvlRestart" => self.restart = value.and_then(|v| v.parse().ok()),
            "isLgl" => self.legal = value.is_none_or(|v| v != "0" && v != "false"),
            "suff" => self.suffix_nothing = value.as_deref() == Some("nothing"),
            _ => {}
        }
    }
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        let mut abstract_list: Option<(u32, AbstractList)> = None;
        let mut num: Option<(u32, NumInstance)> = None;
        let mut override_level: Option<u8> = None;
        let mut level: Option<(u8, Level)> = None;
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let value = || attribute(&e, "val");
                    match e.local_name().as_ref() {
                        "abstractNum" => {
                            abstract_list = number::<u32>(&e, "abstractNumId")
                                .map(|id| (id, AbstractList::default()));
                        }
                        "num" => {
                            num = number::<u32>(&e, "numId").map(|id| (id, NumInstance::default()));
                        }
                        "abstractNumId" => {
                            if let (Some((_, n)), Some(id)) =
                                (num.as_mut(), value().and_then(|v| v.parse().ok()))
                            {
                                n.abstract_id = id;
                            }
                        }
                        "lvlOverride" => override_level = number(&e, "ilvl"),
                        "startOverride" => {
                            if let (Some((_, n)), Some(ilvl), Some(start)) = (
                                num.as_mut(),
                                override_level,
                                value().and_then(|v| v.parse().ok()),
                            ) {
                                n.start_overrides.push((ilvl, start));
                            }
                        }
                        "lvl" => {
                            level = number::<u8>(&e, "ilvl")
                                .filter(|&i: &u8| i < 9)
                                .map(|i| (i, Level::default()));
                        }
                        name => {
                            if let Some((_, lvl)) = level.as_mut() {
                                lvl.set(name, value());
                            }
                        }
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "lvl" => {
                        if let Some((ilvl, lvl)) = level.take() {
                            if let Some((_, n)) = num.as_mut() {
                                n.level_overrides.push((ilvl, lvl));
                            } else if let Some((_, a)) = abstract_list.as_mut() {
                                a.levels[ilvl as usize] = Some(lvl);
                            }
                        }
                    }
                    "lvlOverride" => override_level = None,
                    "abstractNum" => {
                        if let Some((id, a)) = abstract_list.take() {
                            numbering.abstracts.insert(id, a);
                        }
                    }
                    "num" => {
                        if let Some((id, n)) = num.take() {
                            numbering.nums.insert(id, n);
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        numbering
    }

    fn level(&self, num_id: u32, ilvl: u8) -> Option<&Level> {
        let num = self.nums.get(&num_id)?;
        num.level_overrides
            .iter()
            .find(|(i, _)| *i == ilvl)
            .map(|(_, l)| l)
            .or_else(|| {
                self.abstracts
                    .get(&num.abstract_id)?
                    .levels
                    .get(ilvl as usize)?
                    .as_ref()
            })
    }
}

/// List counters as Word keeps them: per abstract list, so paragraphs of two
/// list instances of one definition count on together, unless an instance
/// overrides its start (then it restarts when first used).
#[derive(Default)]
struct Counters {
    values: HashMap<u32, [Option<u32>; 9]>,
    started: HashSet<u32>,
}

impl Counters {
    /// The number text of the next paragraph of list `num_id` at `ilvl`, as
    /// Word shows it ("一、", "（二）", "1.1"); `None` for bullets and lists
    /// that are not defined.
    fn next(&mut self, numbering: &Numbering, num_id: u32, ilvl: u8) -> Option<String> {
        let num = numbering.nums.get(&num_id)?;
        let ilvl = ilvl.min(8);
        let level = numbering.level(num_id, ilvl)?;
        let start_of = |i: u8| {
            num.start_overrides
                .iter()
                .find(|(l, _)| *l == i)
                .map(|(_, s)| *s)
                .or_else(|| numbering.level(num_id, i).map(|l| l.start))
                .unwrap_or(1)
        };
        let counters = self.values.entry(num.abstract_id).or_default();
        if self.started.insert(num_id) {
            for (i, _) in &num.start_overrides {
                if let Some(c) = counters.get_mut(*i as usize) {
                    *c = None;
                }
            }
        }
        let value = counters[ilvl as usize].map_or_else(|| start_of(ilvl), |c| c.saturating_add(1));
        counters[ilvl as usize] = Some(value);
        for deeper in ilvl + 1..9 {
            let restart = numbering
                .level(num_id, deeper)
                .and_then(|l| l.restart)
                .unwrap_or(u32::from(deeper));
            if u32::from(ilvl) < restart {
                counters[deeper as usize] = None;
            }
        }
        if level.format == NumberFormat::Bullet {
            return None;
        }
        let mut text = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = (c == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|d| (1..=9).contains(d));
            let Some(d) = placeholder else {
                text.push(c);
                continue;
            };
            chars.next();
            let i = (d - 1) as u8;
            let n = counters[i as usize].unwrap_or_else(|| start_of(i));
            let format = if level.legal {
                NumberFormat::Decimal
            } else {
                numbering
                    .level(num_id, i)
                    .map_or(NumberFormat::Decimal, |l| l.format)
            };
            text.push_str(&format.render(n).unwrap_or_default());
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            return None;
        }
        let gap = if level.suffix_nothing {
            ""
        } else {
            after_marker(&text)
        };
        Some(format!("{text}{gap}"))
    }
}

/// Attribute `name` parsed as a number.
fn number<T: std::str::FromStr>(e: &BytesStart<'_>, name: &str) -> Option<T> {
    attribute(e, name).and_then(|v| v.trim().parse().ok())
}

/// A paragraph being read.
#[derive(Default)]
struct Paragraph {
    depth: usize,
    text: String,
    hidden: String,
    style: Option<String>,
    outline: Option<u8>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    /// Lines of text boxes anchored in this paragraph, emitted after it.
    pending: Vec<Line>,
}

/// A table being read: the row's cells so far and the open cell.
#[derive(Default)]
struct Table {
    cells: Vec<String>,
    cell: Option<(usize, String)>,
    row_deleted: bool,
}

/// A field (`w:fldChar` begin … separate … end, or `w:fldSimple`).
struct Field {
    instruction: String,
    separated: bool,
    /// A table of contents: its result repeats the headings with page numbers.
    dropped: bool,
}

struct Body<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    limits: &'a Limits,
    counters: Counters,
    lines: Vec<Line>,
    dropped: Vec<super::Dropped>,
    paragraphs: Vec<Paragraph>,
    tables: Vec<Table>,
    fields: Vec<Field>,
    depth: usize,
    /// The depth of a subtree being skipped (deleted text, fallbacks, property changes).
    skip: Option<usize>,
    in_text: bool,
    in_instruction: bool,
    /// The depth of the open paragraph properties.
    ppr: Option<usize>,
    trpr: Option<usize>,
    prefix: String,
}

impl<'a> Body<'a> {
    fn new(styles: &'a Styles, numbering: &'a Numbering, limits: &'a Limits) -> Body<'a> {
        Body {
            styles,
            numbering,
            limits,
            counters: Counters::default(),
            lines: Vec::new(),
            dropped: Vec::new(),
            paragraphs: Vec::new(),
            tables: Vec::new(),
            fields: Vec::new(),
            depth: 0,
            skip: None,
            in_text: false,
            in_instruction: false,
            ppr: None,
            trpr: None,
            prefix: "w".into(),
        }
    }

    fn walk(&mut self, xml: &str) -> Result<(), SkipReason> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        let mut seen_root = false;
        let mut events = 0u32;
        loop {
            let event = reader.read_event().map_err(|e| {
                SkipReason::Corrupt(format!(
                    "DOCX document.xml at byte {}: {e}",
                    reader.buffer_position()
                ))
            })?;
            events += 1;
            if events.is_multiple_of(4096) {
                self.limits.check()?;
            }
            match event {
                Event::Start(e) => {
                    if !seen_root {
                        self.prefix = prefix_for(&e, WORDML, "w");
                        seen_root = true;
                    }
                    self.depth += 1;
                    self.start(&e, false);
                }
                Event::Empty(e) => {
                    self.depth += 1;
                    self.start(&e, true);
                    self.depth -= 1;
                }
                Event::End(e) => {
                    let name = e.name();
                    self.end(name.as_ref());
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if self.in_text || self.in_instruction => {
                    let text = t.xml10_content().replace(SOFT_BREAK, " ");
                    self.text(&text);
                }
                Event::CData(t) if self.in_text => {
                    let text = t.to_string();
                    self.text(&text);
                }
                Event::GeneralRef(r) => {
                    if (self.in_text || self.in_instruction)
                        && let Some(text) = resolve_reference(&r)
                    {
                        self.text(&text);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        // A paragraph left open by a damaged file still counts.
        while !self.paragraphs.is_empty() {
            self.end_paragraph();
        }
        Ok(())
    }

    fn is_w(&self, qname: &str) -> bool {
        prefix_of(qname) == self.prefix
    }

    /// A complex field's begin, separator or end (`w:fldChar`): a table of
    /// contents field drops its shown text, and so does any field inside it.
    fn field_char(&mut self, e: &BytesStart<'_>) {
        match attribute(e, "fldCharType").as_deref() {
            Some("begin") => self.fields.push(Field {
                instruction: String::new(),
                separated: false,
                dropped: self.fields.iter().any(|f| f.dropped),
            }),
            Some("separate") => {
                if let Some(field) = self.fields.last_mut() {
                    field.separated = true;
                    field.dropped |= is_table_of_contents(&field.instruction);
                }
            }
            Some("end") => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// A table, row, row properties or cell opening.
    fn table_start(&mut self, local: &str) {
        let depth = self.depth;
        match local {
            "tbl" => self.tables.push(Table::default()),
            "trPr" => self.trpr = Some(depth),
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.cells.clear();
                    table.row_deleted = false;
                }
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell = Some((depth, String::new()));
                }
            }
            _ => {}
        }
    }

    /// Inside a row's properties: a deleted row (tracked changes) is marked,
    /// a record of changed properties skipped.
    fn row_property(&mut self, local: &str, empty: bool) {
        if local == "del"
            && let Some(table) = self.tables.last_mut()
        {
            table.row_deleted = true;
        }
        if !empty && local.ends_with("Change") {
            self.skip = Some(self.depth);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        if self.skip.is_some() {
            return;
        }
        let qname = e.name();
        let qname = qname.as_ref();
        let local = e.local_name();
        let local = local.as_ref();
        if local == "Fallback" {
            // mc:AlternateContent repeats a text box for old readers.
            self.skip_unless_empty(empty);
            return;
        }
        if !self.is_w(qname) {
            return;
        }
        if self.ppr.is_some_and(|ppr_depth| self.depth > ppr_depth) {
            self.paragraph_property(e, local, empty);
            return;
        }
        if self.trpr.is_some() {
            self.row_property(local, empty);
            return;
        }
        match local {
            "p" if !empty => self.paragraphs.push(Paragraph {
                depth: self.depth,
                ..Paragraph::default()
            }),
            "pPr" if !empty && !self.paragraphs.is_empty() => self.ppr = Some(self.depth),
            "t" if !empty => self.in_text = true,
            "instrText" if !empty => self.in_instruction = true,
            "tab" | "ptab" => self.text(" "),
            "br" | "cr" => self.text(&SOFT_BREAK.to_string()),
            "noBreakHyphen" => self.text("-"),
            "fldChar" => self.field_char(e),
            "fldSimple" if !empty => {
                let instruction = attribute(e, "instr").unwrap_or_default();
                self.fields.push(Field {
                    dropped: is_table_of_contents(&instruction)
                        || self.fields.iter().any(|f| f.dropped),
                    instruction,
                    separated: true,
                });
            }
            "tbl" | "tr" | "trPr" | "tc" if !empty => self.table_start(local),
            // Deleted and moved-away text, the text of a ruby annotation,
            // run properties, revision records of properties, section
            // properties: none of it is displayed text.
            "del" | "moveFrom" | "rt" | "rPr" | "sectPr" | "tblPr" | "tcPr" | "tblGrid"
            | "delText" | "delInstrText" => self.skip_unless_empty(empty),
            name if name.ends_with("Change") => self.skip_unless_empty(empty),
            _ => {}
        }
    }

    fn skip_unless_empty(&mut self, empty: bool) {
        if !empty {
            self.skip = Some(self.depth);
        }
    }

    fn paragraph_property(&mut self, e: &BytesStart<'_>, local: &str, empty: bool) {
        if local == "rPr" || local.ends_with("Change") {
            self.skip_unless_empty(empty);
            return;
        }
        let Some(paragraph) = self.paragraphs.last_mut() else {
            return;
        };
        let value = attribute(e, "val");
        match local {
            "pStyle" => paragraph.style = value,
            "outlineLvl" => paragraph.outline = value.and_then(|v| v.parse().ok()),
            "numId" => paragraph.num_id = value.and_then(|v| v.parse().ok()),
            "ilvl" => paragraph.ilvl = value.and_then(|v| v.parse().ok()),
            _ => {}
        }
    }

    fn end(&mut self, qname: &str) {
        if let Some(skip_depth) = self.skip {
            if self.depth == skip_depth {
                self.skip = None;
            }
            return;
        }
        if self.ppr == Some(self.depth) {
            self.ppr = None;
            return;
        }
        if self.trpr == Some(self.depth) {
            self.trpr = None;
            return;
        }
        if !self.is_w(qname) {
            return;
        }
        let local = qname.rsplit(':').next().unwrap_or(qname);
        match local {
            "t" => self.in_text = false,
            "instrText" => self.in_instruction = false,
            "fldSimple" => {
                self.fields.pop();
            }
            "p" if self
                .paragraphs
                .last()
                .is_some_and(|p| p.depth == self.depth) =>
            {
                self.end_paragraph()
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut()
                    && let Some((_, cell)) = table.cell.take()
                {
                    table.cells.push(cell);
                }
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    let line = (!table.row_deleted)
                        .then(|| row_line(&table.cells))
                        .flatten();
                    table.cells.clear();
                    if let Some(text) = line {
                        self.emit(Line::plain(text));
                    }
                }
            }
            "tbl" => {
                self.tables.pop();
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let Some(paragraph) = self.paragraphs.last_mut() else {
            return;
        };
        if self.in_instruction {
            if let Some(field) = self.fields.last_mut()
                && !field.separated
            {
                field.instruction.push_str(text);
            }
            return;
        }
        if self.fields.iter().any(|f| !f.separated) {
            return;
        }
        if self.fields.iter().any(|f| f.dropped) {
            paragraph.hidden.push_str(text);
        } else {
            paragraph.text.push_str(text);
        }
    }

    fn end_paragraph(&mut self) {
        let Some(paragraph) = self.paragraphs.pop() else {
            return;
        };
        self.in_text = false;
        let style = paragraph.style.as_deref();
        let numbered = match paragraph.num_id {
            Some(0) => None,
            Some(num_id) => Some((
                num_id,
                paragraph
                    .ilvl
                    .or_else(|| self.styles.numbering(style).map(|(_, l)| l))
                    .unwrap_or(0),
            )),
            None => self
                .styles
                .numbering(style)
                .map(|(num_id, ilvl)| (num_id, paragraph.ilvl.unwrap_or(ilvl))),
        };
        let marker =
            numbered.and_then(|(num_id, ilvl)| self.counters.next(self.numbering, num_id, ilvl));
        let body = finish_paragraph(&paragraph.text);
        if body.is_empty() && !paragraph.hidden.trim().is_empty() {
            note_dropped(
                &mut self.dropped,
                "table of contents",
                &finish_paragraph(&paragraph.hidden),
            );
        }
        let outline = match paragraph.outline {
            Some(level) => (level < 9).then_some(level + 1),
            None => self.styles.outline(style),
        };
        if !body.is_empty() {
            let text = match marker {
                Some(marker) => format!("{marker}{body}"),
                None => body,
            };
            self.emit(Line {
                text,
                outline,
                ..Line::default()
            });
        }
        for line in paragraph.pending {
            self.emit(line);
        }
    }

    /// Puts a finished line where it belongs: into the innermost open table
    /// cell or text-box anchor paragraph, else into the document.
    fn emit(&mut self, line: Line) {
        let cell_depth = self
            .tables
            .last()
            .and_then(|t| t.cell.as_ref())
            .map(|(d, _)| *d);
        let paragraph_depth = self.paragraphs.last().map(|p| p.depth);
        match (cell_depth, paragraph_depth) {
            (Some(c), p) if p.is_none_or(|p| c > p) => {
                if let Some((_, cell)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    append_to_cell(cell, &line.text);
                }
            }
            (_, Some(_)) => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.pending.push(line);
                }
            }
            _ => self.lines.push(line),
        }
    }
}

fn is_table_of_contents(instruction: &str) -> bool {
    instruction
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("TOC")
}

/// Title, issuer and date from `docProps/core.xml`, each only where it is
/// plausibly the document's (see [`plausible_title`]). `dcterms:created` is
/// when the file was made, not when the document was issued (all 20 real
/// files in shared/formats were created on the day they were converted), so
/// it is not taken as the publication date.
fn core_meta(xml: &str, out: &mut Extracted) {
    let mut reader = Reader::from_str(xml);
    let mut field: Option<String> = None;
    let mut title = String::new();
    let mut creator = String::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) => field = Some(e.local_name().as_ref().to_string()),
            Event::End(_) => field = None,
            Event::Text(t) => match field.as_deref() {
                Some("title") => title.push_str(&t.xml10_content()),
                Some("creator") => creator.push_str(&t.xml10_content()),
                _ => {}
            },
            Event::GeneralRef(r) => {
                if let Some(text) = resolve_reference(&r) {
                    match field.as_deref() {
                        Some("title") => title.push_str(&text),
                        Some("creator") => creator.push_str(&text),
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let first: Vec<&str> = out.lines.iter().take(20).map(|l| l.text.as_str()).collect();
    let title = title.trim();
    if plausible_title(title, &first) && title != creator.trim() {
        out.meta.title = Some((title.to_string(), "docx core.xml dc:title".into()));
    }
    if plausible_issuer(&creator) {
        out.meta.author = Some((
            creator.trim().to_string(),
            "docx core.xml dc:creator".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, bytes) in entries {
                w.start_file(*name, options).unwrap();
                w.write_all(bytes).unwrap();
            }
            w.finish().unwrap();
        }
        out.into_inner()
    }

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn document(body: &str) -> Vec<u8> {
        format!(r#"<?xml version="1.0"?><w:document {NS}><w:body>{body}</w:body></w:document>"#)
            .into_bytes()
    }

    fn paragraph(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn path_traversal_names_are_only_names() {
        let evil = "../../plansearch-docx-traversal-test.txt";
        let doc = document(&paragraph("全面推进乡村振兴，加快建设农业强县。"));
        let bytes = zip_of(&[
            (evil, b"overwritten"),
            ("/etc/plansearch-docx-test", b"x"),
            ("word/document.xml", &doc),
        ]);
        let out = read_docx(&bytes, &Limits::new()).unwrap();
        assert_eq!(out.lines[0].text, "全面推进乡村振兴，加快建设农业强县。");
        assert!(!std::path::Path::new(evil).exists());
        assert!(!std::path::Path::new("/etc/plansearch-docx-test").exists());
    }

    #[test]
    fn a_document_part_that_inflates_past_the_cap_is_refused() {
        let body = paragraph("县域经济高质量发展。").repeat(200_000);
        let bytes = zip_of(&[("word/document.xml", &document(&body))]);
        assert!(bytes.len() < 200 * 1024, "{}", bytes.len());
        let mut limits = Limits::new();
        limits.max_inflated = 1024 * 1024;
        let err = read_docx(&bytes, &limits).unwrap_err();
        assert!(
            matches!(err, SkipReason::Corrupt(ref why) if why.contains("inflates")),
            "{err}"
        );
    }

    #[test]
    fn damaged_xml_keeps_what_came_before_or_is_corrupt() {
        let good = paragraph("第一条 为规范政府投资项目管理，制定本办法。");
        let cut = format!("<w:document {NS}><w:body>{good}<w:p><w:r><w:t>第二条</w:r></w:t <<");
        let bytes = zip_of(&[("word/document.xml", cut.as_bytes())]);
        let out = read_docx(&bytes, &Limits::new()).unwrap();
        assert_eq!(
            out.lines[0].text,
            "第一条 为规范政府投资项目管理，制定本办法。"
        );
        let garbage = zip_of(&[("word/document.xml", b"<w:document <<<")]);
        assert!(matches!(
            read_docx(&garbage, &Limits::new()),
            Err(SkipReason::Corrupt(_))
        ));
    }

    fn numbering(xml: &str) -> Numbering {
        Numbering::parse(&format!("<w:numbering {NS}>{xml}</w:numbering>"))
    }

    #[test]
    fn list_numbers_count_on_across_instances_and_restart_on_an_override() {
        let n = numbering(
            r#"<w:abstractNum w:abstractNumId="1">
                 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
                 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>
               </w:abstractNum>
               <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
               <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
               <w:num w:numId="3"><w:abstractNumId w:val="1"/>
                 <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
        );
        let mut counters = Counters::default();
        let mut next = |num, ilvl| counters.next(&n, num, ilvl).unwrap();
        assert_eq!(next(1, 0), "一、");
        assert_eq!(next(1, 1), "1.1 ");
        assert_eq!(next(1, 1), "1.2 ");
        assert_eq!(next(2, 0), "二、");
        assert_eq!(next(2, 1), "2.1 ");
        assert_eq!(next(3, 0), "一、");
    }

    #[test]
    fn heading_levels_come_from_outline_names_and_based_on_chains() {
        let styles = Styles::parse(&format!(
            r#"<w:styles {NS}>
                 <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
                 <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>
                 <w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/></w:style>
                 <w:style w:type="paragraph" w:styleId="gw"><w:name w:val="公文小标题"/>
                   <w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
                 <w:style w:type="paragraph" w:styleId="gw2"><w:name w:val="公文小标题二"/><w:basedOn w:val="gw"/></w:style>
                 <w:style w:type="paragraph" w:styleId="body"><w:name w:val="heading 1 body"/>
                   <w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
               </w:styles>"#
        ));
        let cases = [
            (Some("1"), Some(1)),
            (Some("2"), Some(2)),
            (Some("gw"), Some(3)),
            (Some("gw2"), Some(3)),
            (Some("body"), None),
            (None, None),
        ];
        for (id, want) in cases {
            assert_eq!(styles.outline(id), want, "{id:?}");
        }
    }
}
