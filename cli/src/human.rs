//! Unix milliseconds as people read them.

use time::OffsetDateTime;

/// `2026-12-02 12:39:28.123 UTC`, or a note for times beyond year 9999.
pub fn utc(ms: u64) -> String {
    match OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        Err(_) => "after the year 9999".into(),
    }
}

/// `1796215437122 (2026-12-02 12:39:28.123 UTC)`.
pub fn ms_and_utc(ms: u64) -> String {
    format!("{ms} ({})", utc(ms))
}

/// A duration in milliseconds with days, hours or minutes beside it.
pub fn duration(ms: u64) -> String {
    const MIN: u64 = 60_000;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    let human = if ms >= DAY {
        format!("{:.2} days", ms as f64 / DAY as f64)
    } else if ms >= HOUR {
        format!("{:.2} hours", ms as f64 / HOUR as f64)
    } else if ms >= MIN {
        format!("{:.2} minutes", ms as f64 / MIN as f64)
    } else {
        format!("{} s", ms as f64 / 1e3)
    };
    let human = human.replace(".00 ", " ");
    format!("{ms} ms ({human})")
}

/// `n thing` or `n things`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations_read_well() {
        assert_eq!(utc(0), "1970-01-01 00:00:00.000 UTC");
        assert_eq!(utc(1_800_000_000_123), "2027-01-15 08:00:00.123 UTC");
        assert_eq!(utc(u64::MAX), "after the year 9999");
        assert_eq!(duration(1_209_600_000), "1209600000 ms (14 days)");
        assert_eq!(duration(10_000), "10000 ms (10 s)");
        assert_eq!(plural(1, "block", "blocks"), "1 block");
        assert_eq!(plural(2, "block", "blocks"), "2 blocks");
    }
}
