//! Times of indexing runs: seconds since 1970 (UTC), shown and typed as
//! calendar dates. No time zone database: batches are stamped, shown and
//! selected (`--new-since`) in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in seconds since 1970.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2026-12-02 19:40 UTC`.
pub fn label(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Reads `2026-12-02`, `2026-12-02 19:40`, `2026-12-02T19:40:05` (UTC) as
/// seconds since 1970.
pub fn parse(text: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "{text:?} is not a date: give it as 2026-12-02, or with a time (UTC) as \"2026-12-02 19:40\""
        )
    };
    let text = text
        .trim()
        .trim_end_matches("UTC")
        .trim_end_matches('Z')
        .trim();
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (y, m, d) = match (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(y), Ok(m), Ok(d)) if (1970..=9999).contains(&y) && (1..=12).contains(&m) => (y, m, d),
        _ => return Err(bad()),
    };
    if d == 0 || d > days_in_month(y, m) {
        return Err(bad());
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(time) = time {
        let hms: Vec<u32> = time
            .split(':')
            .map(|p| p.parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        let (h, mi, s) = match hms.as_slice() {
            [h, mi] => (*h, *mi, 0),
            [h, mi, s] => (*h, *mi, *s),
            _ => return Err(bad()),
        };
        if h > 23 || mi > 59 || s > 59 {
            return Err(bad());
        }
        secs += i64::from(h * 3600 + mi * 60 + s);
    }
    Ok(secs as u64)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_show_in_utc() {
        assert_eq!(parse("1970-01-01").unwrap(), 0);
        assert_eq!(parse("2024-02-29").unwrap(), 1_709_164_800);
        let t = parse("2026-12-02 19:40").unwrap();
        assert_eq!(label(t), "2026-12-02 19:40 UTC");
        assert_eq!(parse("2026-12-02T19:40:00Z").unwrap(), t);
        assert_eq!(label(parse("2000-03-01").unwrap()), "2000-03-01 00:00 UTC");
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "yesterday",
            "2023-01-01 25:00",
            "2023",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
