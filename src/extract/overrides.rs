//! Metadata a researcher gives, which wins over extraction.
//!
//! Two places, the more specific winning field by field:
//! - `metadata.csv` at the corpus root: `path` (relative to the root) and any of
//!   `province`, `city`, `county`, `year`, `doc_type`, `title`, and the issue
//!   fields `issuer` (several separated by `;`), `doc_number`, `force`,
//!   `written`, `published`, `adopted`, `effective` (dates as 2019-11-01);
//! - a sidecar beside a file, `NAME.meta.toml` or `NAME.meta.json`, where NAME
//!   is the file's name with or without its extension (`00001.txt.meta.toml`,
//!   `00001.meta.toml`), with the same keys.
//!
//! A value that cannot be used (a region the gazetteer does not know, a year
//! that is not a year, an unknown key or column) is reported with its file and
//! line, never dropped in silence; the file's other values still apply.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Date, DocMeta, DocNumber, DocType, Evidence, Force, Issuer};
use crate::gazetteer::gazetteer;
use crate::read::sheet::SheetColumns;

/// The corpus-level override file, at the corpus root.
pub const METADATA_CSV: &str = "metadata.csv";

/// Sidecar suffixes, in the order they are looked for.
const SIDECAR_SUFFIXES: [&str; 2] = [".meta.toml", ".meta.json"];

/// Years a document can be of.
const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// A problem with an override, for the user to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideProblem {
    /// The override file.
    pub file: String,
    /// 1-based line in it, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for OverrideProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A given value and where it was given ("metadata.csv line 3").
#[derive(Debug, Clone, PartialEq)]
pub struct GivenValue<T> {
    /// The value.
    pub value: T,
    /// Where it was given.
    pub source: String,
}

impl<T> GivenValue<T> {
    fn new(value: T, source: &str) -> Self {
        GivenValue {
            value,
            source: source.to_string(),
        }
    }
}

/// What a researcher gave for one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Given {
    /// Region code, from province / city / county names.
    pub region: Option<GivenValue<u32>>,
    /// Year.
    pub year: Option<GivenValue<u16>>,
    /// Document type.
    pub doc_type: Option<GivenValue<DocType>>,
    /// Title.
    pub title: Option<GivenValue<String>>,
    /// Issuers as written.
    pub issuer: Option<GivenValue<Vec<String>>>,
    /// Document number as written.
    pub doc_number: Option<GivenValue<String>>,
    /// Level of force.
    pub force: Option<GivenValue<Force>>,
    /// Dates, by field name (written, published, adopted, effective).
    pub dates: Vec<(&'static str, GivenValue<Date>)>,
    /// For a spreadsheet: the columns its `[sheet]` table names.
    pub sheet: Option<SheetColumns>,
}

impl Given {
    /// True if nothing is given.
    pub fn is_empty(&self) -> bool {
        self == &Given::default()
    }

    /// The given values as text, for a document's fingerprint: what the index
    /// holds for a file changes when they do; where they were given is
    /// inspect's business only. `None` when nothing is given.
    pub fn fingerprint_text(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let value = |v: Option<String>| v.unwrap_or_default();
        let mut text = format!(
            "region={}\tyear={}\tdoc_type={}\ttitle={}",
            value(self.region.as_ref().map(|g| g.value.to_string())),
            value(self.year.as_ref().map(|g| g.value.to_string())),
            value(self.doc_type.as_ref().map(|g| g.value.label().to_string())),
            value(self.title.as_ref().map(|g| g.value.clone())),
        );
        // Issue fields only when given, so the fingerprints of files given
        // only the older fields stay as they were.
        if let Some(g) = &self.issuer {
            text.push_str(&format!("\tissuer={}", g.value.join(";")));
        }
        if let Some(g) = &self.doc_number {
            text.push_str(&format!("\tdoc_number={}", g.value));
        }
        if let Some(g) = &self.force {
            text.push_str(&format!("\tforce={}", g.value));
        }
        for (name, g) in &self.dates {
            text.push_str(&format!("\t{name}={}", g.value));
        }
        // Only when given, so that the keys of other files stay as they were.
        if let Some(sheet) = &self.sheet {
            text.push_str(&format!("\tsheet={}", sheet.fingerprint_text()));
        }
        Some(text)
    }

