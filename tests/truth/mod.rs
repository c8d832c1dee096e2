//! Ground truth for attribution: a simulated developer who edits files with an agent (each AI
//! edit recorded as Claude Code's PostToolUse Edit or Write payload, through the real binary)
//! and by hand, touches and re-indents AI lines, undoes agent edits, types copies of AI lines
//! elsewhere, and commits all or part of the work through the real hooks. Every line carries
//! who wrote it; after each commit its note is scored against that truth.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;

use serde_json::json;

use crate::common::{TestRepo, stderr};

/// Who wrote a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    Human,
    /// The AI's text, verbatim (re-indenting keeps it verbatim: keys ignore indentation).
    Ai,
    /// The AI's line, edited by a person before it was committed.
    AiModified,
}

#[derive(Debug, Clone)]
struct Line {
    text: String,
    truth: Truth,
    /// Changed since the last commit of its file.
    fresh: bool,
    /// How it came to be, for failure messages.
    how: &'static str,
}

/// A small deterministic generator (xorshift), so a failing seed replays exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What the notes said against the truth, over all commits scored.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Lines the truth says an AI wrote (verbatim or edited), and how many were shown as AI.
    pub ai: usize,
    pub ai_found: usize,
    /// Human lines shown as AI: must stay zero.
    pub false_ai: usize,
    /// Lines shown as AI in all.
    pub shown_ai: usize,
    /// AI lines a person edited, and how many were shown `modified`.
    pub modified: usize,
    pub modified_found: usize,
    /// AI lines found whose outcome (accepted or modified) was right.
    pub outcome_right: usize,
    /// Lines git added that no edit of the simulation accounts for (a diff sliding identical
    /// lines): left out of the scores.
    pub unmatched: usize,
    /// A person's lines shown as AI where git's diff kept the AI's identical new line as
    /// context and called the person's added: excused, and left out of the scores.
    pub slid: usize,
    pub commits: usize,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.ai += other.ai;
        self.ai_found += other.ai_found;
        self.false_ai += other.false_ai;
        self.shown_ai += other.shown_ai;
        self.modified += other.modified;
        self.modified_found += other.modified_found;
        self.outcome_right += other.outcome_right;
        self.unmatched += other.unmatched;
        self.slid += other.slid;
        self.commits += other.commits;
    }

    pub fn recall(&self) -> f64 {
        ratio(self.ai_found, self.ai)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.shown_ai - self.false_ai, self.shown_ai)
    }

    pub fn outcome_accuracy(&self) -> f64 {
        ratio(self.outcome_right, self.ai_found)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} commits, {} AI lines: precision {:.4}, recall {:.4} ({} found), false-AI {}, \
             modified {}/{}, outcome accuracy {:.4}, unmatched {}, slid {}",
            self.commits,
            self.ai,
            self.precision(),
            self.recall(),
            self.ai_found,
            self.false_ai,
            self.modified_found,
            self.modified,
            self.outcome_accuracy(),
            self.unmatched,
            self.slid
        )
    }
}

/// A simulated work tree with the truth of every line.
pub struct Sim {
    pub repo: TestRepo,
    files: BTreeMap<String, Vec<Line>>,
    pub tally: Tally,
    /// Where each false-AI line was found, for the failure message.
    pub false_ai_at: Vec<String>,
    /// AI lines shown as human, and AI lines a person edited not shown `modified`.
    pub missed_at: Vec<String>,
    tool_uses: usize,
}

/// An AI edit's file as it was before, for an editor undo.
pub struct Undo {
    file: String,
    lines: Option<Vec<Line>>,
}

impl Sim {
    /// A repository with lineage, and one human commit of `files`.
    pub fn new(files: &[(&str, &str)]) -> Sim {
        let repo = TestRepo::new();
        repo.write(".gitkeep", "");
        let mut sim = Sim {
            repo,
            files: BTreeMap::new(),
            tally: Tally::default(),
            false_ai_at: Vec::new(),
            missed_at: Vec::new(),
            tool_uses: 0,
        };
        for (path, text) in files {
            let lines = text
                .lines()
                .map(|l| Line {
                    text: l.to_string(),
                    truth: Truth::Human,
                    fresh: false,
                    how: "base",
                })
                .collect();
            sim.files.insert(path.to_string(), lines);
            sim.write(path);
        }
        sim.repo.git(&["add", "-A"]);
        sim.repo.git(&["commit", "-q", "-m", "base"]);
        sim
    }

    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    pub fn lines_of(&self, file: &str) -> Vec<String> {
        self.files
            .get(file)
            .map(|l| l.iter().map(|l| l.text.clone()).collect())
            .unwrap_or_default()
    }

    pub fn len(&self, file: &str) -> usize {
        self.files.get(file).map_or(0, Vec::len)
    }

