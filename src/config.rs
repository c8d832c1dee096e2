//! The project's committed configuration, `.lineage.toml` at the work tree's root: settings a
//! team shares through the repository (unlike git config, which is each clone's own).
//!
//! ```toml
//! [stats]
//! # Paths left out of stats, log, the report and exports: lockfiles, generated code.
//! ignore = ["Cargo.lock", "vendor/**", "*.generated.rs"]
//! ```

use anyhow::Result;

use crate::error::user_error;
use crate::git::Repo;

pub const FILE: &str = ".lineage.toml";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct ProjectConfig {
    /// `[stats] ignore`: globs of paths left out of the figures.
    pub stats_ignore: Vec<String>,
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
                "see `lineage stats --help` for the format",
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
}