    /// Replaces extracted values with given ones, marked as given.
    pub fn apply(&self, meta: &mut DocMeta) {
        fn given<T: Clone>(g: &GivenValue<T>) -> Evidence<T> {
            Evidence::given(g.value.clone(), format!("given in {}", g.source))
        }
        if let Some(g) = &self.region {
            meta.region = given(g);
            meta.national = false;
        }
        if let Some(g) = &self.year {
            meta.year = given(g);
        }
        if let Some(g) = &self.doc_type {
            meta.doc_type = given(g);
        }
        if let Some(g) = &self.title {
            meta.title = given(g);
        }
        let issue = &mut meta.issuance;
        if let Some(g) = &self.issuer {
            let list = g.value.iter().map(|n| Issuer::new(n)).collect();
            issue.issuers = Evidence::given(list, format!("given in {}", g.source));
        }
        if let Some(g) = &self.doc_number {
            let normalised =
                super::issuance::normalise_doc_number(&g.value).unwrap_or_else(|| g.value.clone());
            issue.doc_number = Evidence::given(
                DocNumber {
                    written: g.value.clone(),
                    normalised,
                },
                format!("given in {}", g.source),
            );
        }
        if let Some(g) = &self.force {
            issue.force = given(g);
        }
        for (name, g) in &self.dates {
            let slot = match *name {
                "written" => &mut issue.written,
                "published" => &mut issue.published,
                "adopted" => &mut issue.adopted,
                _ => &mut issue.effective,
            };
            *slot = given(g);
        }
    }

    /// Fields of `other` replace these.
    pub fn overlay(&mut self, other: Given) {
        if other.region.is_some() {
            self.region = other.region;
        }
        if other.year.is_some() {
            self.year = other.year;
        }
        if other.doc_type.is_some() {
            self.doc_type = other.doc_type;
        }
        if other.title.is_some() {
            self.title = other.title;
        }
        if other.issuer.is_some() {
            self.issuer = other.issuer;
        }
        if other.doc_number.is_some() {
            self.doc_number = other.doc_number;
        }
        if other.force.is_some() {
            self.force = other.force;
        }
        for (name, g) in other.dates {
            self.dates.retain(|(n, _)| *n != name);
            self.dates.push((name, g));
        }
        if other.sheet.is_some() {
            self.sheet = other.sheet;
        }
    }
}

/// What is wrong with the header of `metadata.csv`: unknown columns, no
/// `path` column.
fn header_problems(headers: &csv::StringRecord) -> Vec<String> {
    let mut problems = Vec::new();
    let unknown: Vec<&str> = headers.iter().filter(|h| !COLUMNS.contains(h)).collect();
    if !unknown.is_empty() {
        problems.push(format!(
            "unknown column {}; the columns are {}",
            unknown.join(", "),
            COLUMNS.join(", ")
        ));
    }
    if !headers.iter().any(|h| h == "path") {
        problems.push(
            "no `path` column: say which file each row is for, relative to the corpus folder"
                .into(),
        );
    }
    problems
}

/// The fields of one override, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    province: Option<String>,
    city: Option<String>,
    county: Option<String>,
    year: Option<YearField>,
    doc_type: Option<String>,
    title: Option<String>,
    issuer: Option<String>,
    doc_number: Option<String>,
    force: Option<String>,
    written: Option<String>,
    published: Option<String>,
    adopted: Option<String>,
    effective: Option<String>,
    /// A spreadsheet's columns (sidecars only).
    sheet: Option<SheetColumns>,
}

