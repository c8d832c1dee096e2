//! 1. `lineage blame` against `git blame --porcelain` on the same file, table and `--json`, on
//!    every shape of file: a long history, a short history of a big file, a 100,000-line file
//!    under 5,000 records (and its peak memory); the 100,000-file repository's is in
//!    `monorepo.rs`.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use super::support::*;

/// Commits in the long history (the first one creates the file).
const LONG_COMMITS: usize = 3_000;
/// Lines of `src/long.rs` in the first commit; edits keep it around this length.
const LONG_LINES: usize = 3_000;
const LONG_FILE: &str = "src/long.rs";
/// Timed rounds of each blame variant (after one warm-up round).
const BLAME_ROUNDS: usize = 9;

const BLAME_RATIO_BUDGET: f64 = 1.05;

pub fn bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    progress(
        started,
        &format!("building {LONG_COMMITS} commits of {LONG_FILE} with git fast-import"),
    );
    let history = build_long_history(env, dir);
    progress(
        started,
        &format!(
            "history built: {} commits, {} notes, {} lines in {LONG_FILE}, {} of them AI-written",
            history.commits, history.notes, history.final_lines, history.expected_ai_lines
        ),
    );

    // Sanity: the overlay must find the AI lines the history put there, or we time a no-op.
    let porcelain = check_output(env.lineage(dir, &["blame", "--tsv", LONG_FILE]));
    let porcelain = String::from_utf8_lossy(&porcelain);
    let total_lines = porcelain.lines().count();
    let ai_lines = porcelain
        .lines()
        .filter(|l| l.split('\t').nth(2).is_some_and(|tool| tool != "-"))
        .count();
    assert_eq!(
        total_lines, history.final_lines,
        "lineage blame --tsv printed {total_lines} lines for a {}-line file",
        history.final_lines
    );
    assert!(
        ai_lines > 0,
        "lineage blame found no AI line: the overlay is not exercised"
    );
    if ai_lines != history.expected_ai_lines {
        progress(
            started,
            &format!(
                "WARNING: lineage blame attributes {ai_lines} lines to AI, the history wrote {}",
                history.expected_ai_lines
            ),
        );
    }

    compare(
        env,
        dir,
        LONG_FILE,
        &format!("blame {LONG_FILE}, {} commits", history.commits),
        started,
    )
}

