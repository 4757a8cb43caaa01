//! The stages of [`extract_issuance`](super::extract_issuance), one a field.
//!
//! Each stage reads the parts of the text it needs from [`Sources`] and the
//! fields found before it; the order matters, because a later field falls
//! back on an earlier one (an effective date "自公布之日起" is the published
//! date, a regulation's level of force depends on who adopted it).

use super::*;

/// The text cut into the parts the stages look at, cut once so every stage
/// sees the same header, opening and signature.
pub(super) struct Sources<'a> {
    pub title: Option<&'a str>,
    pub text: &'a str,
    pub page_meta: &'a [String],
    pub doc_type: Option<DocType>,
    pub region: Option<u32>,
    /// Every non-empty line, trimmed.
    pub all: Vec<&'a str>,
    /// The lines before the body starts, at most 25.
    pub head_lines: Vec<&'a str>,
    /// The last 8 lines, where a signature is.
    pub tail: Vec<&'a str>,
    /// The first 20 lines, where a report names its session.
    pub opening: Vec<&'a str>,
}

impl<'a> Sources<'a> {
    pub fn new(
        title: Option<&'a str>,
        text: &'a str,
        page_meta: &'a [String],
        doc_type: Option<DocType>,
        region: Option<u32>,
    ) -> Sources<'a> {
        let all = lines(text);
        let head_lines = head(&all, 25);
        let tail: Vec<&str> = all.iter().rev().take(8).rev().copied().collect();
        let opening: Vec<&str> = all.iter().take(20).copied().collect();
        Sources {
            title,
            text,
            page_meta,
            doc_type,
            region,
            all,
            head_lines,
            tail,
            opening,
        }
    }
}

/// What a regulation's header says: its adoption, approval, amendments and
/// the dates it was promulgated and takes effect. Later stages read these:
/// the adopting body is the issuer, the promulgation is the publication.
pub(super) struct RegulationHeader {
    pub adopted: Evidence<Date>,
    pub approved: Evidence<Date>,
    pub adopting_body: Option<String>,
    pub amendments: Vec<Amendment>,
    pub readopted: Vec<Date>,
    pub header_effective: Option<(Date, String)>,
    pub promulgated: Option<(Date, String)>,
}

/// Reads the header lines of a regulation (…会议通过, …会议批准, 根据…修正,
/// …起施行, …公布). The first adoption is the adoption; a later one is a
/// re-adoption, kept apart so the document's date is its first.
pub(super) fn regulation_header(src: &Sources) -> RegulationHeader {
    let mut header = RegulationHeader {
        adopted: Evidence::unknown("no adoption line (…会议通过) in the header"),
        approved: Evidence::unknown("no approval line (…会议批准) in the header"),
        adopting_body: None,
        amendments: Vec::new(),
        readopted: Vec::new(),
        header_effective: None,
        promulgated: None,
    };
    for line in &src.head_lines {
        read_adoption_line(&mut header, line);
        for c in AMENDMENT.captures_iter(line) {
            if let Some(date) = parse_date(&c[1]) {
                let by = c[2].trim_start_matches("根据").trim().to_string();
                if by.contains("会议") || by.contains("决定") {
                    header.amendments.push(Amendment {
                        date,
                        kind: c[3].to_string(),
                        by,
                    });
                }
            }
        }
        if let Some(c) = HEADER_EFFECTIVE.captures(line)
            && header.header_effective.is_none()
        {
            header.header_effective = parse_date(&c[1]).map(|d| (d, line.to_string()));
        }
        if let Some(c) = HEADER_PROMULGATED.captures(line)
            && header.promulgated.is_none()
        {
            header.promulgated = parse_date(&c[1]).map(|d| (d, line.to_string()));
        }
    }
    header.amendments.sort_by_key(|a| a.date);
    header.amendments.dedup();
    header.readopted.sort();
    header.readopted.dedup();
    header
}