impl Fields {
    /// The fields of a `metadata.csv` row, each from its column.
    fn of_row(column: impl Fn(&str) -> Option<String>) -> Fields {
        Fields {
            province: column("province"),
            city: column("city"),
            county: column("county"),
            year: column("year").map(YearField::Text),
            doc_type: column("doc_type"),
            title: column("title"),
            issuer: column("issuer"),
            doc_number: column("doc_number"),
            force: column("force"),
            written: column("written"),
            published: column("published"),
            adopted: column("adopted"),
            effective: column("effective"),
            sheet: None,
        }
    }
}

/// A year as TOML or JSON may write it: 2018 or "2018".
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum YearField {
    Number(i64),
    Text(String),
}

impl fmt::Display for YearField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearField::Number(n) => write!(f, "{n}"),
            YearField::Text(s) => f.write_str(s),
        }
    }
}

/// The column names of `metadata.csv`.
const COLUMNS: [&str; 14] = [
    "path",
    "province",
    "city",
    "county",
    "year",
    "doc_type",
    "title",
    "issuer",
    "doc_number",
    "force",
    "written",
    "published",
    "adopted",
    "effective",
];

/// The date fields an override can give.
const DATE_FIELDS: [&str; 4] = ["written", "published", "adopted", "effective"];

/// The overrides of a corpus: its `metadata.csv`, and sidecars looked up per file.
#[derive(Debug, Default)]
pub struct Overrides {
    /// Rows of metadata.csv by path relative to the corpus root.
    rows: HashMap<String, Given>,
    /// Problems found in metadata.csv.
    pub problems: Vec<OverrideProblem>,
}

