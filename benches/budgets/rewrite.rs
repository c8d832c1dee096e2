//! 4. A 100-commit rebase through the hooks: a branch of 100 commits, each adding AI lines
//!    with a note, rebased onto a main that moved (its change shifts every line of the files
//!    the branch edits). The rebase with lineage's hooks (post-commit per pick, post-rewrite
//!    once) against the same rebase with hooks disabled: at most a few milliseconds per commit,
//!    and exactly one notes-ref update for the whole rebase.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use super::support::*;

/// Commits on the branch that is rebased.
const BRANCH_COMMITS: usize = 100;
/// Files the branch edits, and AI lines per commit.
const FILES: usize = 10;
const AI_LINES: usize = 5;
/// Timed rebases of each kind (after one warm-up each).
const RUNS: usize = 7;
/// Budget per rebased commit.
const PER_COMMIT_BUDGET_MS: f64 = 5.0;

pub fn bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    progress(
        started,
        &format!("rebase of {BRANCH_COMMITS} AI commits, with and without the hooks, {RUNS} runs each"),
    );
    build(env, dir);
    check_output(env.lineage(dir, &["init"]));
    let tip = git_rev(env, dir, "topic").unwrap();
    let notes_before = git_rev(env, dir, "refs/notes/lineage").unwrap();
    let empty_hooks = dir.join("no-hooks");
    fs::create_dir_all(&empty_hooks).unwrap();
    let no_hooks = format!("core.hooksPath={}", empty_hooks.display());

    let mut hooked = Vec::new();
    let mut plain = Vec::new();
    for run in 0..=RUNS {
        for with_hooks in [true, false] {
            check_output(env.git(dir, &["checkout", "-q", "topic"]));
            check_output(env.git(dir, &["reset", "-q", "--hard", &tip]));
            restore_ref(env, dir, "refs/notes/lineage", Some(&notes_before));
            let mut cmd = match with_hooks {
                true => env.git(dir, &["rebase", "-q", "main"]),
                false => env.git(dir, &["-c", &no_hooks, "rebase", "-q", "main"]),
            };
            let (time, stderr) = timed(&mut cmd);
            assert!(!stderr.contains("lineage: warning"), "{stderr}");
            if with_hooks {
                check_rebased(env, dir, &notes_before);
            }
            if run > 0 {
                match with_hooks {
                    true => hooked.push(time),
                    false => plain.push(time),
                }
            }
        }
    }
    let (with, without) = (median_ms(&hooked), median_ms(&plain));
    let per_commit = (with - without) / BRANCH_COMMITS as f64;
    vec![
        Row {
            measure: format!("rebase of {BRANCH_COMMITS} AI commits, added per commit"),
            lineage: fmt_ms(per_commit),
            baseline: fmt_ms(without / BRANCH_COMMITS as f64),
            ratio: format!("{:.3}x", with / without),
            budget: format!("<= {PER_COMMIT_BUDGET_MS:.0} ms"),
            within: Some(per_commit <= PER_COMMIT_BUDGET_MS),
        },
        Row {
            measure: format!("rebase of {BRANCH_COMMITS} AI commits, whole rebase"),
            lineage: fmt_ms(with),
            baseline: fmt_ms(without),
            ratio: format!("{:.3}x", with / without),
            budget: "info".into(),
            within: None,
        },
    ]
}

/// After a hooked rebase: one notes commit more, and every rebased commit holds its AI lines
/// at their shifted place.
fn check_rebased(env: &Env, dir: &Path, notes_before: &str) {
    let range = format!("{notes_before}..refs/notes/lineage");
    let updates = String::from_utf8(check_output(env.git(dir, &["rev-list", "--count", &range]))).unwrap();
    assert_eq!(updates.trim(), "1", "one notes-ref update per rebase");
    let note = String::from_utf8(check_output(
        env.git(dir, &["notes", "--ref=lineage", "show", "topic"]),
    ))
    .unwrap();
    // The last commit appended lines after the shifted ones: they moved by main's 3 lines.
    let last = BRANCH_COMMITS - 1;
    let first = 3 + 1 + (last / FILES + 1) * AI_LINES - AI_LINES + 1;
    let expected = format!("\"ranges\":[[{first},{}]]", first + AI_LINES - 1);
    assert!(note.contains(&expected), "{note} lacks {expected}");
}

