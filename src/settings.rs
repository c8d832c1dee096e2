//! Settings read from git config (`git config lineage.<name> <value>`).

use chrono::Duration;

use crate::git::Repo;
pub use crate::model::PromptMode;

#[derive(Debug, Clone)]
pub struct Settings {
    pub prompts: PromptMode,
    /// How long an entry with none of its lines committed stays pending (`lineage.journal.expire`).
    pub expire: Duration,
}

impl Settings {
    pub const DEFAULT_EXPIRE_DAYS: i64 = 14;

    /// Reads the settings; values that do not parse fall back to the defaults and are returned
    /// as warnings.
    pub fn load(repo: &Repo) -> (Settings, Vec<String>) {
        let mut warnings = Vec::new();
        let prompts = match repo.config_string("lineage.prompts").as_deref() {
            None | Some("full") => PromptMode::Full,
            Some("hash") => PromptMode::Hash,
            Some("none") => PromptMode::None,
            Some(other) => {
                warnings.push(format!(
                    "lineage.prompts={other} is not full, hash or none; using full"
                ));
                PromptMode::Full
            }
        };
        let expire = match repo.config_string("lineage.journal.expire") {
            None => Duration::days(Self::DEFAULT_EXPIRE_DAYS),
            Some(text) => parse_duration(&text).unwrap_or_else(|| {
                warnings.push(format!(
                    "lineage.journal.expire={text} is not a duration like 14d or 36h; using 14d"
                ));
                Duration::days(Self::DEFAULT_EXPIRE_DAYS)
            }),
        };
        (Settings { prompts, expire }, warnings)
    }
}

/// `14d`, `36h`, `90m`, `2w`, or a bare number of days.
fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok()?;
    // `try_*`: a duration past chrono's range (`9999999999999d`) is a bad setting, not a panic.
    match unit.trim() {
        "" | "d" | "day" | "days" => Duration::try_days(n),
        "h" | "hour" | "hours" => Duration::try_hours(n),
        "m" | "min" | "minutes" => Duration::try_minutes(n),
        "w" | "week" | "weeks" => Duration::try_weeks(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("14d"), Some(Duration::days(14)));
        assert_eq!(parse_duration("7"), Some(Duration::days(7)));
        assert_eq!(parse_duration("36h"), Some(Duration::hours(36)));
        assert_eq!(parse_duration("2 weeks"), Some(Duration::weeks(2)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("9999999999999d"), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }
}
