//! Exports: every hit with all its fields, as CSV (UTF-8 with a BOM) and JSON
//! lines, identical to the hits of a search.

use plansearch::output::export::{CSV_COLUMNS, ExportFormat, export};
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
        assert_eq!(&row[col("passage")], hit.passage);
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
