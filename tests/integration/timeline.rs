//! The timeline on a small corpus whose first mentions are known: documents'
//! own years count, not the years they promise; a region whose earliest
//! document is its first mention is marked; regions without a document up to
//! a year are counted.

use plansearch::indexer::build_index;
use plansearch::query::FilterSpec;
use plansearch::timeline::{Level, timeline};

use crate::common::{open, plansearch, stdout, test_config};

/// (file, province, year, text).
const DOCS: &[(&str, &str, u16, &str)] = &[
    // 甘肃 says it first in 2014, in a promise for 2020: the year is 2014.
    (
        "g2014.txt",
        "甘肃",
        2014,
        "到2020年全面推行河长制,落实河湖管护责任。",
    ),
    (
        "g2016.txt",
        "甘肃",
        2016,
        "全面推行河长制,设立省市县乡四级河长。",
    ),
    (
        "g2018.txt",
        "甘肃",
        2018,
        "深化河长制湖长制,开展河湖清四乱专项行动。",
    ),
    // 河南 has a document of 2017 without it, and says it in 2019.
    (
        "h2017.txt",
        "河南",
        2017,
        "新建高标准农田600万亩,推进农业机械化。",
    ),
    (
        "h2019.txt",
        "河南",
        2019,
        "推行河长制,加强黄河流域生态保护。",
    ),
    // 山东's only document says it: censored.
    ("s2020.txt", "山东", 2020, "落实河长制,全面改善水环境质量。"),
    // 四川 never says it.
    (
        "c2015.txt",
        "四川",
        2015,
        "发展特色农业,建设现代农业产业园。",
    ),
];

fn corpus(dir: &std::path::Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(corpus.join("documents")).unwrap();
    let mut meta = String::from("path,province,year\n");
    for (file, province, year, text) in DOCS {
        std::fs::write(
            corpus.join("documents").join(file),
            format!(
                "政府工作报告\n\n各位代表:\n\n{text}\n\n继续做好各项工作,推动经济社会高质量发展。\n"
            ),
        )
        .unwrap();
        meta.push_str(&format!("documents/{file},{province},{year}\n"));
    }
    std::fs::write(corpus.join("metadata.csv"), meta).unwrap();
    corpus
}

#[test]
fn first_mentions_and_the_adoption_curve() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let index = dir.path().join("index");
    build_index(&test_config(&corpus, &index), &mut |_| {}).expect("build");
    let t = timeline(
        &open(&index),
        "河长制",
        &FilterSpec::default(),
        Level::Province,
    )
    .expect("timeline");
    let firsts: Vec<(&str, u16, u16, bool)> = t
        .first_mentions
        .iter()
        .map(|m| {
            (
                m.region.as_str(),
                m.first_year,
                m.earliest_document_year,
                m.censored,
            )
        })
        .collect();
    assert_eq!(
        firsts,
        [
            ("甘肃省", 2014, 2014, true),
            ("河南省", 2019, 2017, false),
            ("山东省", 2020, 2020, true),
        ]
    );
    assert_eq!(t.first_mentions[0].path, "documents/g2014.txt");
    assert_eq!(t.never, ["四川省"]);
    assert_eq!(t.regions, 4);
    let row = |y: u16| t.curve.iter().find(|c| c.year == y).expect("year");
    assert_eq!(t.curve.first().map(|c| c.year), Some(2014));
    assert_eq!(t.curve.last().map(|c| c.year), Some(2020));
    assert_eq!((row(2014).new, row(2014).cumulative), (1, 1));
    assert_eq!(
        row(2014).without_documents,
        3,
        "only 甘肃 has a document by 2014"
    );
    assert_eq!(row(2018).cumulative, 1);
    assert_eq!(row(2018).without_documents, 1, "山东 has none before 2020");
    assert_eq!((row(2019).cumulative, row(2020).cumulative), (2, 3));
    assert_eq!(row(2020).without_documents, 0);

    // The command line: an aligned table with bars, and the CSV.
    let idx = index.to_str().unwrap();
    let out = plansearch(&["timeline", "河长制", "--index", idx]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains('█'), "{text}");
    assert!(
        text.contains("甘肃省") && text.contains("never said: 四川省"),
        "{text}"
    );
    let csv = stdout(&plansearch(&[
        "timeline",
        "河长制",
        "--index",
        idx,
        "--curve-csv",
    ]));
    assert!(csv.contains("2019,1,2,3,1"), "{csv}");
}