/// main: one file per slot with a header line; topic: 100 commits, each appending AI lines to
/// one file, with a note; then main moves (3 lines at the top of every file). One fast-import.
fn build(env: &Env, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut stream = Vec::with_capacity(1 << 20);
    let who = "Ada Lovelace <ada@example.com>";
    let mut files: Vec<String> = (0..FILES).map(|f| format!("header_{f} = {f}\n")).collect();
    let mut when = HISTORY_EPOCH;
    let mut commit = |stream: &mut Vec<u8>,
                      branch: &str,
                      mark: usize,
                      from: Option<usize>,
                      message: &str,
                      changes: &[(usize, &str)]| {
        when += 60;
        write!(
            stream,
            "commit refs/heads/{branch}\nmark :{mark}\nauthor {who} {when} +0000\ncommitter {who} {when} +0000\ndata {}\n{message}\n",
            message.len()
        )
        .unwrap();
        if let Some(from) = from {
            writeln!(stream, "from :{from}").unwrap();
        }
        for (f, text) in changes {
            write!(
                stream,
                "M 100644 inline src/file_{f}.py\ndata {}\n{text}\n",
                text.len()
            )
            .unwrap();
        }
    };
    let all: Vec<(usize, String)> = files.iter().cloned().enumerate().collect();
    let all_refs: Vec<(usize, &str)> = all.iter().map(|(f, t)| (*f, t.as_str())).collect();
    commit(&mut stream, "main", 1, None, "base", &all_refs);
    let mut notes = Vec::new();
    for i in 0..BRANCH_COMMITS {
        let f = i % FILES;
        let start = files[f].lines().count() + 1;
        for l in 0..AI_LINES {
            writeln!(files[f], "    value_{i}_{l} = compute_{i}({l})").unwrap();
        }
        let mark = 2 + i;
        let from = if i == 0 { Some(1) } else { None };
        commit(
            &mut stream,
            "topic",
            mark,
            from,
            &format!("ai {i}"),
            &[(f, files[f].as_str())],
        );
        let note = serde_json::json!({
            "file": format!("src/file_{f}.py"), "id": format!("{i:064x}"), "kind": "edit",
            "lineage": 1, "model": "claude-opus-4-5", "modified": [], "outcome": "accepted",
            "prompt_id": null, "ranges": [[start, start + AI_LINES - 1]],
            "recorded_at": "2026-01-01T00:00:00Z", "session": "s", "tool": "claude-code",
            "user": who,
        });
        notes.push((mark, note.to_string()));
    }
    let moved: Vec<(usize, String)> = (0..FILES)
        .map(|f| {
            (
                f,
                format!("main_a = 1\nmain_b = 2\nmain_c = 3\nheader_{f} = {f}\n"),
            )
        })
        .collect();
    let moved_refs: Vec<(usize, &str)> = moved.iter().map(|(f, t)| (*f, t.as_str())).collect();
    commit(
        &mut stream,
        "main",
        2 + BRANCH_COMMITS,
        Some(1),
        "main moves",
        &moved_refs,
    );
    write!(
        stream,
        "commit refs/notes/lineage\ncommitter lineage <lineage@example.com> {when} +0000\ndata 5\nnotes\n"
    )
    .unwrap();
    for (mark, note) in &notes {
        write!(stream, "N inline :{mark}\ndata {}\n{note}\n", note.len()).unwrap();
    }
    fast_import(env, dir, &stream);
}
