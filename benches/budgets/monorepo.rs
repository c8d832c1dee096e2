//! 6. Commits in a 100,000-file repository: the hooks must cost what the change costs, not
//!    what the repository holds. A commit through lineage's hooks against the same commit in a
//!    worktree of the same repository with hooks off, alternating, for three shapes: one file
//!    with one record (≤ +20 ms), fifty files with fifty records (≤ +40 ms), and one file with
//!    nothing pending (≤ +5 ms). The commit itself varies by tens of milliseconds from round to
//!    round there (it lstats 100,000 files and writes an 8 MB index), more than two of the
//!    budgets, so what the hooks add is measured inside each hooked commit: the wall time git
//!    spent in its hook processes, from git's own trace2 events (forking them from git
//!    included). The difference of the two commits' medians is shown beside it (info), and,
//!    with nothing pending, two empty hook scripts timed the same way: the floor any two hooks
//!    cost there (info). Then blame of one of its files against git's.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use super::support::*;

const TOP: usize = 20;
const MIDDLE: usize = 50;
const LEAVES: usize = 100;
/// Timed commits of each kind (after one warm-up each).
const ROUNDS: usize = 9;

struct Shape {
    name: &'static str,
    files: usize,
    recorded: bool,
    budget_ms: f64,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "1 file, 1 record",
        files: 1,
        recorded: true,
        budget_ms: 20.0,
    },
    Shape {
        name: "50 files, 50 records",
        files: 50,
        recorded: true,
        budget_ms: 40.0,
    },
    Shape {
        name: "1 file, nothing pending",
        files: 1,
        recorded: false,
        budget_ms: 5.0,
    },
];