#[test]
fn crosstab_counts_passages_by_group_and_instrument() {
    use plansearch::crosstab::{Columns, Rows, crosstab};
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let index = dir.path().join("index");
    build_index(&test_config(&corpus, &index), &mut |_| {}).expect("build");
    let open = open(&index);
    let t = crosstab(
        &open,
        "河长制",
        &FilterSpec::default(),
        Rows::Province,
        Columns::Instrument,
    )
    .expect("crosstab");
    assert_eq!(t.passages, 5);
    // Every passage that says 河长制 sets a rule (法规管制).
    assert_eq!(t.get("甘肃省", "法规管制"), 3);
    assert_eq!(t.get("河南省", "法规管制"), 1);
    assert_eq!(t.row_values[0], "甘肃省", "most passages first");
    let by_year = crosstab(
        &open,
        "河长制",
        &FilterSpec::default(),
        Rows::Year,
        Columns::Category,
    )
    .expect("crosstab");
    assert_eq!(by_year.row_values, ["2014", "2016", "2018", "2019", "2020"]);
    assert_eq!(by_year.get("2016", "环境型"), 1);
    let csv = stdout(&plansearch(&[
        "crosstab",
        "河长制",
        "--index",
        index.to_str().unwrap(),
        "--group-by",
        "province",
        "--by",
        "instrument",
        "--csv",
    ]));
    let header = csv.lines().next().unwrap_or("");
    assert!(
        header.contains("province,人才培养与引进,") && header.ends_with("(none)"),
        "{csv}"
    );
    assert!(csv.contains("甘肃省,"), "{csv}");

    // By year, the columns ascending; each row's total counts a passage once.
    let by_year = crosstab(
        &open,
        "河长制",
        &FilterSpec::default(),
        Rows::Province,
        Columns::Year,
    )
    .expect("crosstab");
    assert_eq!(
        by_year.column_values,
        ["2014", "2016", "2018", "2019", "2020", "(unknown)"]
    );
    assert_eq!(by_year.get("甘肃省", "2016"), 1);
    assert_eq!(by_year.row_totals[0].value, "甘肃省");
    assert_eq!(by_year.row_totals[0].passages, 3);
    assert_eq!(t.column_totals.iter().map(|c| c.passages).max(), Some(5));

    // The terminal: an aligned table with each row's total as a bar, then
    // the columns' totals as bars.
    let out = plansearch(&[
        "crosstab",
        "河长制",
        "--index",
        index.to_str().unwrap(),
        "--group-by",
        "province",
        "--by",
        "instrument",
    ]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
            .sum()
    };
    let table: Vec<&str> = lines[1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.trim_end_matches(|c: char| c == ' ' || ('\u{2580}'..='\u{259F}').contains(&c)))
        .collect();
    assert_eq!(
        table.len(),
        5,
        "header, 甘肃省, 河南省, 山东省, total: {text}"
    );
    assert!(
        table.iter().all(|l| width(l) == width(table[0])),
        "columns not aligned:\n{text}"
    );
    assert!(
        table[1].starts_with("甘肃省") && lines[2].ends_with('█'),
        "{text}"
    );
    assert!(text.contains("passages by instrument"), "{text}");
    let bar = lines
        .iter()
        .find(|l| l.starts_with("法规管制"))
        .unwrap_or_else(|| panic!("no 法规管制 bar: {text}"));
    assert!(bar.contains(" 5 ") && bar.ends_with('█'), "{text}");
}
