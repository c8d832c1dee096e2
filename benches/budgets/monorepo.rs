//! 6. Commits in a 100,000-file repository: the hooks must cost what the change costs, not
//!    what the repository holds. A commit through lineage's hooks against the same commit in a
//!    worktree of the same repository with hooks off, alternating, for three shapes: one file
//!    with one record (≤ +20 ms), fifty files with fifty records (≤ +40 ms), and one file with
//!    nothing pending (≤ +5 ms). The two hook scripts are also timed alone, as git runs them
//!    (info): the commit there varies by tens of milliseconds from round to round, and they
//!    do not. Then blame of one of its files against git's.

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
    for shape in SHAPES {
        // Three variants, rotated: a commit with hooks off (in the plain worktree), one
        // through the hooks, and the hooks alone: their two scripts run as git runs them,
        // timed apart from a commit with hooks off between them. The commit here varies by
        // tens of milliseconds from round to round; the hooks alone do not.
        let mut times: [Vec<Duration>; 3] = Default::default();
        for round in 0..=rounds(ROUNDS) {
            for k in 0..3 {
                let variant = (k + round) % 3;
                let hooks_on = variant != 0;
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
                let elapsed = match variant {
                    1 => timed(&mut env.git(dir, &["commit", "-q", "-m", &message])).0,
                    0 => timed(&mut env.git(dir, &["-c", &hooks_off, "commit", "-q", "-m", &message])).0,
                    _ => {
                        let hook = |name: &str, args: &[&str]| {
                            let script = format!(".git/hooks/{name}");
                            let mut sh_args = vec![script.as_str()];
                            sh_args.extend(args);
                            timed(&mut env.command("sh", dir, &sh_args)).0
                        };
                        let prepare = hook("prepare-commit-msg", &[".git/COMMIT_EDITMSG", "message"]);
                        check_output(env.git(dir, &["-c", &hooks_off, "commit", "-q", "-m", &message]));
                        prepare + hook("post-commit", &[])
                    }
                };
                if hooks_on && round == 0 {
                    check_note(env, dir, shape);
                }
                if round > 0 {
                    times[variant].push(elapsed);
                }
            }
        }
        let (without, with, alone) = (median_ms(&times[0]), median_ms(&times[1]), median_ms(&times[2]));
        let spread = |t: &[Duration]| {
            let ms = sorted_ms(t);
            format!("{:.0}-{:.0}", ms[0], ms[ms.len() - 1])
        };
        progress(
            started,
            &format!(
                "monorepo, {}: hooks off {without:.1} ms ({}), on {with:.1} ms ({}), overhead {:.1} ms; \
                 hooks alone {alone:.1} ms ({})",
                shape.name,
                spread(&times[0]),
                spread(&times[1]),
                with - without,
                spread(&times[2]),
            ),
        );
        rows.push(Row {
            measure: format!("100k-file repo commit, {} (overhead)", shape.name),
            lineage: fmt_ms(with - without),
            baseline: fmt_ms(without),
            ratio: format!("{:.3}x", with / without),
            budget: format!("<= +{:.0} ms", shape.budget_ms),
            within: Some(with - without <= shape.budget_ms),
        });
        rows.push(Row {
            measure: "  the two hook scripts alone, as git runs them".into(),
            lineage: fmt_ms(alone),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: "(info)".into(),
            within: None,
        });
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
/// were made), or the benchmark would time hooks that do nothing.
fn check_note(env: &Env, dir: &Path, shape: &Shape) {
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