/// `lineage blame` (table and `--json`) against `git blame --porcelain` on `file`, interleaved;
/// both are held to the budget. lineage runs its git with glibc's allocator told to keep what
/// it frees (`lineage::git::malloc_tunables`), which makes git itself faster: the same git
/// run that way is timed too, so that lineage's own share shows.
pub fn compare(env: &Env, dir: &Path, file: &str, label: &str, started: Instant) -> Vec<Row> {
    let variants: [(&str, Vec<&str>); 4] = [
        ("git", vec!["blame", "--porcelain", file]),
        (LINEAGE, vec!["blame", file]),
        (LINEAGE, vec!["blame", "--json", file]),
        ("git", vec!["blame", "--porcelain", file]),
    ];
    const TUNED_GIT: usize = 3;
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
    for round in 0..=rounds(BLAME_ROUNDS) {
        for k in 0..variants.len() {
            // Rotate the order each round so no variant always runs right after another.
            let v = (k + round) % variants.len();
            let (program, args) = &variants[v];
            let mut command = env.command(program, dir, args);
            if v == TUNED_GIT {
                command.env("GLIBC_TUNABLES", lineage::git::malloc_tunables());
            }
            let (elapsed, _) = timed(&mut command);
            if round > 0 {
                times[v].push(elapsed);
            }
        }
    }
    let git = median_ms(&times[0]);
    let table_ms = median_ms(&times[1]);
    let json_ms = median_ms(&times[2]);
    let tuned_git = median_ms(&times[TUNED_GIT]);
    // The same rounds compared pairwise, which cancels slow drift in machine load.
    let paired = |v: usize| {
        let mut ratios: Vec<f64> = times[v]
            .iter()
            .zip(&times[0])
            .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let spread = |v: usize| {
        let ms = sorted_ms(&times[v]);
        format!("{:.0}-{:.0} ms", ms[0], ms[ms.len() - 1])
    };
    progress(
        started,
        &format!(
            "{label}: medians git {git:.1} ms, lineage {table_ms:.1} ms, --json {json_ms:.1} ms; per-round ratios {:.3}x / {:.3}x; ranges {} / {} / {}",
            paired(1),
            paired(2),
            spread(0),
            spread(1),
            spread(2)
        ),
    );
    vec![
        Row {
            measure: format!("{label} (vs git blame --porcelain)"),
            lineage: fmt_ms(table_ms),
            baseline: fmt_ms(git),
            ratio: format!("{:.3}x", table_ms / git),
            budget: format!("<= {BLAME_RATIO_BUDGET:.2}x"),
            within: Some(table_ms <= BLAME_RATIO_BUDGET * git),
        },
        Row {
            measure: "  --json, same file".into(),
            lineage: fmt_ms(json_ms),
            baseline: fmt_ms(git),
            ratio: format!("{:.3}x", json_ms / git),
            budget: format!("<= {BLAME_RATIO_BUDGET:.2}x"),
            within: Some(json_ms <= BLAME_RATIO_BUDGET * git),
        },
        Row {
            measure: "  table, vs git porcelain with lineage's allocator settings".into(),
            lineage: fmt_ms(table_ms),
            baseline: fmt_ms(tuned_git),
            ratio: format!("{:.3}x", table_ms / tuned_git),
            budget: "(info)".into(),
            within: None,
        },
    ]
}

/// Lines of the big file, and the records its one commit's note holds.
const BIG_LINES: usize = 100_000;
const BIG_RECORDS: usize = 5_000;
const BIG_FILE: &str = "src/big.rs";

/// `lineage blame` of a 100,000-line file committed at once, whose note holds 5,000 edit
/// records (every line is AI-written): the cost must follow the file, not lines × records.
pub fn big_file_bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut rng = Rng::new(0x5eed_b16f_11e0_0002);
    let mut lines = LineMaker::default();
    let mut content = String::new();
    for _ in 0..BIG_LINES {
        content.push_str(&lines.next(&mut rng));
        content.push('\n');
    }
    let per_record = BIG_LINES / BIG_RECORDS;
    let mut note = String::new();
    for r in 0..BIG_RECORDS {
        let first = r * per_record + 1;
        let edit = serde_json::json!({
            "file": BIG_FILE, "id": rng.hex64(), "kind": "edit", "lineage": 1,
            "model": "claude-opus-4-5", "modified": [], "outcome": "accepted",
            "prompt_id": null, "ranges": [[first, first + per_record - 1]],
            "recorded_at": "2026-01-01T00:00:00Z", "session": "s", "tool": "claude-code",
            "user": "Ada Lovelace <ada@example.com>",
        });
        note.push_str(&format!("{edit}\n"));
    }
    let mut stream = Vec::new();
    let when = HISTORY_EPOCH;
    let message = "A generated file";
    write!(
        stream,
        "commit refs/heads/main\nmark :1\nauthor Ada Lovelace <ada@example.com> {when} +0000\ncommitter Ada Lovelace <ada@example.com> {when} +0000\ndata {}\n{message}\n",
        message.len()
    )
    .unwrap();
    write!(
        stream,
        "M 100644 inline {BIG_FILE}\ndata {}\n{content}\n",
        content.len()
    )
    .unwrap();
    write!(
        stream,
        "commit refs/notes/lineage\ncommitter lineage <lineage@example.com> {when} +0000\ndata 5\nnotes\nN inline :1\ndata {}\n{note}\n",
        note.len()
    )
    .unwrap();
    fast_import(env, dir, &stream);

    let porcelain = check_output(env.lineage(dir, &["blame", "--tsv", BIG_FILE]));
    let porcelain = String::from_utf8_lossy(&porcelain);
    let ai_lines = porcelain
        .lines()
        .filter(|l| l.split('\t').nth(2).is_some_and(|tool| tool != "-"))
        .count();
    assert_eq!(ai_lines, BIG_LINES, "every line of {BIG_FILE} is AI-written");
    progress(
        started,
        &format!("{BIG_FILE}: {BIG_LINES} lines under {BIG_RECORDS} records"),
    );
    let mut rows = compare(
        env,
        dir,
        BIG_FILE,
        &format!("blame {BIG_FILE}, {BIG_LINES} lines, {BIG_RECORDS} records"),
        started,
    );
    // Memory follows the file and its note: the text, a line record each, the parsed note.
    let file_mib = content.len() as f64 / (1 << 20) as f64;
    let note_mib = note.len() as f64 / (1 << 20) as f64;
    for (label, args) in [
        ("  peak RSS, table", vec!["blame", BIG_FILE]),
        ("  peak RSS, --json", vec!["blame", "--json", BIG_FILE]),
    ] {
        let mib = peak_rss_mib(&mut env.lineage(dir, &args));
        rows.push(Row {
            measure: format!("{label} (file {file_mib:.1} MiB, note {note_mib:.1} MiB)"),
            lineage: format!("{mib:.1} MiB"),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: "(info)".into(),
            within: None,
        });
    }
    rows
}