impl Overrides {
    /// Loads `metadata.csv` from the corpus root, if there is one.
    pub fn load(corpus_root: &Path) -> Overrides {
        let path = corpus_root.join(METADATA_CSV);
        match std::fs::read_to_string(&path) {
            // Spreadsheets save UTF-8 with a byte-order mark.
            Ok(text) => Overrides::parse_csv(
                text.strip_prefix('\u{feff}').unwrap_or(&text),
                &path.display().to_string(),
                corpus_root,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Overrides::default(),
            Err(e) => Overrides {
                rows: HashMap::new(),
                problems: vec![OverrideProblem {
                    file: path.display().to_string(),
                    line: None,
                    message: format!("cannot read it ({e}); its overrides are not applied"),
                }],
            },
        }
    }

    /// Loads the `metadata.csv` nearest above `file` (its folder, then each
    /// parent, up to the root of a git repository), and gives the file's path
    /// relative to that folder. For `inspect`, which is given a file and not a
    /// corpus.
    pub fn discover(file: &Path) -> (Overrides, String) {
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let cwd = std::env::current_dir().unwrap_or_default();
        for dir in absolute.ancestors().skip(1) {
            if dir.join(METADATA_CSV).is_file() {
                let rel = absolute
                    .strip_prefix(dir)
                    .map(|r| r.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"))
                    .unwrap_or(file_name);
                // Shown as the user would type it: relative to here when below here.
                let shown = dir.strip_prefix(&cwd).unwrap_or(dir);
                return (Overrides::load(shown), rel);
            }
            // Not above the repository the file is in.
            if dir.join(".git").exists() {
                break;
            }
        }
        (Overrides::default(), file_name)
    }

    fn parse_csv(text: &str, source: &str, corpus_root: &Path) -> Overrides {
        let mut overrides = Overrides::default();
        let problem = |line: Option<usize>, message: String| OverrideProblem {
            file: source.to_string(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                overrides
                    .problems
                    .push(problem(Some(1), format!("unreadable header ({e})")));
                return overrides;
            }
        };
        let header_problems = header_problems(&headers);
        let has_path = headers.iter().any(|h| h == "path");
        overrides.problems.extend(
            header_problems
                .into_iter()
                .map(|message| problem(Some(1), message)),
        );
        if !has_path {
            return overrides;
        }
        let column = |row: &csv::StringRecord, name: &str| -> Option<String> {
            let i = headers.iter().position(|h| h == name)?;
            row.get(i).filter(|v| !v.is_empty()).map(str::to_string)
        };
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for record in reader.records() {
            let row = match record {
                Ok(row) => row,
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    overrides
                        .problems
                        .push(problem(line, format!("unreadable row ({e})")));
                    continue;
                }
            };
            let line = row.position().map_or(0, |p| p.line() as usize);
            let Some(rel) = column(&row, "path").map(|p| normalize_rel(&p)) else {
                overrides
                    .problems
                    .push(problem(Some(line), "row without a path".into()));
                continue;
            };
            if !corpus_root.join(&rel).is_file() {
                overrides.problems.push(problem(
                    Some(line),
                    format!(
                        "no file {rel} in the corpus; give its path relative to the corpus folder"
                    ),
                ));
                continue;
            }
            if let Some(first) = first_line.insert(rel.clone(), line) {
                overrides.problems.push(problem(
                    Some(line),
                    format!("{rel} is listed again (first on line {first}); this row wins"),
                ));
            }
            let fields = Fields::of_row(|name| column(&row, name));
            let where_given = format!("{source} line {line}");
            let (given, problems) = resolve(fields, &where_given, source, |_| Some(line));
            overrides.problems.extend(problems);
            overrides.rows.insert(rel, given);
        }
        overrides
    }

    /// What is given for a file: its `metadata.csv` row, overlaid by its
    /// sidecar, with any problem in the sidecar.
    pub fn given_for(&self, rel: &str, file: &Path) -> (Given, Vec<OverrideProblem>) {
        let mut given = self
            .rows
            .get(&normalize_rel(rel))
            .cloned()
            .unwrap_or_default();
        let mut problems = Vec::new();
        if let Some(sidecar) = sidecar_of(file) {
            let (side, side_problems) = read_sidecar(&sidecar);
            given.overlay(side);
            problems = side_problems;
        }
        (given, problems)
    }
}

/// `./documents/00001.txt` and `documents\00001.txt` are `documents/00001.txt`.
fn normalize_rel(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.trim_start_matches("./").to_string()
}

/// The sidecar of a file, if it has one.
pub fn sidecar_of(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?.to_string_lossy().into_owned();
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
    let dir = file.parent().unwrap_or(Path::new(""));
    std::iter::once(name)
        .chain(stem)
        .flat_map(|base| SIDECAR_SUFFIXES.map(|suffix| dir.join(format!("{base}{suffix}"))))
        .find(|p| p.is_file())
}

fn read_sidecar(path: &Path) -> (Given, Vec<OverrideProblem>) {
    let source = path.display().to_string();
    let problem = |line: Option<usize>, message: String| OverrideProblem {
        file: source.clone(),
        line,
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return (
                Given::default(),
                vec![problem(None, format!("cannot read it ({e})"))],
            );
        }
    };
    let is_json = source.ends_with(".json");
    let parsed: Result<Fields, (Option<usize>, String)> = if is_json {
        serde_json::from_str(&text).map_err(|e| (Some(e.line()), e.to_string()))
    } else {
        toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| line_at(&text, s.start));
            (line, e.message().to_string())
        })
    };
    match parsed {
        Ok(fields) => resolve(fields, &source, &source, |key| {
            let quoted = format!("\"{key}\"");
            text.lines()
                .position(|l| {
                    let l = l.trim_start();
                    l.starts_with(key) || l.starts_with(&quoted)
                })
                .map(|i| i + 1)
        }),
        Err((line, e)) => (
            Given::default(),
            vec![problem(
                line,
                format!(
                    "not a valid {} sidecar ({e}); keys are province, city, county, year, doc_type, title, issuer, doc_number, force, written, published, adopted, effective, and for a spreadsheet a [sheet] table of text, title, region, province, city, county, region_code, year",
                    if is_json { "JSON" } else { "TOML" }
                ),
            )],
        ),
    }
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The region the province, city and county columns name together, or the
/// problem with it (keyed by the deepest column given); `None` when none is.
fn region_of(fields: &Fields) -> Option<Result<u32, (&'static str, String)>> {
    let names: Vec<(&'static str, &str)> = [
        ("province", &fields.province),
        ("city", &fields.city),
        ("county", &fields.county),
    ]
    .into_iter()
    .filter_map(|(key, v)| Some((key, v.as_deref()?.trim())))
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let &(deepest, _) = names.last()?;
    let path: Vec<&str> = names.iter().map(|(_, v)| *v).collect();
    Some(
        gazetteer()
            .resolve(&path.join("/"))
            .map_err(|e| (deepest, format!("{e}; the region is not overridden"))),
    )
}

