//! Provenance per commit over a range, computed once and read by `log`, `stats`, the report
//! and exports: for each commit, the lines it added per path (from git), which of them AI
//! records hold (accepted verbatim or modified, by tool and model), the AI edits its note
//! settled without committing (rejected, discarded), its reviews, and whether lineage saw it
//! (else its other lines are unknown, not human). Commits stream through one `git log` and
//! one snapshot of the notes; nothing here prints.

use std::collections::BTreeMap;

use anyhow::Result;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use crate::error::user_error;
use crate::git::{LoggedCommit, Repo};
use crate::model::{EditRecord, ObjectId, ParsedNote, ReviewRecord, SettledOutcome, SettledRecord};
use crate::store::notes::Notes;
use crate::store::numstat::NumstatCache;

/// Paths left out of the figures: lockfiles, generated code, vendored directories.
#[derive(Debug, Default)]
pub struct Ignore {
    globs: Option<GlobSet>,
    patterns: Vec<String>,
}

impl Ignore {
    /// Globs as `.gitignore`-like patterns (`Cargo.lock`, `vendor/**`, `*.pb.go`): a pattern
    /// without `/` matches the file name in any directory.
    pub fn new(patterns: &[String]) -> Result<Ignore> {
        if patterns.is_empty() {
            return Ok(Ignore::default());
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let full = match pattern.contains('/') {
                true => pattern.trim_start_matches('/').to_string(),
                false => format!("**/{pattern}"),
            };
            let glob = Glob::new(&full).map_err(|e| {
                user_error(
                    format!("ignore pattern {pattern:?} is not a glob: {e}"),
                    "write globs like Cargo.lock, vendor/** or *.generated.rs",
                )
            })?;
            builder.add(glob);
        }
        let globs = builder
            .build()
            .map_err(|e| user_error(format!("ignore patterns: {e}"), "check the globs"))?;
        Ok(Ignore {
            globs: Some(globs),
            patterns: patterns.to_vec(),
        })
    }

    pub fn ignores(&self, path: &str) -> bool {
        self.globs.as_ref().is_some_and(|g| g.is_match(path))
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

/// What a commit holds, as far as lineage can tell.
#[derive(Debug, Clone, Serialize)]
pub struct CommitFacts {
    pub commit: ObjectId,
    /// `Name <email>`.
    pub author: String,
    /// Seconds since the epoch.
    pub author_time: i64,
    pub committer: String,
    pub summary: String,
    /// lineage processed the commit: its lines without AI records are human, else unknown.
    pub seen: bool,
    pub files: Vec<FileFacts>,
    /// AI edits this commit's note settled without committing them.
    pub settled: Vec<SettledRecord>,
    pub reviews: Vec<ReviewRecord>,
}

/// One path of a commit: the lines it added, and the AI's among them by tool and model.
#[derive(Debug, Clone, Serialize)]
pub struct FileFacts {
    pub path: String,
    /// Lines the commit added to the path (at least the AI's: a merge's diff shows none).
    pub lines: u32,
    pub ai: Vec<AiLines>,
}

/// AI lines of one tool and model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiLines {
    pub tool: String,
    pub model: Option<String>,
    /// Committed as the AI wrote them.
    pub accepted: u32,
    /// Edited by a person before committing.
    pub modified: u32,
}

impl FileFacts {
    pub fn ai_lines(&self) -> u32 {
        self.ai.iter().map(|a| a.accepted + a.modified).sum()
    }
}

/// The latest verdict of a commit's reviews, if it has any.
pub fn review_status(reviews: &[ReviewRecord]) -> Option<&ReviewRecord> {
    reviews.iter().max_by(|a, b| a.at.cmp(&b.at))
}

impl CommitFacts {
    /// Whether its latest review approved it.
    pub fn approved(&self) -> bool {
        review_status(&self.reviews).is_some_and(|r| r.verdict == "approved")
    }

    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for file in &self.files {
            tally.add_file(file, self.seen, self.approved());
        }
        for settled in &self.settled {
            tally.add_settled(settled);
        }
        tally
    }
}