/// Lines of the short-history file, its commits, and the AI records each commit's note holds.
const SHORT_LINES: usize = 8_000;
const SHORT_COMMITS: usize = 12;
const SHORT_RECORDS: usize = 40;
const SHORT_FILE: &str = "src/short.rs";

/// `lineage blame` of an 8,000-line file with a short history (a dozen commits, each
/// rewriting blocks of it with AI records): here git blames fast, and lineage's own cost per
/// line shows.
pub fn short_history_bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut rng = Rng::new(0x5eed_5407_7000_0003);
    let mut lines = LineMaker::default();
    let mut text: Vec<String> = (0..SHORT_LINES).map(|_| lines.next(&mut rng)).collect();
    let mut stream = Vec::new();
    let mut notes = String::new();
    for commit in 1..=SHORT_COMMITS {
        let mut note = String::new();
        // After the first commit, blocks of 20 lines are rewritten by the AI.
        if commit > 1 {
            for _ in 0..SHORT_RECORDS {
                let first = rng.below((SHORT_LINES - 20) as u64) as usize;
                for line in &mut text[first..first + 20] {
                    *line = lines.next(&mut rng);
                }
                note.push_str(
                    &note_for(&mut rng, commit, first + 1, first + 20).replace(LONG_FILE, SHORT_FILE),
                );
            }
        }
        let content: String = text.iter().map(|l| format!("{l}\n")).collect();
        let when = HISTORY_EPOCH + commit as u64 * 3600;
        let message = format!("Change {commit}");
        write!(
            stream,
            "commit refs/heads/main\nmark :{commit}\nauthor Ada Lovelace <ada@example.com> {when} +0000\ncommitter Ada Lovelace <ada@example.com> {when} +0000\ndata {}\n{message}\n",
            message.len()
        )
        .unwrap();
        write!(
            stream,
            "M 100644 inline {SHORT_FILE}\ndata {}\n{content}\n",
            content.len()
        )
        .unwrap();
        if !note.is_empty() {
            notes.push_str(&format!("N inline :{commit}\ndata {}\n{note}\n", note.len()));
        }
    }
    let when = HISTORY_EPOCH;
    write!(
        stream,
        "commit refs/notes/lineage\ncommitter lineage <lineage@example.com> {when} +0000\ndata 5\nnotes\n{notes}"
    )
    .unwrap();
    fast_import(env, dir, &stream);
    let tsv = check_output(env.lineage(dir, &["blame", "--tsv", SHORT_FILE]));
    let ai_lines = String::from_utf8_lossy(&tsv)
        .lines()
        .filter(|l| l.split('\t').nth(2).is_some_and(|tool| tool != "-"))
        .count();
    assert!(ai_lines > 0, "lineage blame found no AI line in {SHORT_FILE}");
    progress(
        started,
        &format!("{SHORT_FILE}: {SHORT_LINES} lines, {SHORT_COMMITS} commits, {ai_lines} AI lines"),
    );
    compare(
        env,
        dir,
        SHORT_FILE,
        &format!("blame {SHORT_FILE}, {SHORT_LINES} lines, {SHORT_COMMITS} commits"),
        started,
    )
}

struct LongHistory {
    commits: usize,
    notes: usize,
    final_lines: usize,
    expected_ai_lines: usize,
}

