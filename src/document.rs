//! One corpus file analysed end to end: decoded, cleaned, split into passages,
//! with document and passage metadata. The indexer and `inspect` share it, so
//! what inspect shows is what the index holds.

use serde::Serialize;

use crate::corpus::{self, Cleaned, Passage, SkipReason, SourceFile};
use crate::extract::overrides::{RowValues, given_from_row};
use crate::extract::{self, DocMeta, Given, OverrideProblem, Overrides, PassageMeta};
use crate::read::sheet::{self, Role};
use crate::read::{self, ReadInfo};

/// An analysed document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Path relative to the corpus root.
    pub path: String,
    /// The document's key: its [`fingerprint`] (the digest of the file's
    /// bytes and of any metadata given for it), its identity across renames.
    pub content_hash: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// How the file was read: format, reader, encoding, pages, what was
    /// dropped as boilerplate.
    pub read: ReadInfo,
    /// The cleaned text.
    #[serde(skip)]
    pub cleaned: Cleaned,
    /// Document metadata.
    pub meta: DocMeta,
    /// Passages with their metadata.
    pub passages: Vec<(Passage, PassageMeta)>,
    /// Problems with the metadata a researcher gave for this file.
    pub override_problems: Vec<OverrideProblem>,
    /// For one row of a spreadsheet: which row, and by which columns.
    pub row: Option<SheetRow>,
}

/// Where a document that is one row of a spreadsheet stands in it. Its `path`
/// is the workbook's with the row after a `#` (`reports.xlsx#row 3`, or
/// `reports.xlsx#Sheet2 row 3` past the first sheet), and its key digests the
/// workbook's fingerprint with that suffix, so an unchanged workbook keeps
/// its rows' keys and a changed one re-indexes them all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetRow {
    /// The workbook's path, relative to the corpus root.
    pub file: String,
    /// The workbook's [`fingerprint`].
    pub file_key: String,
    /// What follows the workbook's path in the document's: "#row 3".
    pub suffix: String,
    /// The sheet's name.
    pub sheet: String,
    /// The 1-based row number, as the spreadsheet shows it.
    pub row: u32,
    /// Where the columns were told ("headers (data/sheets/columns.toml)", a sidecar).
    pub columns_from: String,
    /// Each role's column header.
    pub columns: Vec<(Role, String)>,
}

/// How hits cite a passage: `00001.txt#7`; a spreadsheet row's path has a
/// `#` already, so its passages read `reports.xlsx#row 3, passage 7`.
pub fn cite(path: &str, passage_no: impl std::fmt::Display) -> String {
    if file_of(path) == path {
        format!("{path}#{passage_no}")
    } else {
        format!("{path}, passage {passage_no}")
    }
}

