//! Ranking evaluation: plansearch's top 10 against passages graded by hand.
//!
//! ```sh
//! cargo run --release --example eval_ranking -- ../shared
//! cargo run --release --example eval_ranking -- ../shared --unjudged > new.toml
//! cargo run --release --example eval_ranking -- ../shared --unjudged --depth 20 > new.toml
//! cargo run --release --example eval_ranking -- ../shared \
//!     --questions held/questions.toml --grades held/grades.toml
//! ```
//!
//! SHARED is the folder that holds `corpus/` and `reports/`. The evaluation
//! root is a folder of two links to them (`target/judged/root`), so hit paths
//! read `corpus/00044.txt` and `reports/r0123.md` as the grades name them; the
//! index over it (`target/judged/index`) is brought up to date incrementally
//! on every run, which takes a second when nothing changed.
//!
//! Every question of `--questions` is searched as the CLI searches it
//! (passages, default ranking, inline filters in the query, limit 10). A hit
//! takes the grade of a judged passage of its question when it is in the
//! same file and its text, folded and without whitespace, contains the
//! judged substring likewise normalised — the judgments are keyed by text,
//! not passage number, so they stay valid when passage splitting changes.
//! Grading rules: `docs/judging.md`.
//!
//! Per question and overall (mean over questions) it prints:
//! - **P@10**: top-10 hits graded ≥ 1, over 10;
//! - **strict P@10**: top-10 hits graded 2, over 10;
//! - **nDCG@10**: gain 2^g − 1, discount log2(rank + 1); the ideal ordering
//!   is that of all passages judged for the question;
//! - **docs**, **regions**: distinct documents and regions (province, city,
//!   county as the hit shows them; a hit without any counts as one region)
//!   among the top 10;
//! - **unjudged**: top-10 hits no judgment matches. They count as grade 0
//!   and are listed; `--unjudged` prints them as `[[grade]]` stubs to fill in.
//!   `--depth N` makes it print the unjudged hits of the top N instead, so
//!   that a judge can grade ahead of the next ranking change; the figures
//!   stay at 10.
//!
//! Exits 0 when the issue's goals hold (strict P@10 ≥ 0.60, nDCG@10 ≥ 0.90,
//! ≥ 8 distinct documents on average) and no top-10 hit is unjudged, 1 when
//! not, 2 on an error.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;
use plansearch::eval::{Oracle, normalize};
use plansearch::indexer::{IndexConfig, OpenIndex, build_index, open_index};
use plansearch::search::{Hit, HitUnit, SearchRequest, search};
use plansearch::service;
use serde::{Deserialize, Serialize};

/// Hits judged per question: the issue's measures are all "@10".
const DEPTH: usize = 10;
/// The issue's goals, met on average over the questions.
const GOAL_STRICT_P10: f64 = 0.60;
const GOAL_NDCG10: f64 = 0.90;
const GOAL_DOCS: f64 = 8.0;

#[derive(Parser)]
struct Args {
    /// Folder that holds corpus/ and reports/.
    #[arg(default_value = "../shared")]
    shared: PathBuf,
    /// Questions (`[[question]]` id, query, need).
    #[arg(long, default_value = "tests/fixtures/judged/questions.toml")]
    questions: PathBuf,
    /// Graded passages (`[[grade]]` question, file, text, grade).
    #[arg(long, default_value = "tests/fixtures/judged/grades.toml")]
    grades: PathBuf,
    /// Evaluation root to make (links to SHARED/corpus and SHARED/reports).
    #[arg(long, default_value = "target/judged/root")]
    root: PathBuf,
    /// Index over the evaluation root, updated incrementally.
    #[arg(long, default_value = "target/judged/index")]
    index: PathBuf,
    /// Threads for indexing (and for `--check`).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Print the unjudged top-10 hits as `[[grade]]` stubs, nothing else.
    #[arg(long)]
    unjudged: bool,
    /// With `--unjudged`: stub the unjudged hits of the top N (the figures
    /// stay at 10).
    #[arg(long, default_value_t = DEPTH)]
    depth: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Also check that every judged substring picks out exactly one passage
    /// of its file (reads the whole root independently of the index).
    #[arg(long)]
    check: bool,
}

/// One researcher question.
#[derive(Debug, Deserialize)]
struct Question {
    id: String,
    query: String,
    need: String,
}

