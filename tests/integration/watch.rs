//! `plansearch index --watch`: files are indexed as they arrive.

use tempfile::TempDir;

use crate::common::{corpus_with, found, shipped_documents, spawn_plansearch};

#[test]
fn watch_indexes_files_as_they_arrive_and_stops_on_ctrl_c() {
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &shipped_documents()[..2]);
    let index = dir.path().join("index");
    let mut watcher = spawn_plansearch(&[
        "index",
        "--watch",
        "--debounce-ms",
        "200",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    watcher.wait_for("watching", 1);
    assert!(found(&index, "藜麦种植").is_empty());

    // A report arrives, in a new folder.
    std::fs::create_dir(corpus.join("2024")).unwrap();
    let report = corpus.join("2024/天祝县藜麦产业报告.txt");
    std::fs::write(
        &report,
        "天祝县藜麦产业发展报告\n\n全县藜麦种植面积达到五万亩，建成藜麦加工企业三家。\n",
    )
    .unwrap();
    watcher.wait_for("added    2024/天祝县藜麦产业报告.txt", 1);
    // The run's summary ends before it waits again.
    watcher.wait_for("watching", watcher.count("watching") + 1);
    assert_eq!(found(&index, "藜麦种植"), ["2024/天祝县藜麦产业报告.txt"]);

    // It is taken away again.
    std::fs::remove_file(&report).unwrap();
    watcher.wait_for("removed  2024/天祝县藜麦产业报告.txt", 1);
    watcher.wait_for("watching", watcher.count("watching") + 1);
    assert!(found(&index, "藜麦种植").is_empty());

    watcher.signal("INT");
    let (status, log) = watcher.finish();
    assert_eq!(status.code(), Some(130), "{log}");
}

/// A rescan opens every folder and the files it fingerprints; inotify reports
/// those opens, and counting them made each run schedule the next (a rescan
/// about once a second on an unchanged corpus). Nothing changes here, so the
/// first run stays the only one however long it waits.
#[test]
fn watch_sleeps_while_the_corpus_does_not_change() {
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &shipped_documents()[..3]);
    std::fs::create_dir(corpus.join("2023")).unwrap();
    std::fs::write(
        corpus.join("2023/民勤县政府工作报告.txt"),
        "民勤县政府工作报告\n\n全县新增高效节水灌溉面积十万亩。\n",
    )
    .unwrap();
    let index = dir.path().join("index");
    let mut watcher = spawn_plansearch(&[
        "index",
        "--watch",
        "--debounce-ms",
        "100",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    watcher.wait_for("watching", 1);
    // Many debounce periods: each would have seen a rescan before.
    std::thread::sleep(std::time::Duration::from_secs(3));
    watcher.signal("INT");
    let (status, log) = watcher.finish();
    assert_eq!(status.code(), Some(130), "{log}");
    assert_eq!(
        (
            log.matches("for changes").count(),
            log.matches("no changes").count()
        ),
        (1, 0),
        "the corpus was rescanned although nothing changed:\n{log}"
    );
}