    pub fn truth_at(&self, file: &str, line: usize) -> Truth {
        self.files[file][line].truth
    }

    /// Whether line `line` of `file` was changed since its file was last committed.
    pub fn is_fresh(&self, file: &str, line: usize) -> bool {
        self.files[file][line].fresh
    }

    fn text(&self, file: &str) -> String {
        self.files[file].iter().map(|l| format!("{}\n", l.text)).collect()
    }

    fn write(&self, file: &str) {
        self.repo.write(file, &self.text(file));
    }

    /// A person replaces lines `start..start+len` of `file` with `new`.
    pub fn human(&mut self, file: &str, start: usize, len: usize, new: &[String]) {
        self.splice(file, start, len, new, Truth::Human, "typed");
        self.write(file);
    }

    /// A person deletes `file`.
    pub fn human_delete(&mut self, file: &str) {
        self.files.remove(file);
        let _ = std::fs::remove_file(self.repo.path().join(file));
    }

    /// The agent replaces lines `start..start+len` of `file` (created when missing) with `new`,
    /// and its hook records the edit: an Edit payload whose `old_string` is made unique with
    /// context lines, as Claude Code requires, or a Write payload for a new file.
    pub fn ai(&mut self, file: &str, start: usize, len: usize, new: &[String]) -> Undo {
        let before = self.files.get(file).cloned();
        let original = before.as_ref().map(|_| self.text(file));
        let old_lines = self.lines_of(file);
        self.splice(file, start, len, new, Truth::Ai, "agent");
        self.write(file);
        let path = self.repo.path().join(file);
        self.tool_uses += 1;
        let base = json!({
            "session_id": "s-sim",
            "transcript_path": "/home/dana/.claude/projects/p/s-sim.jsonl",
            "cwd": self.repo.path(),
            "permission_mode": "acceptEdits",
            "hook_event_name": "PostToolUse",
            "tool_use_id": format!("toolu_{}", self.tool_uses),
        });
        let mut payload = base.clone();
        match original.as_deref() {
            Some(original) if !original.is_empty() => {
                let (old, new) = unique_replacement(original, &old_lines, start, len, new);
                payload["tool_name"] = json!("Edit");
                payload["tool_input"] = json!({"file_path": path, "old_string": old, "new_string": new});
                payload["tool_response"] = json!({"filePath": path, "oldString": old, "newString": new,
                    "originalFile": original});
            }
            _ => {
                let content = self.text(file);
                payload["tool_name"] = json!("Write");
                payload["tool_input"] = json!({"file_path": path, "content": content});
                payload["tool_response"] = json!({"type": "create", "filePath": path, "content": content});
            }
        }
        self.repo.record_hook("claude-code", &payload);
        Undo {
            file: file.to_string(),
            lines: before,
        }
    }

    /// The editor's undo of an agent edit (no hook fires for it).
    pub fn undo(&mut self, undo: Undo) {
        match undo.lines {
            Some(lines) => {
                self.files.insert(undo.file.clone(), lines);
                self.write(&undo.file);
            }
            None => self.human_delete(&undo.file),
        }
    }

    /// A person edits the AI line `line` of `file` before it is committed (it stays alike).
    pub fn touch(&mut self, file: &str, line: usize) {
        let l = &mut self.files.get_mut(file).unwrap()[line];
        // A comment typed over a blank line keeps nothing of the AI's: it is the person's.
        let blank = l.text.trim().is_empty();
        l.text = tweak(&l.text);
        l.how = "touched";
        l.truth = match (l.truth, l.fresh) {
            (Truth::Ai | Truth::AiModified, true) if !blank => Truth::AiModified,
            _ => Truth::Human,
        };
        l.fresh = true;
        self.write(file);
    }

    /// A person re-indents line `line` of `file`: the text is the same to lineage.
    pub fn reindent(&mut self, file: &str, line: usize) {
        let l = &mut self.files.get_mut(file).unwrap()[line];
        l.text = format!("    {}", l.text);
        l.how = "re-indented";
        // A committed line re-indented is a person's change in git's eyes, and lineage's.
        if !l.fresh {
            l.truth = Truth::Human;
            l.fresh = true;
        }
        self.write(file);
    }

    fn splice(
        &mut self,
        file: &str,
        start: usize,
        len: usize,
        new: &[String],
        truth: Truth,
        how: &'static str,
    ) {
        let lines = self.files.entry(file.to_string()).or_default();
        let mut start = start.min(lines.len());
        let mut end = (start + len).min(lines.len());
        // Lines the edit leaves as they were, at the start or the end of what it replaces, stay
        // whose they were (git's diff keeps them, and blame credits their first author).
        let mut new = new;
        while start < end && new.first().is_some_and(|t| *t == lines[start].text) {
            (start, new) = (start + 1, &new[1..]);
        }
        while start < end && new.last().is_some_and(|t| *t == lines[end - 1].text) {
            (end, new) = (end - 1, &new[..new.len() - 1]);
        }
        lines.splice(
            start..end,
            new.iter().map(|text| Line {
                text: text.clone(),
                truth,
                fresh: true,
                how,
            }),
        );
    }

