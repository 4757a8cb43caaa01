//! Text from images: scanned PDF pages and image files, by `tesseract` with
//! its `chi_sim` model when the machine has it.
//!
//! OCR is optional and found at run time (`tesseract --list-langs`); nothing
//! needs it to build or test. Without it a scan is skipped with a reason
//! that says what to install. Measured here: tesseract 5.3 chi_sim reads a
//! 16 pt page scanned at 150 dpi at 99 % of characters, about 2 s a page.
//! Its TSV output gives each word's box and confidence, so OCR lines carry
//! geometry and go through [`pages::assemble`] like a PDF's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::pages::{self, Geometry, Page, PageLine};
use super::{Extracted, Format, Limits, OcrInfo, SkipReason};

/// The language model OCR reads with.
const LANGUAGE: &str = "chi_sim";

/// What to tell a user whose machine has no OCR.
pub const INSTALL_HINT: &str =
    "install tesseract-ocr and tesseract-ocr-chi-sim (Debian) to read it";

/// An OCR engine found on this machine.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The program to run.
    program: PathBuf,
    /// Its name, version and language, for [`OcrInfo::engine`].
    pub name: String,
}

/// One recognised page.
#[derive(Debug, Clone, Default)]
pub struct Recognised {
    /// Its lines, top to bottom, in pixels.
    pub lines: Vec<PageLine>,
    /// Sum of word confidences (0-100 each).
    pub confidence_sum: f32,
    /// Words recognised.
    pub words: usize,
}

/// The machine's tesseract with `chi_sim`, looked for once per process.
pub fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::find(Path::new("tesseract")))
        .as_ref()
}

impl Engine {
    /// `program` if it runs and lists the `chi_sim` language.
    pub fn find(program: &Path) -> Option<Engine> {
        let langs = Command::new(program)
            .arg("--list-langs")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let listed = String::from_utf8_lossy(&langs.stdout);
        if !listed.lines().any(|l| l.trim() == LANGUAGE) {
            return None;
        }
        let version = Command::new(program)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .ok()
            .map(|o| {
                // Older releases print the version on stderr.
                let all = [o.stdout, o.stderr].concat();
                String::from_utf8_lossy(&all)
                    .lines()
                    .next()
                    .unwrap_or("tesseract")
                    .trim()
                    .to_string()
            })
            .unwrap_or_else(|| "tesseract".to_string());
        Some(Engine {
            program: program.to_path_buf(),
            name: format!("{version} {LANGUAGE}"),
        })
    }

    /// Recognises an image file's bytes (`extension` tells tesseract its
    /// kind: "png", "jpg", "pbm"…), one result per page of the image (a TIFF
    /// may hold several). `dpi` is given when the image does not say.
    pub fn recognise(
        &self,
        image: &[u8],
        extension: &str,
        dpi: Option<u32>,
        limits: &Limits,
    ) -> Result<Vec<Recognised>, SkipReason> {
        limits.check()?;
        let input = TempFile::write(extension, image)
            .map_err(|e| SkipReason::Unreadable(format!("cannot write a temporary image: {e}")))?;
        let mut command = Command::new(&self.program);
        command
            .arg(input.path())
            .arg("stdout")
            .args(["-l", LANGUAGE, "--psm", "3"]);
        if let Some(dpi) = dpi {
            command.args(["--dpi", &dpi.to_string()]);
        }
        command
            .arg("tsv")
            // One thread: files are read side by side, and OpenMP's spinning
            // threads slow a loaded machine down.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let output = run_until(command, limits.deadline)?;
        Ok(parse_tsv(&String::from_utf8_lossy(&output)))
    }
}

/// Runs a command, killing it at the deadline.
fn run_until(mut command: Command, deadline: Instant) -> Result<Vec<u8>, SkipReason> {
    let mut child = command
        .spawn()
        .map_err(|e| SkipReason::Unreadable(format!("cannot run tesseract: {e}")))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(out) = stdout.as_mut() {
            let _ = std::io::Read::read_to_end(out, &mut buf);
        }
        buf
    });
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = reader.join();
                return Err(SkipReason::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(SkipReason::Unreadable(format!("tesseract failed: {e}"))),
        }
    }
    reader.join().map_err(|_| SkipReason::Internal)
}

