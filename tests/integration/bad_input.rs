//! Bad input never aborts a batch: each bad file is reported with its path and
//! reason, every good one is indexed and searchable.
//!
//! The small files are in tests/fixtures/bad_input; the 200 MB file, the
//! unreadable file, the symlinks and the non-UTF-8 name are made here.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use plansearch::indexer::open_index;
use plansearch::search::{SearchRequest, search};
use tempfile::TempDir;

use crate::common::{found, plansearch, root, spawn_command};

/// An account without privileges: tests run as root here, and root reads a
/// chmod-000 file, so an unreadable file needs the indexer to run as someone
/// else.
const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Gives a folder tree to [`NOBODY`] (when running as root).
fn give_away(dir: &Path) {
    if !running_as_root() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    }
}

/// `plansearch index` as an unprivileged user; returns exit code and stderr.
fn index_unprivileged(corpus: &Path, index: &Path) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plansearch"));
    command
        .args(["index", "--corpus"])
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .current_dir(root())
        .env("NO_COLOR", "1");
    if running_as_root() {
        command.uid(NOBODY).gid(NOBODY);
    }
    let (status, log) = spawn_command(command).finish();
    (status.code(), log)
}

/// The fixtures plus the bad files made at run time, in a corpus folder.
fn bad_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/bad_input")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    // 200 MB, over the 32 MB limit: real text at the start, the rest sparse,
    // so the test writes little. It must be refused from its size, unread.
    let huge = std::fs::File::create(corpus.join("huge.txt")).unwrap();
    std::io::Write::write_all(
        &mut &huge,
        "全县粮食总产量稳定增长。\n".repeat(1000).as_bytes(),
    )
    .unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();
    std::os::unix::fs::symlink(".", corpus.join("loop")).unwrap();
    std::os::unix::fs::symlink("no-such-target.txt", corpus.join("dangling.txt")).unwrap();
    // 国家.txt in GBK: a name that is not UTF-8.
    std::fs::write(
        corpus.join(OsStr::from_bytes(b"\xb9\xfa\xbc\xd2.txt")),
        "国家级现代农业产业园创建方案\n\n积极创建国家级现代农业产业园。\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("locked.txt"),
        "关于苹果产业发展的调研报告\n\n全县苹果种植面积二十万亩，苹果产业已成为农民增收的主导产业。\n",
    )
    .unwrap();
    corpus
}