/// Line counts that add up over commits, paths, tools or days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    pub ai_added: u64,
    pub ai_modified: u64,
    pub human_added: u64,
    pub unknown: u64,
    pub rejected: u64,
    pub discarded: u64,
    /// AI lines in commits no approving review covers.
    pub unreviewed_ai: u64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.ai_added += other.ai_added;
        self.ai_modified += other.ai_modified;
        self.human_added += other.human_added;
        self.unknown += other.unknown;
        self.rejected += other.rejected;
        self.discarded += other.discarded;
        self.unreviewed_ai += other.unreviewed_ai;
    }

    fn add_file(&mut self, file: &FileFacts, seen: bool, approved: bool) {
        let ai = file.ai_lines();
        for share in &file.ai {
            self.ai_added += u64::from(share.accepted);
            self.ai_modified += u64::from(share.modified);
        }
        let rest = u64::from(file.lines.saturating_sub(ai));
        match seen {
            true => self.human_added += rest,
            false => self.unknown += rest,
        }
        if !approved {
            self.unreviewed_ai += u64::from(ai);
        }
    }

    fn add_settled(&mut self, settled: &SettledRecord) {
        match settled.outcome {
            SettledOutcome::Rejected => self.rejected += u64::from(settled.lines),
            SettledOutcome::Discarded => self.discarded += u64::from(settled.lines),
        }
    }

    pub fn ai(&self) -> u64 {
        self.ai_added + self.ai_modified
    }

    /// Every line added: AI, human and unknown.
    pub fn lines(&self) -> u64 {
        self.ai() + self.human_added + self.unknown
    }

    /// AI lines over all lines added; `None` when nothing was added.
    pub fn ai_share(&self) -> Option<f64> {
        (self.lines() > 0).then(|| self.ai() as f64 / self.lines() as f64)
    }

    /// Lines the AI offered: committed (verbatim or modified), rejected or discarded.
    pub fn offered(&self) -> u64 {
        self.ai() + self.rejected + self.discarded
    }

    /// Committed AI lines over offered ones; `None` when nothing was offered.
    pub fn acceptance_rate(&self) -> Option<f64> {
        (self.offered() > 0).then(|| self.ai() as f64 / self.offered() as f64)
    }
}

/// A tally with the figures derived from it, as `stats --json`, `log --json` and the report
/// print it.
#[derive(Debug, Serialize)]
pub struct Figures {
    #[serde(flatten)]
    pub tally: Tally,
    pub lines: u64,
    pub ai_share: Option<f64>,
    pub offered: u64,
    pub acceptance_rate: Option<f64>,
}

impl From<Tally> for Figures {
    fn from(tally: Tally) -> Figures {
        Figures {
            tally,
            lines: tally.lines(),
            ai_share: tally.ai_share(),
            offered: tally.offered(),
            acceptance_rate: tally.acceptance_rate(),
        }
    }
}