/// A given year, if it is one the corpus can hold.
fn year_of(year: &YearField) -> Result<u16, String> {
    let text = year.to_string();
    match text.trim().parse::<u16>() {
        Ok(y) if YEARS.contains(&y) => Ok(y),
        _ => Err(format!(
            "year {text:?} is not a year between {} and {}; write it as digits, e.g. 2018",
            YEARS.start(),
            YEARS.end()
        )),
    }
}

/// Issuers written one after another, separated by semicolons.
fn issuers_of(text: &str) -> Vec<String> {
    text.split([';', '；'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks and resolves written fields; `line_of` finds the line of a key.
fn resolve(
    fields: Fields,
    where_given: &str,
    file: &str,
    line_of: impl Fn(&str) -> Option<usize>,
) -> (Given, Vec<OverrideProblem>) {
    let mut given = Given::default();
    let mut problems = Vec::new();
    let mut problem = |key: &str, message: String| {
        problems.push(OverrideProblem {
            file: file.to_string(),
            line: line_of(key),
            message,
        });
    };
    match region_of(&fields) {
        Some(Ok(code)) => given.region = Some(GivenValue::new(code, where_given)),
        Some(Err((key, message))) => problem(key, message),
        None => {}
    }
    if let Some(year) = &fields.year {
        match year_of(year) {
            Ok(y) => given.year = Some(GivenValue::new(y, where_given)),
            Err(message) => problem("year", message),
        }
    }
    if let Some(t) = &fields.doc_type {
        match t.parse::<DocType>() {
            Ok(dt) => given.doc_type = Some(GivenValue::new(dt, where_given)),
            Err(e) => problem("doc_type", e),
        }
    }
    if let Some(t) = fields.title.filter(|t| !t.trim().is_empty()) {
        given.title = Some(GivenValue::new(t.trim().to_string(), where_given));
    }
    if let Some(t) = fields.issuer.filter(|t| !t.trim().is_empty()) {
        given.issuer = Some(GivenValue::new(issuers_of(&t), where_given));
    }
    if let Some(t) = fields.doc_number.filter(|t| !t.trim().is_empty()) {
        if super::issuance::normalise_doc_number(&t).is_none() {
            problem(
                "doc_number",
                format!(
                    "{t:?} is not a document number like 鲁政发〔2021〕5号; it is kept as written"
                ),
            );
        }
        given.doc_number = Some(GivenValue::new(t.trim().to_string(), where_given));
    }
    if let Some(t) = &fields.force {
        match t.parse::<Force>() {
            Ok(f) => given.force = Some(GivenValue::new(f, where_given)),
            Err(e) => problem("force", e),
        }
    }
    for (name, value) in DATE_FIELDS.into_iter().zip([
        &fields.written,
        &fields.published,
        &fields.adopted,
        &fields.effective,
    ]) {
        if let Some(t) = value.as_deref().filter(|t| !t.trim().is_empty()) {
            match t.parse::<Date>() {
                Ok(d) => given.dates.push((name, GivenValue::new(d, where_given))),
                Err(e) => problem(name, format!("{e}; the {name} date is not overridden")),
            }
        }
    }
    given.sheet = fields.sheet;
    (given, problems)
}

/// What one row of a spreadsheet says of its report, as written in its cells.
#[derive(Debug, Clone, Default)]
pub struct RowValues {
    /// Province name.
    pub province: Option<String>,
    /// City name.
    pub city: Option<String>,
    /// County name.
    pub county: Option<String>,
    /// A region name at any level, used when no province/city/county is given.
    pub region: Option<String>,
    /// A region code, which wins over names when the gazetteer knows it.
    pub region_code: Option<String>,
    /// The year.
    pub year: Option<String>,
    /// The title.
    pub title: Option<String>,
}

/// A spreadsheet row's values as given metadata (its own columns are the
/// researcher's word for it, like a sidecar), with a problem for each value
/// that cannot be used; `where_given` is "reports.xlsx row 3".
pub fn given_from_row(
    mut values: RowValues,
    where_given: &str,
    file: &str,
) -> (Given, Vec<OverrideProblem>) {
    // A region column of digits holds codes.
    if values.region_code.is_none()
        && values
            .region
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty() && r.trim().bytes().all(|b| b.is_ascii_digit()))
    {
        values.region_code = values.region.take();
    }
    let code = values
        .region_code
        .as_deref()
        .and_then(|c| c.trim().parse::<u32>().ok())
        .filter(|c| gazetteer().region(*c).is_some());
    let (county, city, province) =
        if values.county.is_none() && values.city.is_none() && values.province.is_none() {
            (values.region, None, None)
        } else {
            (values.county, values.city, values.province)
        };
    let fields = Fields {
        province: if code.is_some() { None } else { province },
        city: if code.is_some() { None } else { city },
        county: if code.is_some() { None } else { county },
        year: values
            .year
            .filter(|y| !y.trim().is_empty())
            .map(YearField::Text),
        doc_type: None,
        title: values.title,
        issuer: None,
        doc_number: None,
        force: None,
        written: None,
        published: None,
        adopted: None,
        effective: None,
        sheet: None,
    };
    let (mut given, problems) = resolve(fields, where_given, file, |_| None);
    if let Some(code) = code {
        given.region = Some(GivenValue::new(code, where_given));
    }
    (given, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::TempDir::new().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const SEED_003: &str = "市委发〔2018〕10号\n中共张掖市委 张掖市人民政府\n2018年2月8日\n关于加快推进县域经济发展的工作方案\n到2020年,全市县域经济体实现生产总值480亿元以上。";

    #[test]
    fn csv_rows_resolve_names_the_way_users_write_them() {
        // Saved by a spreadsheet: with a byte-order mark.
        let dir = corpus_with(&[
            ("a.txt", SEED_003),
            ("sub/b.txt", SEED_003),
            (
                METADATA_CSV,
                "\u{feff}path,province,city,county,year,doc_type,title\na.txt,甘肃,张掖,临泽,2019,规划,临泽县规划\n./sub/b.txt,,,郫县,,,\n",
            ),
        ]);
        let o = Overrides::load(dir.path());
        assert!(o.problems.is_empty(), "{:?}", o.problems);
        let (a, _) = o.given_for("a.txt", &dir.path().join("a.txt"));
        let g = gazetteer();
        assert_eq!(
            g.facet_path(a.region.unwrap().value),
            "/甘肃省/张掖市/临泽县"
        );
        assert_eq!(a.year.as_ref().unwrap().value, 2019);
        assert_eq!(
            a.year.unwrap().source,
            format!("{} line 2", dir.path().join(METADATA_CSV).display())
        );
        assert_eq!(a.doc_type.unwrap().value, DocType::Plan);
        assert_eq!(a.title.unwrap().value, "临泽县规划");
        let (b, _) = o.given_for("sub/b.txt", &dir.path().join("sub/b.txt"));
        assert_eq!(
            g.facet_path(b.region.unwrap().value),
            "/四川省/成都市/郫都区"
        );
        assert!(b.year.is_none() && b.doc_type.is_none() && b.title.is_none());
    }

    #[test]
    fn bad_values_are_reported_with_file_and_line() {
        let dir = corpus_with(&[
            ("a.txt", SEED_003),
            ("b.txt", SEED_003),
            (
                METADATA_CSV,
                "path,province,year,doc_typ\na.txt,火星,2018,\nb.txt,甘肃,二〇一八,\nc.txt,甘肃,2018,\n",
            ),
        ]);
        let o = Overrides::load(dir.path());
        let shown: Vec<String> = o.problems.iter().map(|p| p.to_string()).collect();
        let csv = dir.path().join(METADATA_CSV).display().to_string();
        for expected in [
            "1: unknown column doc_typ",
            "2: unknown region \"火星\"",
            "3: year \"二〇一八\"",
            "4: no file c.txt",
        ] {
            let prefix = format!("{csv}:{expected}");
            assert!(
                shown.iter().any(|p| p.starts_with(&prefix)),
                "{prefix}: {shown:?}"
            );
        }
        // What could be used still is: a's year, b's province.
        let (a, _) = o.given_for("a.txt", &dir.path().join("a.txt"));
        assert_eq!(a.year.unwrap().value, 2018);
        assert!(a.region.is_none());
        let (b, _) = o.given_for("b.txt", &dir.path().join("b.txt"));
        assert!(b.region.is_some() && b.year.is_none());
    }

    #[test]
    fn a_sidecar_wins_over_the_csv_field_by_field() {
        let dir = corpus_with(&[
            ("a.txt", SEED_003),
            (
                "a.txt.meta.toml",
                "# corrected by hand\nyear = 2017\ncounty = \"肃南县\"\n",
            ),
            ("b.txt", SEED_003),
            (
                "b.meta.json",
                "{\"province\": \"甘肃省\", \"year\": \"2016\"}",
            ),
            (METADATA_CSV, "path,year,doc_type\na.txt,2019,工作方案\n"),
        ]);
        let o = Overrides::load(dir.path());
        let (a, problems) = o.given_for("a.txt", &dir.path().join("a.txt"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(a.year.as_ref().unwrap().value, 2017);
        assert!(a.year.unwrap().source.ends_with("a.txt.meta.toml"));
        assert_eq!(a.doc_type.unwrap().value, DocType::WorkProgramme);
        assert_eq!(
            gazetteer().facet_path(a.region.unwrap().value),
            "/甘肃省/张掖市/肃南裕固族自治县"
        );
        let (b, problems) = o.given_for("b.txt", &dir.path().join("b.txt"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(b.year.unwrap().value, 2016);
    }

    #[test]
    fn sidecar_problems_name_the_line() {
        let dir = corpus_with(&[
            ("a.txt", SEED_003),
            (
                "a.meta.toml",
                "province = \"甘肃省\"\nyear = 18\ncity = \"兰州\"\n",
            ),
            ("b.txt", SEED_003),
            ("b.meta.toml", "provice = \"甘肃省\"\n"),
        ]);
        let o = Overrides::load(dir.path());
        let (a, problems) = o.given_for("a.txt", &dir.path().join("a.txt"));
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            shown
                .iter()
                .any(|p| p.contains("a.meta.toml:2: year \"18\"")),
            "{shown:?}"
        );
        // 甘肃省/兰州 is a valid pair, so the region stands.
        assert_eq!(
            gazetteer().facet_path(a.region.unwrap().value),
            "/甘肃省/兰州市"
        );
        let (b, problems) = o.given_for("b.txt", &dir.path().join("b.txt"));
        assert!(b.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .contains("b.meta.toml:1: not a valid TOML sidecar"),
            "{problems:?}"
        );
        assert!(problems[0].message.contains("provice"), "{problems:?}");
    }

    #[test]
    fn given_values_replace_extraction_and_say_so() {
        let cleaned = crate::corpus::clean(SEED_003);
        let mut meta = super::super::extract_document(&cleaned, &Default::default());
        assert_eq!(meta.year.value, Some(2018));
        let given = Given {
            year: Some(GivenValue {
                value: 2017,
                source: "metadata.csv line 2".into(),
            }),
            ..Default::default()
        };
        given.apply(&mut meta);
        assert_eq!(meta.year.value, Some(2017));
        assert!(meta.year.given);
        assert_eq!(meta.year.evidence, ["given in metadata.csv line 2"]);
        assert!(!meta.region.given);
    }
}
