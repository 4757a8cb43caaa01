//! Exports: every hit with all its fields, as CSV (UTF-8 with a BOM) and JSON
//! lines, identical to the hits of a search.

use plansearch::export::{
    CSV_COLUMNS, ExportFormat, ExportView, FACET_COLUMNS, GROUP_COLUMNS, export, export_view,
};
use plansearch::search::group::{GroupBy, group};
use plansearch::search::{HitUnit, SearchRequest, search};
use serde_json::Value;

use crate::common::{open, plansearch, shipped_index, stderr, stdout};

fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        ..Default::default()
    }
}

#[test]
fn csv_holds_every_hit_with_all_its_fields() {
    let index = open(shipped_index());
    let mut bytes = Vec::new();
    let n = export(&index, &request("县域经济"), ExportFormat::Csv, &mut bytes).expect("export");
    let hits = search(&index, &request("县域经济")).expect("search").hits;
    assert_eq!(n as usize, hits.len());
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), hits.len());
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    // Rows in rank order, fields as the hits have them (quotes, commas and
    // line breaks in passages survive).
    for (row, hit) in rows.iter().zip(&hits) {
        assert_eq!(&row[col("id")], hit.id);
        assert_eq!(&row[col("text")], hit.text);
        assert_eq!(&row[col("heading")], hit.heading);
    }
    let seed = rows
        .iter()
        .find(|r| {
            &r[col("path")] == "seeds/003_0c8bad910db2f3a0.txt" && &r[col("passage_no")] == "5"
        })
        .expect("seed 003 #5");
    assert_eq!(
        (
            &seed[col("province")],
            &seed[col("city")],
            &seed[col("county")]
        ),
        ("甘肃省", "张掖市", "")
    );
    assert_eq!(&seed[col("year")], "2018");
    assert_eq!(&seed[col("doc_type")], "工作方案");
    assert!(
        seed[col("targets")].contains("农产品加工转化率 ≥65% (2020)"),
        "{}",
        &seed[col("targets")]
    );
    let targets: Value = serde_json::from_str(&seed[col("targets_json")]).expect("targets JSON");
    assert_eq!(targets[2]["value"], 65.0);
}

#[test]
fn jsonl_is_one_hit_a_line_and_by_doc_exports_documents() {
    let index = open(shipped_index());
    let mut bytes = Vec::new();
    let n = export(&index, &request("肉牛"), ExportFormat::Jsonl, &mut bytes).expect("export");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    assert_eq!(lines.len() as u64, n);
    let hits = search(&index, &request("肉牛")).expect("search").hits;
    for (line, hit) in lines.iter().zip(&hits) {
        assert_eq!(line["id"], hit.id);
        assert!(
            line["targets"].is_array() && line["region"].is_object(),
            "{line}"
        );
    }
    let mut by_doc = request("肉牛");
    by_doc.unit = HitUnit::Doc;
    let mut bytes = Vec::new();
    let docs = export(&index, &by_doc, ExportFormat::Jsonl, &mut bytes).expect("export");
    let expected = search(&index, &by_doc).expect("search").total;
    assert_eq!(docs, expected);
    assert!(
        String::from_utf8(bytes)
            .unwrap()
            .contains("\"matching_passages\"")
    );
}

#[test]
fn exports_on_the_command_line() {
    let index = shipped_index().to_str().unwrap().to_string();
    let dir = tempfile::TempDir::new().expect("temp dir");
    let file = dir.path().join("hits.csv");
    let file_arg = file.to_str().unwrap();
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "县域经济",
        "--csv",
        "-o",
        file_arg,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("wrote"), "{}", stderr(&out));
    let bytes = std::fs::read(&file).expect("export file");
    assert!(bytes.starts_with("\u{FEFF}id,path,title,".as_bytes()));
    let out = plansearch(&["search", "--index", &index, "肉牛", "--jsonl", "-n", "2"]);
    assert_eq!(stdout(&out).lines().count(), 2, "--limit applies");
    let bad = plansearch(&["search", "--index", &index, "肉牛", "-o", file_arg]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--csv or --jsonl"),
        "{}",
        stderr(&bad)
    );
    let none = plansearch(&["search", "--index", &index, "不存在的词语组合xyz", "--csv"]);
    assert_eq!(none.status.code(), Some(1));
}

/// A CSV export read back: its header and rows, after checking the BOM.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader.records().map(|r| r.expect("row")).collect();
    (header, rows)
}

#[test]
fn group_by_exports_one_row_a_group_with_its_best_passage() {
    let index = open(shipped_index());
    let view = ExportView::Groups(GroupBy::Province);
    let mut bytes = Vec::new();
    let n = export_view(
        &index,
        &request("冷链物流"),
        view,
        ExportFormat::Csv,
        &mut bytes,
    )
    .expect("export");
    let groups = group(&index, &request("冷链物流"), GroupBy::Province).expect("groups");
    assert_eq!(n as usize, groups.groups.len());
    let (header, rows) = read_csv(&bytes);
    let expected: Vec<&str> = GROUP_COLUMNS.iter().chain(CSV_COLUMNS).copied().collect();
    assert_eq!(header, expected);
    assert_eq!(rows.len(), groups.groups.len());
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    for (row, g) in rows.iter().zip(&groups.groups) {
        assert_eq!(&row[col("group_by")], "province");
        assert_eq!(&row[col("group")], g.key.as_deref().unwrap_or(""));
        assert_eq!(&row[col("label")], g.label);
        assert_eq!(
            row[col("group_passages")].parse::<u64>().unwrap(),
            g.passages
        );
        assert_eq!(&row[col("id")], g.best.id);
        // The best passage in full, as the hit export writes it.
        assert_eq!(&row[col("text")], g.best.text);
        assert_eq!(
            &row[col("province")],
            g.best.region.province.as_deref().unwrap_or("")
        );
    }
    let mut bytes = Vec::new();
    export_view(
        &index,
        &request("冷链物流"),
        view,
        ExportFormat::Jsonl,
        &mut bytes,
    )
    .expect("export");
    let lines: Vec<Value> = String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a group a line"))
        .collect();
    assert_eq!(lines.len(), groups.groups.len());
    assert_eq!(lines[0]["group_by"], "province");
    assert_eq!(lines[0]["passages"], groups.groups[0].passages);
    assert_eq!(lines[0]["best"]["id"], groups.groups[0].best.id);
}