/// The commits of `range` (newest first; `None`: HEAD's history) touching `paths`, with their
/// provenance; ignored paths are left out of every figure. `progress` hears of each commit
/// read (done, total).
pub fn commits(
    repo: &Repo,
    range: Option<&str>,
    paths: &[String],
    ignore: &Ignore,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<CommitFacts>> {
    let mut facts = Vec::new();
    for_each_commit(repo, range, paths, ignore, progress, &mut |commit, _| {
        facts.push(commit);
        Ok(())
    })?;
    Ok(facts)
}

/// [`commits`], one at a time with its note (ignored paths taken out of neither), for
/// readers that want more than the facts (exports, the report) without holding every note.
pub fn for_each_commit(
    repo: &Repo,
    range: Option<&str>,
    paths: &[String],
    ignore: &Ignore,
    progress: &mut dyn FnMut(usize, usize),
    visit: &mut dyn FnMut(CommitFacts, &ParsedNote) -> Result<()>,
) -> Result<()> {
    // A repository before its first commit has no history to read, which is no error.
    if range.is_none() && repo.head()?.is_none() {
        progress(0, 0);
        return Ok(());
    }
    let logged = repo.log(range, paths)?;
    // What each commit added: diffed once by git, then cached.
    let mut cache = NumstatCache::open(repo);
    let missing: Vec<ObjectId> = logged
        .iter()
        .map(|c| c.commit)
        .filter(|c| !cache.contains(c))
        .collect();
    let diffed = repo.numstat(&missing)?;
    cache.remember(diffed.into_iter().map(|c| (c.commit, c.added)));
    let notes = Notes::open(repo)?;
    let total = logged.len();
    for (done, mut commit) in logged.into_iter().enumerate() {
        if done % 256 == 0 {
            progress(done, total);
        }
        commit.added = cache.take(commit.commit).unwrap_or_default();
        let note = notes.read(commit.commit)?;
        visit(commit_facts(commit, &note, paths, ignore), &note)?;
    }
    progress(total, total);
    Ok(())
}

/// Whether an edit's lines count: its path is wanted.
pub fn wanted(path: &str, paths: &[String], ignore: &Ignore) -> bool {
    !ignore.ignores(path) && in_paths(path, paths)
}

fn commit_facts(logged: LoggedCommit, note: &ParsedNote, paths: &[String], ignore: &Ignore) -> CommitFacts {
    let wanted = |path: &str| wanted(path, paths, ignore);
    let mut files: BTreeMap<String, FileFacts> = BTreeMap::new();
    for (path, added) in logged.added.into_iter().filter(|(p, _)| wanted(p)) {
        files.insert(
            path.clone(),
            FileFacts {
                path,
                lines: added,
                ai: Vec::new(),
            },
        );
    }
    for edit in note.edits().filter(|e| wanted(&e.file)) {
        let file = files.entry(edit.file.clone()).or_insert_with(|| FileFacts {
            path: edit.file.clone(),
            lines: 0,
            ai: Vec::new(),
        });
        add_edit(file, edit);
    }
    for file in files.values_mut() {
        file.lines = file.lines.max(file.ai_lines());
    }
    let mut settled = Vec::new();
    let mut reviews = Vec::new();
    for record in &note.records {
        match record {
            crate::model::NoteRecord::Settled(s) if wanted(&s.file) => settled.push(s.clone()),
            crate::model::NoteRecord::Review(r) => reviews.push(r.clone()),
            _ => {}
        }
    }
    CommitFacts {
        commit: logged.commit,
        author: logged.author,
        author_time: logged.author_time,
        committer: logged.committer,
        summary: logged.summary,
        seen: note.seen(),
        files: files.into_values().collect(),
        settled,
        reviews,
    }
}

fn add_edit(file: &mut FileFacts, edit: &EditRecord) {
    let lines: u32 = edit.ranges.iter().map(|[a, b]| b.saturating_sub(*a) + 1).sum();
    let modified: u32 = edit.modified.iter().map(|[a, b]| b.saturating_sub(*a) + 1).sum();
    let modified = modified.min(lines);
    let share = match file
        .ai
        .iter_mut()
        .find(|a| a.tool == edit.tool && a.model == edit.model)
    {
        Some(share) => share,
        None => {
            file.ai.push(AiLines {
                tool: edit.tool.clone(),
                model: edit.model.clone(),
                accepted: 0,
                modified: 0,
            });
            file.ai.last_mut().expect("pushed above")
        }
    };
    share.accepted += lines - modified;
    share.modified += modified;
}

/// Whether `path` is one of `paths` or under one of them (all paths when none are given).
fn in_paths(path: &str, paths: &[String]) -> bool {
    paths.is_empty()
        || paths.iter().any(|p| {
            let p = p.trim_end_matches('/');
            p.is_empty()
                || p == "."
                || path == p
                || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
        })
}

/// What `stats` groups lines by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Model,
    Tool,
    Author,
    Path,
    Day,
    Week,
}

