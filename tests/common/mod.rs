//! A real temporary git repository, driven through the real `git` and `lineage` binaries with a
//! pinned environment (no user config, fixed dates and clock, C locale).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub const LINEAGE: &str = env!("CARGO_BIN_EXE_lineage");
pub const NOW: &str = lineage::pinned::NOW;

pub struct TestRepo {
    _temp: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    now: String,
}

/// Applies the pinned environment ([`lineage::pinned`]) to a command.
pub fn pin(cmd: &mut Command, home: &Path, now: &str) {
    lineage::pinned::pin(
        cmd,
        &lineage::pinned::Pinned {
            home: Some(home),
            now,
            ..Default::default()
        },
    );
}

impl TestRepo {
    /// An empty repository on branch `main`, without lineage.
    pub fn bare_init() -> TestRepo {
        let temp = tempfile::Builder::new()
            .prefix("lineage-test-")
            .tempdir()
            .unwrap();
        let root = temp.path().join("repo");
        let home = temp.path().join("home");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let repo = TestRepo {
            root,
            home,
            _temp: temp,
            now: NOW.to_string(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// An empty repository with `lineage init` done.
    pub fn new() -> TestRepo {
        let repo = TestRepo::bare_init();
        repo.lineage_ok(&["init"]);
        repo
    }

    /// A repository with lineage and one human commit holding `files`.
    pub fn with_files(files: &[(&str, &str)]) -> TestRepo {
        let repo = TestRepo::new();
        for (path, text) in files {
            repo.write(path, text);
        }
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "initial"]);
        repo
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The parent of the work tree: room for worktrees and remotes.
    pub fn scratch(&self) -> &Path {
        self.root.parent().unwrap()
    }

    /// Moves lineage's clock (`LINEAGE_NOW`) for the commands that follow.
    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root);
        pin(&mut cmd, &self.home, &self.now);
        cmd
    }

    pub fn run(&self, program: &str, args: &[&str], stdin: Option<&[u8]>, dir: Option<&Path>) -> Output {
        let mut cmd = self.command(program);
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        cmd.args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(bytes) = stdin {
            use std::io::Write;
            // The command may exit before reading its input (a rejected path): not our failure.
            let _ = child.stdin.take().unwrap().write_all(bytes);
        }
        child.wait_with_output().unwrap()
    }

    /// Runs `cmd` (from [`TestRepo::command`]) with `stdin`, capturing its output.
    pub fn run_command(&self, mut cmd: Command, stdin: &[u8]) -> Output {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        {
            use std::io::Write;
            let _ = child.stdin.take().unwrap().write_all(stdin);
        }
        child.wait_with_output().unwrap()
    }

