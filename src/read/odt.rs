//! ODT (OpenDocument text, as LibreOffice and WPS write it): `content.xml`
//! read as it displays. One line per paragraph (`text:p`) or heading
//! (`text:h`, whose `text:outline-level` is the outline), one per table row
//! (cells joined by tabs); list numbers rendered from the list styles
//! ("一、", "（一）", "1."), and heading numbers from the outline style.
//! Tracked deletions, notes, annotations and indexes (a table of contents
//! repeats the headings) are not body text; frames and text boxes follow the
//! paragraph that anchors them.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::archive::Archive;
use super::office::{
    NumberFormat, SOFT_BREAK, after_marker, append_to_cell, attribute, finish_paragraph,
    plausible_issuer, plausible_title, resolve_reference, row_line,
};
use super::{Dropped, Extracted, Format, Limits, Line, SkipReason, note_dropped};

/// Reads an ODT file's body text.
pub fn read_odt(bytes: &[u8], limits: &Limits) -> Result<Extracted, SkipReason> {
    let mut archive = Archive::open(bytes, limits)?;
    if let Some(manifest) = archive.read_text("META-INF/manifest.xml")?
        && manifest.contains("encryption-data")
    {
        return Err(SkipReason::Encrypted(
            "an OpenDocument file saved with a password".into(),
        ));
    }
    let content = archive
        .read_text("content.xml")?
        .ok_or_else(|| SkipReason::Corrupt("the ODT has no content.xml".into()))?;
    let mut lists = ListStyles::default();
    if let Some(styles) = archive.read_text("styles.xml")? {
        lists.parse(&styles);
    }
    lists.parse(&content);
    limits.check()?;
    let mut body = Body::new(&lists, limits);
    let mut out = Extracted::new(Format::Odt, "odt");
    if let Err(why) = body.walk(&content) {
        if body.lines.is_empty() {
            return Err(why);
        }
        out.note = Some("content.xml is damaged; text after the damage is missing".into());
    }
    out.lines = body.lines;
    out.dropped = body.dropped;
    if let Some(meta) = archive.read_text("meta.xml")? {
        odt_meta(&meta, &mut out);
    }
    Ok(out)
}

/// One level of a list style or of the outline style.
#[derive(Debug, Clone)]
struct ListLevel {
    format: NumberFormat,
    prefix: String,
    suffix: String,
    /// How many levels the number shows ("1.2" shows two).
    display_levels: u8,
    start: u32,
    /// LibreOffice's own template ("%1%、", "（%2%）"), when written.
    template: Option<String>,
    /// `text:label-followed-by="nothing"`: the text follows the number directly.
    tight: bool,
}

#[derive(Debug, Default)]
struct ListStyles {
    /// List style name → its levels (index 0 = level 1).
    lists: HashMap<String, Vec<Option<ListLevel>>>,
    outline: Vec<Option<ListLevel>>,
}

impl ListLevel {
    /// A level of a list or outline style as its element defines it.
    fn of(e: &BytesStart<'_>) -> ListLevel {
        let numbered = e.name().as_ref() == "text:list-level-style-number"
            || e.name().as_ref() == "text:outline-level-style";
        ListLevel {
            format: if numbered {
                NumberFormat::from_odf(&attribute(e, "num-format").unwrap_or_default())
            } else {
                NumberFormat::Bullet
            },
            prefix: attribute(e, "num-prefix").unwrap_or_default(),
            suffix: attribute(e, "num-suffix").unwrap_or_default(),
            display_levels: attribute(e, "display-levels")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
            start: attribute(e, "start-value")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
            template: attribute(e, "num-list-format"),
            tight: false,
        }
    }
}