/// The key of the rows that hold human lines when grouping by model or tool.
pub const HUMAN_ROW: &str = "(human)";
/// The key of the rows that hold unknown lines when grouping by model or tool.
pub const UNKNOWN_ROW: &str = "(unknown)";
/// The key of AI lines from a record that names no model.
pub const NO_MODEL: &str = "(no model)";

/// The tallies of `facts` per key of `by`, sorted by key. Grouped by model or tool, a commit's
/// lines that are not AI-written go to [`HUMAN_ROW`] or [`UNKNOWN_ROW`].
pub fn group(facts: &[CommitFacts], by: By) -> BTreeMap<String, Tally> {
    let mut rows: BTreeMap<String, Tally> = BTreeMap::new();
    for commit in facts {
        let approved = commit.approved();
        match by {
            By::Model | By::Tool => {
                let key = |tool: &str, model: Option<&str>| match by {
                    By::Tool => tool.to_string(),
                    _ => model.unwrap_or(NO_MODEL).to_string(),
                };
                for file in &commit.files {
                    for share in &file.ai {
                        let row = rows.entry(key(&share.tool, share.model.as_deref())).or_default();
                        row.ai_added += u64::from(share.accepted);
                        row.ai_modified += u64::from(share.modified);
                        if !approved {
                            row.unreviewed_ai += u64::from(share.accepted + share.modified);
                        }
                    }
                    let rest = u64::from(file.lines.saturating_sub(file.ai_lines()));
                    if rest > 0 {
                        let row = rows
                            .entry(if commit.seen { HUMAN_ROW } else { UNKNOWN_ROW }.to_string())
                            .or_default();
                        match commit.seen {
                            true => row.human_added += rest,
                            false => row.unknown += rest,
                        }
                    }
                }
                for settled in &commit.settled {
                    rows.entry(key(&settled.tool, settled.model.as_deref()))
                        .or_default()
                        .add_settled(settled);
                }
            }
            By::Path => {
                for file in &commit.files {
                    rows.entry(file.path.clone())
                        .or_default()
                        .add_file(file, commit.seen, approved);
                }
                for settled in &commit.settled {
                    rows.entry(settled.file.clone()).or_default().add_settled(settled);
                }
            }
            By::Author | By::Day | By::Week => {
                let key = match by {
                    By::Author => commit.author.clone(),
                    By::Day => day(commit.author_time),
                    _ => week(commit.author_time),
                };
                rows.entry(key).or_default().add(&commit.tally());
            }
        }
    }
    rows
}

/// The UTC day of a time (`2026-01-31`).
pub fn day(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

/// The ISO week of a time (`2026-W05`).
pub fn week(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%G-W%V").to_string())
        .unwrap_or_else(|| "-".into())
}

/// All of `facts` added up.
pub fn total(facts: &[CommitFacts]) -> Tally {
    let mut total = Tally::default();
    for commit in facts {
        total.add(&commit.tally());
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_patterns_without_a_slash_match_in_any_directory() {
        let ignore = Ignore::new(&["Cargo.lock".into(), "vendor/**".into(), "*.pb.go".into()]).unwrap();
        assert!(ignore.ignores("Cargo.lock"));
        assert!(ignore.ignores("crates/a/Cargo.lock"));
        assert!(ignore.ignores("vendor/x/y.rs"));
        assert!(!ignore.ignores("src/vendor/y.rs"));
        assert!(ignore.ignores("api/x.pb.go"));
        assert!(!ignore.ignores("src/main.rs"));
        assert!(Ignore::new(&["a[".into()]).is_err());
    }

    #[test]
    fn paths_match_whole_components() {
        assert!(in_paths("src/a.rs", &["src".into()]));
        assert!(in_paths("src/a.rs", &["src/".into()]));
        assert!(!in_paths("srcx/a.rs", &["src".into()]));
        assert!(in_paths("a.rs", &[]));
    }

    #[test]
    fn weeks_are_iso_weeks() {
        // 2026-01-01 is a Thursday: ISO week 1 of 2026.
        assert_eq!(week(1_767_225_600), "2026-W01");
        assert_eq!(day(1_767_225_600), "2026-01-01");
    }
}
