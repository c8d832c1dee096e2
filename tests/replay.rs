//! Replay of real history (the accuracy issue's benchmark): the Python files of a public
//! project at 117 commits (`fixtures/replay/`, see `build.sh` there), played back through the real
//! hooks. Each change between two commits becomes, by a seeded draw, an agent's edit (recorded
//! from a Claude Code payload), sometimes then touched or re-indented by a person, an agent's
//! draft the user undid before typing the change by hand, or a person's edit; some commits get a
//! person's copy of an AI line typed elsewhere, and some are committed in two parts. Every
//! commit's note is scored against the truth: no human line may be shown as AI.
//!
//! `cargo test --release --test replay -- --nocapture` prints the figures; `REPLAY_SEEDS=n` plays
//! n seeds (default 1), `REPLAY_SEED=n` seed n only.

mod common;
mod truth;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use similar::{Algorithm, DiffOp, capture_diff_slices};
use truth::{Rng, Sim, Tally, Truth};

/// The history: per commit, its message and its files.
fn history() -> Vec<(String, BTreeMap<String, String>)> {
    let bundle = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/replay/itsdangerous.bundle");
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| -> String {
        let out = Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    git(&["fetch", "-q", bundle, "main:main"]);
    let commits: Vec<String> = git(&["rev-list", "--reverse", "main"])
        .lines()
        .map(String::from)
        .collect();
    // One `git cat-file --batch` for every file of every commit.
    let mut wanted = Vec::new();
    let mut history = Vec::new();
    for commit in &commits {
        let message = git(&["log", "-1", "--format=%s", commit]).trim().to_string();
        let files: Vec<String> = git(&["ls-tree", "-r", "--name-only", commit])
            .lines()
            .map(String::from)
            .collect();
        for file in &files {
            wanted.push(format!("{commit}:{file}"));
        }
        history.push((message, files));
    }
    let mut cat = Command::new("git")
        .current_dir(dir.path())
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = cat.stdin.take().unwrap();
    let request = wanted.join("\n") + "\n";
    let writer = std::thread::spawn(move || input.write_all(request.as_bytes()).unwrap());
    let out = cat.wait_with_output().unwrap();
    writer.join().unwrap();
    let mut data = &out.stdout[..];
    let mut texts = Vec::new();
    while let Some(eol) = data.iter().position(|&b| b == b'\n') {
        let header = std::str::from_utf8(&data[..eol]).unwrap();
        let size: usize = header.rsplit(' ').next().unwrap().parse().unwrap();
        texts.push(String::from_utf8_lossy(&data[eol + 1..eol + 1 + size]).into_owned());
        data = &data[eol + 2 + size..];
    }
    let mut texts = texts.into_iter();
    history
        .into_iter()
        .map(|(message, files)| {
            (
                message,
                files.into_iter().map(|f| (f, texts.next().unwrap())).collect(),
            )
        })
        .collect()
}

/// Lines no real file has, for the drafts the user undoes.
fn draft(rng: &mut Rng) -> Vec<String> {
    (0..1 + rng.below(3))
        .map(|i| format!("ЖЖЖ_{} = ЖЖЖ({i})", rng.below(1000)))
        .collect()
}

fn replay(seed: u64, history: &[(String, BTreeMap<String, String>)]) -> (Tally, Vec<String>) {
    let mut rng = Rng::new(seed);
    let mut sim = Sim::new(&[]);
    for (message, target) in history {
        let mut changed = Vec::new();
        for path in sim.paths() {
            if !target.contains_key(&path) {
                sim.human_delete(&path);
                changed.push(path);
            }
        }
        for (path, text) in target {
            let old = sim.lines_of(path);
            let new: Vec<String> = text.lines().map(String::from).collect();
            if old == new && sim.len(path) > 0 {
                continue;
            }
            changed.push(path.clone());
            let hunks: Vec<DiffOp> = capture_diff_slices(Algorithm::Myers, &old, &new)
                .into_iter()
                .filter(|op| !matches!(op, DiffOp::Equal { .. }))
                .collect();
            // Last first, so the earlier hunks' line numbers hold.
            for op in hunks.iter().rev() {
                let (start, len, range) = (op.old_range().start, op.old_range().len(), op.new_range());
                let lines = &new[range];
                let roll = rng.below(100);
                if std::env::var_os("REPLAY_TRACE").is_some() {
                    eprintln!(
                        "[{}] {roll} {path} {start}+{len} -> {lines:?}",
                        sim.tally.commits + 1
                    );
                }
                match roll {
                    0..60 => {
                        sim.ai(path, start, len, lines);
                        let fresh: Vec<usize> = (start..start + lines.len())
                            .filter(|&i| !lines[i - start].trim().is_empty())
                            .collect();
                        if !fresh.is_empty() && rng.chance(15) {
                            sim.touch(path, fresh[rng.below(fresh.len())]);
                        } else if !fresh.is_empty() && rng.chance(8) {
                            sim.reindent(path, fresh[rng.below(fresh.len())]);
                        }
                    }
                    60..68 if sim.len(path) > 0 => {
                        let undo = sim.ai(path, start, len, &draft(&mut rng));
                        sim.undo(undo);
                        sim.human(path, start, len, lines);
                    }
                    _ => sim.human(path, start, len, lines),
                }
            }
        }
        if rng.chance(15) {
            copy_an_ai_line_elsewhere(&mut sim, &mut rng);
        }
        changed.sort();
        changed.dedup();
        if changed.len() >= 2 && rng.chance(25) {
            let first = vec![changed[0].clone()];
            sim = stop_before(sim);
            sim.commit(Some(&first), &format!("{message} (part 1)"));
        }
        sim = stop_before(sim);
        sim.commit(None, message);
        if std::env::var("REPLAY_STOP").ok().and_then(|s| s.parse().ok()) == Some(sim.tally.commits) {
            println!("stopped at {}", sim.repo.path().display());
            std::mem::forget(sim);
            panic!("stopped");
        }
    }
    if std::env::var_os("REPLAY_VERBOSE").is_some() {
        for missed in &sim.missed_at {
            println!("missed {missed}");
        }
    }
    (sim.tally, sim.false_ai_at.clone())
}

/// For debugging: `REPLAY_STOP_BEFORE=n` leaves the repository as it is before commit n.
fn stop_before(sim: Sim) -> Sim {
    if std::env::var("REPLAY_STOP_BEFORE")
        .ok()
        .and_then(|s| s.parse().ok())
        == Some(sim.tally.commits + 1)
    {
        println!("stopped before committing, at {}", sim.repo.path().display());
        std::mem::forget(sim);
        panic!("stopped");
    }
    sim
}

/// A person types a copy of one of the uncommitted AI lines somewhere away from every change.
fn copy_an_ai_line_elsewhere(sim: &mut Sim, rng: &mut Rng) {
    let mut ai = Vec::new();
    let mut gaps = Vec::new();
    for path in sim.paths() {
        let n = sim.len(&path);
        for i in 0..n {
            if sim.is_fresh(&path, i) && sim.truth_at(&path, i) == Truth::Ai {
                let text = sim.lines_of(&path)[i].clone();
                if text.trim().len() > 3 {
                    ai.push(text);
                }
            }
        }
        // Between lines 2 apart from any change on both sides.
        for gap in 2..n.saturating_sub(2) {
            if (gap - 2..gap + 2).all(|i| !sim.is_fresh(&path, i)) {
                gaps.push((path.clone(), gap));
            }
        }
    }
    if ai.is_empty() || gaps.is_empty() {
        return;
    }
    let text = ai[rng.below(ai.len())].clone();
    let (path, gap) = gaps[rng.below(gaps.len())].clone();
    let lines = sim.lines_of(&path);
    // An identical neighbour would let git's diff slide the copy onto it.
    if lines[gap - 1].trim() == text.trim() || lines[gap].trim() == text.trim() {
        return;
    }
    sim.human(&path, gap, 0, &[text]);
}

#[test]
fn replayed_history_shows_no_human_line_as_ai() {
    let history = history();
    assert_eq!(history.len(), 117);
    let env = |name: &str| std::env::var(name).ok().and_then(|s| s.parse::<u64>().ok());
    let seeds = match (env("REPLAY_SEED"), env("REPLAY_SEEDS")) {
        (Some(seed), _) => seed..=seed,
        (None, n) => 1..=n.unwrap_or(1),
    };
    let mut total = Tally::default();
    for seed in seeds {
        let (tally, false_ai) = replay(seed, &history);
        println!("seed {seed}: {tally}");
        assert!(
            false_ai.is_empty(),
            "seed {seed}: human lines shown as AI: {false_ai:#?}"
        );
        total.add(&tally);
    }
    println!("replay: {total}");
    assert!(total.ai > 1000, "the replay exercised too little: {total}");
    assert!(total.recall() >= 0.99, "recall: {total}");
}
