//! Draws a fixed sample of passages from the shared corpora for annotation.
//!
//! ```sh
//! cargo run --example sample_passages -- ../shared/corpus ../shared/reports 190 > sample.toml
//! SALT=2 cargo run --example sample_passages -- ../shared/corpus ../shared/reports 190
//! ```
//!
//! `SALT` draws another sample (the second rule-writing part was drawn with
//! `SALT=2`, the third with `SALT=3`, each from files in neither part
//! before it).
//!
//! Only files whose manifest row has `labels = given` are read (withheld
//! files are never annotated). From each chosen file one passage of 30 to 400
//! characters is taken, chosen by a hash of its path, so the sample is the
//! same on every run and no file weighs more than another.

use std::path::Path;

fn given_files(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.csv")) else {
        eprintln!("sample_passages: no manifest.csv in {}", dir.display());
        return Vec::new();
    };
    text.lines()
        .skip(1)
        .filter(|l| l.ends_with(",given"))
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect()
}

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: sample_passages DIR... PER_DIR");
        std::process::exit(2);
    }
    let salt = std::env::var("SALT").unwrap_or_default();
    let per_dir: usize = args[args.len() - 1].parse().unwrap_or(100);
    for dir in &args[..args.len() - 1] {
        let dir = Path::new(dir);
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let mut files = given_files(dir);
        files.sort_by_key(|f| hash(&format!("{salt}{f}")));
        let mut taken = 0;
        for f in files {
            if taken >= per_dir {
                break;
            }
            let Ok(bytes) = std::fs::read(dir.join(&f)) else {
                continue;
            };
            let Ok(doc) = plansearch::document::analyze_bytes(&f, &bytes) else {
                continue;
            };
            let fit: Vec<_> = doc
                .passages
                .iter()
                .map(|(p, _)| p)
                .filter(|p| (30..=400).contains(&p.text.chars().count()))
                .collect();
            if fit.is_empty() {
                continue;
            }
            let p = fit[(hash(&format!("{salt}{f}#")) % fit.len() as u64) as usize];
            println!("[[passage]]");
            println!("source = \"{name}/{f}#{}\"", p.number);
            println!("heading = {:?}", p.heading_path());
            println!("text = {:?}", p.text);
            println!("instruments = []\n");
            taken += 1;
        }
    }
}
