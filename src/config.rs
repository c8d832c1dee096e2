//! The project's committed configuration, `.lineage.toml` at the work tree's root: settings a
//! team shares through the repository (unlike git config, which is each clone's own).
//!
//! ```toml
//! [stats]
//! # Paths left out of stats, log, the report and exports: lockfiles, generated code.
//! ignore = ["Cargo.lock", "vendor/**", "*.generated.rs"]
//!
//! # `lineage check`: each rule is "error" (fails the check) or "warn".
//! [check.review]        # AI lines under these paths need an approving review
//! paths = ["src/auth/**"]
//! level = "error"
//! [check.signatures]    # notes must verify (lineage verify)
//! level = "error"
//! [check.ai_share]      # AI share of a commit's added lines at most this
//! max_percent = 80
//! level = "warn"
//! [check.risky]         # credentials, eval/exec, shell-outs, SQL concatenation, TLS off
//! level = "warn"
//! ```

use anyhow::Result;

use crate::error::user_error;
use crate::git::Repo;

pub const FILE: &str = ".lineage.toml";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ProjectConfig {
    /// `[stats] ignore`: globs of paths left out of the figures.
    pub stats_ignore: Vec<String>,
    /// `[check.*]`: the rules of `lineage check`.
    pub check: CheckConfig,
}

/// How much a failed rule weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warn,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct CheckConfig {
    /// AI lines under these globs need an approving review.
    pub review: Option<(Vec<String>, Level)>,
    /// Notes must verify.
    pub signatures: Option<Level>,
    /// A commit's AI share at most this percentage.
    pub ai_share: Option<(f64, Level)>,
    /// Risky patterns in AI lines.
    pub risky: Option<Level>,
}

impl CheckConfig {
    pub fn is_empty(&self) -> bool {
        *self == CheckConfig::default()
    }
}

impl ProjectConfig {
    /// The work tree's `.lineage.toml`, or the defaults when there is none.
    pub fn load(repo: &Repo) -> Result<ProjectConfig> {
        let path = repo.workdir()?.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => ProjectConfig::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ProjectConfig::default()),
            Err(e) => Err(user_error(
                format!("cannot read {FILE}: {e}"),
                "make it a readable text file, or remove it",
            )),
        }
    }

    pub fn parse(text: &str) -> Result<ProjectConfig> {
        let invalid = |what: String| {
            user_error(
                format!("{FILE}: {what}"),
                "it holds [stats] ignore = [globs] and [check.review|signatures|ai_share|risky] tables (README, Configuration)",
            )
        };
        let doc: toml_edit::DocumentMut = text.parse().map_err(|e| invalid(format!("not TOML: {e}")))?;
        let mut config = ProjectConfig::default();
        if let Some(stats) = doc.get("stats") {
            let stats = stats
                .as_table_like()
                .ok_or_else(|| invalid("[stats] is not a table".into()))?;
            if let Some(ignore) = stats.get("ignore") {
                let list = ignore
                    .as_array()
                    .ok_or_else(|| invalid("[stats] ignore is not a list of globs".into()))?;
                for item in list {
                    let glob = item.as_str().ok_or_else(|| {
                        invalid("[stats] ignore holds something other than a string".into())
                    })?;
                    config.stats_ignore.push(glob.to_string());
                }
            }
        }
        if let Some(check) = doc.get("check") {
            let check = check
                .as_table_like()
                .ok_or_else(|| invalid("[check] is not a table".into()))?;
            for (name, rule) in check.iter() {
                let rule = rule
                    .as_table_like()
                    .ok_or_else(|| invalid(format!("[check.{name}] is not a table")))?;
                let level = match rule.get("level").map(|l| l.as_str()) {
                    None | Some(Some("error")) => Level::Error,
                    Some(Some("warn")) => Level::Warn,
                    _ => {
                        return Err(invalid(format!(
                            "[check.{name}] level is not \"error\" or \"warn\""
                        )));
                    }
                };
                match name {
                    "review" => {
                        let paths = rule
                            .get("paths")
                            .and_then(|p| p.as_array())
                            .ok_or_else(|| invalid("[check.review] needs paths = [globs]".into()))?
                            .iter()
                            .map(|p| p.as_str().map(String::from))
                            .collect::<Option<Vec<String>>>()
                            .ok_or_else(|| {
                                invalid("[check.review] paths holds something other than a string".into())
                            })?;
                        config.check.review = Some((paths, level));
                    }
                    "signatures" => config.check.signatures = Some(level),
                    "ai_share" => {
                        let max = rule
                            .get("max_percent")
                            .and_then(|m| m.as_float().or_else(|| m.as_integer().map(|i| i as f64)))
                            .filter(|m| (0.0..=100.0).contains(m))
                            .ok_or_else(|| invalid("[check.ai_share] needs max_percent = 0..100".into()))?;
                        config.check.ai_share = Some((max, level));
                    }
                    "risky" => config.check.risky = Some(level),
                    other => {
                        return Err(invalid(format!(
                            "[check.{other}] is not a rule (review, signatures, ai_share, risky)"
                        )));
                    }
                }
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stats_ignore() {
        let config = ProjectConfig::parse("[stats]\nignore = [\"Cargo.lock\", \"vendor/**\"]\n").unwrap();
        assert_eq!(config.stats_ignore, vec!["Cargo.lock", "vendor/**"]);
        assert_eq!(ProjectConfig::parse("").unwrap(), ProjectConfig::default());
        assert!(ProjectConfig::parse("[stats]\nignore = \"x\"").is_err());
        assert!(ProjectConfig::parse("[stats]\nignore = [1]").is_err());
        assert!(ProjectConfig::parse("not toml [").is_err());
    }

    #[test]
    fn reads_check_rules() {
        let config = ProjectConfig::parse(
            "[check.review]\npaths = [\"src/auth/**\"]\n[check.ai_share]\nmax_percent = 50\nlevel = \"warn\"\n[check.risky]\n",
        )
        .unwrap();
        assert_eq!(
            config.check.review,
            Some((vec!["src/auth/**".to_string()], Level::Error))
        );
        assert_eq!(config.check.ai_share, Some((50.0, Level::Warn)));
        assert_eq!(config.check.risky, Some(Level::Error));
        assert_eq!(config.check.signatures, None);
        for bad in [
            "[check.review]\n",
            "[check.ai_share]\nmax_percent = 150\n",
            "[check.risky]\nlevel = \"fatal\"\n",
            "[check.speling]\n",
        ] {
            assert!(ProjectConfig::parse(bad).is_err(), "{bad}");
        }
    }
}
