//! `lineage ci github|gitlab`: print a CI workflow that keeps provenance complete on the
//! server side.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

/// Print a ready CI workflow: fetch notes, re-bind server-side squash and rebase merges with
/// `lineage reattach`, push notes back, and run `lineage check` on pull requests once a policy
/// is configured.
///
/// GitHub: save it as .github/workflows/lineage.yml. GitLab: include it in .gitlab-ci.yml.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    service: Service,
    /// The branch pull requests merge into.
    #[arg(long, default_value = "main")]
    branch: String,
    /// The command that installs lineage on the runner.
    #[arg(long, default_value = "cargo install --locked lineage")]
    install: String,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Service {
    Github,
    Gitlab,
}

pub fn run(_cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let template = match args.service {
        Service::Github => include_str!("../../templates/ci/github.yml"),
        Service::Gitlab => include_str!("../../templates/ci/gitlab.yml"),
    };
    let text = template
        .replace("@BRANCH@", &args.branch)
        .replace("@INSTALL@", &args.install);
    out.write_all(text.as_bytes())?;
    Ok(())
}
