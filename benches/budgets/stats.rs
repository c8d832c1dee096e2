//! 7. `lineage stats` over 10,000 commits with notes (DESIGN §5: ≤ 300 ms): one `git log` for
//!    the commits, the cache of what each added (filled by the first run's `git log
//!    --numstat`, reported apart), and one snapshot of the notes for the AI lines. The
//!    history is built in one `git fast-import` run: every commit appends lines to one of 100
//!    files and carries a note with one AI edit.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use super::support::*;

const COMMITS: usize = 10_000;
const FILES: usize = 100;
const ROUNDS: usize = 7;
const BUDGET_MS: f64 = 300.0;

pub fn bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    progress(started, &format!("stats: building {COMMITS} commits with notes"));
    build(env, dir);
    // The first run diffs every commit once (git log --numstat) and caches what each added.
    let (cold, _) = timed(&mut env.lineage(dir, &["stats", "--json"]));
    let stats = check_output(env.lineage(dir, &["stats", "--json"]));
    let stats: serde_json::Value = serde_json::from_slice(&stats).unwrap();
    assert_eq!(stats["commits"], COMMITS, "stats read every commit");
    assert_eq!(
        stats["total"]["ai_added"],
        COMMITS * 3,
        "stats found every AI line"
    );
    let mut times: [Vec<Duration>; 2] = Default::default();
    for round in 0..=rounds(ROUNDS) {
        let lineage = timed(&mut env.lineage(dir, &["stats", "--json"])).0;
        let git = timed(&mut env.git(dir, &["log", "--numstat", "--format=%H"])).0;
        if round > 0 {
            times[0].push(lineage);
            times[1].push(git);
        }
    }
    let (lineage, git) = (median_ms(&times[0]), median_ms(&times[1]));
    progress(
        started,
        &format!("stats over {COMMITS} noted commits: {lineage:.1} ms (git log --numstat alone {git:.1} ms)"),
    );
    vec![
        Row {
            measure: "  first run, filling the numstat cache".into(),
            lineage: fmt_ms(cold.as_secs_f64() * 1e3),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: "(info)".into(),
            within: None,
        },
        Row {
            measure: format!("stats over {COMMITS} commits with notes (vs git log --numstat)"),
            lineage: fmt_ms(lineage),
            baseline: fmt_ms(git),
            ratio: format!("{:.3}x", lineage / git),
            budget: format!("<= {BUDGET_MS:.0} ms"),
            within: Some(lineage <= BUDGET_MS),
        },
    ]
}

fn build(env: &Env, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut stream = Vec::with_capacity(16 << 20);
    let mut files: Vec<String> = vec![String::new(); FILES];
    let mut notes = Vec::with_capacity(8 << 20);
    let models = ["claude-opus-4-5", "gpt-5-codex", "gemini-2.5-pro"];
    for commit in 1..=COMMITS {
        let file = commit % FILES;
        let path = format!("src/m{file:02}.rs");
        let before = files[file].lines().count();
        for j in 0..4 {
            files[file].push_str(&format!(
                "fn f_{commit}_{j}() -> usize {{ {} }}\n",
                commit * 4 + j
            ));
        }
        let when = HISTORY_EPOCH + commit as u64 * 60;
        let message = format!("Change {commit}");
        write!(
            stream,
            "commit refs/heads/main\nmark :{commit}\nauthor Ada Lovelace <ada@example.com> {when} +0000\ncommitter Ada Lovelace <ada@example.com> {when} +0000\ndata {}\n{message}\nM 100644 inline {path}\ndata {}\n{}\n",
            message.len(),
            files[file].len(),
            files[file]
        )
        .unwrap();
        // Three of the four new lines are the AI's.
        let edit = serde_json::json!({
            "file": path, "id": format!("{commit:064x}"), "kind": "edit", "lineage": 1,
            "model": models[commit % 3], "modified": [], "outcome": "accepted", "prompt_id": null,
            "ranges": [[before + 1, before + 3]], "recorded_at": "2026-01-01T00:00:00Z",
            "session": "s", "tool": "claude-code", "user": "Ada Lovelace <ada@example.com>",
        });
        let note = format!("{edit}\n{{\"by\":\"hooks\",\"kind\":\"seen\",\"lineage\":1}}\n");
        write!(notes, "N inline :{commit}\ndata {}\n{note}\n", note.len()).unwrap();
    }
    write!(
        stream,
        "commit refs/notes/lineage\ncommitter lineage <lineage@example.com> {HISTORY_EPOCH} +0000\ndata 5\nnotes\n"
    )
    .unwrap();
    stream.extend_from_slice(&notes);
    fast_import(env, dir, &stream);
}