/// One header line's 通过/批准 clauses: the first 通过 names the adopting
/// body too, since a congress's adoption decides the issuer and the force.
fn read_adoption_line(header: &mut RegulationHeader, line: &str) {
    for c in ADOPTION.captures_iter(line) {
        let Some(date) = parse_date(&c[1]) else {
            continue;
        };
        let why = format!("header: \"{}\"", c.get(0).map_or("", |m| m.as_str()));
        if &c[3] == "通过" {
            if header.adopted.value.is_none() {
                header.adopted = Evidence::found(date, 0.95, why);
                header.adopting_body = Some(meeting_body(&c[2]));
            } else if header.adopted.value.is_some_and(|first| date > first) {
                header.readopted.push(date);
            }
        } else if header.approved.value.is_none() {
            header.approved = Evidence::found(date, 0.95, why);
        }
    }
}

/// The publication date: the page's own 发布日期 line is the best witness,
/// then a regulation's 公布 line, then a signature's …发布.
pub(super) fn published_date(src: &Sources, header: &RegulationHeader) -> Evidence<Date> {
    let rules = &*RULES;
    let joined = join_label_lines(&src.all, 30);
    for m in src
        .page_meta
        .iter()
        .map(String::as_str)
        .chain(src.head_lines.iter().copied())
        .chain(joined.iter().map(String::as_str))
    {
        let m = crate::text::fold_str(m);
        if let Some(c) = rules.published_label.captures(&m)
            && let Some(d) = parse_date(&c[1])
        {
            return Evidence::found(d, 0.9, format!("the page's own line: \"{}\"", truncate(&m)));
        }
    }
    if let Some((d, line)) = &header.promulgated {
        return Evidence::found(*d, 0.9, format!("header: \"{line}\""));
    }
    for line in src.tail.iter().rev() {
        if let Some((d, after)) = date_line(line)
            && after == "发布"
        {
            return Evidence::found(d, 0.85, format!("signature: \"{line}\""));
        }
    }
    Evidence::unknown("no publication date: no 发布日期 line, meta or 公布 line")
}

/// The date written, and the place of the congress a report was delivered
/// to (which names the report's issuer). Tried from the most explicit
/// witness down: a 成文日期 label, the session line, the signature, and for
/// a document that is no regulation, a date line alone in the header.
pub(super) fn written_date(
    src: &Sources,
    adopted: &Evidence<Date>,
) -> (Evidence<Date>, Option<String>) {
    let mut written = labelled_written(src);
    let session_place = read_report_session(src, &mut written);
    if written.value.is_none() {
        written = signature_written(src);
    }
    if written.value.is_none() && adopted.value.is_none() {
        written = header_date_line(src);
    }
    (written, session_place)
}

/// Why the date written is unknown when no witness of it was found.
const NO_WRITTEN_DATE: &str = "no signature date, 成文日期 or session date";

/// A 成文日期 line, in the page's meta or the header.
fn labelled_written(src: &Sources) -> Evidence<Date> {
    let rules = &*RULES;
    for m in src
        .page_meta
        .iter()
        .map(String::as_str)
        .chain(src.head_lines.iter().copied())
    {
        if let Some(c) = rules.written_label.captures(m)
            && let Some(d) = parse_date(&c[1])
        {
            return Evidence::found(d, 0.9, format!("labelled: \"{}\"", truncate(m)));
        }
    }
    Evidence::unknown(NO_WRITTEN_DATE)
}