/// One graded passage.
#[derive(Debug, Clone, Deserialize)]
struct Grade {
    question: String,
    file: String,
    text: String,
    grade: i64,
    /// Why a 0 or 1 (the codes of docs/judging.md).
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
struct QuestionFile {
    question: Vec<Question>,
}

#[derive(Deserialize)]
struct GradeFile {
    #[serde(default)]
    grade: Vec<Grade>,
}

/// A judgment ready to match: its normalised substring.
#[derive(Debug, Clone)]
struct Judgment {
    file: String,
    needle: String,
    grade: u8,
    reason: Option<String>,
}

/// A top-10 hit with the judgment it matched.
#[derive(Debug, Serialize)]
struct RankedHit {
    rank: usize,
    id: String,
    path: String,
    region: String,
    heading: String,
    /// `None` when no judgment matches.
    grade: Option<u8>,
    reason: Option<String>,
    #[serde(skip)]
    passage: String,
    #[serde(skip)]
    judgment: Option<usize>,
}

/// The figures of one question.
#[derive(Debug, Default, Serialize)]
struct Figures {
    p10: f64,
    strict_p10: f64,
    ndcg10: f64,
    docs: usize,
    regions: usize,
    unjudged: usize,
}

/// Means over the questions.
#[derive(Debug, Default, Serialize)]
struct Overall {
    p10: f64,
    strict_p10: f64,
    ndcg10: f64,
    docs: f64,
    regions: f64,
    /// Questions with at least the goal's distinct documents.
    questions_with_enough_docs: usize,
    /// Unjudged top-10 hits in all.
    unjudged: usize,
}

#[derive(Serialize)]
struct QuestionReport {
    id: String,
    query: String,
    judged: usize,
    #[serde(flatten)]
    figures: Figures,
    hits: Vec<RankedHit>,
    /// Hits of the top `--depth` that the top 10 does not show; only stubbed.
    #[serde(skip)]
    deeper: Vec<RankedHit>,
}

#[derive(Serialize)]
struct Report {
    questions: usize,
    judged: usize,
    overall: Overall,
    /// Why the top-10 hits graded 0 or 1 fell short, with counts.
    shortfalls: BTreeMap<String, usize>,
    per_question: Vec<QuestionReport>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("eval_ranking: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    if args.depth == 0 {
        bail!("--depth must be at least 1");
    }
    let questions: QuestionFile = read_toml(&args.questions)?;
    let grades: GradeFile = read_toml(&args.grades)?;
    let judgments = judgments_by_question(&questions.question, grades.grade)?;

    make_root(&args.shared, &args.root)?;
    let mut config = IndexConfig::new(&args.root, &args.index);
    config.threads = args.threads;
    let summary = build_index(&config, &mut |_| {})?;
    eprintln!(
        "index {}: {} documents, {} passages ({} files analysed, {:.1} s)",
        args.index.display(),
        summary.documents,
        summary.passages,
        summary.changes.added.len() + summary.changes.updated.len(),
        summary.seconds
    );
    let index = open_index(&args.index)?;

    let mut check_failed = false;
    if args.check {
        check_failed = !check_judgments(&args.root, args.threads, &judgments);
    }

