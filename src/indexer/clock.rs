//! Times of indexing runs: stamped in seconds since 1970, shown and typed
//! (`--new-since`) in the local time zone (TZ, else the system's), as a
//! researcher in 北京 reads a clock; a time typed with `Z`, `UTC` or an
//! offset (`+08:00`) is taken as written.

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Now, in seconds since 1970.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `2026-12-03 03:40 +08:00` in the local time zone (`2026-12-02 19:40 UTC`
/// where it is UTC or unknown).
pub fn label(secs: u64) -> String {
    label_in(secs, &TimeZone::system())
}

/// Reads `2026-12-02`, `2026-12-02 19:40`, `2026-12-02T19:40:05` in the
/// local time zone, or with `Z`, `UTC` or an offset as written, as seconds
/// since 1970.
pub fn parse(text: &str) -> Result<u64, String> {
    parse_in(text, &TimeZone::system())
}

fn label_in(secs: u64, tz: &TimeZone) -> String {
    let Ok(at) = Timestamp::from_second(i64::try_from(secs).unwrap_or(i64::MAX)) else {
        return format!("{secs} s after 1970");
    };
    let local = at.to_zoned_datetime(tz.clone());
    if local.offset().seconds() == 0 {
        format!("{} UTC", local.strftime("%Y-%m-%d %H:%M"))
    } else {
        local.strftime("%Y-%m-%d %H:%M %:z").to_string()
    }
}

fn parse_in(text: &str, tz: &TimeZone) -> Result<u64, String> {
    let bad = || {
        format!(
            "{text:?} is not a date: give it as 2026-12-02, or with a time as \"2026-12-02 19:40\" (local time; add Z or +08:00 for another zone)"
        )
    };
    let text = text.trim();
    let (civil, tz) = match text.strip_suffix("UTC") {
        Some(rest) => (rest.trim(), TimeZone::UTC),
        None => (text, tz.clone()),
    };
    let at = match civil.parse::<Timestamp>() {
        Ok(at) => at,
        Err(_) => civil
            .parse::<DateTime>()
            .map_err(|_| bad())?
            .to_zoned_datetime(tz)
            .map_err(|_| bad())?
            .timestamp(),
    };
    u64::try_from(at.as_second()).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_show_in_the_local_zone_or_as_written() {
        let utc = TimeZone::UTC;
        let beijing = TimeZone::fixed(jiff::tz::offset(8));
        assert_eq!(parse_in("1970-01-01", &utc).unwrap(), 0);
        assert_eq!(parse_in("2024-02-29", &utc).unwrap(), 1_709_164_800);
        let t = parse_in("2026-12-02 19:40", &utc).unwrap();
        assert_eq!(label_in(t, &utc), "2026-12-02 19:40 UTC");
        assert_eq!(label_in(t, &beijing), "2026-12-03 03:40 +08:00");
        // Local time is the zone's; Z, UTC and an offset are as written.
        assert_eq!(parse_in("2026-12-03 03:40", &beijing).unwrap(), t);
        assert_eq!(parse_in("2026-12-02T19:40:00Z", &beijing).unwrap(), t);
        assert_eq!(parse_in("2026-12-02 19:40 UTC", &beijing).unwrap(), t);
        assert_eq!(parse_in("2026-12-03 03:40+08:00", &utc).unwrap(), t);
        assert_eq!(
            parse_in("2026-12-03", &beijing).unwrap(),
            parse_in("2026-12-02 16:00", &utc).unwrap(),
            "a date alone is local midnight"
        );
        assert_eq!(
            label_in(parse_in("2000-03-01", &utc).unwrap(), &utc),
            "2000-03-01 00:00 UTC"
        );
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "yesterday",
            "2023-01-01 25:00",
            "2023",
            "1960-01-01",
        ] {
            let why = parse_in(bad, &utc).unwrap_err();
            assert!(why.contains("is not a date"), "{bad}: {why}");
        }
    }
}