/// A report's session line (——2020年1月21日在…人民代表大会第四次会议上): the
/// date it was delivered, when `written` has none yet, and the place of the
/// congress, returned.
fn read_report_session(src: &Sources, written: &mut Evidence<Date>) -> Option<String> {
    let opening = &src.opening;
    for line in opening {
        let Some(c) = REPORT_SESSION.captures(line) else {
            continue;
        };
        if written.value.is_none()
            && let Some(d) = c.get(1).and_then(|m| parse_date(m.as_str()))
        {
            *written = Evidence::found(
                d,
                0.9,
                format!("delivered: \"{}\"", c.get(0).map_or("", |m| m.as_str())),
            );
        }
        let place = c[2].trim_matches(['—', '-', ' ', '─']);
        // 在县十七届人民代表大会: the level alone names no place.
        let place = if c.get(3).is_some() {
            "全国"
        } else if place.chars().count() <= 1 {
            ""
        } else {
            place
        };
        // ——在阜平县第十七届人民代表大会第一次会议上 / （2017年2月26日）
        if written.value.is_none()
            && let Some(next) = opening.iter().skip_while(|l| *l != line).nth(1)
            && let Some((d, after)) = date_line(next)
            && after.is_empty()
        {
            *written = Evidence::found(
                d,
                0.85,
                format!("delivered: \"{next}\", under the session line"),
            );
        }
        return Some(place.to_string());
    }
    None
}

/// A signature: the last date standing alone (or signed, 签发), else the
/// date the document was printed (印发), which is less sure to be the day
/// it was written.
fn signature_written(src: &Sources) -> Evidence<Date> {
    let mut printed = None;
    for line in src.tail.iter().rev() {
        if let Some((d, after)) = date_line(line) {
            match after.as_str() {
                "" | "签发" | "签署" => {
                    return Evidence::found(d, 0.85, format!("signature: \"{line}\""));
                }
                "印发" if printed.is_none() => printed = Some((d, line.to_string())),
                _ => {}
            }
        } else if let Some(i) = line.find("印发")
            && printed.is_none()
            && let Some((d, _, end)) = find_dates(line).into_iter().last()
            && end <= i
            && line[end..i].trim().is_empty()
        {
            // 山东省人民政府办公厅2019年3月15日印发
            printed = Some((d, line.to_string()));
        }
    }
    match printed {
        Some((d, line)) => Evidence::found(d, 0.6, format!("printed (印发): \"{line}\"")),
        None => Evidence::unknown(NO_WRITTEN_DATE),
    }
}

/// A date alone on a line near the top, written 年月日 only: a bare
/// 2023-07-12 at the top of a page is the site's, not the document's.
fn header_date_line(src: &Sources) -> Evidence<Date> {
    for line in src.head_lines.iter().take(10) {
        if let Some((d, after)) = date_line(line)
            && after.is_empty()
            && line.contains('年')
        {
            return Evidence::found(d, 0.8, format!("header date line: \"{line}\""));
        }
    }
    Evidence::unknown(NO_WRITTEN_DATE)
}

/// The issuing bodies, from the most telling witness down: the body that
/// adopted a regulation, a report's congress, the names heading the text,
/// the title, the signature. Names just above a date also date the text, so
/// `written` is filled in when still unknown.
pub(super) fn issuers(
    src: &Sources,
    adopting_body: Option<&str>,
    session_place: Option<&str>,
    written: &mut Evidence<Date>,
) -> Evidence<Vec<Issuer>> {
    let mut issuers: Evidence<Vec<Issuer>> =
        Evidence::unknown("no issuing body named in the header, title or signature");
    if let Some(body) = adopting_body
        && !body.is_empty()
    {
        issuers = Evidence::found(
            vec![Issuer::new(body)],
            0.9,
            format!("adopted by \"{body}\" (header)"),
        );
    } else if (src.doc_type == Some(DocType::WorkReport) || session_place.is_some())
        && let Some(found) = report_issuer(src, session_place)
    {
        issuers = found;
    }
    if issuers.value.is_none()
        && let Some(found) = header_issuers(src, written)
    {
        issuers = found;
    }
    if issuers.value.is_none()
        && let Some(found) = title_issuers_evidence(src)
    {
        issuers = found;
    }
    if issuers.value.is_none()
        && let Some(found) = signature_issuers(src)
    {
        issuers = found;
    }
    issuers
}