    let depth = args.depth;
    let mut per_question = Vec::new();
    for q in &questions.question {
        let judged = judgments.get(&q.id).map_or(&[][..], Vec::as_slice);
        let top = |limit| -> Result<Vec<RankedHit>> {
            let request = SearchRequest {
                query: q.query.clone(),
                limit: Some(limit),
                unit: HitUnit::Passage,
                ..SearchRequest::default()
            };
            let results =
                search(&index, &request).with_context(|| format!("{}: {}", q.id, q.query))?;
            rank_hits(&index, &results.hits, judged)
        };
        let hits = top(DEPTH)?;
        // The top 10 of a longer list can differ from the top 10 itself
        // (seen on q23), so the deeper hits come from a search of their own
        // and leave out what the top 10 already shows.
        let deeper = if args.unjudged && depth > DEPTH {
            let shown: HashSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            top(depth)?
                .into_iter()
                .filter(|h| !shown.contains(h.id.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        let figures = figures(&hits, judged);
        per_question.push(QuestionReport {
            id: q.id.clone(),
            query: q.query.clone(),
            judged: judged.len(),
            figures,
            hits,
            deeper,
        });
    }
    let report = summarise(per_question);

    if args.unjudged {
        print!(
            "{}",
            stubs(&index, &args.root, &questions.question, &report, depth)?
        );
        let stubbed: usize = report
            .per_question
            .iter()
            .map(|q| unjudged_within(q, depth).count())
            .sum();
        eprintln!(
            "{stubbed} unjudged hits in the top {depth} ({} in the top 10) over {} questions",
            report.overall.unjudged, report.questions
        );
    } else if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    let met = report.overall.strict_p10 >= GOAL_STRICT_P10
        && report.overall.ndcg10 >= GOAL_NDCG10
        && report.overall.docs >= GOAL_DOCS;
    Ok(if met && report.overall.unjudged == 0 && !check_failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Groups the grades by question, normalised for matching. Grades outside
/// 0..=2 (a stub not filled in) are left out with a warning; an unknown
/// question or an empty substring is an error, as it is a typing mistake.
fn judgments_by_question(
    questions: &[Question],
    grades: Vec<Grade>,
) -> Result<HashMap<String, Vec<Judgment>>> {
    let ids: HashSet<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    if ids.len() != questions.len() {
        bail!("two questions share an id");
    }
    for q in questions {
        if q.query.trim().is_empty() || q.need.trim().is_empty() {
            bail!("{}: query and need must not be empty", q.id);
        }
    }
    let mut out: HashMap<String, Vec<Judgment>> = HashMap::new();
    let mut skipped = 0;
    for g in grades {
        if !ids.contains(g.question.as_str()) {
            bail!("grade for unknown question {:?} ({})", g.question, g.file);
        }
        let needle = normalize(&g.text);
        if needle.is_empty() {
            bail!("{} {}: empty text", g.question, g.file);
        }
        let grade = match u8::try_from(g.grade) {
            Ok(v @ 0..=2) => v,
            _ => {
                skipped += 1;
                continue;
            }
        };
        let list = out.entry(g.question).or_default();
        if let Some(same) = list.iter().find(|j| j.file == g.file && j.needle == needle) {
            if same.grade != grade {
                bail!(
                    "{} {} {:?}: graded both {} and {grade}",
                    g.file,
                    g.text,
                    g.grade,
                    same.grade
                );
            }
            continue;
        }
        list.push(Judgment {
            file: g.file,
            needle,
            grade,
            reason: g.reason,
        });
    }
    if skipped > 0 {
        eprintln!("eval_ranking: {skipped} grades not 0, 1 or 2 (stubs not filled in) left out");
    }
    Ok(out)
}

/// Makes `root` a folder of two links, `corpus` and `reports`, to the
/// folders of `shared` (replacing links that point elsewhere).
fn make_root(shared: &Path, root: &Path) -> Result<()> {
    std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
    for name in ["corpus", "reports"] {
        let target = shared
            .join(name)
            .canonicalize()
            .with_context(|| format!("{} has no {name}/ folder", shared.display()))?;
        let link = root.join(name);
        match std::fs::read_link(&link) {
            Ok(current) if current == target => continue,
            Ok(_) => std::fs::remove_file(&link)?,
            Err(_) if link.exists() => bail!("{} exists and is not a link", link.display()),
            Err(_) => {}
        }
        symlink_dir(&target, &link)
            .with_context(|| format!("linking {} to {}", link.display(), target.display()))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink_dir(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink_dir(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

/// Matches each hit to the judgments of its question. A hit matched by
/// judgments of different grades takes the highest (the passage holds a
/// passage judged better) and is reported, since passage splitting changed.
fn rank_hits(index: &OpenIndex, hits: &[Hit], judged: &[Judgment]) -> Result<Vec<RankedHit>> {
    let mut paths_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for (i, hit) in hits.iter().enumerate() {
        let key = doc_key(&hit.id).to_string();
        if !paths_of.contains_key(&key) {
            // A document indexed once for several identical files answers
            // to any of their paths.
            let paths = service::document(index, &key, None)
                .map(|d| d.paths)
                .unwrap_or_default();
            paths_of.insert(key.clone(), paths);
        }
        let mut paths = paths_of[&key].clone();
        paths.push(hit.path.clone());
        let matched = match_judgment(&hit.text, &paths, judged);
        let judgment = matched.iter().copied().max_by_key(|&j| judged[j].grade);
        if matched.len() > 1 {
            let grades: HashSet<u8> = matched.iter().map(|&j| judged[j].grade).collect();
            if grades.len() > 1 {
                eprintln!(
                    "eval_ranking: {} matches {} judgments of different grades; taking the highest",
                    hit.id,
                    matched.len()
                );
            }
        }
        out.push(RankedHit {
            rank: i + 1,
            id: hit.id.clone(),
            path: hit.path.clone(),
            region: region_label(hit),
            heading: hit.heading.clone(),
            grade: judgment.map(|j| judged[j].grade),
            reason: judgment.and_then(|j| judged[j].reason.clone()),
            passage: hit.text.clone(),
            judgment,
        });
    }
    Ok(out)
}

/// The document key of a passage id (`<doc_key>:<n>`).
fn doc_key(id: &str) -> &str {
    id.split_once(':').map_or(id, |(key, _)| key)
}

/// Indices of the judgments whose file is one of `paths` and whose
/// substring the passage holds.
fn match_judgment(passage: &str, paths: &[String], judged: &[Judgment]) -> Vec<usize> {
    let text = normalize(passage);
    judged
        .iter()
        .enumerate()
        .filter(|(_, j)| paths.contains(&j.file) && text.contains(&j.needle))
        .map(|(i, _)| i)
        .collect()
}

/// The region as the hit shows it; "" when it shows none.
fn region_label(hit: &Hit) -> String {
    [&hit.region.province, &hit.region.city, &hit.region.county]
        .iter()
        .filter_map(|r| r.as_deref())
        .collect::<Vec<_>>()
        .join("/")
}

/// Discounted cumulative gain of grades in rank order (gain 2^g − 1,
/// discount log2(rank + 1)).
fn dcg(grades: &[u8]) -> f64 {
    grades
        .iter()
        .enumerate()
        .map(|(i, &g)| (2f64.powi(i32::from(g)) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// nDCG at `depth`: DCG of the ranking over that of the best ordering of
/// `ideal` (every judged grade of the question). 0 when nothing relevant
/// was judged.
fn ndcg(ranked: &[u8], ideal: &[u8], depth: usize) -> f64 {
    let mut best = ideal.to_vec();
    best.sort_unstable_by(|a, b| b.cmp(a));
    best.truncate(depth);
    let ideal_dcg = dcg(&best);
    if ideal_dcg == 0.0 {
        return 0.0;
    }
    let ranked = &ranked[..ranked.len().min(depth)];
    dcg(ranked) / ideal_dcg
}

/// Hits graded at least `least`, over `depth` (missing hits count as misses).
fn precision(ranked: &[u8], least: u8, depth: usize) -> f64 {
    ranked.iter().take(depth).filter(|&&g| g >= least).count() as f64 / depth as f64
}

fn figures(hits: &[RankedHit], judged: &[Judgment]) -> Figures {
    let ranked: Vec<u8> = hits.iter().map(|h| h.grade.unwrap_or(0)).collect();
    // The ideal ranking draws on every judgment; one that two hits match
    // (a paragraph the file repeats) counts as often as it is shown, so
    // that nDCG stays within 0..=1.
    let mut ideal: Vec<u8> = judged.iter().map(|j| j.grade).collect();
    let mut shown: HashMap<usize, usize> = HashMap::new();
    for h in hits {
        if let Some(j) = h.judgment {
            *shown.entry(j).or_default() += 1;
        }
    }
    for (&j, &n) in &shown {
        ideal.extend(std::iter::repeat_n(judged[j].grade, n - 1));
    }
    Figures {
        p10: precision(&ranked, 1, DEPTH),
        strict_p10: precision(&ranked, 2, DEPTH),
        ndcg10: ndcg(&ranked, &ideal, DEPTH),
        docs: hits
            .iter()
            .map(|h| doc_key(&h.id))
            .collect::<HashSet<_>>()
            .len(),
        regions: hits
            .iter()
            .map(|h| h.region.as_str())
            .collect::<HashSet<_>>()
            .len(),
        unjudged: hits.iter().filter(|h| h.grade.is_none()).count(),
    }
}

fn summarise(per_question: Vec<QuestionReport>) -> Report {
    let n = per_question.len().max(1) as f64;
    let mean =
        |f: &dyn Fn(&Figures) -> f64| per_question.iter().map(|q| f(&q.figures)).sum::<f64>() / n;
    let overall = Overall {
        p10: mean(&|f| f.p10),
        strict_p10: mean(&|f| f.strict_p10),
        ndcg10: mean(&|f| f.ndcg10),
        docs: mean(&|f| f.docs as f64),
        regions: mean(&|f| f.regions as f64),
        questions_with_enough_docs: per_question
            .iter()
            .filter(|q| q.figures.docs as f64 >= GOAL_DOCS)
            .count(),
        unjudged: per_question.iter().map(|q| q.figures.unjudged).sum(),
    };
    let mut shortfalls = BTreeMap::new();
    for q in &per_question {
        for h in &q.hits {
            let why = match (h.grade, &h.reason) {
                (Some(2), _) => continue,
                (Some(g), Some(r)) => format!("{g} {r}"),
                (Some(g), None) => format!("{g} (no reason given)"),
                (None, _) => "unjudged".to_string(),
            };
            *shortfalls.entry(why).or_default() += 1;
        }
    }
    Report {
        questions: per_question.len(),
        judged: per_question.iter().map(|q| q.judged).sum(),
        overall,
        shortfalls,
        per_question,
    }
}

/// The text report: a line per question, the unjudged hits under it, the
/// means, and why top-10 hits fell short.
fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<4} {:<34} {:>6} {:>5} {:>7} {:>7} {:>4} {:>7} {:>8}",
        "id", "query", "judged", "P@10", "sP@10", "nDCG@10", "docs", "regions", "unjudged"
    );
    for q in &report.per_question {
        let f = &q.figures;
        let _ = writeln!(
            out,
            "{:<4} {} {:>6} {:>5.2} {:>7.2} {:>7.3} {:>4} {:>7} {:>8}",
            q.id,
            pad(&q.query, 34),
            q.judged,
            f.p10,
            f.strict_p10,
            f.ndcg10,
            f.docs,
            f.regions,
            f.unjudged
        );
        for h in q.hits.iter().filter(|h| h.grade.is_none()) {
            let _ = writeln!(
                out,
                "       unjudged #{} {} {}: {}",
                h.rank,
                h.id,
                h.path,
                h.passage.chars().take(60).collect::<String>()
            );
        }
    }
    let o = &report.overall;
    let _ = writeln!(
        out,
        "\n{} questions, {} graded passages",
        report.questions, report.judged
    );
    let _ = writeln!(
        out,
        "overall (mean over questions): P@10 {:.3}  strict P@10 {:.3}  nDCG@10 {:.3}  distinct docs {:.2}  distinct regions {:.2}  unjudged hits {}",
        o.p10, o.strict_p10, o.ndcg10, o.docs, o.regions, o.unjudged
    );
    let _ = writeln!(
        out,
        "goals: strict P@10 ≥ {GOAL_STRICT_P10:.2} {}, nDCG@10 ≥ {GOAL_NDCG10:.2} {}, docs ≥ {GOAL_DOCS} {} ({} of {} questions)",
        tick(o.strict_p10 >= GOAL_STRICT_P10),
        tick(o.ndcg10 >= GOAL_NDCG10),
        tick(o.docs >= GOAL_DOCS),
        o.questions_with_enough_docs,
        report.questions
    );
    let total: usize = report.shortfalls.values().sum();
    let _ = writeln!(out, "\ntop-10 hits not graded 2: {total}");
    let mut by_count: Vec<_> = report.shortfalls.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (why, n) in by_count {
        let _ = writeln!(out, "  {n:>4}  {why}");
    }
    out
}

fn tick(ok: bool) -> &'static str {
    if ok { "met" } else { "not met" }
}

/// `text` cut or padded to `width` display columns (CJK counts two).
fn pad(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = if c.is_ascii() { 1 } else { 2 };
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}

/// The unjudged hits of a question among its top `depth`: those of the top
/// 10, then those of the deeper search.
fn unjudged_within(q: &QuestionReport, depth: usize) -> impl Iterator<Item = &RankedHit> {
    q.hits
        .iter()
        .chain(&q.deeper)
        .filter(move |h| h.rank <= depth && h.grade.is_none())
}

/// The unjudged hits of the top `depth` as `[[grade]]` stubs: each with a
/// substring of its passage copied from the source file that no other
/// passage of the document holds, the passage itself as a comment, and
/// `grade = -1` for the judge to replace.
fn stubs(
    index: &OpenIndex,
    root: &Path,
    questions: &[Question],
    report: &Report,
    depth: usize,
) -> Result<String> {
    let needs: HashMap<&str, &Question> = questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut out = String::new();
    let mut done = HashSet::new();
    for q in &report.per_question {
        for h in unjudged_within(q, depth) {
            if !done.insert((q.id.clone(), h.id.clone())) {
                continue;
            }
            let others: Vec<String> = service::document(index, doc_key(&h.id), None)
                .map(|d| {
                    d.passages
                        .iter()
                        .filter(|p| p.id != h.id)
                        .map(|p| normalize(&p.text))
                        .collect()
                })
                .unwrap_or_default();
            let source = std::fs::read(root.join(&h.path))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let text = distinctive_substring(&h.passage, &others, &source)
                .unwrap_or_else(|| h.passage.chars().take(24).collect());
            let _ = writeln!(
                out,
                "# {} {} — {}",
                q.id,
                q.query,
                needs[q.id.as_str()].need
            );
            let _ = writeln!(
                out,
                "# #{} {} {} [{}] {}",
                h.rank, h.id, h.path, h.region, h.heading
            );
            let _ = writeln!(out, "# {}", h.passage.replace(['\r', '\n'], " "));
            let _ = writeln!(out, "[[grade]]");
            let _ = writeln!(out, "question = {}", toml_string(&q.id));
            let _ = writeln!(out, "file = {}", toml_string(&h.path));
            let _ = writeln!(out, "text = {}", toml_string(&text));
            let _ = writeln!(out, "grade = -1  # 0, 1 or 2 (docs/judging.md)");
            let _ = writeln!(out, "# reason = \"\"  # for 0 and 1\n");
        }
    }
    Ok(out)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A 12–40 character span of `passage`, inside one sentence and one line,
/// that `source` holds (after normalising) and no passage of `others` does;
/// returned as the source writes it.
fn distinctive_substring(passage: &str, others: &[String], source: &str) -> Option<String> {
    let (folded, offsets) = folded_with_offsets(source);
    let chars: Vec<char> = passage.chars().collect();
    // Spans that begin a clause read best; any other start will do.
    let clause_starts =
        (0..chars.len()).filter(|&i| i == 0 || "，,、：:“。；".contains(chars[i - 1]));
    let starts: Vec<usize> = clause_starts.chain(0..chars.len()).collect();
    for len in [24, 18, 32, 14, 40, 12] {
        for &start in &starts {
            let Some(span) = chars.get(start..start + len) else {
                continue;
            };
            let span: String = span.iter().collect();
            let breaks = span
                .chars()
                .any(|c| c.is_whitespace() || "。；！？;!?".contains(c));
            if breaks {
                continue;
            }
            let needle = normalize(&span);
            if needle.chars().count() < 12 || others.iter().any(|o| o.contains(&needle)) {
                continue;
            }
            if let Some(at) = folded.find(&needle) {
                let first = offsets[folded[..at].chars().count()];
                let last = offsets[folded[..at + needle.len()].chars().count() - 1];
                let end = last + source[last..].chars().next().map_or(0, char::len_utf8);
                let original = &source[first..end];
                if !original.contains(['\n', '\r']) {
                    return Some(original.to_string());
                }
            }
        }
    }
    None
}

/// `text` folded and without whitespace, with the byte offset in `text` of
/// each character kept (folding maps one character to one).
fn folded_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::new();
    let mut offsets = Vec::new();
    for (at, c) in text.char_indices() {
        let mut buf = [0; 4];
        for f in normalize(c.encode_utf8(&mut buf)).chars() {
            folded.push(f);
            offsets.push(at);
        }
    }
    (folded, offsets)
}

/// Reads the root as the oracle does and reports every judgment whose
/// substring no passage of its file holds (stale) or several different
/// passages hold (ambiguous) though the file says it once. True when
/// there is none.
fn check_judgments(
    root: &Path,
    threads: usize,
    judgments: &HashMap<String, Vec<Judgment>>,
) -> bool {
    let oracle = Oracle::load(root, threads);
    let mut by_path: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in &oracle.passages {
        if let Some(path) = oracle.paths.get(&p.doc_num) {
            by_path
                .entry(path.as_str())
                .or_default()
                .push(p.text.as_str());
        }
    }
    let mut problems = 0;
    let mut ids: Vec<_> = judgments.keys().collect();
    ids.sort();
    for id in ids {
        for j in &judgments[id] {
            let holders: HashSet<&str> = by_path
                .get(j.file.as_str())
                .map(|ps| {
                    ps.iter()
                        .copied()
                        .filter(|t| t.contains(&j.needle))
                        .collect()
                })
                .unwrap_or_default();
            // A paragraph the source repeats word for word may sit in two
            // passages; both are the passage judged.
            let repeats = std::fs::read(root.join(&j.file))
                .map(|b| {
                    normalize(&String::from_utf8_lossy(&b))
                        .matches(j.needle.as_str())
                        .count()
                })
                .unwrap_or(0);
            if holders.is_empty() || holders.len() > repeats.max(1) {
                problems += 1;
                let what = if holders.is_empty() {
                    "no passage"
                } else {
                    "several passages"
                };
                eprintln!(
                    "check: {id} {} {:?}: {what} of the file holds it",
                    j.file, j.needle
                );
            }
        }
    }
    eprintln!(
        "check: {} judgments, {problems} stale or ambiguous",
        judgments.values().map(Vec::len).sum::<usize>()
    );
    problems == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judgment(file: &str, text: &str, grade: u8) -> Judgment {
        Judgment {
            file: file.to_string(),
            needle: normalize(text),
            grade,
            reason: None,
        }
    }

    fn hit(id: &str, grade: Option<u8>, region: &str) -> RankedHit {
        RankedHit {
            rank: 0,
            id: id.to_string(),
            path: String::new(),
            region: region.to_string(),
            heading: String::new(),
            grade,
            reason: None,
            passage: String::new(),
            judgment: None,
        }
    }

    #[test]
    fn dcg_and_ndcg_of_a_hand_computed_ranking() {
        // Ranked 2, 0, 1: gains 3, 0, 1 at discounts 1, log2 3, 2:
        // 3 + 0 + 0.5 = 3.5. Ideal from judged 2, 2, 1, 0: 3 + 3/log2 3 + 1/2.
        let ranked = [2, 0, 1];
        assert!((dcg(&ranked) - 3.5).abs() < 1e-12);
        let ideal = 3.0 + 3.0 / 3f64.log2() + 0.5;
        assert!((ndcg(&ranked, &[1, 2, 0, 2], 10) - 3.5 / ideal).abs() < 1e-12);
        // The ideal ordering itself scores 1; nothing relevant judged scores 0.
        assert!((ndcg(&[2, 2, 1, 0], &[0, 1, 2, 2], 10) - 1.0).abs() < 1e-12);
        assert_eq!(ndcg(&[0, 0], &[0, 0], 10), 0.0);
    }

    #[test]
    fn precision_divides_by_the_depth_even_with_fewer_hits() {
        let ranked = [2, 1, 0, 2, 1];
        assert_eq!(precision(&ranked, 1, 10), 0.4);
        assert_eq!(precision(&ranked, 2, 10), 0.2);
        assert_eq!(precision(&[2; 12], 2, 10), 1.0);
    }

    #[test]
    fn figures_count_documents_regions_and_unjudged_hits() {
        let hits = vec![
            hit("aa:1", Some(2), "甘肃省/兰州市"),
            hit("aa:7", Some(1), "甘肃省/兰州市"),
            hit("bb:3", None, ""),
            hit("cc:2", Some(0), ""),
        ];
        let judged = [
            judgment("f", "x", 2),
            judgment("f", "y", 1),
            judgment("f", "z", 0),
        ];
        let f = figures(&hits, &judged);
        assert_eq!((f.docs, f.regions, f.unjudged), (3, 2, 1));
        assert_eq!((f.p10, f.strict_p10), (0.2, 0.1));
        // Ranked 2, 1, 0, 0 against ideal 2, 1, 0: the same DCG.
        assert!((f.ndcg10 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn depth_chooses_the_unjudged_hits_to_stub_below_the_top_ten() {
        let ranked = |n: usize| {
            let mut h = hit(&format!("d{n}:1"), (!n.is_multiple_of(3)).then_some(2), "");
            h.rank = n;
            h
        };
        // Ranks 1–20, every third unjudged: 3, 6, 9 in the top 10; 12, 15,
        // 18 below it. The deeper search also found #2 and #4, which the
        // top 10 does not show.
        let mut q = QuestionReport {
            id: "q01".into(),
            query: "冷链物流".into(),
            judged: 0,
            figures: Figures::default(),
            hits: (1..=10).map(ranked).collect(),
            deeper: [2, 4].into_iter().chain(11..=20).map(ranked).collect(),
        };
        fn ranks(q: &QuestionReport, depth: usize) -> Vec<usize> {
            unjudged_within(q, depth).map(|h| h.rank).collect()
        }
        assert_eq!(ranks(&q, 10), [3, 6, 9]);
        assert_eq!(ranks(&q, 5), [3]);
        assert_eq!(ranks(&q, 20), [3, 6, 9, 12, 15, 18]);
        assert_eq!(ranks(&q, 50), [3, 6, 9, 12, 15, 18]);
        // An unjudged hit of the deeper search within the depth is stubbed,
        // whatever its rank.
        q.deeper[0].grade = None;
        assert_eq!(ranks(&q, 20), [3, 6, 9, 2, 12, 15, 18]);
    }

    #[test]
    fn a_hit_matches_a_judgment_of_its_file_whatever_the_whitespace_and_width() {
        // From corpus/00044.txt (广西): the judged span sits inside the passage.
        let passage = "建设国家骨干冷链物流基地，推进南宁国家综合货运枢纽补链强链。";
        let judged = [
            judgment(
                "corpus/00044.txt",
                "国家骨干冷链物流基地，推进南宁国家综合货运枢",
                2,
            ),
            judgment("corpus/00045.txt", "国家骨干冷链物流基地", 1),
            judgment("corpus/00044.txt", "冷链物流 基地，推进南宁", 2),
        ];
        let paths = ["corpus/00044.txt".to_string()];
        assert_eq!(match_judgment(passage, &paths, &judged), vec![0, 2]);
        assert!(match_judgment("南宁综合货运枢纽", &paths, &judged).is_empty());
    }

    #[test]
    fn a_stub_substring_is_copied_from_the_source_and_unique_in_the_document() {
        let source = "一、发展目标\n到2025年，全市冷链物流仓储能力达到１００万吨，\n建成区域性冷链物流集散中心。";
        let passage = "到2025年,全市冷链物流仓储能力达到100万吨,建成区域性冷链物流集散中心。";
        let others = vec![normalize("到2025年,全市冷链物流仓储能力达到100万吨")];
        let span = distinctive_substring(passage, &others, source).unwrap();
        assert!(source.contains(&span), "{span}");
        assert!(!others[0].contains(&normalize(&span)));
        assert!(normalize(passage).contains(&normalize(&span)));
        assert!((12..=40).contains(&span.chars().count()));
    }

    #[test]
    fn grades_outside_zero_to_two_are_left_out_and_conflicts_refused() {
        let questions = vec![Question {
            id: "q01".into(),
            query: "冷链物流".into(),
            need: "cold chain".into(),
        }];
        let grade = |text: &str, grade| Grade {
            question: "q01".into(),
            file: "corpus/00044.txt".into(),
            text: text.into(),
            grade,
            reason: None,
        };
        let got = judgments_by_question(
            &questions,
            vec![grade("冷链物流基地", 2), grade("冷库", -1)],
        )
        .unwrap();
        assert_eq!(got["q01"].len(), 1);
        assert!(
            judgments_by_question(
                &questions,
                vec![grade("冷链物流基地", 2), grade("冷链 物流基地", 1)]
            )
            .is_err()
        );
    }

    /// The reasons docs/judging.md defines for grades 0 and 1.
    const REASONS: &[&str] = &[
        "boilerplate",
        "duty",
        "gloss",
        "heading",
        "mention",
        "offtopic",
        "sense",
        "slogan",
        "title",
    ];

    #[test]
    fn the_committed_judged_set_is_well_formed() {
        let questions: QuestionFile =
            toml::from_str(include_str!("../tests/fixtures/judged/questions.toml")).unwrap();
        let grades: GradeFile =
            toml::from_str(include_str!("../tests/fixtures/judged/grades.toml")).unwrap();
        assert!(questions.question.len() >= 30);
        for g in &grades.grade {
            let chars = normalize(&g.text).chars().count();
            // 12–40 characters; a passage shorter than that is given whole.
            assert!(
                (8..=40).contains(&chars),
                "{} {}: {chars} chars",
                g.file,
                g.text
            );
            assert!(!g.text.contains(['\n', '\r']), "{}", g.text);
            assert!(g.file.starts_with("corpus/") || g.file.starts_with("reports/"));
            match (g.grade, g.reason.as_deref()) {
                (2, None) => {}
                (0 | 1, Some(r)) => assert!(REASONS.contains(&r), "{} {r}", g.text),
                other => panic!("{} {}: grade and reason {other:?}", g.file, g.text),
            }
        }
        let judged = judgments_by_question(&questions.question, grades.grade).unwrap();
        for q in &questions.question {
            let list = &judged[&q.id];
            assert!(list.len() >= 20, "{}: {} judged", q.id, list.len());
            assert!(list.iter().any(|j| j.grade == 2), "{} has no grade 2", q.id);
        }
    }
}
