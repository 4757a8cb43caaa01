//! How much a passage says: the content factor that ranking multiplies a
//! passage's score by.
//!
//! A researcher comparing places copies measures into a table: figures with
//! their units, named programmes, funds, deadlines, lists of actions. A
//! passage that only names the topic (a slogan, a heading, a list lead-in)
//! or is the form of a regulation (its purpose, scope, effective date,
//! penalties, the duties of departments) ranks below one that holds them,
//! whatever the document's type: the signal is read from the text itself.
//! Judged by hand on the judged set (`docs/judging.md`): the median useless
//! hit was 74 characters, the median concrete one 144, and 74 of the 228
//! top-10 hits that were not concrete measures were regulation articles with
//! only a general duty.
//!
//! The cue lists are in `data/content/cues.toml` with where each was seen.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The factor and the signals that made it, for `--explain` and `inspect`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// What the passage's score is multiplied by: 1 for an ordinary passage,
    /// more for one full of figures and named measures, less for boilerplate.
    pub factor: f32,
    /// What decided it, strongest first ("figures ×3", "purpose article").
    pub signals: Vec<String>,
}

/// Bounds of the factor: no signal makes a passage vanish or win alone.
const MIN_FACTOR: f32 = 0.2;
const MAX_FACTOR: f32 = 2.5;

#[derive(Debug, Deserialize)]
struct CueFile {
    positive: Vec<Cue>,
    negative: Vec<Cue>,
    length: Vec<LengthStep>,
}

/// One cue: a pattern and what it adds (positive, per match up to `max`) or
/// the factor it multiplies by (negative, once).
#[derive(Debug, Deserialize)]
struct Cue {
    name: String,
    pattern: String,
    #[serde(default)]
    weight: f32,
    #[serde(default = "one")]
    max: usize,
    #[serde(default)]
    factor: f32,
    /// Names of positive cues that cancel this negative one (a duty with a
    /// figure or a budget line is a measure).
    #[serde(default)]
    unless: Vec<String>,
}

fn one() -> usize {
    1
}

/// Passages shorter than `below` characters are multiplied by `factor`.
#[derive(Debug, Deserialize)]
struct LengthStep {
    below: usize,
    factor: f32,
}

struct Compiled {
    positive: Vec<(Cue, Regex)>,
    negative: Vec<(Cue, Regex)>,
    length: Vec<LengthStep>,
}

static CUES: LazyLock<Compiled> = LazyLock::new(|| {
    let file: CueFile = toml::from_str(include_str!("../../data/content/cues.toml"))
        .expect("data/content/cues.toml is valid");
    let compile = |cues: Vec<Cue>| -> Vec<(Cue, Regex)> {
        cues.into_iter()
            .map(|c| {
                let re = Regex::new(&c.pattern)
                    .unwrap_or_else(|e| panic!("data/content/cues.toml {}: {e}", c.name));
                (c, re)
            })
            .collect()
    };
    let mut length = file.length;
    length.sort_by_key(|s| s.below);
    Compiled {
        positive: compile(file.positive),
        negative: compile(file.negative),
        length,
    }
});

/// Assesses a passage's text; `targets` is how many quantified targets
/// extraction found in it.
pub fn assess(text: &str, targets: usize) -> Content {
    let cues = &*CUES;
    let mut gain = 0.0f32;
    let mut signals: Vec<(f32, String)> = Vec::new();
    let mut met: Vec<&str> = Vec::new();
    for (cue, re) in &cues.positive {
        let n = re.find_iter(text).count().min(cue.max);
        if n > 0 {
            met.push(&cue.name);
            let g = cue.weight * n as f32;
            gain += g;
            signals.push((g, format!("{} ×{n}", cue.name)));
        }
    }
    if targets > 0 {
        let g = TARGET_WEIGHT * targets.min(MAX_TARGETS) as f32;
        gain += g;
        signals.push((g, format!("quantified targets ×{targets}")));
    }
    let mut factor = 1.0 + gain;
    for (cue, re) in &cues.negative {
        if cue.unless.iter().any(|u| met.contains(&u.as_str())) {
            continue;
        }
        if re.is_match(text) {
            factor *= cue.factor;
            signals.push((cue.factor - 1.0, cue.name.clone()));
        }
    }
    let chars = text.chars().count();
    if let Some(step) = cues.length.iter().find(|s| chars < s.below) {
        factor *= step.factor;
        signals.push((step.factor - 1.0, format!("short ({chars} characters)")));
    }
    signals.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    Content {
        factor: factor.clamp(MIN_FACTOR, MAX_FACTOR),
        signals: signals.into_iter().map(|(_, s)| s).collect(),
    }
}