pub fn bench(env: &Env, root: &Path, started: Instant) -> Vec<Row> {
    let hooked = root.join("mono");
    let plain = root.join("mono-plain");
    let no_hooks = root.join("mono-no-hooks");
    fs::create_dir_all(&no_hooks).unwrap();
    progress(
        started,
        &format!("building a {}-file repository", TOP * MIDDLE * LEAVES),
    );
    build(env, &hooked);
    check_output(env.lineage(&hooked, &["init"]));
    let plain_arg = plain.to_string_lossy().into_owned();
    check_output(env.git(&hooked, &["worktree", "add", "-q", "-b", "plain", &plain_arg]));
    let hooks_off = format!("core.hooksPath={}", no_hooks.display());
    // The floor any two hooks cost there: git forks them from a process holding the index.
    let empty_hooks = root.join("mono-empty-hooks");
    fs::create_dir_all(&empty_hooks).unwrap();
    for name in ["prepare-commit-msg", "post-commit"] {
        let path = empty_hooks.join(name);
        fs::write(&path, "#!/bin/sh\n:\n").unwrap();
        fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    let hooks_empty = format!("core.hooksPath={}", empty_hooks.display());
    // Let both indexes be written after the newest file's mtime, so no entry is "racily
    // clean" (git would re-hash those on every commit in one worktree and not the other).
    std::thread::sleep(Duration::from_millis(1_100));
    for dir in [&hooked, &plain] {
        check_output(env.git(dir, &["update-index", "-q", "--really-refresh"]));
    }
    let index_size = fs::metadata(hooked.join(".git/index")).map_or(0, |m| m.len());
    progress(
        started,
        &format!("monorepo ready (index {:.1} MB)", index_size as f64 / 1e6),
    );

    let mut rows = Vec::new();
    let mut serial = 0;
    let trace = root.join("trace2.json");
    for shape in SHAPES {
        // Variants, rotated: a commit with hooks off (in the plain worktree) and one through
        // the hooks; with nothing pending, also one through two empty hooks (in the plain
        // worktree). All traced, so that they pay the same.
        let variants = if shape.recorded { 2 } else { 3 };
        let mut times: [Vec<Duration>; 2] = Default::default();
        let mut in_hooks = Vec::new();
        let mut in_empty_hooks = Vec::new();
        for round in 0..=rounds(ROUNDS) {
            for k in 0..variants {
                let variant = (k + round) % variants;
                let hooks_on = variant == 1;
                let dir = if hooks_on { &hooked } else { &plain };
                serial += 1;
                for f in 0..shape.files {
                    let path = format!(
                        "d{:02}/s{:02}/f{:03}.rs",
                        f % TOP,
                        (f * 7) % MIDDLE,
                        serial % LEAVES
                    );
                    let line = format!("pub fn added_{serial}_{f}() -> u32 {{ {serial} }}");
                    let file = dir.join(&path);
                    let mut text = fs::read_to_string(&file).unwrap();
                    text.push_str(&line);
                    text.push('\n');
                    fs::write(&file, text).unwrap();
                    if hooks_on && shape.recorded {
                        let mut cmd = env.lineage(dir, &["record", "--file", &path, "--tool", "claude-code"]);
                        run_with_stdin(&mut cmd, format!("{line}\n").as_bytes());
                    }
                    check_output(env.git(dir, &["add", &path]));
                }
                let message = format!("bench: {} {serial}", shape.name);
                let _ = fs::remove_file(&trace);
                let mut commit = match variant {
                    0 => env.git(dir, &["-c", &hooks_off, "commit", "-q", "-m", &message]),
                    1 => env.git(dir, &["commit", "-q", "-m", &message]),
                    _ => env.git(dir, &["-c", &hooks_empty, "commit", "-q", "-m", &message]),
                };
                commit.env("GIT_TRACE2_EVENT", &trace);
                let elapsed = timed(&mut commit).0;
                let hooks = hook_time(&trace, if variant == 0 { 0 } else { 2 });
                if hooks_on && round == 0 {
                    check_note(env, dir, shape);
                }
                if round > 0 {
                    match variant {
                        0 => times[0].push(elapsed),
                        1 => {
                            times[1].push(elapsed);
                            in_hooks.push(hooks);
                        }
                        _ => in_empty_hooks.push(hooks),
                    }
                }
            }
        }
        let (without, with, hooks) = (median_ms(&times[0]), median_ms(&times[1]), median_ms(&in_hooks));
        let spread = |t: &[Duration]| {
            let ms = sorted_ms(t);
            format!("{:.1}-{:.1}", ms[0], ms[ms.len() - 1])
        };
        progress(
            started,
            &format!(
                "monorepo, {}: hooks off {without:.1} ms ({}), on {with:.1} ms ({}), difference {:.1} ms; \
                 in the hooks {hooks:.1} ms ({})",
                shape.name,
                spread(&times[0]),
                spread(&times[1]),
                with - without,
                spread(&in_hooks),
            ),
        );
        rows.push(Row {
            measure: format!("100k-file repo commit, {}: in the hooks", shape.name),
            lineage: fmt_ms(hooks),
            baseline: fmt_ms(without),
            ratio: format!("{:.3}x", (without + hooks) / without),
            budget: format!("<= +{:.0} ms", shape.budget_ms),
            within: Some(hooks <= shape.budget_ms),
        });
        rows.push(Row {
            measure: "  the commit with hooks vs without, difference of medians".into(),
            lineage: fmt_ms(with - without),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: "(info)".into(),
            within: None,
        });
        if !in_empty_hooks.is_empty() {
            let floor = median_ms(&in_empty_hooks);
            progress(
                started,
                &format!(
                    "monorepo, two empty hooks: {floor:.1} ms ({})",
                    spread(&in_empty_hooks)
                ),
            );
            rows.push(Row {
                measure: "  two empty hook scripts there, as git runs them (the floor)".into(),
                lineage: fmt_ms(floor),
                baseline: "-".into(),
                ratio: "-".into(),
                budget: "(info)".into(),
                within: None,
            });
        }
    }
    // Blame of one file there: lineage's part must not grow with the repository.
    rows.extend(super::blame::compare(
        env,
        &hooked,
        "d05/s05/f050.rs",
        "blame of a file in the 100k-file repo",
        started,
    ));
    rows
}

/// The first hooked commit of each shape must have its note (with the AI lines when records
/// were made), or the benchmark would time hooks that do nothing. A commit with nothing
/// pending is owed its `seen` note until the next lineage command writes it.
fn check_note(env: &Env, dir: &Path, shape: &Shape) {
    if !shape.recorded {
        check_output(env.lineage(dir, &["status"]));
    }
    let note = String::from_utf8(check_output(
        env.git(dir, &["notes", "--ref=lineage", "show", "HEAD"]),
    ))
    .unwrap();
    let edits = note.lines().filter(|l| l.contains("\"kind\":\"edit\"")).count();
    let expected = if shape.recorded { shape.files } else { 0 };
    assert_eq!(
        edits, expected,
        "{}: the hooked commit's note is {note}",
        shape.name
    );
}

/// 100,000 small files in three directory levels, one commit, one `git fast-import` run.
fn build(env: &Env, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut stream = Vec::with_capacity(64 << 20);
    let message = "A monorepo";
    write!(
        stream,
        "commit refs/heads/main\nauthor Ada Lovelace <ada@example.com> {HISTORY_EPOCH} +0000\ncommitter Ada Lovelace <ada@example.com> {HISTORY_EPOCH} +0000\ndata {}\n{message}\n",
        message.len()
    )
    .unwrap();
    for top in 0..TOP {
        for middle in 0..MIDDLE {
            for leaf in 0..LEAVES {
                let mut body = format!("//! Module {top}.{middle}.{leaf}.\n");
                for i in 0..16 {
                    body.push_str(&format!(
                        "pub fn f{i}() -> u32 {{ {} }}\n",
                        top * middle + leaf + i
                    ));
                }
                write!(
                    stream,
                    "M 100644 inline d{top:02}/s{middle:02}/f{leaf:03}.rs\ndata {}\n{body}\n",
                    body.len()
                )
                .unwrap();
            }
        }
    }
    fast_import(env, dir, &stream);
}

/// The wall time git spent in hook processes during one traced command (its trace2 events in
/// `trace`), checking that `expected` hooks ran.
fn hook_time(trace: &Path, expected: usize) -> Duration {
    let text = fs::read_to_string(trace).unwrap_or_default();
    let events: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let hooks: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["event"] == "child_start" && e["child_class"] == "hook")
        .map(|e| &e["child_id"])
        .collect();
    assert_eq!(hooks.len(), expected, "hooks git ran: {text}");
    let seconds: f64 = events
        .iter()
        .filter(|e| e["event"] == "child_exit" && hooks.contains(&&e["child_id"]))
        .filter_map(|e| e["t_rel"].as_f64())
        .sum();
    Duration::from_secs_f64(seconds)
}
