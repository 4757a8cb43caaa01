//! Spreadsheets of collected reports (.xlsx, .xls, .ods): one report a row,
//! read with calamine as a table of cell texts under a header row.
//!
//! Which column is the text, the title, the region and the year is told by the
//! headers, matched against `data/sheets/columns.toml` (with its evidence), or
//! named by the researcher in the file's sidecar (`[sheet]` table of
//! `NAME.xlsx.meta.toml`). A sheet whose text column is found neither way is
//! skipped with what to write; guessing the longest column would index
//! counts and codes as reports.

use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{Data, Ods, Reader, Xls, Xlsx};
use serde::{Deserialize, Serialize};

use super::{Format, Limits, SkipReason, archive};

/// A column's part in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The full text.
    Text,
    /// The title.
    Title,
    /// The year it is of.
    Year,
    /// A region code (GB/T 2260), e.g. 130607.
    RegionCode,
    /// County name.
    County,
    /// City name.
    City,
    /// Province name.
    Province,
    /// A region named in one cell, at any level.
    Region,
}

impl Role {
    /// The key naming it in a sidecar's `[sheet]` table.
    pub fn key(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Title => "title",
            Role::Year => "year",
            Role::RegionCode => "region_code",
            Role::County => "county",
            Role::City => "city",
            Role::Province => "province",
            Role::Region => "region",
        }
    }
}

/// Columns named by a researcher in a sidecar's `[sheet]` table, by header
/// text (or column letter: "H").
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetColumns {
    /// The column of full texts.
    pub text: Option<String>,
    /// The title column.
    pub title: Option<String>,
    /// A region column, a name at any level.
    pub region: Option<String>,
    /// The province column.
    pub province: Option<String>,
    /// The city column.
    pub city: Option<String>,
    /// The county column.
    pub county: Option<String>,
    /// A region code column.
    pub region_code: Option<String>,
    /// The year column.
    pub year: Option<String>,
}

impl SheetColumns {
    fn named(&self) -> Vec<(Role, &str)> {
        [
            (Role::Text, &self.text),
            (Role::Title, &self.title),
            (Role::Year, &self.year),
            (Role::RegionCode, &self.region_code),
            (Role::County, &self.county),
            (Role::City, &self.city),
            (Role::Province, &self.province),
            (Role::Region, &self.region),
        ]
        .into_iter()
        .filter_map(|(role, name)| Some((role, name.as_deref()?.trim())))
        .filter(|(_, name)| !name.is_empty())
        .collect()
    }

    /// The columns as text, for the file's fingerprint.
    pub fn fingerprint_text(&self) -> String {
        self.named()
            .iter()
            .map(|(role, name)| format!("{}={name}", role.key()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Debug, Deserialize)]
struct RoleRule {
    name: Role,
    exact: Vec<String>,
    contains: Vec<String>,
    not: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RuleFile {
    role: Vec<RoleRule>,
}

fn rules() -> &'static [RoleRule] {
    static RULES: OnceLock<Vec<RoleRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let file: RuleFile = toml::from_str(include_str!("../../data/sheets/columns.toml"))
            .expect("data/sheets/columns.toml parses");
        file.role
    })
}

/// Each column's role, told by the headers: `(role, column index)`, in the
/// order of `data/sheets/columns.toml`.
pub fn detect_columns(headers: &[String]) -> Vec<(Role, usize)> {
    let mut out: Vec<(Role, usize)> = Vec::new();
    let norm: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    for rule in rules() {
        let free = |i: &usize| !out.iter().any(|(_, taken)| taken == i);
        let exact = (0..norm.len())
            .filter(free)
            .find(|&i| rule.exact.contains(&norm[i]));
        let contains = || {
            (0..norm.len()).filter(free).find(|&i| {
                rule.contains.iter().any(|c| norm[i].contains(c.as_str()))
                    && !rule.not.iter().any(|n| norm[i].contains(n.as_str()))
            })
        };
        if let Some(i) = exact.or_else(contains) {
            out.push((rule.name, i));
        }
    }
    out
}

/// The column a sidecar names: a header (ignoring case and spaces around
/// it) or a column letter.
fn find_named(headers: &[String], name: &str) -> Option<usize> {
    let want = name.trim().to_lowercase();
    if let Some(i) = headers.iter().position(|h| h.trim().to_lowercase() == want) {
        return Some(i);
    }
    let letters = name.trim();
    if !letters.is_empty() && letters.len() <= 3 && letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        let index = letters
            .to_ascii_uppercase()
            .bytes()
            .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
        return Some(index - 1).filter(|&i| i < headers.len());
    }
    None
}