#[test]
fn facet_counts_export_one_row_a_value() {
    let index = open(shipped_index());
    let mut req = request("县域经济");
    let mut bytes = Vec::new();
    let n = export_view(
        &index,
        &req,
        ExportView::Facets,
        ExportFormat::Csv,
        &mut bytes,
    )
    .expect("export");
    req.facet_tree = true;
    let results = search(&index, &req).expect("search");
    let tree = results.facet_tree.expect("tree");
    assert_eq!(n, results.total);
    let (header, rows) = read_csv(&bytes);
    assert_eq!(header, FACET_COLUMNS);
    let find = |facet: &str, value: &str| {
        rows.iter()
            .find(|r| &r[0] == facet && &r[1] == value)
            .unwrap_or_else(|| panic!("{facet} {value}"))
    };
    let total = find("total", "");
    assert_eq!(total[4].parse::<u64>().unwrap(), tree.total.passages);
    // 张掖市 under 甘肃省, at level 2, with the counts of the tree.
    let zhangye = find("region", "甘肃省/张掖市");
    let node = tree
        .region
        .iter()
        .find(|p| p.name == "甘肃省")
        .and_then(|p| p.children.iter().find(|c| c.name == "张掖市"))
        .expect("张掖市");
    assert_eq!((&zhangye[2], &zhangye[3]), ("张掖市", "2"));
    assert_eq!(zhangye[4].parse::<u64>().unwrap(), node.passages);
    assert_eq!(zhangye[5].parse::<u64>().unwrap(), node.documents);
    let years: u64 = rows
        .iter()
        .filter(|r| &r[0] == "year")
        .map(|r| r[4].parse::<u64>().unwrap())
        .sum();
    assert_eq!(years, tree.total.passages, "every passage in one year row");
    assert!(
        rows.iter()
            .any(|r| &r[0] == "doc_type" && &r[1] == "工作方案")
    );
    assert!(rows.iter().any(|r| &r[0] == "targets"));
}

#[test]
fn views_export_on_the_command_line() {
    let index = shipped_index().to_str().unwrap().to_string();
    let dir = tempfile::TempDir::new().expect("temp dir");
    let file = dir.path().join("years.csv");
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "乡村振兴",
        "--group-by",
        "year",
        "--csv",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("groups to"), "{}", stderr(&out));
    let (_, rows) = read_csv(&std::fs::read(&file).unwrap());
    let years: Vec<&str> = rows.iter().map(|r| r.get(1).unwrap()).collect();
    let known: Vec<u32> = years.iter().filter_map(|y| y.parse().ok()).collect();
    assert!(
        known.windows(2).all(|w| w[0] < w[1]),
        "in year order: {years:?}"
    );
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "肉牛",
        "--group-by",
        "region",
        "--jsonl",
        "-n",
        "2",
    ]);
    assert_eq!(stdout(&out).lines().count(), 2, "--limit limits groups");
    let out = plansearch(&["search", "--index", &index, "肉牛", "--facets", "--jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["facet"], "total");
    let both = plansearch(&[
        "search",
        "--index",
        &index,
        "肉牛",
        "--facets",
        "--group-by",
        "year",
        "--csv",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert!(stderr(&both).contains("two views"), "{}", stderr(&both));
}

/// A title or passage a spreadsheet would run as a formula is exported with
/// a leading apostrophe, in the hits and the views; JSON lines stay exact.
#[test]
fn formula_cells_are_exported_as_text() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let title = "=HYPERLINK(\"http://evil.example/\",\"关于印发张掖市肉牛产业发展实施方案的通知\")";
    std::fs::write(
        corpus.join("notice.txt"),
        format!(
            "{title}\n\n-2+3+cmd|' /C calc'!A0 全市肉牛饲养量达到20万头。为加快全市肉牛产业发展，制定本方案。\n"
        ),
    )
    .unwrap();
    let index = dir.path().join("index");
    let index_arg = index.to_str().unwrap();
    let corpus_arg = corpus.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "search", "--corpus", corpus_arg, "--index", index_arg, "肉牛",
        ];
        args.extend_from_slice(extra);
        let out = plansearch(&args);
        assert!(out.status.success(), "{extra:?}: {}", stderr(&out));
        out.stdout
    };
    let (header, rows) = read_csv(&run(&["--csv"]));
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(&rows[0][col("title")], format!("'{title}"));
    assert!(rows[0][col("text")].starts_with("'-2+3+cmd|"), "{rows:?}");
    let (header, rows) = read_csv(&run(&["--csv", "--group-by", "city"]));
    let title_col = header.iter().rposition(|c| c == "title").unwrap();
    assert_eq!(&rows[0][title_col], format!("'{title}"));
    let jsonl = String::from_utf8(run(&["--jsonl"])).unwrap();
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["title"], title);
}
