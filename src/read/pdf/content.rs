//! A page's content stream, interpreted for its text: where every glyph
//! stands, then glyphs grouped into visual lines top to bottom.
//!
//! Only what places text is followed: the graphics state's matrix, the text
//! state, `Tj`/`TJ`/`'`/`"`, and form XObjects (with a depth cap and a guard
//! against a form that draws itself). Images are noted for OCR, never
//! decoded here.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{Font, deref, number};
use crate::read::pages::{Geometry, PageLine};
use crate::read::{Limits, SkipReason};

/// Nested form XObjects deeper than this are not followed: real files nest
/// two or three.
const MAX_FORM_DEPTH: usize = 12;

/// Operators interpreted on one page, forms included, before the page is
/// cut short: a real page has tens of thousands.
const MAX_OPERATIONS: usize = 2_000_000;

/// The most bytes one content stream may inflate to.
const MAX_CONTENT_BYTES: u64 = 64 * 1024 * 1024;

/// A 2-D affine matrix `[a b c d e f]` as PDF writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix([f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// The matrix `[a b c d e f]`.
    pub fn from_array(m: [f32; 6]) -> Matrix {
        Matrix(m)
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0.0; 6];
        for (slot, op) in m.iter_mut().zip(ops) {
            *slot = number(op)?;
        }
        Some(Matrix(m))
    }

    fn from_object(doc: &Document, object: Option<&Object>) -> Option<Matrix> {
        let array = deref(doc, object)?.as_array().ok()?;
        Matrix::from_operands(array)
    }

    /// `self` then `other`.
    pub fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn apply_vector(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, _, _] = self.0;
        (a * x + c * y, b * x + d * y)
    }
}

/// One glyph where it landed, in top-down page coordinates.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline, growing downwards.
    pub y: f32,
    pub size: f32,
}

/// An image drawn on the page, for OCR.
#[derive(Debug, Clone, Copy)]
pub struct PlacedImage {
    pub id: ObjectId,
    /// Its width and height on the page, in points.
    pub width: f32,
    pub height: f32,
}

/// What a page's content gave.
#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub images: Vec<PlacedImage>,
    /// Codes no font could map to text.
    pub unmapped: usize,
    /// Something was cut short (operation cap, broken stream).
    pub damaged: bool,
}

#[derive(Clone)]
struct TextState {
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// The text matrix and the text line matrix of a text object.
#[derive(Clone, Copy)]
struct TextCursor {
    tm: Matrix,
    tlm: Matrix,
}

impl Default for TextCursor {
    fn default() -> TextCursor {
        TextCursor {
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
        }
    }
}

impl TextCursor {
    /// T*: the start of the next line, `leading` below.
    fn next_line(&mut self, leading: f32) {
        self.tlm = Matrix::translate(0.0, -leading).then(self.tlm);
        self.tm = self.tlm;
    }
}

#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    text: TextState,
}

/// Fonts read once per file, by object.
pub type FontCache = HashMap<ObjectId, Rc<Font>>;

/// Interprets one page.
pub struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    limits: &'a Limits,
    /// Page height, to turn PDF's bottom-up y into top-down.
    page_top: f32,
    out: PageContent,
    operations: usize,
    /// Forms being drawn, to refuse one that draws itself.
    form_stack: Vec<ObjectId>,
}