/// "row 3" or "Sheet2 row 3": no folder, a row number at the end.
fn is_row_suffix(rest: &str) -> bool {
    !rest.contains('/')
        && rest
            .rsplit_once("row ")
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The separator of a workbook's path and its row in a document's path.
pub const ROW_SEPARATOR: char = '#';

/// The file a document path names: `reports.xlsx#row 3` is `reports.xlsx`.
pub fn file_of(path: &str) -> &str {
    match path.rfind(ROW_SEPARATOR) {
        Some(i) if is_row_suffix(&path[i + 1..]) => &path[..i],
        _ => path,
    }
}

/// Digest of file contents (16 hex digits of BLAKE3).
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// The key of a corpus file as indexed: everything its index entry depends on,
/// digested. Two files with the same fingerprint are one document (indexed
/// once, found under both paths); a file whose fingerprint changed is
/// re-indexed; a file that moved keeps its fingerprint, so only its path is
/// rewritten.
///
/// An entry depends on the file's bytes and on the metadata a researcher gave
/// for it (its `metadata.csv` row, its sidecar): with nothing given, the
/// fingerprint is the bytes' [`content_hash`], so passage ids stay as they
/// are; with values given, it digests that hash and the values (not where they
/// were given), so correcting a file's year re-indexes that file alone. The
/// indexer calls this for change detection (`indexer::scan`) and for the
/// documents it indexes ([`load`]), so both agree.
pub fn fingerprint(bytes: &[u8], given: &Given) -> String {
    let hash = content_hash(bytes);
    match given.fingerprint_text() {
        None => hash,
        Some(values) => content_hash(format!("{hash}\n{values}").as_bytes()),
    }
}

/// Reads a file's bytes, refusing one over the size limit before reading it.
pub fn read_bytes(file: &SourceFile) -> Result<Vec<u8>, SkipReason> {
    let meta = std::fs::metadata(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if meta.len() > crate::read::MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    std::fs::read(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))
}

/// Reads and analyses one file, and applies what `overrides` and the file's
/// sidecar give for it (given values win over extracted ones); its
/// `content_hash` is its [`fingerprint`].
pub fn load(file: &SourceFile, overrides: &Overrides) -> Result<Document, SkipReason> {
    let bytes = read_bytes(file)?;
    let (given, problems) = overrides.given_for(&file.rel, &file.path);
    let mut doc = analyze_bytes(&file.rel, &bytes)?;
    doc.apply_given(&given, problems);
    doc.content_hash = fingerprint(&bytes, &given);
    Ok(doc)
}

/// Reads and analyses one file into its documents: one for most files, one a
/// row for a spreadsheet of collected reports ([`analyze_sheet`]).
pub fn load_file(file: &SourceFile, overrides: &Overrides) -> Result<Vec<Document>, SkipReason> {
    let bytes = read_bytes(file)?;
    let format = read::detect(&bytes);
    let (given, problems) = overrides.given_for(&file.rel, &file.path);
    if sheet::is_sheet(format) {
        let key = fingerprint(&bytes, &given);
        return analyze_sheet(&file.rel, &bytes, format, &given, problems, &key);
    }
    let mut doc = analyze_bytes(&file.rel, &bytes)?;
    doc.apply_given(&given, problems);
    doc.content_hash = fingerprint(&bytes, &given);
    Ok(vec![doc])
}

/// The documents of a spreadsheet, one a row with a text: each row's title,
/// region and year come from its columns, given like a sidecar's (over what
/// `given` says for the whole file), its text is cleaned and split as any
/// text. A sheet whose columns cannot be told is skipped; when no sheet
/// yields a row, the first such reason is the file's.
pub fn analyze_sheet(
    rel: &str,
    bytes: &[u8],
    format: read::Format,
    given: &Given,
    mut problems: Vec<OverrideProblem>,
    file_key: &str,
) -> Result<Vec<Document>, SkipReason> {
    let limits = read::Limits::new();
    let sheets = sheet::read_sheets(bytes, format, &limits)?;
    let file_name = file_title(rel);
    let mut docs = Vec::new();
    let mut first_problem = None;
    for (index, sh) in sheets.iter().enumerate() {
        let mapping = match sheet::mapping(sh, given.sheet.as_ref(), file_name) {
            Ok(m) => m,
            Err(reason) => {
                log::warn!("{rel}: {reason}");
                first_problem.get_or_insert(reason);
                continue;
            }
        };
        let columns: Vec<(Role, String)> = mapping
            .columns
            .iter()
            .map(|(role, i)| (*role, sh.headers.get(*i).cloned().unwrap_or_default()))
            .collect();
        for (row, cells) in &sh.rows {
            limits.check()?;
            let Some(text) = row_cell(&mapping, cells, Role::Text) else {
                continue;
            };
            let suffix = if index == 0 {
                format!("{ROW_SEPARATOR}row {row}")
            } else {
                format!("{ROW_SEPARATOR}{} row {row}", sh.name)
            };
            let path = format!("{rel}{suffix}");
            // Cells of scraped reports keep line breaks as the characters `\r\n`.
            let unescaped = read::text::unescape_line_breaks(&text);
            let extracted = read::Extracted::from_text(format, "calamine", &unescaped);
            let mut doc = analyze_extracted(&path, extracted);
            if doc.passages.is_empty() {
                continue;
            }
            let where_given = format!("{file_name} {}", &suffix[1..]);
            let (row_given, row_problems) =
                given_of_row(&mapping, &columns, cells, &where_given, rel);
            let mut row_wins = given.clone();
            row_wins.overlay(row_given);
            problems.extend(row_problems);
            let read_region = doc.meta.region.clone();
            doc.apply_given(&row_wins, std::mem::take(&mut problems));
            note_region_conflict(&mut doc.meta.region, &read_region);
            doc.content_hash = content_hash(format!("{file_key}\n{suffix}").as_bytes());
            doc.bytes = text.len() as u64;
            doc.row = Some(SheetRow {
                file: rel.to_string(),
                file_key: file_key.to_string(),
                suffix,
                sheet: sh.name.clone(),
                row: *row,
                columns_from: mapping.from.clone(),
                columns: columns.clone(),
            });
            docs.push(doc);
        }
    }
    if docs.is_empty() {
        return Err(first_problem.unwrap_or(SkipReason::Empty));
    }
    Ok(docs)
}

/// When a row's region column and its text disagree (a workbook of
/// collected reports files 高唐县 (山东) reports under 唐县 (河北) with 唐县's
/// code), the given value stands, as a researcher's word does, but `inspect`
/// says what the text points to, so the researcher can correct the column.
fn note_region_conflict(given: &mut extract::Evidence<u32>, read: &extract::Evidence<u32>) {
    let g = crate::gazetteer::gazetteer();
    if let (true, Some(given_code), Some(read_code)) = (given.given, given.value, read.value)
        && !g.is_within(given_code, read_code)
        && !g.is_within(read_code, given_code)
    {
        let why = read
            .evidence
            .first()
            .map_or(String::new(), |w| format!(": {w}"));
        given.evidence.push(format!(
            "but the text points to {} (confidence {:.2}{why})",
            g.display_path(read_code),
            read.confidence
        ));
    }
}

/// A row's cell in the column of `role`, trimmed; `None` when empty.
fn row_cell(mapping: &sheet::Mapping, cells: &[String], role: Role) -> Option<String> {
    mapping
        .column(role)
        .and_then(|i| cells.get(i))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

/// The metadata a row gives (region, year, title), each saying which
/// column it was read from, and the problems with its values.
fn given_of_row(
    mapping: &sheet::Mapping,
    columns: &[(Role, String)],
    cells: &[String],
    where_given: &str,
    rel: &str,
) -> (Given, Vec<OverrideProblem>) {
    let cell = |role: Role| row_cell(mapping, cells, role);
    let header = |role: Role| {
        columns
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(String::new(), |(_, h)| h.clone())
    };
    let values = RowValues {
        province: cell(Role::Province),
        city: cell(Role::City),
        county: cell(Role::County),
        region: cell(Role::Region),
        region_code: cell(Role::RegionCode),
        year: cell(Role::Year),
        title: cell(Role::Title),
    };
    let (mut row_given, row_problems) = given_from_row(values, where_given, rel);
    let region_headers: Vec<String> = [Role::Province, Role::City, Role::County, Role::Region]
        .into_iter()
        .filter(|r| cell(*r).is_some())
        .map(header)
        .collect();
    if let Some(g) = &mut row_given.region {
        let by_code = cell(Role::RegionCode).and_then(|c| c.parse::<u32>().ok()) == Some(g.value);
        let from = if by_code {
            header(Role::RegionCode)
        } else {
            region_headers.join("/")
        };
        g.source = format!("{where_given}, column {from}");
    }
    if let Some(g) = &mut row_given.year {
        g.source = format!("{where_given}, column {}", header(Role::Year));
    }
    if let Some(g) = &mut row_given.title {
        g.source = format!("{where_given}, column {}", header(Role::Title));
    }
    (row_given, row_problems)
}

/// Analyses file contents, in whatever format their bytes are.
pub fn analyze_bytes(path: &str, bytes: &[u8]) -> Result<Document, SkipReason> {
    let extracted = read::read(bytes, &read::Limits::new())?;
    let mut doc = analyze_extracted(path, extracted);
    doc.content_hash = content_hash(bytes);
    doc.bytes = bytes.len() as u64;
    if doc.passages.is_empty() {
        return Err(nothing_left(&doc.read.dropped, &doc.cleaned.page_meta));
    }
    Ok(doc)
}

/// Why a document that was read has no passage: everything in it was page
/// furniture that the reader and cleaning dropped (a breadcrumb, a toolbar,
/// a "来源:" line), which has its own reason, or it had no text at all.
fn nothing_left(dropped: &[read::Dropped], page_meta: &[String]) -> SkipReason {
    let dropped = dropped
        .iter()
        .map(|d| (d.what, d.count, d.sample.as_str()))
        .chain(page_meta.iter().map(|m| ("page metadata", 1, m.as_str())));
    let mut lines = 0;
    let mut first = None;
    for (what, count, sample) in dropped {
        lines += count;
        first.get_or_insert((what, sample));
    }
    match first {
        Some((what, sample)) => SkipReason::OnlyBoilerplate {
            lines,
            what,
            sample: sample.to_string(),
        },
        None => SkipReason::Empty,
    }
}

/// Analyses decoded text.
pub fn analyze_text(path: &str, text: &str) -> Document {
    let mut doc = analyze_extracted(
        path,
        read::Extracted::from_text(read::Format::Text, "text", text),
    );
    doc.content_hash = content_hash(text.as_bytes());
    doc.bytes = text.len() as u64;
    doc
}

/// Analyses what a reader read: cleaning, metadata, passages.
pub fn analyze_extracted(path: &str, extracted: read::Extracted) -> Document {
    let (lines, mut read) = extracted.into_parts();
    let mut cleaned = corpus::clean_lines(&lines);
    read.dropped.append(&mut cleaned.dropped);
    let meta = extract::extract_document(&cleaned, &read.meta);
    let mut passages = corpus::split_passages(&cleaned.text, &cleaned.lines, meta.title_line);
    // A document of one line is its title and its text: it is still found.
    if passages.is_empty() && meta.title_line.is_some() {
        passages = corpus::split_passages(&cleaned.text, &cleaned.lines, None);
    }
    // A title-only document ("标题:二00二年政府工作报告", a front matter
    // title with no body): the title, taken out of the text as page
    // metadata, is its one passage, so that it is still found.
    if passages.is_empty()
        && let Some(title) = meta.title.value.as_deref()
    {
        passages = corpus::split_passages(title, &[corpus::LineInfo::default()], None);
    }
    let passages = passages
        .into_iter()
        .map(|p| {
            let m = extract::extract_passage(&p, &meta);
            (p, m)
        })
        .collect();
    Document {
        path: path.to_string(),
        content_hash: String::new(),
        bytes: 0,
        read,
        cleaned,
        meta,
        passages,
        override_problems: Vec::new(),
        row: None,
    }
}

impl Document {
    /// Applies metadata given for this file ([`Overrides::given_for`]), keeping
    /// any problem with it to report.
    pub fn apply_given(&mut self, given: &Given, problems: Vec<OverrideProblem>) {
        given.apply(&mut self.meta);
        self.override_problems = problems;
    }

    /// The title to show: the extracted one, else the file name.
    pub fn display_title(&self) -> String {
        self.meta
            .title
            .value
            .clone()
            .unwrap_or_else(|| file_title(&self.path).to_string())
    }
}

/// The title shown for a document without one: its file name.
pub fn file_title(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::overrides::GivenValue;

    #[test]
    fn what_is_given_is_part_of_the_fingerprint_but_not_where() {
        let bytes = "关于加快推进县域经济发展的工作方案".as_bytes();
        let year = |value: u16, source: &str| Given {
            year: Some(GivenValue {
                value,
                source: source.into(),
            }),
            ..Given::default()
        };
        assert_eq!(fingerprint(bytes, &Given::default()), content_hash(bytes));
        let given = fingerprint(bytes, &year(2018, "metadata.csv line 2"));
        assert_ne!(given, content_hash(bytes));
        assert_eq!(given, fingerprint(bytes, &year(2018, "a.meta.toml")));
        assert_ne!(
            given,
            fingerprint(bytes, &year(2017, "metadata.csv line 2"))
        );
    }

    #[test]
    fn a_row_filed_under_another_county_says_what_its_text_points_to() {
        use crate::extract::Evidence;
        // Rows 26-30 of 保定市各县政府工作报告_节选.xlsx: 高唐县 reports with 唐县's code.
        let given = || Evidence::given(130627, "row 26, column 区县代码".into());
        let read = |code: u32| Evidence::found(code, 0.95, "高唐 ×24 in text".into());
        let cases: &[(u32, bool)] = &[
            (371526, true),  // 高唐县, 山东 聊城: another county
            (130627, false), // 唐县 itself
            (130600, false), // 保定市, which holds it
        ];
        for &(read_code, conflict) in cases {
            let mut e = given();
            note_region_conflict(&mut e, &read(read_code));
            assert_eq!(e.value, Some(130627), "the given value stands");
            assert_eq!(
                e.evidence.len() == 2,
                conflict,
                "{read_code}: {:?}",
                e.evidence
            );
        }
        let mut e = given();
        note_region_conflict(&mut e, &read(371526));
        assert!(
            e.evidence[1].contains("山东省聊城市高唐县"),
            "{:?}",
            e.evidence
        );
    }

    #[test]
    fn row_paths_name_their_workbook() {
        let cases = [
            ("reports/保定.xlsx#row 3", "reports/保定.xlsx"),
            ("reports/保定.xlsx#Sheet2 row 12", "reports/保定.xlsx"),
            ("documents/00001.txt", "documents/00001.txt"),
            ("a#b/row 3.txt", "a#b/row 3.txt"),
            ("notes#row.txt", "notes#row.txt"),
        ];
        for (path, file) in cases {
            assert_eq!(file_of(path), file, "{path}");
        }
        assert_eq!(cite("documents/00001.txt", 7), "documents/00001.txt#7");
        assert_eq!(cite("保定.xlsx#row 3", 7), "保定.xlsx#row 3, passage 7");
    }
}