/// A work report's issuer: the State Council for a report to the National
/// People's Congress, else the government of the congress's place, of the
/// government it speaks for (我代表…), or of the document's region.
fn report_issuer(src: &Sources, session_place: Option<&str>) -> Option<Evidence<Vec<Issuer>>> {
    let opening = &src.opening;
    let names = RegionNames::of(src.region);
    let behalf = opening
        .iter()
        .find_map(|l| REPORT_ON_BEHALF.captures(l).map(|c| c[1].to_string()));
    let from_session = session_place
        .filter(|p| p.chars().count() > 1 && !p.contains("全国"))
        .map(|p| format!("{p}人民政府"));
    let opening_text: String = opening.iter().take(3).copied().collect();
    let national = behalf.as_deref() == Some("国务院")
        || session_place.is_some_and(|p| p.contains("全国"))
        || (opening_text.contains("国务院") && opening_text.contains("全国人民代表大会"));
    let region_place = || {
        names
            .county
            .clone()
            .or(names.city.clone())
            .or(names.province.clone())
    };
    if national {
        Some(Evidence::found(
            vec![Issuer::new("国务院")],
            0.9,
            "a report to the National People's Congress, on behalf of the State Council".into(),
        ))
    } else if let Some(name) = from_session {
        Some(Evidence::found(
            vec![Issuer::new(&name)],
            0.85,
            format!(
                "delivered to the congress of {}",
                name.trim_end_matches("人民政府")
            ),
        ))
    } else if let Some(b) = behalf {
        // 我代表市人民政府: the place is the document's region.
        let level_word = b.trim_end_matches("人民政府").trim_end_matches("政府");
        if let Some(place) = region_place().filter(|_| level_word.chars().count() <= 3) {
            Some(Evidence::found(
                vec![Issuer::new(&format!("{place}人民政府"))],
                0.6,
                format!("\"我代表{b}\" and the region found"),
            ))
        } else if level_word.chars().count() > 3 {
            Some(Evidence::found(
                vec![Issuer::new(&b)],
                0.8,
                format!("\"我代表{b}\""),
            ))
        } else {
            None
        }
    } else if src.doc_type == Some(DocType::WorkReport)
        && let Some(place) = region_place()
    {
        // A report without its opening: it is its region's government's.
        Some(Evidence::found(
            vec![Issuer::new(&format!("{place}人民政府"))],
            0.5,
            "a work report of the region found; its opening does not name the government".into(),
        ))
    } else {
        None
    }
}

/// Header lines made of names, before the body starts: before the first
/// sentence, or just above a date (a bulletin's 宜春市统计局
/// 国家统计局宜春调查队 / （2023年4月12日）).
fn header_issuers(src: &Sources, written: &mut Evidence<Date>) -> Option<Evidence<Vec<Issuer>>> {
    let all = &src.all;
    let first_sentence = all
        .iter()
        .position(|l| l.contains(['，', ',', '。', '：', ':', '；']))
        .unwrap_or(all.len());
    let mut found: Vec<(String, String)> = all
        .iter()
        .take(first_sentence.min(8))
        .filter_map(|l| Some((organ_line(l)?, l.to_string())))
        .map(|(names, l)| (names.join(" "), l))
        .collect();
    if found.is_empty() {
        found = names_above_date(all, written);
    }
    let (_, line) = found.first()?;
    let list: Vec<Issuer> = found
        .iter()
        .flat_map(|(n, _)| n.split(' ').map(Issuer::new).collect::<Vec<_>>())
        .collect();
    Some(Evidence::found(list, 0.8, format!("header: \"{line}\"")))
}

