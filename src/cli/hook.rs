//! `lineage hook <name>`: what the installed git hooks run. Not for people.
//!
//! A hook never blocks or breaks a commit because lineage failed: every problem becomes a
//! `lineage: warning:` on stderr and a line in the journal's log, and the exit code is 0.

use std::io::Read;

use anyhow::Result;

use crate::git::Repo;
use crate::ops::commit::{self, HookReport};
use crate::ops::{carry, sync};
use crate::store::journal::Journal;

/// Run a git hook's lineage step (called by the installed hook scripts).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    name: HookName,
    /// git's arguments to the hook (`amend` or `rebase` for post-rewrite).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    git_args: Vec<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum HookName {
    /// `pre-commit` is what hooks installed by earlier versions call.
    #[value(alias = "pre-commit")]
    PrepareCommitMsg,
    PostCommit,
    PostRewrite,
    PrePush,
}

impl Args {
    /// The post-commit script's command line, `lineage hook post-commit`: main runs it without
    /// clap (see [`Args::is_post_commit`]).
    pub fn post_commit() -> Args {
        Args {
            name: HookName::PostCommit,
            git_args: Vec::new(),
        }
    }

    /// Whether `args` (the program's, its name first) are exactly `hook post-commit`. That
    /// command line is fixed by the hook script and runs at every commit: matching it here
    /// saves clap's parse of the whole command tree, ~0.3 ms of a cold process.
    pub fn is_post_commit(args: &[std::ffi::OsString]) -> bool {
        matches!(args, [_, hook, name] if hook == "hook" && name == "post-commit")
    }
}

pub fn run(args: Args) -> Result<()> {
    let hook = match args.name {
        HookName::PrepareCommitMsg => "prepare-commit-msg",
        HookName::PostCommit => "post-commit",
        HookName::PostRewrite => "post-rewrite",
        HookName::PrePush => "pre-push",
    };
    let repo = Repo::from_env();
    let result = repo
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e:#}"))
        .and_then(|repo| match args.name {
            HookName::PrepareCommitMsg => commit::prepare_commit(repo),
            HookName::PostCommit => commit::post_commit(repo),
            HookName::PostRewrite => {
                let mut list = String::new();
                std::io::stdin().read_to_string(&mut list)?;
                // Rewritten commits carry their notes: owed ones are written first.
                let report = commit::write_owed_notes(repo);
                carry::post_rewrite(repo, &list).map(|_| report)
            }
            HookName::PrePush => {
                let remote = args.git_args.first().map(String::as_str).unwrap_or_default();
                let report = commit::write_owed_notes(repo);
                sync::pre_push(repo, remote).map(|_| report)
            }
        });

    if let (Ok(HookReport { repaired, .. }), Ok(repo)) = (&result, &repo)
        && !repaired.is_empty()
    {
        let ids: Vec<String> = repaired.iter().map(|c| c.abbrev(12)).collect();
        Journal::of(repo).log(&format!(
            "{hook}: recovered the provenance of commits the hooks had missed: {}",
            ids.join(" ")
        ));
    }
    let (warnings, failure) = match result {
        Ok(HookReport { warnings, .. }) => (warnings, None),
        Err(e) => (
            Vec::new(),
            Some(format!("{hook} failed, the commit is not affected: {e:#}")),
        ),
    };
    for message in warnings.iter().chain(&failure) {
        super::warn(message);
        if let Ok(repo) = &repo {
            Journal::of(repo).log(&format!("{hook}: {message}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn args(line: &str) -> Vec<std::ffi::OsString> {
        line.split(' ').map(Into::into).collect()
    }

    #[test]
    fn only_the_scripts_exact_post_commit_line_skips_clap_and_clap_reads_it_alike() {
        assert!(Args::is_post_commit(&args("/usr/bin/lineage hook post-commit")));
        for other in [
            "lineage hook post-commit amend",
            "lineage hook post-rewrite",
            "lineage hook",
            "lineage post-commit hook",
            "lineage -C dir hook post-commit",
        ] {
            assert!(!Args::is_post_commit(&args(other)), "{other}");
        }
        let parsed = super::super::Cli::try_parse_from(args("lineage hook post-commit")).unwrap();
        let super::super::Command::Hook(parsed) = parsed.command else {
            panic!("not the hook command: {parsed:?}");
        };
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Args::post_commit()));
    }
}