/// One sheet of a workbook: its header row and the rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Its name in the workbook.
    pub name: String,
    /// The header cells.
    pub headers: Vec<String>,
    /// The 1-based spreadsheet row number of each row, and its cells.
    pub rows: Vec<(u32, Vec<String>)>,
}

/// The columns a sheet's rows are read by.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// `(role, column index)`.
    pub columns: Vec<(Role, usize)>,
    /// Where they came from: "headers (data/sheets/columns.toml)" or the sidecar.
    pub from: String,
}

impl Mapping {
    /// The column of `role`.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.columns
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, i)| *i)
    }
}

/// How a sheet's columns are read: what the sidecar names, else what the
/// headers tell. A sidecar naming a column the sheet lacks, or no text column
/// at all, is [`SkipReason::NeedsMapping`] saying what to write.
pub fn mapping(
    sheet: &Sheet,
    given: Option<&SheetColumns>,
    file_name: &str,
) -> Result<Mapping, SkipReason> {
    let headers = sheet.headers.join(" | ");
    if let Some(given) = given {
        let mut columns = Vec::new();
        for (role, name) in given.named() {
            match find_named(&sheet.headers, name) {
                Some(i) => columns.push((role, i)),
                None => {
                    return Err(SkipReason::NeedsMapping(format!(
                        "sheet {:?} has no column {name:?} (named as {} in the sidecar's [sheet] table); its headers are: {headers}",
                        sheet.name,
                        role.key()
                    )));
                }
            }
        }
        if columns.iter().any(|(r, _)| *r == Role::Text) {
            return Ok(Mapping {
                columns,
                from: format!("[sheet] of {file_name}.meta.toml"),
            });
        }
    }
    let columns = detect_columns(&sheet.headers);
    if columns.iter().any(|(r, _)| *r == Role::Text) {
        return Ok(Mapping {
            columns,
            from: "headers (data/sheets/columns.toml)".into(),
        });
    }
    Err(SkipReason::NeedsMapping(format!(
        "no column of full texts found in sheet {:?} (headers: {headers}); add a sidecar {file_name}.meta.toml with a [sheet] table naming the columns, e.g. [sheet] text = \"…\", title = \"…\", region = \"…\", year = \"…\"",
        sheet.name
    )))
}

/// True for the formats read here.
pub fn is_sheet(format: Format) -> bool {
    matches!(format, Format::Xlsx | Format::Xls | Format::Ods)
}

/// Reads every sheet of a workbook that has a header row and rows under it.
pub fn read_sheets(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Vec<Sheet>, SkipReason> {
    if matches!(format, Format::Xlsx | Format::Ods) {
        let mut zip = archive::Archive::open(bytes, limits)?;
        let declared = zip.declared_size();
        if declared > limits.max_inflated {
            return Err(SkipReason::Corrupt(format!(
                "the workbook says it inflates to {declared} bytes, past the cap of {}",
                limits.max_inflated
            )));
        }
    }
    // calamine is a parser of untrusted bytes: a bug in it must cost this
    // file only.
    let read = std::panic::catch_unwind(|| match format {
        Format::Xlsx => read_with::<Xlsx<_>>(bytes, limits),
        Format::Xls => read_with::<Xls<_>>(bytes, limits),
        _ => read_with::<Ods<_>>(bytes, limits),
    });
    let sheets = read.unwrap_or_else(|_| {
        Err(SkipReason::Corrupt(format!(
            "the {} reader failed on this workbook",
            format.name()
        )))
    })?;
    limits.check()?;
    Ok(sheets)
}

fn read_with<R>(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, SkipReason>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let mut book = calamine::open_workbook_from_rs::<R, _>(Cursor::new(bytes.to_vec()))
        .map_err(|e| workbook_error(&e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        limits.check()?;
        let range = book
            .worksheet_range(&name)
            .map_err(|e| workbook_error(&format!("sheet {name:?}: {e}")))?;
        let first_row = range.start().map_or(0, |(row, _)| row);
        let mut rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                (
                    first_row + i as u32 + 1,
                    cells.iter().map(cell_text).collect(),
                )
            })
            .filter(|(_, cells): &(u32, Vec<String>)| cells.iter().any(|c| !c.is_empty()));
        let Some((_, headers)) = rows.next() else {
            continue;
        };
        let rows: Vec<(u32, Vec<String>)> = rows.collect();
        if !rows.is_empty() {
            sheets.push(Sheet {
                name,
                headers,
                rows,
            });
        }
    }
    Ok(sheets)
}

/// A reader's error as a skip reason: a password is [`SkipReason::Encrypted`].
fn workbook_error(message: &str) -> SkipReason {
    if message.to_lowercase().contains("password") {
        SkipReason::Encrypted(format!("a workbook protected with a password ({message})"))
    } else {
        SkipReason::Corrupt(format!("workbook: {message}"))
    }
}