    /// Runs git and returns its stdout; panics on failure or on a lineage warning.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.root, args)
    }

    pub fn git_output(&self, args: &[&str]) -> Output {
        self.run("git", args, None, None)
    }

    /// [`TestRepo::git`] run in another directory (a linked worktree).
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.run("git", args, None, Some(dir));
        assert!(out.status.success(), "git {args:?} failed: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("lineage: warning"),
            "git {args:?}: {}",
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn lineage(&self, args: &[&str]) -> Output {
        self.run(LINEAGE, args, None, None)
    }

    pub fn lineage_with_stdin(&self, args: &[&str], stdin: &[u8]) -> Output {
        self.run(LINEAGE, args, Some(stdin), None)
    }

    /// Runs lineage and returns its stdout; panics on failure.
    pub fn lineage_ok(&self, args: &[&str]) -> String {
        let out = self.lineage(args);
        assert!(out.status.success(), "lineage {args:?} failed: {}", stderr(&out));
        stdout(&out)
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }

    /// Records an AI edit of `file` that inserted `inserted`, as `tool`/`model`.
    pub fn record(&self, file: &str, inserted: &str, tool: &str, model: &str, prompt: &str) -> String {
        let out = self.lineage_with_stdin(
            &[
                "record",
                "--file",
                file,
                "--tool",
                tool,
                "--model",
                model,
                "--session",
                "sess-1",
                "--prompt",
                prompt,
                "--json",
            ],
            inserted.as_bytes(),
        );
        assert!(out.status.success(), "record failed: {}", stderr(&out));
        let entry: Value = serde_json::from_slice(&out.stdout).unwrap();
        entry["id"].as_str().unwrap().to_string()
    }

    /// Writes `new_text` to `file` as an AI edit inserting `inserted`, and records it.
    pub fn ai_edit(&self, file: &str, new_text: &str, inserted: &str) -> String {
        self.write(file, new_text);
        self.record(file, inserted, "claude-code", "claude-opus-4-5", "make it so")
    }

    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.head()
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    pub fn blame_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["blame", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.lineage_ok(&all)).unwrap()
    }

    /// The AI lines of `file` per `lineage blame --json`: (line, outcome).
    pub fn ai_lines(&self, file: &str) -> Vec<(u64, String)> {
        self.ai_field(file, "outcome")
    }

    /// The AI lines of `file` per `lineage blame --json`: (line, the `ai` object's `field`).
    pub fn ai_field(&self, file: &str, field: &str) -> Vec<(u64, String)> {
        ai_of(&self.blame_json(&[file]), field)
    }

    /// Runs `lineage record --from <agent>` on `payload`, as the agent's hook would, and
    /// checks it succeeded without a warning.
    pub fn record_hook(&self, agent: &str, payload: &Value) {
        let out = self.lineage_with_stdin(&["record", "--from", agent], payload.to_string().as_bytes());
        assert!(
            out.status.success() && stderr(&out).is_empty(),
            "{}",
            stderr(&out)
        );
    }

    /// The note on `rev`, parsed line by line; empty when there is none.
    pub fn note(&self, rev: &str) -> Vec<Value> {
        let out = self.git_output(&["notes", "--ref=lineage", "show", rev]);
        if !out.status.success() {
            assert!(stderr(&out).contains("no note found"), "{}", stderr(&out));
            return Vec::new();
        }
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn note_of_kind(&self, rev: &str, kind: &str) -> Vec<Value> {
        self.note(rev).into_iter().filter(|r| r["kind"] == kind).collect()
    }

    pub fn journal_dir(&self) -> PathBuf {
        self.root.join(".git/lineage/journal")
    }

    pub fn journal_log(&self) -> PathBuf {
        self.journal_dir().join("entries.jsonl")
    }

    /// The journal's complete lines, parsed (panics on a damaged one), without the markers
    /// prepare-commit-msg appends.
    pub fn journal_entries(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.journal_log()).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .filter(|l| !l.trim().is_empty() && l.trim() != r#"{"prepared":1}"#)
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn journal_len(&self) -> usize {
        self.journal_entries().len()
    }

    pub fn status_json(&self) -> Value {
        serde_json::from_str(&self.lineage_ok(&["status", "--json"])).unwrap()
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `(start..=end)` with the given outcome, for comparing with [`TestRepo::ai_lines`].
pub fn lines(range: std::ops::RangeInclusive<u64>, outcome: &str) -> Vec<(u64, String)> {
    range.map(|l| (l, outcome.to_string())).collect()
}

/// The AI lines of a `lineage blame --json` output: (line, the `ai` object's `field`).
pub fn ai_of(blame: &Value, field: &str) -> Vec<(u64, String)> {
    blame["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["ai"].is_null())
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["ai"][field].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

/// Each line's `attribution` (`ai`, `human`, `unknown`) in a `lineage blame --json` output.
pub fn attributions(blame: &Value) -> Vec<&str> {
    blame["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["attribution"].as_str().unwrap())
        .collect()
}

/// [`ai_of`] for the outcome, from the text `lineage blame --json` printed.
pub fn ai_outcomes(json: &str) -> Vec<(u64, String)> {
    ai_of(&serde_json::from_str(json).unwrap(), "outcome")
}