/// The names just above the first date standing alone, all of them (a
/// joint notice signs with one body a line), each with its line; the date
/// below them is the date written when `written` has none yet.
fn names_above_date(all: &[&str], written: &mut Evidence<Date>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (i, l) in all.iter().enumerate().take(40) {
        if organ_line(l).is_some()
            && all
                .get(i + 1)
                .and_then(|n| date_line(n))
                .is_some_and(|(_, a)| a.is_empty())
        {
            let mut first = i;
            while first > 0 && organ_line(all[first - 1]).is_some() && i - first < 8 {
                first -= 1;
            }
            for l in &all[first..=i] {
                if let Some(names) = organ_line(l) {
                    found.push((names.join(" "), l.to_string()));
                }
            }
            if written.value.is_none()
                && let Some((d, _)) = date_line(all[i + 1])
            {
                *written = Evidence::found(
                    d,
                    0.8,
                    format!("signature: \"{}\" under the issuing bodies", all[i + 1]),
                );
            }
            break;
        }
    }
    found
}

/// The bodies the title names, or a first line that reads like a title
/// (民政部对“…”的答复): short, no sentence, or ending in a genre word.
fn title_issuers_evidence(src: &Sources) -> Option<Evidence<Vec<Issuer>>> {
    let t = src.title.or(src.all.first().copied().filter(|l| {
        l.chars().count() <= 80
            && (!l.contains(['，', ',', '。'])
                || ["通知", "意见", "答复", "复函", "函", "批复", "决定"]
                    .iter()
                    .any(|g| l.ends_with(g)))
    }))?;
    let list = title_issuers(t)?;
    Some(Evidence::found(
        list.iter().map(|n| Issuer::new(n)).collect(),
        0.85,
        format!("title: \"{t}\""),
    ))
}

/// The signature: the name lines just above the last standing date.
fn signature_issuers(src: &Sources) -> Option<Evidence<Vec<Issuer>>> {
    let tail = &src.tail;
    let i = tail.iter().rposition(|l| {
        date_line(l).is_some_and(|(_, a)| a.is_empty() || a == "签发" || a == "发布")
    })?;
    let mut list = Vec::new();
    let mut j = i;
    // 科 技 部 / 2018年7月30日签发 / 2018年8月3日发布: past the dates.
    while j > 0 && date_line(tail[j - 1]).is_some() {
        j -= 1;
    }
    while j > 0 && list.len() < 8 {
        j -= 1;
        match organ_line(tail[j]) {
            Some(names) => {
                for n in names.into_iter().rev() {
                    list.push(Issuer::new(&n));
                }
            }
            None => break,
        }
    }
    list.reverse();
    (!list.is_empty())
        .then(|| Evidence::found(list, 0.8, format!("signature above \"{}\"", tail[i])))
}

/// The document number (…〔年〕号), taken only from a line of its own or
/// after a 发文字号 label: a number inside a sentence cites another
/// document.
pub(super) fn doc_number(src: &Sources) -> Evidence<DocNumber> {
    for line in src.head_lines.iter().take(12).chain(src.tail.iter()) {
        let folded = crate::text::fold_str(line);
        let labelled = DOC_NUMBER_LABEL.find(&folded).map(|m| m.end());
        for c in DOC_NUMBER.captures_iter(&folded) {
            let m = c.get(0).expect("whole match");
            let rest = folded[..m.start()]
                .trim_matches(|ch: char| ch.is_whitespace() || "(（".contains(ch))
                .to_string()
                + folded[m.end()..]
                    .trim_matches(|ch: char| ch.is_whitespace() || ")）".contains(ch));
            // 济工信装备字〔2022〕1号 joined with the red header's 文件.
            let own_line = rest.is_empty() || rest == "文件";
            let after_label = labelled.is_some_and(|e| e <= m.start());
            if (own_line || after_label) && !c[1].starts_with('第') {
                return Evidence::found(
                    DocNumber {
                        written: m.as_str().trim().to_string(),
                        normalised: format!("{}〔{}〕{}号", &c[1], &c[2], &c[3]),
                    },
                    if own_line { 0.95 } else { 0.9 },
                    format!("a line of its own: \"{}\"", line.trim()),
                );
            }
        }
    }
    Evidence::unknown("no document number line (…〔年〕号) in the header or signature")
}

