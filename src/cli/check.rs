//! `lineage check`: the policy gate CI runs on a pull request's commits.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::config::{self, Level, ProjectConfig};
use crate::error::user_error;
use crate::query::check::check;
use crate::render;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable report.
    Text,
    /// `{"schema":1,"errors","warnings","findings":[…]}` (docs/json.md).
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request's files.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// Check a range against the policy of the committed `.lineage.toml` (a CI gate).
///
/// Check a range against the rules of the committed `.lineage.toml` (`[check.review]` with
/// `paths = [globs]`, `[check.signatures]`, `[check.ai_share]` with `max_percent = N`,
/// `[check.risky]`, each with `level = "error"` or `"warn"`): AI lines under given paths must be reviewed, notes must verify, a commit's AI
/// share has a ceiling, and AI lines with risky patterns (credentials, eval/exec, shell-outs,
/// SQL built by concatenation, TLS verification turned off) are flagged with file and line.
/// Exits 1 when a rule at level "error" found something.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD's history): on a pull request, `origin/main..HEAD`.
    range: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let rules = ProjectConfig::load(&repo)?.check;
    if rules.is_empty() {
        return Err(user_error(
            format!("{} configures no check", config::FILE),
            "add rules, e.g. [check.review] paths = [\"src/auth/**\"] (see `lineage check --help`)",
        ));
    }
    let findings = check(&repo, args.range.as_deref(), &rules)?;
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Text => render::check::text(out, &findings)?,
        Format::Json => render::check::json(out, &findings)?,
        Format::Github => render::check::github(out, &findings)?,
        Format::Sarif => render::check::sarif(out, &findings)?,
    }
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    if errors > 0 {
        return Err(user_error(
            format!("check failed: {errors} error(s)"),
            "the findings above say where; review the commits (`lineage review`) or fix the lines",
        ));
    }
    Ok(())
}
