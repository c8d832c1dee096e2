//! 5. Sync at scale: a history of 100,000 commits, every one with a note, shared through a
//!    bare remote. Two clones each add a note to a different commit, so notes have diverged,
//!    and `lineage sync` must merge them. The merge walks only the subtrees that differ: its
//!    time must follow what changed, not the 100,000 notes. Measured against the same transfer
//!    with plain git (`git fetch` of the notes ref, `git notes merge -s cat_sort_uniq`,
//!    `git push`), which is what a careful user would do by hand.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use super::support::*;

const COMMITS: usize = 100_000;
/// Timed syncs of each kind (after one warm-up each).
const RUNS: usize = 5;
/// lineage's sync against plain git's fetch + notes merge + push.
const BUDGET_RATIO: f64 = 1.5;

pub fn bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    progress(started, &format!("sync: building {COMMITS} commits with notes"));
    let origin = dir.join("origin");
    build(env, &origin);
    let remote = dir.join("remote.git");
    check_output(env.git(
        dir,
        &[
            "clone",
            "-q",
            "--mirror",
            origin.to_str().unwrap(),
            remote.to_str().unwrap(),
        ],
    ));
    let clone = dir.join("clone");
    check_output(env.git(
        dir,
        &["clone", "-q", remote.to_str().unwrap(), clone.to_str().unwrap()],
    ));
    check_output(env.lineage(&clone, &["fetch"]));
    check_output(env.git(&origin, &["remote", "add", "origin", remote.to_str().unwrap()]));
    let mark = |repo: &Path, n: usize, who: &str| {
        let commit = format!("main~{n}");
        let line = format!(
            r#"{{"at":"2026-01-01T00:00:00Z","by":"{who}","kind":"review","lineage":1,"verdict":"approved"}}"#
        );
        check_output(env.git(repo, &["notes", "--ref=lineage", "append", "-m", &line, &commit]));
    };
    let saved = |repo: &Path| git_rev(env, repo, "refs/notes/lineage").unwrap();
    let (origin_notes, clone_notes, remote_notes) = (saved(&origin), saved(&clone), saved(&remote));
    let reset = || {
        restore_ref(env, &origin, "refs/notes/lineage", Some(&origin_notes));
        restore_ref(env, &clone, "refs/notes/lineage", Some(&clone_notes));
        restore_ref(env, &remote, "refs/notes/lineage", Some(&remote_notes));
        for repo in [&origin, &clone] {
            let _ = env
                .git(repo, &["update-ref", "-d", "refs/notes/remotes/origin/lineage"])
                .output();
        }
    };

    progress(
        started,
        &format!("sync: diverged notes, {RUNS} runs of lineage sync and of plain git"),
    );
    let mut lineage = Vec::new();
    let mut plain = Vec::new();
    for run in 0..=RUNS {
        for with_lineage in [true, false] {
            reset();
            // The clone pushed a note first; then origin, holding another new note, syncs.
            mark(&clone, 10 + run, "clone");
            mark(&origin, 20 + run, "origin");
            if with_lineage {
                check_output(env.lineage(&clone, &["sync"]));
            } else {
                plain_sync(env, &clone);
            }
            let time = if with_lineage {
                timed(&mut env.lineage(&origin, &["sync"])).0
            } else {
                let start = Instant::now();
                plain_sync(env, &origin);
                start.elapsed()
            };
            check_synced(env, &origin, &remote, run);
            if run > 0 {
                match with_lineage {
                    true => lineage.push(time),
                    false => plain.push(time),
                }
            }
        }
    }
    // For scale: reading every note once, which a merge that walked all of them would cost.
    let list_all = timed(&mut env.git(&origin, &["notes", "--ref=lineage", "list"])).0;
    reset();
    let (ours, theirs) = (median_ms(&lineage), median_ms(&plain));
    vec![
        Row {
            measure: format!("sync of diverged notes, {COMMITS} noted commits"),
            lineage: fmt_ms(ours),
            baseline: fmt_ms(theirs),
            ratio: format!("{:.3}x", ours / theirs),
            budget: format!("<= {BUDGET_RATIO:.2}x"),
            within: Some(ours <= theirs * BUDGET_RATIO),
        },
        Row {
            measure: "  (git notes list of every note, for scale)".into(),
            lineage: "-".into(),
            baseline: fmt_ms(list_all.as_secs_f64() * 1e3),
            ratio: "-".into(),
            budget: "info".into(),
            within: None,
        },
    ]
}

/// What a careful user does by hand: fetch the notes aside, merge them as sets, push.
fn plain_sync(env: &Env, repo: &Path) {
    check_output(env.git(
        repo,
        &[
            "fetch",
            "-q",
            "origin",
            "+refs/notes/lineage:refs/notes/remotes/origin/lineage",
        ],
    ));
    check_output(env.git(
        repo,
        &[
            "notes",
            "--ref=lineage",
            "merge",
            "-q",
            "-s",
            "cat_sort_uniq",
            "refs/notes/remotes/origin/lineage",
        ],
    ));
    check_output(env.git(repo, &["push", "-q", "origin", "refs/notes/lineage"]));
}

/// Both new notes are on the remote after origin's sync.
fn check_synced(env: &Env, origin: &Path, remote: &Path, run: usize) {
    for (n, who) in [(10 + run, "clone"), (20 + run, "origin")] {
        let commit = String::from_utf8(check_output(
            env.git(origin, &["rev-parse", &format!("main~{n}")]),
        ))
        .unwrap();
        let note = String::from_utf8(check_output(
            env.git(remote, &["notes", "--ref=lineage", "show", commit.trim()]),
        ))
        .unwrap();
        assert!(
            note.contains(&format!("\"by\":\"{who}\"")),
            "the remote lacks {who}'s note on main~{n}"
        );
    }
}

/// `COMMITS` commits on main, each changing one small file, and one notes commit with a note
/// for every commit (an edit record of that commit's line); one fast-import run.
fn build(env: &Env, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut stream = Vec::with_capacity(64 << 20);
    let who = "Ada Lovelace <ada@example.com>";
    for mark in 1..=COMMITS {
        let when = HISTORY_EPOCH + mark as u64;
        let content = format!("value = {mark}\n");
        let message = format!("step {mark}");
        write!(
            stream,
            "commit refs/heads/main\nmark :{mark}\nauthor {who} {when} +0000\ncommitter {who} {when} +0000\ndata {}\n{message}\nM 100644 inline src/file_{}.py\ndata {}\n{content}\n",
            message.len(),
            mark % 100,
            content.len()
        )
        .unwrap();
    }
    let when = HISTORY_EPOCH + COMMITS as u64 + 1;
    write!(
        stream,
        "commit refs/notes/lineage\ncommitter {who} {when} +0000\ndata 5\nnotes\n"
    )
    .unwrap();
    let mut note = String::new();
    for mark in 1..=COMMITS {
        note.clear();
        write!(
            note,
            r#"{{"file":"src/file_{}.py","id":"{mark:064x}","kind":"edit","lineage":1,"model":"m","modified":[],"outcome":"accepted","prompt_id":null,"ranges":[[1,1]],"recorded_at":"2026-01-01T00:00:00Z","session":null,"tool":"claude-code","user":null}}"#,
            mark % 100
        )
        .unwrap();
        write!(stream, "N inline :{mark}\ndata {}\n{note}\n", note.len()).unwrap();
    }
    fast_import(env, dir, &stream);
    check_output(env.lineage(dir, &["init"]));
}