#[test]
fn every_kind_of_bad_file_is_reported_and_the_rest_is_indexed() {
    let dir = TempDir::new().unwrap();
    let corpus = bad_corpus(dir.path());
    let index = dir.path().join("index");
    give_away(dir.path());

    let (code, log) = index_unprivileged(&corpus, &index);
    assert_eq!(code, Some(0), "{log}");
    let expected: &[(&str, &str)] = &[
        ("empty.txt", "empty file"),
        ("blank.txt", "empty file"),
        // A PDF is read by its bytes whatever its name; this one is cut short.
        (
            "report.pdf.txt",
            "damaged or truncated file (not a readable PDF",
        ),
        (
            "minutes.docx.txt",
            "damaged or truncated file (zip archive that cannot be opened)",
        ),
        ("huge.txt", "file is 200 MB, over the 32 MB limit"),
        ("loop", "symbolic link loop"),
        ("dangling.txt", "cannot read file"),
        (".txt", "file name is not valid UTF-8; rename it"),
    ];
    for (path, reason) in expected {
        assert!(
            log.lines()
                .any(|l| l.starts_with("  ") && l.contains(path) && l.contains(reason)),
            "{path}: {reason} not reported:\n{log}"
        );
    }
    assert!(
        log.contains(&format!("skipped {} files", expected.len())),
        "{log}"
    );
    assert!(log.contains("10 added"), "{log}");

    // Decoded and searchable, whatever the encoding.
    for (query, path) in [
        ("高原夏菜", "gbk.txt"),
        ("沙棘产业", "gb18030.txt"),
        ("枸杞种植", "utf16le.txt"),
        ("当归种植", "utf16be.txt"),
        // UTF-16 without a byte-order mark, Chinese with few zero bytes.
        ("极不平凡", "utf16le_nobom.txt"),
        ("人参全产业链", "utf16be_nobom.txt"),
        ("花椒矮化密植", "utf8_bom.txt"),
        ("油橄榄修剪", "broken_utf8.txt"),
        ("核桃精深加工", "good.md"),
        ("苹果产业", "locked.txt"),
    ] {
        assert_eq!(found(&index, query), [path], "{query}");
    }
    let open = open_index(&index).unwrap();
    let titled = search(
        &open,
        &SearchRequest {
            query: "花椒".into(),
            limit: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        titled.hits[0].title, "花椒产业提质增效实施方案",
        "no byte-order mark in the title"
    );

    // Now the indexed file becomes unreadable: reported, and what was indexed
    // stays (nothing is lost); the rest of the batch is as it was.
    let locked = corpus.join("locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, log) = index_unprivileged(&corpus, &index);
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.lines().any(|l| l.contains("locked.txt")
            && l.contains("Permission denied")
            && l.contains("the version indexed before is kept")),
        "{log}"
    );
    assert!(
        log.contains("0 added, 0 updated, 0 moved, 0 removed"),
        "{log}"
    );
    assert_eq!(found(&index, "苹果产业"), ["locked.txt"]);
}

/// Short documents are documents: a one-line notice, a title and one
/// sentence, a title given only as page metadata or front matter are indexed
/// and found; a file with no text is "empty", and one with nothing but
/// web-page furniture says so.
#[test]
fn one_line_and_title_only_documents_are_indexed_and_found() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let files: &[(&str, &str)] = &[
        ("notice.txt", "关于印发张掖市肉牛产业发展实施方案的通知"),
        // ../shared/corpus 00003: its title and one sentence.
        (
            "sentence.txt",
            "2026年内蒙古自治区政府工作报告\n\n打造自治区牛羊、玉米、马铃薯、大豆技术创新中心，支持赤峰建设蒙东作物种质资源库。\n",
        ),
        // ../shared/reports r0002, cut to its header: page metadata only.
        ("title_only.txt", "标题：二00二年政府工作报告\n年份：2002\n"),
        (
            "front_matter.md",
            "---\ntitle: 临泽县设施蔬菜产业发展规划\n---\n",
        ),
        // The toolbar of ../shared/corpus 00001, without its article.
        ("toolbar.txt", "下载\n打印\n全屏\n收藏\n"),
        ("punctuation.txt", "。，、\n——\n"),
    ];
    for (name, text) in files {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let index = dir.path().join("index");
    let out = crate::common::plansearch_on(&["index"], &corpus, &index);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("4 added"), "{log}");
    for (query, path) in [
        ("肉牛产业发展实施方案", "notice.txt"),
        ("种质资源库", "sentence.txt"),
        ("政府工作报告", "title_only.txt"),
        ("设施蔬菜", "front_matter.md"),
    ] {
        assert_eq!(found(&index, query), [path], "{query}");
    }
    let reason = |name: &str| {
        log.lines()
            .find(|l| l.starts_with(&format!("  {name}: ")))
            .unwrap_or_else(|| panic!("{name} not reported:\n{log}"))
            .to_string()
    };
    assert!(reason("punctuation.txt").ends_with("empty file"), "{log}");
    let toolbar = reason("toolbar.txt");
    assert!(
        toolbar.contains("web-page furniture") && toolbar.contains("下载"),
        "{toolbar}"
    );
}

#[test]
fn a_corpus_that_does_not_exist_is_an_error_that_says_what_to_do() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    let missing = dir.path().join("reports");
    let out = plansearch(&[
        "index",
        "--corpus",
        missing.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let message = crate::common::stderr(&out);
    assert!(
        message.contains("does not exist; pass --corpus DIR"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
    assert!(!index.exists(), "no index folder made for nothing");
}

#[test]
fn an_index_folder_holding_other_files_is_left_alone() {
    let dir = TempDir::new().unwrap();
    let out = plansearch(&[
        "index",
        "--corpus",
        "tests/fixtures/ranking",
        "--index",
        dir.path().to_str().unwrap(),
    ]);
    // The temp folder is empty: fine. A folder with someone's files is not.
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let mine = TempDir::new().unwrap();
    std::fs::write(mine.path().join("notes.txt"), "my notes").unwrap();
    let out = plansearch(&[
        "index",
        "--corpus",
        "tests/fixtures/ranking",
        "--index",
        mine.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        crate::common::stderr(&out).contains("not a plansearch index"),
        "{}",
        crate::common::stderr(&out)
    );
    assert_eq!(std::fs::read_dir(mine.path()).unwrap().count(), 1);
}