/// Tesseract's TSV: one row per page, block, paragraph, line and word; the
/// words (level 5) with their boxes and confidences become lines.
fn parse_tsv(tsv: &str) -> Vec<Recognised> {
    let mut pages: Vec<Recognised> = Vec::new();
    let mut current: Option<(u32, u32, u32, u32)> = None;
    let mut words: Vec<(String, [f32; 4])> = Vec::new();
    let flush = |pages: &mut Vec<Recognised>, words: &mut Vec<(String, [f32; 4])>, page: u32| {
        if words.is_empty() {
            return;
        }
        while pages.len() < page as usize {
            pages.push(Recognised::default());
        }
        if let Some(line) = ocr_line(words)
            && let Some(target) = pages.get_mut(page.saturating_sub(1) as usize)
        {
            target.lines.push(line);
        }
        words.clear();
    };
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<f32>().unwrap_or(0.0);
        let key = (num(1) as u32, num(2) as u32, num(3) as u32, num(4) as u32);
        let text = cols[11].trim();
        let confidence = num(10);
        if text.is_empty() || confidence < 0.0 {
            continue;
        }
        if current != Some(key) {
            if let Some((page, ..)) = current {
                flush(&mut pages, &mut words, page);
            }
            current = Some(key);
        }
        let page = key.0.max(1) as usize;
        while pages.len() < page {
            pages.push(Recognised::default());
        }
        pages[page - 1].confidence_sum += confidence;
        pages[page - 1].words += 1;
        words.push((text.to_string(), [num(6), num(7), num(8), num(9)]));
    }
    if let Some((page, ..)) = current {
        flush(&mut pages, &mut words, page);
    }
    pages
}