    /// Commits `only` (all files when `None`) through the real hooks, then scores the note.
    pub fn commit(&mut self, only: Option<&[String]>, message: &str) {
        match only {
            None => {
                self.repo.git(&["add", "-A"]);
                let out = self
                    .repo
                    .git_output(&["commit", "-q", "--allow-empty", "-m", message]);
                assert!(out.status.success(), "{}", stderr(&out));
            }
            Some(paths) => {
                let mut status = vec!["status", "--porcelain", "--"];
                status.extend(paths.iter().map(String::as_str));
                if self.repo.git(&status).trim().is_empty() {
                    return;
                }
                let mut args = vec!["commit", "-q", "-m", message, "--"];
                args.extend(paths.iter().map(String::as_str));
                let out = self.repo.git_output(&args);
                assert!(out.status.success(), "{}", stderr(&out));
            }
        }
        let committed: Vec<String> = match only {
            None => self.paths(),
            Some(paths) => paths.to_vec(),
        };
        self.score(&committed);
        for path in committed {
            if let Some(lines) = self.files.get_mut(&path) {
                for line in lines {
                    line.fresh = false;
                }
            }
        }
    }

    /// Scores the note of HEAD: each line git's diff added is judged against the truth of the
    /// line the simulation changed there (or one of the same text a few lines away, where the
    /// diff slid identical lines).
    fn score(&mut self, committed: &[String]) {
        self.tally.commits += 1;
        let note = self.repo.note("HEAD");
        let mut shown: BTreeMap<(String, u64), bool> = BTreeMap::new();
        for record in note.iter().filter(|r| r["kind"] == "edit") {
            let file = record["file"].as_str().unwrap().to_string();
            let inside = |key: &str, line: u64| {
                record[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r[0].as_u64().unwrap() <= line && line <= r[1].as_u64().unwrap())
            };
            for range in record["ranges"].as_array().unwrap() {
                for line in range[0].as_u64().unwrap()..=range[1].as_u64().unwrap() {
                    shown.insert((file.clone(), line), inside("modified", line));
                }
            }
        }
        let shown_lines = shown.clone();
        let parent = match self.repo.git_output(&["rev-parse", "-q", "--verify", "HEAD^"]) {
            out if out.status.success() => "HEAD^".to_string(),
            _ => "4b825dc642cb6eb9a060e54bf8d69288fbee4904".to_string(),
        };
        let diff = self
            .repo
            .git(&["diff", "--no-color", "-M", "-U0", &parent, "HEAD", "--"]);
        for (file, added) in added_lines(&diff) {
            if !committed.contains(&file) {
                continue;
            }
            let Some(lines) = self.files.get(&file) else {
                continue;
            };
            let mut taken = vec![false; lines.len()];
            let mut excused = vec![false; lines.len()];
            let mut slid_lines = std::collections::HashSet::new();
            let added_set: std::collections::HashSet<u64> = added.iter().copied().collect();
            for line in added {
                let at = line as usize - 1;
                let key = lines.get(at).map(|l| l.text.trim().to_string());
                let matched = [0isize, -1, 1, -2, 2, -3, 3].iter().find_map(|d| {
                    let i = at.checked_add_signed(*d)?;
                    let l = lines.get(i)?;
                    (l.fresh && !taken[i] && Some(l.text.trim().to_string()) == key).then_some(i)
                });
                let Some(i) = matched else {
                    self.tally.unmatched += 1;
                    continue;
                };
                taken[i] = true;
                let truth = lines[i].truth;
                let shown = shown.get(&(file.clone(), line));
                if shown.is_some() {
                    self.tally.shown_ai += 1;
                }
                // Where git's diff puts a line added among identical lines is its choice: it may
                // keep the AI's new copy as context, aligned with an old line, and call another
                // copy added. A person's line shown AI is such a slide when an AI line of the
                // same text, fresh in this commit, is one git did not call added (for a blank or
                // brace line, nearby: any one the note does not show as AI).
                let slid = truth == Truth::Human && shown.is_some() && {
                    let trivial = is_trivial(&lines[i].text);
                    // A blank or brace line shown with a run git slid is part of that slide.
                    let with_slid_run = (0..i)
                        .rev()
                        .find(|&k| !is_trivial(&lines[k].text))
                        .is_some_and(|k| slid_lines.contains(&k));
                    let window = match trivial && !with_slid_run {
                        true => i.saturating_sub(8)..(i + 9).min(lines.len()),
                        false => 0..lines.len(),
                    };
                    let partner = window.into_iter().find(|&j| {
                        let l = &lines[j];
                        let added = added_set.contains(&(j as u64 + 1));
                        j != i
                            && l.fresh
                            && l.truth != Truth::Human
                            && !excused[j]
                            && l.text.trim() == lines[i].text.trim()
                            && (!added || (trivial && !self_shown(&shown_lines, &file, j)))
                    });
                    if let Some(j) = partner {
                        excused[j] = true;
                    }
                    partner.is_some()
                };
                if slid {
                    slid_lines.insert(i);
                    self.tally.slid += 1;
                    continue;
                }
                match (truth, shown) {
                    (Truth::Human, Some(_)) => {
                        self.tally.false_ai += 1;
                        self.false_ai_at.push(format!(
                            "commit {}: {file}:{line} ({}) {:?}",
                            self.tally.commits, lines[i].how, lines[i].text
                        ));
                    }
                    (Truth::Human, None) => {}
                    (ai, shown) => {
                        self.tally.ai += 1;
                        let modified = ai == Truth::AiModified;
                        if modified {
                            self.tally.modified += 1;
                        }
                        if shown.is_none_or(|&m| m != modified) {
                            self.missed_at.push(format!(
                                "commit {}: {file}:{line} ({}, shown {shown:?}) {:?}",
                                self.tally.commits, lines[i].how, lines[i].text
                            ));
                        }
                        if let Some(&shown_modified) = shown {
                            self.tally.ai_found += 1;
                            if shown_modified == modified {
                                self.tally.outcome_right += 1;
                            }
                            if modified && shown_modified {
                                self.tally.modified_found += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The added line numbers of each file of a `git diff -U0`.
fn added_lines(diff: &str) -> Vec<(String, Vec<u64>)> {
    let mut files: Vec<(String, Vec<u64>)> = Vec::new();
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ b/") {
            files.push((path.to_string(), Vec::new()));
        } else if let Some(hunk) = line.strip_prefix("@@ ") {
            let new = hunk.split(' ').nth(1).unwrap().trim_start_matches('+');
            let mut parts = new.split(',');
            let start: u64 = parts.next().unwrap().parse().unwrap();
            let count: u64 = parts.next().map_or(1, |c| c.parse().unwrap());
            if let Some((_, added)) = files.last_mut() {
                added.extend(start..start + count);
            }
        }
    }
    files
}

/// The `old_string`/`new_string` of replacing `len` lines at `start` of `lines` with `new`,
/// widened with context lines until `old_string` occurs once in `original`.
fn unique_replacement(
    original: &str,
    lines: &[String],
    start: usize,
    len: usize,
    new: &[String],
) -> (String, String) {
    let start = start.min(lines.len());
    let end = (start + len).min(lines.len());
    for context in 0..=lines.len() {
        let above = start.saturating_sub(context);
        let below = (end + context).min(lines.len());
        let old: Vec<&str> = lines[above..below].iter().map(String::as_str).collect();
        if old.is_empty() || old.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let old_text = old.join("\n");
        if original.matches(old_text.as_str()).count() != 1 {
            continue;
        }
        let mut replaced: Vec<&str> = lines[above..start].iter().map(String::as_str).collect();
        replaced.extend(new.iter().map(String::as_str));
        replaced.extend(lines[end..below].iter().map(String::as_str));
        let mut new_text = replaced.join("\n");
        // Removing every line of the old text at the end of the file leaves its line break.
        if replaced.is_empty() && below == lines.len() && above > 0 {
            return (format!("\n{old_text}"), new_text);
        }
        if replaced.is_empty() {
            new_text.clear();
            return (format!("{old_text}\n"), new_text);
        }
        return (old_text, new_text);
    }
    panic!("no unique context for lines {start}..{end}");
}

/// A person's small change to a line: a number changed, or a comment added.
fn tweak(text: &str) -> String {
    if let Some(at) = text.find(|c: char| c.is_ascii_digit()) {
        let digit = text.as_bytes()[at] - b'0';
        let mut out = text.to_string();
        out.replace_range(at..=at, &((digit + 1) % 10).to_string());
        return out;
    }
    format!("{text}  # checked")
}

fn is_trivial(line: &str) -> bool {
    line.trim().chars().all(|c| c.is_ascii_punctuation())
}

/// Whether line `index` (0-based) of `file` is shown as AI in the note.
fn self_shown(shown: &BTreeMap<(String, u64), bool>, file: &str, index: usize) -> bool {
    shown.contains_key(&(file.to_string(), index as u64 + 1))
}