/// One `git fast-import` run: the code commits on `main`, then one commit on
/// `refs/notes/lineage` holding the notes (fast-import fans the notes tree out itself).
fn build_long_history(env: &Env, dir: &Path) -> LongHistory {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut stream = Vec::with_capacity(1 << 20);
    let mut rng = Rng::new(0x5eed_1ea9_e000_0001);
    let mut lines = LineMaker::default();
    // The file as of the latest commit, and whether each line was written by an AI.
    let mut text: Vec<String> = (0..LONG_LINES).map(|_| lines.next(&mut rng)).collect();
    let mut ai = vec![false; text.len()];
    let mut notes: Vec<(usize, String)> = Vec::new();
    let mut content = String::new();

    for mark in 1..=LONG_COMMITS {
        let mut message = String::from("Initial import of the long file");
        if mark > 1 {
            // Replace `removed` lines at `at` by `added` new ones (a rewrite, an insertion,
            // or both); the file length drifts around LONG_LINES.
            let at = rng.below(text.len() as u64 + 1) as usize;
            let removed = (rng.below(5) as usize).min(text.len() - at);
            let added = 1 + rng.below(3) as usize;
            let new_lines: Vec<String> = (0..added).map(|_| lines.next(&mut rng)).collect();
            let with_note = rng.below(3) == 0;
            text.splice(at..at + removed, new_lines);
            ai.splice(at..at + removed, std::iter::repeat_n(with_note, added));
            message = format!("Edit {removed} line(s) at line {} (step {mark})", at + 1);
            if with_note {
                let first = at + 1;
                let last = at + added;
                notes.push((mark, note_for(&mut rng, mark, first, last)));
            }
        }
        content.clear();
        for line in &text {
            content.push_str(line);
            content.push('\n');
        }
        let who = [
            "Ada Lovelace <ada@example.com>",
            "Grace Hopper <grace@example.com>",
            "Alan Turing <alan@example.com>",
        ][mark % 3];
        let when = HISTORY_EPOCH + 600 * mark as u64;
        write!(
            stream,
            "commit refs/heads/main\nmark :{mark}\nauthor {who} {when} +0000\ncommitter {who} {when} +0000\ndata {}\n{message}\n",
            message.len()
        )
        .unwrap();
        write!(
            stream,
            "M 100644 inline {LONG_FILE}\ndata {}\n{content}\n",
            content.len()
        )
        .unwrap();
    }

    let message = "Notes added by lineage";
    let when = HISTORY_EPOCH + 600 * (LONG_COMMITS as u64 + 1);
    write!(
        stream,
        "commit refs/notes/lineage\ncommitter lineage <lineage@example.com> {when} +0000\ndata {}\n{message}\n",
        message.len()
    )
    .unwrap();
    for (mark, note) in &notes {
        write!(stream, "N inline :{mark}\ndata {}\n{note}\n", note.len()).unwrap();
    }
    fast_import(env, dir, &stream);

    LongHistory {
        commits: LONG_COMMITS,
        notes: notes.len(),
        final_lines: text.len(),
        expected_ai_lines: ai.iter().filter(|&&a| a).count(),
    }
}

/// A v1 note (DESIGN §2.4) for one commit: an edit record covering lines `first..=last` of the
/// file in that commit, and the prompt it came from. One edit in five was touched by a human.
fn note_for(rng: &mut Rng, mark: usize, first: usize, last: usize) -> String {
    let prompt_id = rng.hex64();
    let modified = rng.below(5) == 0;
    let session = format!("session-{}", mark / 40);
    let model = ["claude-opus-4-5", "gpt-5-codex", "gemini-2.5-pro"][mark % 3];
    let tool = ["claude-code", "codex", "gemini-cli"][mark % 3];
    let modified_ranges: Vec<[usize; 2]> = if modified {
        vec![[first, first]]
    } else {
        Vec::new()
    };
    let edit = serde_json::json!({
        "file": LONG_FILE,
        "id": rng.hex64(),
        "kind": "edit",
        "lineage": 1,
        "model": model,
        "modified": modified_ranges,
        "outcome": if modified { "modified" } else { "accepted" },
        "prompt_id": prompt_id,
        "ranges": [[first, last]],
        "recorded_at": "2026-01-01T00:00:00Z",
        "session": session,
        "tool": tool,
        "user": "Ada Lovelace <ada@example.com>",
    });
    let prompt = serde_json::json!({
        "id": prompt_id,
        "kind": "prompt",
        "lineage": 1,
        "session": session,
        "text": format!("Step {mark}: tighten the bounds check in the parser and keep the error messages as they are"),
    });
    // serde_json's map is ordered by key, so these are the canonical lines.
    format!("{edit}\n{prompt}\n")
}