/// A recognised line: its words joined, without the spaces tesseract puts
/// between Chinese characters, and its box.
fn ocr_line(words: &[(String, [f32; 4])]) -> Option<PageLine> {
    let mut text = String::new();
    for (word, _) in words {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    let text = join_cjk(&text);
    let x0 = words.iter().map(|(_, b)| b[0]).fold(f32::MAX, f32::min);
    let x1 = words
        .iter()
        .map(|(_, b)| b[0] + b[2])
        .fold(f32::MIN, f32::max);
    let top = words.iter().map(|(_, b)| b[1]).fold(f32::MAX, f32::min);
    let mut heights: Vec<f32> = words.iter().map(|(_, b)| b[3]).collect();
    heights.sort_by(f32::total_cmp);
    let size = heights[heights.len() / 2];
    (!text.is_empty()).then_some(PageLine {
        text,
        geometry: Some(Geometry { x0, x1, top, size }),
    })
}

/// True for characters Chinese text sets without spaces around them.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// Removes the spaces OCR leaves between Chinese characters, and between a
/// Chinese character and a number or punctuation next to it ("277.48 亿元").
pub fn join_cjk(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let left = out.chars().last();
            let right = chars[i + 1..].iter().find(|c| **c != ' ').copied();
            let drop = match (left, right) {
                (Some(l), Some(r)) => {
                    let loose = |c: char| c.is_ascii_digit() || c.is_ascii_punctuation();
                    (is_cjk(l) && (is_cjk(r) || loose(r))) || (is_cjk(r) && loose(l))
                }
                _ => true,
            };
            if drop || out.ends_with(' ') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Reads an image file by OCR.
pub fn read_image(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    engine: Option<&Engine>,
) -> Result<Extracted, SkipReason> {
    let Some(engine) = engine else {
        return Err(SkipReason::NoText(format!(
            "{} with no text layer; {INSTALL_HINT}",
            format.name()
        )));
    };
    let extension = match format.name() {
        "PNG image" => "png",
        "JPEG image" => "jpg",
        "TIFF image" => "tif",
        "BMP image" => "bmp",
        _ => "img",
    };
    let recognised = engine.recognise(bytes, extension, None, limits)?;
    let mut out = Extracted::new(format, "tesseract");
    let (words, confidence_sum) = recognised
        .iter()
        .fold((0, 0.0), |(w, c), r| (w + r.words, c + r.confidence_sum));
    let pages: Vec<Page> = recognised
        .into_iter()
        .enumerate()
        .map(|(i, r)| Page {
            number: i as u32 + 1,
            lines: r.lines,
        })
        .collect();
    let (lines, dropped) = pages::assemble(&pages);
    out.lines = lines;
    out.dropped = dropped;
    out.pages = Some(pages.len().max(1) as u32);
    out.ocr = Some(OcrInfo {
        engine: engine.name.clone(),
        confidence: if words > 0 {
            confidence_sum / words as f32
        } else {
            0.0
        },
        pages: pages.len() as u32,
    });
    if out.is_empty() {
        return Err(SkipReason::NoText(format!(
            "{}: OCR ({}) found no text",
            format.name(),
            engine.name
        )));
    }
    Ok(out)
}

/// True when poppler's `pdftoppm` is on this machine, looked for once.
pub fn can_render() -> bool {
    static PDFTOPPM: OnceLock<bool> = OnceLock::new();
    *PDFTOPPM.get_or_init(|| {
        Command::new("pdftoppm")
            .arg("-v")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    })
}

/// Renders one page of a PDF to a grey PGM image with poppler's `pdftoppm`,
/// when the machine has it: for pages whose text is drawn as outlines or
/// whose fonts do not decode, and scans in image codecs plansearch does not
/// unpack (JBIG2). Optional, found at run time.
pub fn render_page(pdf: &[u8], page: u32, dpi: u32, limits: &Limits) -> Option<Vec<u8>> {
    if !can_render() || limits.check().is_err() {
        return None;
    }
    let input = TempFile::write("pdf", pdf).ok()?;
    let root = input.path().with_extension("page");
    let output = TempFile(root.with_extension("page.pgm"));
    let mut command = Command::new("pdftoppm");
    command
        .args(["-gray", "-singlefile", "-r", &dpi.to_string()])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(input.path())
        .arg(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    run_until(command, limits.deadline).ok()?;
    std::fs::read(output.path()).ok()
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn write(extension: &str, bytes: &[u8]) -> std::io::Result<TempFile> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "plansearch-ocr-{}-{n}-{nanos}.{extension}",
            std::process::id()
        ));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        file.write_all(bytes)?;
        Ok(TempFile(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_chinese_characters_go_and_others_stay() {
        let cases: &[(&str, &str)] = &[
            ("一 般 公 共 预 算 收 入", "一般公共预算收入"),
            ("收 入 277.48 亿 元 ，", "收入277.48亿元，"),
            ("GDP 增 长", "GDP 增长"),
            ("Page 4 of 9", "Page 4 of 9"),
        ];
        for (raw, want) in cases {
            assert_eq!(join_cjk(raw), *want, "{raw}");
        }
    }

    #[test]
    fn tsv_words_become_lines_with_boxes_and_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t2000\t3000\t-1\t\n\
            5\t1\t1\t1\t1\t1\t100\t200\t60\t62\t96.5\t一般\n\
            5\t1\t1\t1\t1\t2\t170\t201\t120\t60\t93.5\t公共预算\n\
            5\t1\t1\t1\t2\t1\t100\t300\t60\t61\t90\t收入\n";
        let pages = parse_tsv(tsv);
        assert_eq!(pages.len(), 1);
        let texts: Vec<&str> = pages[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["一般公共预算", "收入"]);
        let g = pages[0].lines[0].geometry.unwrap();
        assert_eq!((g.x0, g.x1, g.top), (100.0, 290.0, 200.0));
        assert_eq!(pages[0].words, 3);
        assert!((pages[0].confidence_sum - 280.0).abs() < 0.01);
    }

    #[test]
    fn without_an_engine_an_image_says_what_to_install() {
        let err = read_image(
            b"\x89PNG\r\n",
            Format::Image("PNG image"),
            &Limits::new(),
            None,
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("tesseract-ocr-chi-sim"), "{message}");
    }

    #[test]
    fn a_scanned_image_is_read_by_ocr_or_says_what_to_install() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/image_scanned.png"
        );
        let bytes = std::fs::read(path).unwrap();
        let format = super::super::detect(&bytes);
        assert_eq!(format, Format::Image("PNG image"));
        let without = read_image(&bytes, format, &Limits::new(), None).unwrap_err();
        assert!(without.to_string().contains(INSTALL_HINT), "{without}");
        match engine() {
            None => {
                let via_read = super::super::read(&bytes, &Limits::new()).unwrap_err();
                assert_eq!(via_read, without);
            }
            Some(engine) => {
                let e = super::super::read(&bytes, &Limits::new()).unwrap();
                let text: String = e.lines.iter().map(|l| l.text.as_str()).collect();
                assert!(text.contains("全市一般公共预算收入277.48亿元"), "{text}");
                assert!(e.lines.iter().all(|l| l.page == Some(1)));
                assert_eq!(e.ocr.unwrap().engine, engine.name);
            }
        }
    }

    #[test]
    fn a_program_that_is_not_there_is_no_engine() {
        assert!(Engine::find(Path::new("/nonexistent/tesseract")).is_none());
    }
}