/// The effective date: a header's …起施行, else the text's 自…起施行 clause,
/// which may name a day or point to the publication (公布之日) or the issue
/// (印发之日), so it is read after those.
pub(super) fn effective_date(
    src: &Sources,
    header: &RegulationHeader,
    published: &Evidence<Date>,
    written: &Evidence<Date>,
) -> Evidence<Date> {
    if let Some((d, line)) = &header.header_effective {
        return Evidence::found(*d, 0.95, format!("header: \"{line}\""));
    }
    let unknown = Evidence::unknown("no 自…起施行 clause");
    let Some(c) = RULES.effective.captures(src.text) else {
        return unknown;
    };
    let clause = c.get(0).map_or("", |m| m.as_str());
    let when = &c[1];
    if let Some(d) = parse_date(when) {
        Evidence::found(d, 0.95, format!("\"{clause}\""))
    } else if when.starts_with("公布") || when.starts_with("发布") || when.starts_with("颁布")
    {
        match published.value.or(header.promulgated.as_ref().map(|p| p.0)) {
            Some(d) => Evidence::found(d, 0.8, format!("\"{clause}\", published {d}")),
            None => Evidence::unknown(&format!(
                "\"{clause}\", and the publication date is not given"
            )),
        }
    } else if when.starts_with("印发") {
        match written.value.or(published.value) {
            Some(d) => Evidence::found(d, 0.7, format!("\"{clause}\", issued {d}")),
            None => Evidence::unknown(&format!("\"{clause}\", and the date of issue is not given")),
        }
    } else {
        unknown
    }
}

/// The level of force: the first rule of data/metadata/issuance.toml whose
/// every condition holds. A rule that checks more is surer of itself.
pub(super) fn force(
    src: &Sources,
    issuers: &Evidence<Vec<Issuer>>,
    header: &RegulationHeader,
) -> Evidence<Force> {
    let adopting_body = header.adopting_body.as_deref();
    let congress_adopted = adopting_body
        .is_some_and(|b| b.contains("人民代表大会") || b.contains("人大"))
        || header.approved.value.is_some();
    let head_text = src
        .head_lines
        .iter()
        .take(12)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    for rule in &RULES.force {
        let holds = rule.issuer.as_ref().is_none_or(|re| {
            issuers
                .value
                .as_ref()
                .is_some_and(|list| list.iter().any(|i| re.is_match(&i.written)))
        }) && rule
            .adopted_by_congress
            .is_none_or(|want| want == congress_adopted)
            && rule
                .doc_type
                .as_ref()
                .is_none_or(|types| src.doc_type.is_some_and(|t| types.contains(&t)))
            && rule
                .title
                .as_ref()
                .is_none_or(|re| src.title.is_some_and(|t| re.is_match(t.trim())))
            && rule.head.as_ref().is_none_or(|re| {
                src.head_lines.iter().take(12).any(|l| re.is_match(l)) || re.is_match(&head_text)
            })
            && rule
                .adopted_by
                .as_ref()
                .is_none_or(|re| adopting_body.is_some_and(|b| re.is_match(b)))
            && rule.text.as_ref().is_none_or(|re| re.is_match(src.text));
        if holds {
            let conditions = rule.issuer.is_some() as u8
                + rule.adopted_by_congress.is_some() as u8
                + rule.head.is_some() as u8
                + rule.doc_type.is_some() as u8
                + rule.title.is_some() as u8
                + rule.adopted_by.is_some() as u8
                + rule.text.is_some() as u8;
            let confidence = match conditions {
                0 => 0.4,
                1 => 0.75,
                _ => 0.9,
            };
            return Evidence::found(rule.level, confidence, rule.why.clone());
        }
    }
    Evidence::unknown("no rule decided")
}
