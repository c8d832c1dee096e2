//! The one clock lineage reads. `LINEAGE_NOW` (RFC 3339) pins it, so tests and the demo are
//! reproducible: it stamps `recorded_at` and decides when pending entries expire.

use chrono::{DateTime, SecondsFormat, Utc};

pub const NOW_ENV: &str = "LINEAGE_NOW";

pub fn now() -> DateTime<Utc> {
    std::env::var(NOW_ENV)
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

/// RFC 3339 in UTC with a `Z` suffix, the form every timestamp lineage writes takes.
/// Sub-second digits, when the clock has them, keep two identical edits recorded in the same
/// second apart (entry ids hash the timestamp).
pub fn format(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