impl ListStyles {
    fn parse(&mut self, xml: &str) {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        // The list style being read: None for the outline style.
        let mut current: Option<Option<String>> = None;
        let mut last_level: Option<usize> = None;
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let opens = matches!(event, Event::Start(_));
                    match e.name().as_ref() {
                        "text:list-style" if opens => {
                            current = attribute(e, "name").map(Some);
                        }
                        "text:outline-style" if opens => current = Some(None),
                        "text:list-level-style-number"
                        | "text:list-level-style-bullet"
                        | "text:list-level-style-image"
                        | "text:outline-level-style" => {
                            let Some(style) = current.as_ref() else {
                                continue;
                            };
                            let level: usize = attribute(e, "level")
                                .and_then(|v| v.parse().ok())
                                .filter(|l| (1..=10).contains(l))
                                .unwrap_or(1);
                            let definition = ListLevel::of(e);
                            let levels = match style {
                                Some(name) => self.lists.entry(name.clone()).or_default(),
                                None => &mut self.outline,
                            };
                            if levels.len() < level {
                                levels.resize(level, None);
                            }
                            levels[level - 1] = Some(definition);
                            last_level = Some(level - 1);
                        }
                        "style:list-level-label-alignment" => {
                            let tight =
                                attribute(e, "label-followed-by").as_deref() == Some("nothing");
                            let levels = match current.as_ref() {
                                Some(Some(name)) => self.lists.get_mut(name),
                                Some(None) => Some(&mut self.outline),
                                None => None,
                            };
                            if let (Some(levels), Some(i)) = (levels, last_level)
                                && let Some(Some(definition)) = levels.get_mut(i)
                            {
                                definition.tight = tight;
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => {
                    if matches!(e.name().as_ref(), "text:list-style" | "text:outline-style") {
                        current = None;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
}

/// Renders the number of a paragraph at `level` (0-based) from `counters`.
fn render(levels: &[Option<ListLevel>], counters: &[Option<u32>], level: usize) -> Option<String> {
    let definition = levels.get(level)?.as_ref()?;
    if matches!(definition.format, NumberFormat::Bullet) {
        return None;
    }
    let value_at = |i: usize| {
        let start = levels
            .get(i)
            .and_then(Option::as_ref)
            .map_or(1, |l| l.start);
        counters.get(i).copied().flatten().unwrap_or(start)
    };
    let format_at = |i: usize| {
        levels
            .get(i)
            .and_then(Option::as_ref)
            .map_or(NumberFormat::Decimal, |l| l.format)
    };
    let text = match &definition.template {
        Some(template) if template.contains('%') => {
            let mut out = String::new();
            let mut chars = template.chars().peekable();
            while let Some(c) = chars.next() {
                let digit = (c == '%').then(|| chars.peek().and_then(|d| d.to_digit(10)));
                match digit.flatten() {
                    Some(d) if d >= 1 => {
                        chars.next();
                        let mut n = d as usize;
                        // "%10%": two digits.
                        if let Some(next) = chars.peek().and_then(|d| d.to_digit(10)) {
                            chars.next();
                            n = n * 10 + next as usize;
                        }
                        if chars.peek() == Some(&'%') {
                            chars.next();
                        }
                        out.push_str(&format_at(n - 1).render(value_at(n - 1))?);
                    }
                    _ => out.push(c),
                }
            }
            out
        }
        _ => {
            if definition.format == NumberFormat::None
                && definition.prefix.is_empty()
                && definition.suffix.is_empty()
            {
                return None;
            }
            let shown = usize::from(definition.display_levels.max(1)).min(level + 1);
            let numbers: Option<Vec<String>> = (level + 1 - shown..=level)
                .map(|i| format_at(i).render(value_at(i)))
                .collect();
            format!(
                "{}{}{}",
                definition.prefix,
                numbers?.join("."),
                definition.suffix
            )
        }
    };
    let text = text.trim().to_string();
    if text.is_empty() {
        return None;
    }
    let gap = if definition.tight {
        ""
    } else {
        after_marker(&text)
    };
    Some(format!("{text}{gap}"))
}

/// Increments the counter at `level` and clears the deeper ones.
fn count(
    levels: &[Option<ListLevel>],
    counters: &mut Vec<Option<u32>>,
    level: usize,
    start_value: Option<u32>,
) {
    if counters.len() <= level {
        counters.resize(level + 1, None);
    }
    let start = levels
        .get(level)
        .and_then(Option::as_ref)
        .map_or(1, |l| l.start);
    counters[level] = Some(match (start_value, counters[level]) {
        (Some(v), _) => v,
        (None, Some(c)) => c.saturating_add(1),
        (None, None) => start,
    });
    counters.truncate(level + 1);
}

#[derive(Default)]
struct Paragraph {
    depth: usize,
    text: String,
    outline: Option<u8>,
    marker: Option<String>,
    has_number: bool,
    pending: Vec<Line>,
}

/// The most cells a table row keeps.
const MAX_CELLS: usize = 1024;

#[derive(Default)]
struct Table {
    cells: Vec<String>,
    cell: Option<(usize, String, usize)>,
}

/// An open `text:list`.
struct List {
    style: String,
    level: usize,
}

/// An open `text:list-item`.
struct Item {
    depth: usize,
    level: usize,
    style: String,
    start_value: Option<u32>,
    numbered: bool,
    header: bool,
}

struct Body<'a> {
    styles: &'a ListStyles,
    limits: &'a Limits,
    lines: Vec<Line>,
    dropped: Vec<Dropped>,
    paragraphs: Vec<Paragraph>,
    tables: Vec<Table>,
    lists: Vec<List>,
    items: Vec<Item>,
    counters: HashMap<String, Vec<Option<u32>>>,
    outline_counters: Vec<Option<u32>>,
    depth: usize,
    skip: Option<(usize, Option<&'static str>)>,
    skipped_text: String,
}

impl<'a> Body<'a> {
    fn new(styles: &'a ListStyles, limits: &'a Limits) -> Body<'a> {
        Body {
            styles,
            limits,
            lines: Vec::new(),
            dropped: Vec::new(),
            paragraphs: Vec::new(),
            tables: Vec::new(),
            lists: Vec::new(),
            items: Vec::new(),
            counters: HashMap::new(),
            outline_counters: Vec::new(),
            depth: 0,
            skip: None,
            skipped_text: String::new(),
        }
    }

    fn walk(&mut self, xml: &str) -> Result<(), SkipReason> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = false;
        let mut in_body = false;
        let mut events = 0u32;
        loop {
            let event = reader.read_event().map_err(|e| {
                SkipReason::Corrupt(format!(
                    "ODT content.xml at byte {}: {e}",
                    reader.buffer_position()
                ))
            })?;
            events += 1;
            if events.is_multiple_of(4096) {
                self.limits.check()?;
            }
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if e.name().as_ref() == "office:text" {
                        in_body = true;
                    } else if in_body {
                        self.start(&e, false);
                    }
                }
                Event::Empty(e) if in_body => {
                    self.depth += 1;
                    self.start(&e, true);
                    self.depth -= 1;
                }
                Event::End(e) => {
                    if e.name().as_ref() == "office:text" {
                        in_body = false;
                    } else if in_body {
                        self.end(e.name().as_ref());
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if in_body => {
                    let text = t.xml10_content().replace(SOFT_BREAK, " ");
                    self.text(&text);
                }
                Event::GeneralRef(r) if in_body => {
                    if let Some(text) = resolve_reference(&r) {
                        self.text(&text);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        while !self.paragraphs.is_empty() {
            self.end_paragraph();
        }
        Ok(())
    }

    /// A paragraph or heading (with its outline level) opening.
    fn paragraph_start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let mut paragraph = Paragraph {
            depth: self.depth,
            ..Paragraph::default()
        };
        let heading = e.name().as_ref() == "text:h";
        if heading {
            paragraph.outline = Some(
                attribute(e, "outline-level")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .clamp(1, 10),
            );
        }
        paragraph.marker = self.marker(heading, paragraph.outline, e);
        if !empty {
            self.paragraphs.push(paragraph);
        }
    }

    /// A list opening: a top-level list restarts its style's numbering
    /// unless it continues it.
    fn list_start(&mut self, e: &BytesStart<'_>) {
        let style = attribute(e, "style-name")
            .or_else(|| self.lists.last().map(|l| l.style.clone()))
            .unwrap_or_default();
        let level = self.items.last().map_or(0, |i| i.level + 1);
        if level == 0 {
            let continues = attribute(e, "continue-numbering").as_deref() == Some("true")
                || attribute(e, "continue-list").is_some();
            if !continues {
                self.counters.remove(&style);
            }
        }
        self.lists.push(List { style, level });
    }

    /// A list item or header opening, in the list it belongs to.
    fn item_start(&mut self, e: &BytesStart<'_>) {
        let (style, level) = self
            .lists
            .last()
            .map_or((String::new(), 0), |l| (l.style.clone(), l.level));
        self.items.push(Item {
            depth: self.depth,
            level,
            style,
            start_value: attribute(e, "start-value").and_then(|v| v.parse().ok()),
            numbered: false,
            header: e.name().as_ref() == "text:list-header",
        });
    }

    /// A table cell, repeated as the file says (capped).
    fn cell_start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let repeat: usize = attribute(e, "number-columns-repeated")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let depth = self.depth;
        if let Some(t) = self.tables.last_mut() {
            // A hostile file could repeat empty cells without end.
            let repeat = repeat.min(MAX_CELLS.saturating_sub(t.cells.len()));
            if empty {
                t.cells.extend(std::iter::repeat_n(String::new(), repeat));
            } else {
                t.cell = Some((depth, String::new(), repeat));
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        if self.skip.is_some() {
            return;
        }
        let name = e.name();
        match name.as_ref() {
            "text:p" | "text:h" => self.paragraph_start(e, empty),
            "text:number" => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.has_number = true;
                }
            }
            "text:s" => {
                let n: usize = attribute(e, "c").and_then(|v| v.parse().ok()).unwrap_or(1);
                self.text(&" ".repeat(n.clamp(1, 8)));
            }
            "text:tab" => self.text(" "),
            "text:line-break" => self.push_raw(SOFT_BREAK),
            "text:list" if !empty => self.list_start(e),
            "text:list-item" | "text:list-header" if !empty => self.item_start(e),
            "table:table" if !empty => self.tables.push(Table::default()),
            "table:table-row" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.cells.clear();
                }
            }
            "table:table-cell" | "table:covered-table-cell" => self.cell_start(e, empty),
            "text:table-of-content" if !empty => {
                self.skip = Some((self.depth, Some("table of contents")))
            }
            "text:tracked-changes"
            | "text:note"
            | "office:annotation"
            | "text:ruby-text"
            | "text:alphabetical-index"
            | "text:illustration-index"
            | "text:table-index"
            | "text:object-index"
            | "text:user-index"
            | "text:bibliography"
            | "svg:title"
            | "svg:desc"
            | "office:forms"
                if !empty =>
            {
                self.skip = Some((self.depth, None));
            }
            _ => {}
        }
    }

    /// The number of a paragraph that starts a list item, or of a numbered
    /// heading; counts it.
    fn marker(&mut self, heading: bool, outline: Option<u8>, e: &BytesStart<'_>) -> Option<String> {
        if let Some(item) = self.items.last_mut()
            && item.depth + 1 == self.depth
        {
            if item.numbered || item.header {
                return None;
            }
            item.numbered = true;
            let levels = self.styles.lists.get(&item.style)?;
            let counters = self.counters.entry(item.style.clone()).or_default();
            count(levels, counters, item.level, item.start_value);
            return render(levels, counters, item.level);
        }
        if heading && attribute(e, "is-list-header").as_deref() != Some("true") {
            let level = usize::from(outline.unwrap_or(1)) - 1;
            let levels = &self.styles.outline;
            levels.get(level)?.as_ref()?;
            count(levels, &mut self.outline_counters, level, None);
            return render(levels, &self.outline_counters, level);
        }
        None
    }

    fn end(&mut self, name: &str) {
        if let Some((depth, what)) = self.skip {
            if depth == self.depth {
                self.skip = None;
                if let Some(what) = what {
                    let sample = std::mem::take(&mut self.skipped_text);
                    note_dropped(&mut self.dropped, what, finish_paragraph(&sample).as_str());
                }
            }
            return;
        }
        match name {
            "text:p" | "text:h"
                if self
                    .paragraphs
                    .last()
                    .is_some_and(|p| p.depth == self.depth) =>
            {
                self.end_paragraph();
            }
            "text:list" => {
                self.lists.pop();
            }
            "text:list-item" | "text:list-header" => {
                self.items.pop();
            }
            "table:table-cell" | "table:covered-table-cell" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some((_, cell, repeat)) = t.cell.take()
                {
                    t.cells.push(cell);
                    t.cells
                        .extend(std::iter::repeat_n(String::new(), repeat.saturating_sub(1)));
                }
            }
            "table:table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    let line = row_line(&t.cells);
                    t.cells.clear();
                    if let Some(text) = line {
                        self.emit(Line::plain(text));
                    }
                }
            }
            "table:table" => {
                self.tables.pop();
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.skip.is_some() {
            if self.skipped_text.len() < 400 {
                self.skipped_text.push_str(text);
            }
            return;
        }
        if let Some(p) = self.paragraphs.last_mut() {
            p.text.push_str(text);
        }
    }

    fn push_raw(&mut self, c: char) {
        if let Some(p) = self.paragraphs.last_mut() {
            p.text.push(c);
        }
    }

    fn end_paragraph(&mut self) {
        let Some(paragraph) = self.paragraphs.pop() else {
            return;
        };
        let body = finish_paragraph(&paragraph.text);
        if !body.is_empty() {
            let text = match paragraph.marker {
                Some(marker) if !paragraph.has_number => format!("{marker}{body}"),
                _ => body,
            };
            self.emit(Line {
                text,
                outline: paragraph.outline,
                ..Line::default()
            });
        }
        for line in paragraph.pending {
            self.emit(line);
        }
    }

    fn emit(&mut self, line: Line) {
        let cell_depth = self
            .tables
            .last()
            .and_then(|t| t.cell.as_ref())
            .map(|(d, _, _)| *d);
        let paragraph_depth = self.paragraphs.last().map(|p| p.depth);
        match (cell_depth, paragraph_depth) {
            (Some(c), p) if p.is_none_or(|p| c > p) => {
                if let Some((_, cell, _)) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
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

/// Title and issuer from `meta.xml`, only where plausible (as for DOCX);
/// `meta:creation-date` is when the file was made, not issued.
fn odt_meta(xml: &str, out: &mut Extracted) {
    let mut reader = Reader::from_str(xml);
    let mut field: Option<String> = None;
    let mut title = String::new();
    let mut creator = String::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) => field = Some(e.name().as_ref().to_string()),
            Event::End(_) => field = None,
            Event::Text(t) => match field.as_deref() {
                Some("dc:title") => title.push_str(&t.xml10_content()),
                Some("meta:initial-creator") => creator.push_str(&t.xml10_content()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let first: Vec<&str> = out.lines.iter().take(20).map(|l| l.text.as_str()).collect();
    if plausible_title(&title, &first) && title.trim() != creator.trim() {
        out.meta.title = Some((title.trim().to_string(), "odt meta.xml dc:title".into()));
    }
    if plausible_issuer(&creator) {
        out.meta.author = Some((
            creator.trim().to_string(),
            "odt meta.xml meta:initial-creator".into(),
        ));
    }
}
