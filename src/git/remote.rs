//! Remotes: which one git would use, and moving lineage's notes ref to and from one. Transfers
//! go through the `git` CLI (its transports, credential helpers and SSH config); merging goes
//! through libgit2 (`notes::merge`).

use anyhow::{Context, Result};

use super::notes::{self, MergedNotes, NOTES_REF};
use super::{Repo, id, oid};
use crate::error::user_error;
use crate::model::ObjectId;

/// What a push of the notes ref did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// The remote's ref moved (fast-forward) or was created.
    Moved,
    /// The remote already had it.
    UpToDate,
    /// The remote's ref holds notes we do not have (not a fast-forward): fetch and merge first.
    Rejected,
}

/// The ref that tracks `remote`'s notes.
pub fn tracking_ref(remote: &str) -> String {
    format!("refs/notes/remotes/{remote}/lineage")
}

impl Repo {
    pub fn remote_names(&self) -> Vec<String> {
        self.repo
            .remotes()
            .map(|names| names.iter().flatten().flatten().map(String::from).collect())
            .unwrap_or_default()
    }

    /// The remote git would use: for a push, `branch.<b>.pushRemote`, `remote.pushDefault`;
    /// then `branch.<b>.remote`, `origin`, or the only remote there is.
    pub fn default_remote(&self, push: bool) -> Result<String> {
        let branch = self
            .repo
            .head()
            .ok()
            .filter(|h| h.is_branch())
            .and_then(|h| h.shorthand().ok().map(String::from));
        let config = |key: String| self.config_string(&key);
        let mut candidates = Vec::new();
        if push {
            candidates.extend(
                branch
                    .as_ref()
                    .and_then(|b| config(format!("branch.{b}.pushRemote"))),
            );
            candidates.extend(config("remote.pushDefault".into()));
        }
        candidates.extend(branch.as_ref().and_then(|b| config(format!("branch.{b}.remote"))));
        let names = self.remote_names();
        if let Some(found) = candidates.into_iter().find(|c| c != ".") {
            return Ok(found);
        }
        if names.iter().any(|n| n == "origin") {
            return Ok("origin".into());
        }
        match names.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(user_error(
                "this repository has no remote to share notes with",
                "add one with `git remote add origin <url>`, or name one: `lineage sync <remote>`",
            )),
            _ => Err(user_error(
                format!("several remotes ({}) and none is the default", names.join(", ")),
                "name one, e.g. `lineage sync origin`",
            )),
        }
    }

    /// An error naming `remote` when this repository has no such remote.
    pub fn check_remote(&self, remote: &str) -> Result<()> {
        if self.repo.find_remote(remote).is_ok() {
            return Ok(());
        }
        let known = self.remote_names();
        Err(user_error(
            format!("no remote named '{remote}'"),
            if known.is_empty() {
                "this repository has no remotes: add one with `git remote add <name> <url>`".to_string()
            } else {
                format!("the remotes here are: {}", known.join(", "))
            },
        ))
    }

    /// Adds `spec` to `remote`'s fetch refspecs unless it is there; returns whether it was added.
    pub fn add_fetch_refspec(&self, remote: &str, spec: &str) -> Result<bool> {
        let key = format!("remote.{remote}.fetch");
        if self.config_values(&key).iter().any(|s| s == spec) {
            return Ok(false);
        }
        let mut config = self.repo.config()?.open_level(git2::ConfigLevel::Local)?;
        // A pattern no value matches adds a value instead of replacing one.
        config.set_multivar(&key, "^$", spec)?;
        Ok(true)
    }

    /// The commit a notes ref points to; `None` when it does not exist, an error when it points
    /// at something else (see `notes_commit`).
    pub fn ref_commit(&self, name: &str) -> Result<Option<ObjectId>> {
        Ok(notes::notes_ref_commit(&self.repo, name)?.map(|c| id(c.id())))
    }

    /// Fetches `remote`'s notes into its tracking ref (forced: it mirrors the remote; the local
    /// notes ref is never touched). `None` when the remote has no notes yet.
    pub fn fetch_notes(&self, remote: &str) -> Result<Option<ObjectId>> {
        let refspec = format!("+{NOTES_REF}:{}", tracking_ref(remote));
        // `--refmap=`: the remote's configured refspecs must not also map the ref (a
        // `+refs/notes/*:refs/notes/*` would overwrite the local notes on the way).
        let out = self
            .git_cli(&[
                "fetch",
                "--quiet",
                "--no-write-fetch-head",
                "--refmap=",
                remote,
                &refspec,
            ])
            .output()
            .context("cannot run git fetch")?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("couldn't find remote ref") {
                return Ok(None);
            }
            return Err(transfer_error("fetch from", remote, &stderr));
        }
        self.ref_commit(&tracking_ref(remote))
    }

    /// The commit `remote`'s notes ref points to, without fetching (`git ls-remote`).
    pub fn remote_notes(&self, remote: &str) -> Result<Option<ObjectId>> {
        let out = self
            .git_cli(&["ls-remote", remote, NOTES_REF])
            .output()
            .context("cannot run git ls-remote")?;
        if !out.status.success() {
            return Err(transfer_error(
                "reach",
                remote,
                &String::from_utf8_lossy(&out.stderr),
            ));
        }
        // ls-remote matches patterns by their tail (`refs/x/refs/notes/lineage` too): only
        // the exact ref counts.
        Ok(String::from_utf8_lossy(&out.stdout).lines().find_map(|line| {
            let (id, name) = line.split_once('\t')?;
            (name == NOTES_REF).then(|| ObjectId::from_hex(id)).flatten()
        }))
    }

    /// Pushes notes commit `commit` to `remote`'s notes ref, never forced. `no_verify` skips the
    /// pre-push hook (for the push lineage's own pre-push hook makes).
    pub fn push_notes(&self, remote: &str, commit: ObjectId, no_verify: bool) -> Result<Pushed> {
        let refspec = format!("{commit}:{NOTES_REF}");
        let mut args = vec!["push", "--porcelain", "--quiet"];
        if no_verify {
            args.push("--no-verify");
        }
        args.extend([remote, refspec.as_str()]);
        let out = self.git_cli(&args).output().context("cannot run git push")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        // Porcelain: a status line per ref (`<flag>\t<from>:<to>\t<summary> (<reason>)`),
        // `!` for rejected, `=` for up to date.
        let line = stdout.lines().find(|l| l.contains(NOTES_REF)).unwrap_or_default();
        // Someone else moved the remote's ref first, or was moving it right then.
        let raced = [
            "non-fast-forward",
            "fetch first",
            "stale info",
            "lock",
            "failed to update ref",
        ]
        .iter()
        .any(|reason| line.contains(reason));
        if out.status.success() {
            // As git does for branches: the tracking ref now knows what the remote has.
            self.repo
                .reference(&tracking_ref(remote), oid(commit)?, true, "lineage: push")?;
        }
        match (out.status.success(), line.chars().next()) {
            (true, Some('=')) => Ok(Pushed::UpToDate),
            (true, _) => Ok(Pushed::Moved),
            (false, Some('!')) if raced => Ok(Pushed::Rejected),
            (false, Some('!')) => Err(transfer_error(
                "push to",
                remote,
                line.split('\t').nth(2).unwrap_or(line),
            )),
            (false, _) => Err(transfer_error(
                "push to",
                remote,
                &String::from_utf8_lossy(&out.stderr),
            )),
        }
    }

    /// The union of notes commits `ours` (none: no local notes) and `theirs`, written as
    /// objects; no ref moves (see [`notes::merge`]).
    pub fn merge_notes(
        &self,
        ours: Option<ObjectId>,
        theirs: ObjectId,
        merge_text: impl Fn(Option<&[u8]>, &[u8]) -> Vec<u8>,
    ) -> Result<MergedNotes> {
        notes::merge(&self.repo, ours.map(oid).transpose()?, oid(theirs)?, merge_text)
    }

    /// Moves the local notes ref from `expected` (none: absent) to `to`; `false` when another
    /// writer moved it first.
    pub fn advance_notes_ref(&self, expected: Option<ObjectId>, to: ObjectId, why: &str) -> Result<bool> {
        notes::move_ref(&self.repo, expected.map(oid).transpose()?, oid(to)?, why)
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: ObjectId, descendant: ObjectId) -> bool {
        ancestor == descendant
            || match (oid(descendant), oid(ancestor)) {
                (Ok(d), Ok(a)) => self.repo.graph_descendant_of(d, a).unwrap_or(false),
                _ => false,
            }
    }

    /// A git command in this repository that never prompts for credentials.
    fn git_cli(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = self.git_here();
        cmd.env("GIT_TERMINAL_PROMPT", "0")
            .stdin(std::process::Stdio::null())
            .args(args);
        cmd
    }
}

/// An error for a failed transfer with `remote`, with a hint for the usual causes.
fn transfer_error(doing: &str, remote: &str, stderr: &str) -> anyhow::Error {
    let detail = stderr
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("fatal: ")
                .trim_start_matches("error: ")
        })
        .find(|l| !l.is_empty())
        .unwrap_or("git gave no reason")
        .to_string();
    let lower = stderr.to_lowercase();
    let hint = if lower.contains("authentication")
        || lower.contains("permission denied")
        || lower.contains("could not read username")
    {
        format!("check your credentials for '{remote}' (a plain `git fetch {remote}` asks for them)")
    } else if lower.contains("does not appear to be a git repository")
        || lower.contains("not a git repository")
        || lower.contains("unable to access")
        || lower.contains("could not resolve")
        || lower.contains("connection")
    {
        format!("check the remote's address (`git remote get-url {remote}`) and that it is reachable")
    } else {
        format!("run `git fetch {remote}` to see what git says")
    };
    user_error(format!("cannot {doing} remote '{remote}': {detail}"), hint)
}