impl<'a> Interpreter<'a> {
    pub fn new(
        doc: &'a Document,
        fonts: &'a mut FontCache,
        limits: &'a Limits,
        page_top: f32,
    ) -> Interpreter<'a> {
        Interpreter {
            doc,
            fonts,
            limits,
            page_top,
            out: PageContent::default(),
            operations: 0,
            form_stack: Vec::new(),
        }
    }

    /// Runs a page's content with its resources under the starting matrix.
    pub fn run_page(
        mut self,
        content: &[u8],
        resources: &Dictionary,
        start: Matrix,
    ) -> Result<PageContent, SkipReason> {
        let state = GraphicsState {
            ctm: start,
            text: TextState::default(),
        };
        self.run(content, resources, state, 0)?;
        Ok(self.out)
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: &Dictionary,
        state: GraphicsState,
        depth: usize,
    ) -> Result<(), SkipReason> {
        let operations = match Content::decode(content) {
            Ok(c) => c.operations,
            Err(_) => {
                self.out.damaged = true;
                return Ok(());
            }
        };
        let mut gs = state;
        let mut stack: Vec<GraphicsState> = Vec::new();
        let mut cursor = TextCursor::default();
        for op in &operations {
            self.operations += 1;
            if self.operations > MAX_OPERATIONS {
                self.out.damaged = true;
                return Ok(());
            }
            if self.operations.is_multiple_of(8192) {
                self.limits.check()?;
            }
            let operands = &op.operands;
            match op.operator.as_str() {
                // A hostile stream of saves without restores is capped.
                "q" if stack.len() < 256 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(operands) {
                        gs.ctm = m.then(gs.ctm);
                    }
                }
                "Do" => {
                    if let Some(name) = operands.first().and_then(|o| o.as_name().ok()) {
                        self.draw_xobject(resources, name, &gs, depth)?;
                    }
                }
                "Tf" | "Tc" | "Tw" | "Tz" | "TL" | "Ts" => {
                    self.set_text_state(op, &mut gs.text, resources)
                }
                _ => self.text_op(op, &mut gs, &mut cursor),
            }
        }
        Ok(())
    }

    /// The text state operators: font and size, spacing, scale, leading, rise.
    fn set_text_state(&mut self, op: &Operation, text: &mut TextState, resources: &Dictionary) {
        let operands = &op.operands;
        let num = |i: usize| operands.get(i).and_then(number);
        match op.operator.as_str() {
            "Tf" => {
                text.size = num(1).unwrap_or(0.0);
                text.font = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(|name| self.font(resources, name));
            }
            "Tc" => text.char_spacing = num(0).unwrap_or(0.0),
            "Tw" => text.word_spacing = num(0).unwrap_or(0.0),
            "Tz" => text.horizontal_scale = num(0).unwrap_or(100.0) / 100.0,
            "TL" => text.leading = num(0).unwrap_or(0.0),
            "Ts" => text.rise = num(0).unwrap_or(0.0),
            _ => {}
        }
    }

    /// The text object operators: positioning (BT, Td, TD, Tm, T*) and
    /// showing text (Tj, ', ", TJ); others are ignored.
    fn text_op(&mut self, op: &Operation, gs: &mut GraphicsState, c: &mut TextCursor) {
        let operands = &op.operands;
        let num = |i: usize| operands.get(i).and_then(number);
        match op.operator.as_str() {
            "BT" => *c = TextCursor::default(),
            "Td" | "TD" => {
                let (tx, ty) = (num(0).unwrap_or(0.0), num(1).unwrap_or(0.0));
                if op.operator == "TD" {
                    gs.text.leading = -ty;
                }
                c.tlm = Matrix::translate(tx, ty).then(c.tlm);
                c.tm = c.tlm;
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(operands) {
                    c.tlm = m;
                    c.tm = m;
                }
            }
            "T*" => c.next_line(gs.text.leading),
            "Tj" => {
                if let Some(bytes) = operands.first().and_then(|o| o.as_str().ok()) {
                    self.show(bytes, &*gs, &mut c.tm);
                }
            }
            "'" | "\"" => {
                if op.operator == "\"" {
                    gs.text.word_spacing = num(0).unwrap_or(gs.text.word_spacing);
                    gs.text.char_spacing = num(1).unwrap_or(gs.text.char_spacing);
                }
                c.next_line(gs.text.leading);
                if let Some(bytes) = operands.last().and_then(|o| o.as_str().ok()) {
                    self.show(bytes, &*gs, &mut c.tm);
                }
            }
            "TJ" => {
                let Some(items) = operands.first().and_then(|o| o.as_array().ok()) else {
                    return;
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => self.show(bytes, &*gs, &mut c.tm),
                        other => {
                            if let Some(adjust) = number(other) {
                                let tx = -adjust / 1000.0 * gs.text.size * gs.text.horizontal_scale;
                                c.tm = Matrix::translate(tx, 0.0).then(c.tm);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn font(&mut self, resources: &Dictionary, name: &[u8]) -> Rc<Font> {
        let entry = deref(self.doc, resources.get(b"Font").ok())
            .and_then(|o| o.as_dict().ok())
            .and_then(|fonts| fonts.get(name).ok());
        match entry {
            Some(Object::Reference(id)) => {
                if let Some(font) = self.fonts.get(id) {
                    return font.clone();
                }
                let font = match deref(self.doc, entry).and_then(|o| o.as_dict().ok()) {
                    Some(dict) => Font::load(self.doc, dict),
                    None => {
                        // A truncated file loses its fonts first.
                        self.out.damaged = true;
                        Font::fallback()
                    }
                };
                let font = Rc::new(font);
                self.fonts.insert(*id, font.clone());
                font
            }
            Some(Object::Dictionary(dict)) => Rc::new(Font::load(self.doc, dict)),
            _ => {
                self.out.damaged = true;
                Rc::new(Font::fallback())
            }
        }
    }

    /// Places the glyphs of one shown string and advances the text matrix.
    fn show(&mut self, bytes: &[u8], gs: &GraphicsState, tm: &mut Matrix) {
        let Some(font) = gs.text.font.clone() else {
            return;
        };
        let ts = &gs.text;
        for code in font.decode(bytes) {
            let trm = tm.then(gs.ctm);
            let advance = code.width * font.type3_scale * ts.size;
            let (ox, oy) = trm.apply(0.0, ts.rise);
            let (ax, ay) = trm.apply_vector(advance * ts.horizontal_scale, 0.0);
            let (hx, hy) = trm.apply_vector(0.0, ts.size * font.type3_scale);
            let size = (hx * hx + hy * hy).sqrt();
            let width = (ax * ax + ay * ay).sqrt();
            // Upright text only: rotated stamps and diagonal watermarks are
            // not body text.
            let upright = ax.abs() >= ay.abs() * 4.0 || (width < 0.01 && hy.abs() > hx.abs());
            if code.text.contains('\u{FFFD}') {
                self.out.unmapped += 1;
            }
            if upright && size > 0.5 && !code.text.is_empty() && ax >= 0.0 {
                self.out.glyphs.push(Glyph {
                    text: code.text,
                    x0: ox,
                    x1: ox + width,
                    y: self.page_top - oy,
                    size,
                });
            }
            let spacing = ts.char_spacing
                + if code.is_space_byte {
                    ts.word_spacing
                } else {
                    0.0
                };
            let tx = (advance + spacing) * ts.horizontal_scale;
            *tm = Matrix::translate(tx, 0.0).then(*tm);
        }
    }

    fn draw_xobject(
        &mut self,
        resources: &Dictionary,
        name: &[u8],
        gs: &GraphicsState,
        depth: usize,
    ) -> Result<(), SkipReason> {
        let entry = deref(self.doc, resources.get(b"XObject").ok())
            .and_then(|o| o.as_dict().ok())
            .and_then(|x| x.get(name).ok());
        let Some(Object::Reference(id)) = entry else {
            return Ok(());
        };
        let id = *id;
        let Some(Object::Stream(stream)) = deref(self.doc, entry) else {
            return Ok(());
        };
        let subtype = stream.dict.get(b"Subtype").and_then(|o| o.as_name()).ok();
        match subtype {
            Some(b"Image") => {
                let [a, b, c, d, _, _] = gs.ctm.0;
                self.out.images.push(PlacedImage {
                    id,
                    width: (a * a + b * b).sqrt(),
                    height: (c * c + d * d).sqrt(),
                });
            }
            Some(b"Form") => {
                if depth >= MAX_FORM_DEPTH || self.form_stack.contains(&id) {
                    self.out.damaged = true;
                    return Ok(());
                }
                let Ok(content) =
                    stream.decompressed_content_with_limit(MAX_CONTENT_BYTES as usize)
                else {
                    self.out.damaged = true;
                    return Ok(());
                };
                let form_resources = deref(self.doc, stream.dict.get(b"Resources").ok())
                    .and_then(|o| o.as_dict().ok())
                    .unwrap_or(resources);
                let matrix = Matrix::from_object(self.doc, stream.dict.get(b"Matrix").ok())
                    .unwrap_or(Matrix::IDENTITY);
                let state = GraphicsState {
                    ctm: matrix.then(gs.ctm),
                    text: gs.text.clone(),
                };
                self.form_stack.push(id);
                let result = self.run(&content, form_resources, state, depth + 1);
                self.form_stack.pop();
                result?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// The most bytes a page's content streams may inflate to together.
pub fn max_content_bytes(limits: &Limits) -> usize {
    limits.max_inflated.min(MAX_CONTENT_BYTES) as usize
}

/// Glyphs to visual lines, top to bottom, each left to right: a glyph joins
/// a line whose baseline is within a third of its size. Sorting by position
/// rather than keeping the content stream's order is what keeps reading order
/// when a generator writes headers last or a table column by column.
pub fn lines(mut glyphs: Vec<Glyph>) -> Vec<PageLine> {
    glyphs.retain(|g| g.x0.is_finite() && g.y.is_finite() && g.size.is_finite());
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match rows.last_mut() {
            Some(row)
                if (glyph.y - row_baseline(row)).abs() <= 0.35 * glyph.size.min(row[0].size) =>
            {
                row.push(glyph)
            }
            _ => rows.push(vec![glyph]),
        }
    }
    merge_superscripts(&mut rows);
    rows.into_iter().filter_map(row_line).collect()
}

/// Joins a row of small glyphs (a footnote mark "[2]", a superscript ²)
/// standing within the height of a line next to it into that line, so that
/// it does not split the sentence it belongs to.
fn merge_superscripts(rows: &mut Vec<Vec<Glyph>>) {
    let median_size = |row: &[Glyph]| {
        let mut sizes: Vec<f32> = row.iter().map(|g| g.size).collect();
        sizes.sort_by(f32::total_cmp);
        sizes[sizes.len() / 2]
    };
    let mut i = 0;
    while i < rows.len() {
        let size = median_size(&rows[i]);
        let y = row_baseline(&rows[i]);
        let (x0, x1) = rows[i]
            .iter()
            .fold((f32::MAX, f32::MIN), |(a, b), g| (a.min(g.x0), b.max(g.x1)));
        let host = [i.wrapping_sub(1), i + 1].into_iter().find(|&j| {
            rows.get(j).is_some_and(|row| {
                let host_size = median_size(row);
                let host_y = row_baseline(row);
                let overlaps = row
                    .iter()
                    .any(|g| g.x1 >= x0 - host_size && g.x0 <= x1 + host_size);
                size < 0.8 * host_size
                    && y > host_y - host_size
                    && y < host_y + 0.3 * host_size
                    && overlaps
                    && rows[i].len() <= 6
            })
        });
        match host {
            Some(j) => {
                let small = rows.remove(i);
                let j = if j > i { j - 1 } else { j };
                rows[j].extend(small);
                if j < i {
                    continue;
                }
            }
            None => i += 1,
        }
    }
}

fn row_baseline(row: &[Glyph]) -> f32 {
    row[0].y
}

/// One row of glyphs as a line: spaces where the gap is a space's width
/// (wider between Chinese characters, which have no spaces), a tab where
/// it is a column's.
fn row_line(mut row: Vec<Glyph>) -> Option<PageLine> {
    row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut sizes: Vec<f32> = row.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    // A short heading set letter-spaced ("目  录", "一、综  合") is one word.
    let spaced_heading = row.len() <= 10
        && row
            .iter()
            .all(|g| g.text.chars().all(|c| !c.is_ascii_alphanumeric()));
    let mut text = String::new();
    let mut previous: Option<&Glyph> = None;
    let (mut x0, mut x1) = (f32::MAX, f32::MIN);
    for glyph in &row {
        if let Some(prev) = previous {
            // A glyph drawn twice over itself is fake bold.
            if prev.text == glyph.text && (glyph.x0 - prev.x0).abs() < 0.25 * size {
                continue;
            }
            let gap = glyph.x0 - prev.x1;
            let (left, right) = (
                prev.text.chars().last().unwrap_or(' '),
                glyph.text.chars().next().unwrap_or(' '),
            );
            let ascii_pair = left.is_ascii_alphanumeric() && right.is_ascii_alphanumeric();
            let ascii_side = left.is_ascii_alphanumeric() || right.is_ascii_alphanumeric();
            let space_gap = if ascii_pair {
                0.2
            } else if ascii_side {
                0.6
            } else {
                1.0
            };
            if spaced_heading {
                // no separator
            } else if gap > 3.0 * size {
                text.truncate(text.trim_end().len());
                text.push('\t');
            } else if gap > space_gap * size
                && !text.ends_with([' ', '\t'])
                && !glyph.text.starts_with(' ')
            {
                text.push(' ');
            }
        }
        if glyph.text.trim().is_empty() {
            if !spaced_heading && !text.is_empty() && !text.ends_with([' ', '\t']) {
                text.push(' ');
            }
        } else {
            text.push_str(&glyph.text);
            x0 = x0.min(glyph.x0);
            x1 = x1.max(glyph.x1);
        }
        previous = Some(glyph);
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        return None;
    }
    Some(PageLine {
        text,
        geometry: Some(Geometry {
            x0,
            x1,
            top: row[0].y - size,
            size,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        let mut x0 = x;
        text.chars()
            .map(|c| {
                let w = if c.is_ascii() { size * 0.5 } else { size };
                let glyph = Glyph {
                    text: c.to_string(),
                    x0,
                    x1: x0 + w,
                    y,
                    size,
                };
                x0 += w;
                glyph
            })
            .collect()
    }

    #[test]
    fn glyphs_group_into_lines_top_to_bottom_whatever_the_drawing_order() {
        let mut all = glyphs("一般公共预算收入", 72.0, 200.0, 12.0);
        // The header is drawn last, as some generators do.
        all.extend(glyphs("开封市人民政府文件", 72.0, 100.0, 12.0));
        let lines = lines(all);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["开封市人民政府文件", "一般公共预算收入"]);
        assert!(lines[0].geometry.unwrap().top < lines[1].geometry.unwrap().top);
    }

    #[test]
    fn table_cells_on_one_baseline_are_apart_by_a_tab() {
        let mut row = glyphs("第一产业", 72.0, 300.0, 10.0);
        row.extend(glyphs("22.9", 250.0, 300.0, 10.0));
        row.extend(glyphs("3.7", 400.0, 300.0, 10.0));
        assert_eq!(lines(row)[0].text, "第一产业\t22.9\t3.7");
    }

    #[test]
    fn a_footnote_mark_stays_in_its_line() {
        let mut all = glyphs("全年全州生产总", 72.0, 300.0, 16.0);
        all.extend(glyphs("[2]", 184.0, 294.0, 9.0));
        all.extend(glyphs("值1329.65亿元", 72.0, 322.0, 16.0));
        let texts: Vec<String> = lines(all).into_iter().map(|l| l.text).collect();
        assert_eq!(texts, ["全年全州生产总[2]", "值1329.65亿元"]);
    }

    #[test]
    fn a_letter_spaced_heading_is_one_word() {
        let mut row = glyphs("一、综", 72.0, 300.0, 16.0);
        row.extend(glyphs("合", 72.0 + 16.0 * 5.0, 300.0, 16.0));
        assert_eq!(lines(row)[0].text, "一、综合");
    }

    #[test]
    fn fake_bold_is_read_once() {
        let mut row = glyphs("二、重点任务", 72.0, 300.0, 16.0);
        row.extend(glyphs("二、重点任务", 72.4, 300.2, 16.0));
        assert_eq!(lines(row)[0].text, "二、重点任务");
    }

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 5.0);
        assert_eq!(scale.then(shift).apply(1.0, 1.0), (12.0, 7.0));
        assert_eq!(shift.then(scale).apply(1.0, 1.0), (22.0, 12.0));
    }
}