/// What each quantified target adds, up to [`MAX_TARGETS`] of them.
const TARGET_WEIGHT: f32 = 0.1;
const MAX_TARGETS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    /// Real passages of the corpora, and whether their factor is above,
    /// about, or below an ordinary passage's.
    #[test]
    fn measures_rise_and_boilerplate_sinks() {
        let above = [
            // reports/r0375.md: a cold-chain measure with its projects.
            "培育壮大冷链物流，启动建设融链物流港、双汇冷链物流产业园，新建冷库库容20万吨，到2025年冷链物流产值突破100亿元。",
            // seed 000: a county's cattle programme with its figures.
            "大力实施“万千百十”工程,新建千头肉牛养殖场(小区)5个,累计建成百头以上规模养牛场(小区)36个,培育十头以上养牛大户1200户。",
            // corpus/01310 (汕头市河长制条例): a duty that commits money.
            "第四条 市、区(县)人民政府应当加强对河长制工作的组织领导和统筹协调,将河长制工作经费纳入本级财政预算,并建立与河湖治理管护需求相适应的资金投入和保障机制。",
        ];
        let below = [
            // A regulation's purpose article (01194 and the like).
            "第一条 为了推进河长制工作,保护和改善水环境,根据有关法律、法规,结合本省实际,制定本条例。",
            // Its effective date.
            "第三十条 本规定自2017年10月1日起施行。",
            // A general duty with nothing concrete.
            "第七条 县级以上人民政府应当加强对秸秆综合利用工作的领导,将其纳入国民经济和社会发展规划。",
            // A glossary note of a work report (r0499).
            "【46】“放管服”：简政放权、放管结合、优化服务。",
            // corpus/01310: the principles a regulation keeps to.
            "第三条 河长制工作坚持生态优先、绿色发展,河长领导、部门联动,强化监督、严格考核的原则。",
            // A list lead-in.
            "居家社区养老服务主要包括下列内容：",
            // The 2021 涞水 work report's note on a term.
            "[25] “放管服”改革:持续推进简政放权、放管结合、优化服务,不断提高政府效能。",
            // A penalty.
            "第四十条 违反本条例规定,在禁烧区内露天焚烧秸秆的,由县级人民政府指定的部门责令改正,可以处五十元以上二百元以下罚款。",
        ];
        for text in above {
            let c = assess(text, 0);
            assert!(c.factor > 1.3, "{text}: {c:?}");
        }
        for text in below {
            let c = assess(text, 0);
            assert!(c.factor < 0.8, "{text}: {c:?}");
        }
    }

    #[test]
    fn signals_say_why() {
        let c = assess("第三十条 本规定自2017年10月1日起施行。", 0);
        assert!(
            c.signals.iter().any(|s| s == "effective-date clause"),
            "{c:?}"
        );
        let c = assess("新建冷库库容20万吨,冷链物流产值突破100亿元。", 2);
        assert!(
            c.signals.iter().any(|s| s.starts_with("figures ×")),
            "{c:?}"
        );
        assert!(
            c.signals.iter().any(|s| s == "quantified targets ×2"),
            "{c:?}"
        );
    }

    #[test]
    fn a_project_line_with_a_colon_is_no_glossary_note() {
        // reports/r0317 (昭通 2023): the appendix's 年度目标 lines.
        let c = assess(
            "年度目标：实现城镇新增就业4.05万人以上，2023届高校毕业生就业去向落实率不低于2022年水平。",
            1,
        );
        assert!(!c.signals.iter().any(|s| s == "glossary note"), "{c:?}");
    }

    #[test]
    fn a_duty_with_a_figure_is_a_measure() {
        // The duty cue does not apply when the article sets a figure.
        let duty = assess("第十二条 县级人民政府应当加强养老服务设施建设。", 0);
        let with_figure = assess(
            "第十二条 县级人民政府应当按照每百户不少于20平方米的标准配套建设养老服务设施。",
            0,
        );
        assert!(with_figure.factor > duty.factor, "{duty:?} {with_figure:?}");
    }
}