/// A cell as text: whole numbers without ".0" (years, region codes).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string().trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header row of ../shared/formats/保定市各县政府工作报告_节选.xlsx.
    const BAODING: [&str; 12] = [
        "年份",
        "地区等级",
        "区县代码",
        "区县名称",
        "所属城市",
        "所属省份",
        "报告标题",
        "报告全文",
        "文本总长度(字)",
        "仅中英文-文本总长度(字)",
        "文本总词频-全模式(个)",
        "文本总词频-精确模式(个)",
    ];

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_of_real_and_usual_header_rows() {
        use Role::*;
        type Case<'a> = (&'a [&'a str], &'a [(Role, usize)]);
        let cases: &[Case] = &[
            (
                &BAODING,
                &[
                    (Text, 7),
                    (Title, 6),
                    (Year, 0),
                    (RegionCode, 2),
                    (County, 3),
                    (City, 4),
                    (Province, 5),
                ],
            ),
            (
                &["标题", "地区", "年度", "正文"],
                &[(Text, 3), (Title, 0), (Year, 2), (Region, 1)],
            ),
            (
                &["Title", "Year", "Province", "Full text"],
                &[(Text, 3), (Title, 0), (Year, 1), (Province, 2)],
            ),
            (
                &["题目", "内容", "省", "市", "县"],
                &[(Text, 1), (Title, 0), (County, 4), (City, 3), (Province, 2)],
            ),
            // Counts of text are not text; a level is not a region.
            (&["地区等级", "文本总长度(字)", "名称"], &[(Title, 2)]),
        ];
        for (row, want) in cases {
            assert_eq!(detect_columns(&headers(row)), *want, "{row:?}");
        }
    }

    #[test]
    fn a_sidecar_names_columns_by_header_or_letter() {
        let sheet = Sheet {
            name: "Sheet1".into(),
            headers: headers(&["篇名", "地方", "年", "文字"]),
            rows: vec![],
        };
        let missing = mapping(&sheet, None, "a.xlsx").unwrap_err().to_string();
        assert!(missing.contains("a.xlsx.meta.toml"), "{missing}");
        assert!(missing.contains("[sheet]"), "{missing}");
        let given = SheetColumns {
            text: Some("D".into()),
            title: Some("篇名".into()),
            region: Some("地方".into()),
            ..SheetColumns::default()
        };
        let m = mapping(&sheet, Some(&given), "a.xlsx").unwrap();
        assert_eq!(m.column(Role::Text), Some(3));
        assert_eq!(m.column(Role::Title), Some(0));
        assert_eq!(m.column(Role::Region), Some(1));
        let wrong = SheetColumns {
            text: Some("全文".into()),
            ..SheetColumns::default()
        };
        let e = mapping(&sheet, Some(&wrong), "a.xlsx")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column \"全文\""), "{e}");
    }

    #[test]
    fn xlsx_and_ods_of_the_same_rows_read_alike() {
        let read = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/formats/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let bytes = std::fs::read(path).unwrap();
            read_sheets(&bytes, super::super::detect(&bytes), &Limits::new()).unwrap()
        };
        let xlsx = read("sheet_reports.xlsx");
        let ods = read("sheet_reports.ods");
        assert_eq!(xlsx, ods);
        assert_eq!(xlsx.len(), 1);
        assert_eq!(xlsx[0].headers, headers(&BAODING));
        let rows: Vec<(u32, &str, &str)> = xlsx[0]
            .rows
            .iter()
            .map(|(n, cells)| (*n, cells[0].as_str(), cells[2].as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (2, "2021", "130607"),
                (3, "2010", "130609"),
                (4, "2017", "130633")
            ]
        );
    }

    #[test]
    fn damaged_workbooks_are_skipped_with_their_reason() {
        let e = read_sheets(b"PK\x03\x04broken", Format::Xlsx, &Limits::new()).unwrap_err();
        assert!(matches!(e, SkipReason::Corrupt(_)), "{e}");
        let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
        let truncated = std::fs::read(format!("{dir}/formats_bad/sheet_truncated.xlsx")).unwrap();
        let e = read_sheets(&truncated, Format::Xlsx, &Limits::new()).unwrap_err();
        assert!(e.to_string().contains("workbook: sheet"), "{e}");
        // What the zip declares is weighed before calamine inflates it.
        let good = std::fs::read(format!("{dir}/formats/sheet_reports.xlsx")).unwrap();
        let tight = Limits {
            max_inflated: 4096,
            ..Limits::new()
        };
        let e = read_sheets(&good, Format::Xlsx, &tight).unwrap_err();
        assert!(e.to_string().contains("past the cap"), "{e}");
    }
}
