//! `lineage review`: record a review verdict on commits.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::error::user_error;
use crate::ops::review::{Review, Verdict, review};

/// Record a review verdict on a commit or a range.
///
/// Record that a person reviewed a commit or a range: `approved` or `changes-requested`, by
/// whom, with a link and a message. blame, explain, log and stats show the latest verdict;
/// `lineage check` can require one. CI can call it when a pull request is approved:
/// `lineage review "$BASE..$HEAD" --approve --by "$REVIEWER" --ref "$PR_URL"`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("verdict").required(true).args(["approve", "request_changes"])))]
pub struct Args {
    /// The commit (`HEAD`, an id) or range (`main..topic`) reviewed.
    rev: String,
    /// The changes are approved.
    #[arg(long)]
    approve: bool,
    /// Changes are requested.
    #[arg(long)]
    request_changes: bool,
    /// Who reviewed, `Name <email>` (default: git's user.name and user.email).
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// Where the review happened: a pull request's URL, say.
    #[arg(long = "ref", value_name = "URL")]
    reference: Option<String>,
    /// What the reviewer said.
    #[arg(short = 'm', long, value_name = "TEXT")]
    message: Option<String>,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let commits = match args.rev.contains("..") {
        true => repo.rev_list(&args.rev)?,
        false => vec![repo.resolve_commit(&args.rev)?],
    };
    if commits.is_empty() {
        return Err(user_error(
            format!("{} holds no commits", args.rev),
            "name the commits reviewed, e.g. main..topic or HEAD",
        ));
    }
    let by = match args.by.filter(|b| !b.trim().is_empty()).or_else(|| repo.user()) {
        Some(by) => by,
        None => {
            return Err(user_error(
                "who reviewed is not known: git has no user.name or user.email here",
                "pass --by \"Name <email>\"",
            ));
        }
    };
    let verdict = match args.approve {
        true => Verdict::Approved,
        false => Verdict::ChangesRequested,
    };
    let written = review(
        &repo,
        &commits,
        &Review {
            verdict,
            by: by.clone(),
            reference: args.reference,
            message: args.message,
        },
    )?;
    writeln!(
        out,
        "{} {} commit(s) as {} (notes of {} changed)",
        match verdict {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "requested changes on",
        },
        commits.len(),
        crate::render::escape(&by),
        written.len()
    )?;
    Ok(())
}
