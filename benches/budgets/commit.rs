//! 2. A commit through lineage's hooks, against the same commit with hooks disabled: 1,000
//!    lines under 1,000 pending records (and post-commit's peak memory there), and 5 lines
//!    with one record in a 12,000-line file.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use super::support::*;

/// Tracked files in the commit benchmark's repository (`src/big.rs` included).
const HOOK_REPO_FILES: usize = 1_600;
/// Pending journal entries, and staged lines matching them.
const PENDING_ENTRIES: usize = 1_000;
const BIG_FILE: &str = "src/big.rs";
/// Timed commits of each kind (after one warm-up each).
const COMMIT_ROUNDS: usize = 15;
/// Timed commits of the small change, each way: its overhead (~7 ms) is half of a commit whose
/// time varies by a few milliseconds between stretches of the machine, so its median needs
/// more rounds to settle (9 let one slow stretch decide a run).
const SMALL_CHANGE_ROUNDS: usize = 21;

const HOOK_OVERHEAD_BUDGET_MS: f64 = 20.0;
/// Lines of the file the small change lands in, and the budget of that commit.
const TABLE_LINES: usize = 12_000;
const TABLE_FILE: &str = "src/table.rs";
const SMALL_CHANGE_BUDGET_MS: f64 = 10.0;

pub fn bench(env: &Env, root: &Path, started: Instant) -> Vec<Row> {
    let dir = root.join("hooks");
    let no_hooks = root.join("no-hooks");
    let saved_journal = root.join("journal-saved");
    fs::create_dir_all(&no_hooks).unwrap();
    progress(started, &format!("building a {HOOK_REPO_FILES}-file repository"));
    build_hook_repo(env, &dir);
    check_output(env.lineage(&dir, &["init"]));
    let journal = dir.join(".git/lineage/journal");
    let empty_journal = root.join("journal-empty");
    copy_dir(&journal, &empty_journal);

    progress(
        started,
        &format!("recording {PENDING_ENTRIES} journal entries for {BIG_FILE} with lineage record"),
    );
    let new_lines: Vec<String> = (0..PENDING_ENTRIES).map(big_line).collect();
    for (i, line) in new_lines.iter().enumerate() {
        let session = format!("bench-session-{}", i / 100);
        let prompt = format!("Add the accumulator for field {i} to the big table");
        let mut cmd = env.lineage(
            &dir,
            &[
                "record",
                "--file",
                BIG_FILE,
                "--tool",
                "claude-code",
                "--model",
                "claude-opus-4-5",
                "--session",
                &session,
                "--prompt",
                &prompt,
            ],
        );
        run_with_stdin(&mut cmd, format!("{line}\n").as_bytes());
    }
    let pending = count_entries(&journal);
    assert_eq!(pending, PENDING_ENTRIES, "the journal holds {pending} entries");
    copy_dir(&journal, &saved_journal);

    // Stage the AI's lines, appended to the existing file.
    let big = dir.join(BIG_FILE);
    let mut text = fs::read_to_string(&big).unwrap();
    for line in &new_lines {
        text.push_str(line);
        text.push('\n');
    }
    fs::write(&big, text).unwrap();
    // Let the index be written after the newest file's mtime, so no entry is "racily clean"
    // (git would re-hash those on every commit, hooks or not).
    std::thread::sleep(Duration::from_millis(1_100));
    check_output(env.git(&dir, &["update-index", "-q", "--really-refresh"]));
    check_output(env.git(&dir, &["add", BIG_FILE]));
    let notes_before = git_rev(env, &dir, "refs/notes/lineage");

    let hooks_off = format!("core.hooksPath={}", no_hooks.display());
    // Three interleaved variants: hooks off; hooks on with the journal just restored (still
    // dirty in the page cache); hooks on with the journal flushed to disk first,
    // as it is when the agent recorded its edits more than ~30 s before the commit.
    let names = ["plain", "hooked", "hooked-synced"];
    let mut times: [Vec<Duration>; 3] = Default::default();
    for round in 0..=rounds(COMMIT_ROUNDS) {
        for k in 0..names.len() {
            let v = (k + round) % names.len();
            let message = format!("bench: {} commit {round}", names[v]);
            let elapsed = if v == 0 {
                timed(&mut env.git(&dir, &["-c", &hooks_off, "commit", "-q", "-m", &message])).0
            } else {
                restore_dir(&saved_journal, &journal);
                if v == 2 {
                    check_output(env.command("sync", &dir, &[]));
                }
                let (elapsed, stderr) = timed(&mut env.git(&dir, &["commit", "-q", "-m", &message]));
                if round == 0 {
                    check_hooked_commit(env, &dir, &journal, &stderr, names[v], started);
                }
                elapsed
            };
            if round > 0 {
                times[v].push(elapsed);
            }
            check_output(env.git(&dir, &["reset", "-q", "--soft", "HEAD~1"]));
            if v != 0 {
                restore_ref(env, &dir, "refs/notes/lineage", notes_before.as_deref());
            }
        }
        if round == 0 {
            progress(
                started,
                &format!("commit: warm-up done, {} timed rounds", rounds(COMMIT_ROUNDS)),
            );
        }
    }
    let without = median_ms(&times[0]);
    let with = median_ms(&times[1]);
    let with_synced = median_ms(&times[2]);
    let overhead = with - without;
    let overhead_synced = with_synced - without;
    progress(
        started,
        &format!(
            "commit medians: hooks off {without:.1} ms; hooks on {with:.1} ms (overhead {overhead:.1} ms); \
             hooks on, journal synced {with_synced:.1} ms (overhead {overhead_synced:.1} ms)"
        ),
    );

    // Where the overhead goes: each hook alone, as the commit runs it (prepare-commit-msg on the
    // staged index; post-commit right after a hook-less commit, with prepare-commit-msg's plan), and
    // post-commit again with the journal flushed to disk.
    let mut pre = Vec::new();
    let mut post = Vec::new();
    let mut post_synced = Vec::new();
    for round in 0..=rounds(COMMIT_ROUNDS) {
        for synced in [false, true] {
            restore_dir(&saved_journal, &journal);
            let (pre_time, _) = timed(&mut env.lineage(&dir, &["hook", "prepare-commit-msg"]));
            let message = format!("bench: hook timing {round} {synced}");
            check_output(env.git(&dir, &["-c", &hooks_off, "commit", "-q", "-m", &message]));
            if synced {
                check_output(env.command("sync", &dir, &[]));
            }
            let (post_time, _) = timed(&mut env.lineage(&dir, &["hook", "post-commit"]));
            if round > 0 {
                if synced {
                    post_synced.push(post_time);
                } else {
                    pre.push(pre_time);
                    post.push(post_time);
                }
            }
            check_output(env.git(&dir, &["reset", "-q", "--soft", "HEAD~1"]));
            restore_ref(env, &dir, "refs/notes/lineage", notes_before.as_deref());
        }
    }
    // Peak memory of that post-commit: the journal, the staged file's change, the note.
    restore_dir(&saved_journal, &journal);
    check_output(env.lineage(&dir, &["hook", "prepare-commit-msg"]));
    check_output(env.git(
        &dir,
        &["-c", &hooks_off, "commit", "-q", "-m", "bench: peak memory"],
    ));
    let post_rss = peak_rss_mib(&mut env.lineage(&dir, &["hook", "post-commit"]));
    check_output(env.git(&dir, &["reset", "-q", "--soft", "HEAD~1"]));
    restore_ref(env, &dir, "refs/notes/lineage", notes_before.as_deref());
    restore_dir(&saved_journal, &journal);
    let pre = median_ms(&pre);
    let post = median_ms(&post);
    let post_synced = median_ms(&post_synced);
    progress(
        started,
        &format!(
            "hooks alone: prepare-commit-msg {pre:.1} ms, post-commit {post:.1} ms, \
             post-commit with the journal synced {post_synced:.1} ms"
        ),
    );

    let shape = format!("{PENDING_ENTRIES} lines, {PENDING_ENTRIES} pending");
    let info = |measure: &str, ms: f64| Row {
        measure: measure.into(),
        lineage: fmt_ms(ms),
        baseline: "-".into(),
        ratio: "-".into(),
        budget: "(info)".into(),
        within: None,
    };
    // The staged lines are left as they were; the small-change measurement commits elsewhere.
    check_output(env.git(&dir, &["reset", "-q", "--hard"]));
    restore_dir(&empty_journal, &journal);
    let mut rows = vec![
        Row {
            measure: format!("git commit, {shape} (vs hooks off)"),
            lineage: fmt_ms(with),
            baseline: fmt_ms(without),
            ratio: format!("{:.3}x", with / without),
            budget: "-".into(),
            within: None,
        },
        Row {
            measure: "  hook overhead, p50(with) - p50(without)".into(),
            lineage: fmt_ms(overhead),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: format!("<= {HOOK_OVERHEAD_BUDGET_MS:.0} ms"),
            within: Some(overhead <= HOOK_OVERHEAD_BUDGET_MS),
        },
        Row {
            measure: "git commit, same, journal synced to disk first".into(),
            lineage: fmt_ms(with_synced),
            baseline: fmt_ms(without),
            ratio: format!("{:.3}x", with_synced / without),
            budget: "-".into(),
            within: None,
        },
        Row {
            measure: "  hook overhead, journal synced to disk first".into(),
            lineage: fmt_ms(overhead_synced),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: format!("<= {HOOK_OVERHEAD_BUDGET_MS:.0} ms"),
            within: Some(overhead_synced <= HOOK_OVERHEAD_BUDGET_MS),
        },
        info("  lineage hook prepare-commit-msg, alone", pre),
        info("  lineage hook post-commit, alone", post),
        info("  lineage hook post-commit, alone, journal synced", post_synced),
        Row {
            measure: "  post-commit peak RSS".into(),
            lineage: format!("{post_rss:.1} MiB"),
            baseline: "-".into(),
            ratio: "-".into(),
            budget: "(info)".into(),
            within: None,
        },
        seen_note_cost(env, &dir, &no_hooks, started),
    ];
    rows.extend(small_change(env, root, &dir, &no_hooks, started));
    rows
}

/// Five new lines from one record in the middle of a 12,000-line file: the hooks must diff
/// what can bind (the hunks), not the whole file. Hooked commits on `main` alternate with
/// hook-less ones in a worktree of the same repository (so no hooked commit follows a commit
/// its hooks never saw).
fn small_change(env: &Env, root: &Path, dir: &Path, no_hooks: &Path, started: Instant) -> Vec<Row> {
    let plain = root.join("hooks-plain");
    let hooks_off = format!("core.hooksPath={}", no_hooks.display());
    let mut rng = Rng::new(0x7ab1_e000_0000_0004);
    let mut lines = LineMaker::default();
    let mut table: String = (0..TABLE_LINES)
        .map(|_| format!("{}\n", lines.next(&mut rng)))
        .collect();
    table.insert_str(0, "//! A long table.\n");
    fs::write(dir.join(TABLE_FILE), &table).unwrap();
    check_output(env.git(dir, &["add", TABLE_FILE]));
    check_output(env.git(dir, &["commit", "-q", "-m", "The long table"]));
    let plain_arg = plain.to_string_lossy().into_owned();
    check_output(env.git(dir, &["worktree", "add", "-q", "-b", "plain", &plain_arg]));
    // No racily clean entries in either index (see `bench`).
    std::thread::sleep(Duration::from_millis(1_100));
    for at in [dir, plain.as_path()] {
        check_output(env.git(at, &["update-index", "-q", "--really-refresh"]));
    }
    progress(
        started,
        &format!("small change: {TABLE_LINES}-line {TABLE_FILE} committed"),
    );

    let mut times: [Vec<Duration>; 2] = Default::default();
    for round in 0..=rounds(SMALL_CHANGE_ROUNDS) {
        for k in 0..2 {
            let hooks_on = (k + round) % 2 == 1;
            let at = if hooks_on { dir } else { plain.as_path() };
            let added: String = (0..5)
                .map(|i| format!("    pub change_{round}_{k}_{i}: u64, // small change\n"))
                .collect();
            let file = at.join(TABLE_FILE);
            let text = fs::read_to_string(&file).unwrap();
            // In the middle, after the line at the halfway mark.
            let middle = text
                .match_indices('\n')
                .nth(TABLE_LINES / 2)
                .map_or(text.len(), |(i, _)| i + 1);
            fs::write(&file, format!("{}{added}{}", &text[..middle], &text[middle..])).unwrap();
            if hooks_on {
                let mut cmd = env.lineage(at, &["record", "--file", TABLE_FILE, "--tool", "claude-code"]);
                run_with_stdin(&mut cmd, added.as_bytes());
            }
            check_output(env.git(at, &["add", TABLE_FILE]));
            let message = format!("bench: small change {round} {k}");
            let elapsed = match hooks_on {
                true => timed(&mut env.git(at, &["commit", "-q", "-m", &message])).0,
                false => timed(&mut env.git(at, &["-c", &hooks_off, "commit", "-q", "-m", &message])).0,
            };
            if hooks_on && round == 0 {
                let note = check_output(env.git(at, &["notes", "--ref=lineage", "show", "HEAD"]));
                assert!(
                    String::from_utf8_lossy(&note).contains("\"ranges\":[["),
                    "the small change's hooked commit has no AI lines in its note"
                );
            }
            if round > 0 {
                times[usize::from(hooks_on)].push(elapsed);
            }
        }
    }
    let (without, with) = (median_ms(&times[0]), median_ms(&times[1]));
    progress(
        started,
        &format!(
            "small change: hooks off {without:.1} ms, on {with:.1} ms, overhead {:.1} ms",
            with - without
        ),
    );
    vec![Row {
        measure: format!("git commit, 5 lines with 1 record in a {TABLE_LINES}-line file (overhead)"),
        lineage: fmt_ms(with - without),
        baseline: fmt_ms(without),
        ratio: format!("{:.3}x", with / without),
        budget: format!("<= +{SMALL_CHANGE_BUDGET_MS:.0} ms"),
        within: Some(with - without <= SMALL_CHANGE_BUDGET_MS),
    }]
}

/// A commit without AI lines still gets a `seen` note (its lines are human, not unknown): the
/// post-commit that writes it, against the same post-commit once the note is there.
fn seen_note_cost(env: &Env, dir: &Path, no_hooks: &Path, started: Instant) -> Row {
    progress(
        started,
        "post-commit of commits without AI lines: writing the seen note",
    );
    let off = format!("core.hooksPath={}", no_hooks.display());
    let (mut writing, mut noted) = (Vec::new(), Vec::new());
    for round in 0..=rounds(COMMIT_ROUNDS) {
        let file = dir.join("README.md");
        let mut text = fs::read_to_string(&file).unwrap_or_default();
        text.push_str(&format!("human line {round}\n"));
        fs::write(&file, text).unwrap();
        check_output(env.git(dir, &["-c", &off, "commit", "-q", "-a", "-m", "human only"]));
        let first = timed(&mut env.lineage(dir, &["hook", "post-commit"])).0;
        let again = timed(&mut env.lineage(dir, &["hook", "post-commit"])).0;
        if round > 0 {
            writing.push(first);
            noted.push(again);
        }
    }
    let (write, already) = (median_ms(&writing), median_ms(&noted));
    Row {
        measure: "  seen note of a commit without AI lines (post-commit)".into(),
        lineage: fmt_ms(write),
        baseline: fmt_ms(already),
        ratio: format!("+{}", fmt_ms(write - already)),
        budget: "(info)".into(),
        within: None,
    }
}

/// After the first hooked commit: the note must exist and bind `src/big.rs`, or the benchmark
/// would be timing hooks that do nothing.
fn check_hooked_commit(env: &Env, dir: &Path, journal: &Path, stderr: &str, label: &str, started: Instant) {
    if !stderr.trim().is_empty() {
        progress(
            started,
            &format!("the {label} commit printed:\n{}", stderr.trim_end()),
        );
    }
    let output = env
        .git(dir, &["notes", "--ref=lineage", "show", "HEAD"])
        .output()
        .unwrap();
    let note = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && note.contains(BIG_FILE),
        "the hooked commit wrote no note binding {BIG_FILE}: the hooks did nothing (git notes: {})",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let edits = note
        .lines()
        .filter(|l| l.contains("\"kind\":\"edit\"") && l.contains(BIG_FILE))
        .count();
    let left = count_entries(journal);
    progress(
        started,
        &format!(
            "{label} commit checked: the note has {edits} edit records for {BIG_FILE}, {left} journal entries left"
        ),
    );
    if edits != PENDING_ENTRIES || left != 0 {
        progress(
            started,
            &format!("WARNING: expected {PENDING_ENTRIES} edit records and an empty journal"),
        );
    }
}

/// A ~1,600-file repository shaped like a real project, committed in one fast-import run and
/// checked out.
fn build_hook_repo(env: &Env, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    check_output(env.git(dir, &["init", "-q", "-b", "main"]));
    let mut rng = Rng::new(0x0f11_e5ee_d000_0002);
    let mut lines = LineMaker::default();
    let mut files: Vec<(String, String)> = Vec::new();
    for top in ["Cargo.toml", "README.md", "LICENSE", ".gitignore", "CHANGELOG.md"] {
        files.push((top.to_string(), format!("# {top}\n")));
    }
    files.push((
        BIG_FILE.to_string(),
        "//! The big table.\n\npub struct Big {\n    pub total: u64,\n}\n\n".into(),
    ));
    let modules = ["core", "net", "storage", "ui", "util", "cli", "model", "sync"];
    let subdirs = ["parser", "types", "io"];
    let mut layout: Vec<String> = Vec::new();
    for module in modules {
        for sub in subdirs {
            layout.push(format!("src/{module}/{sub}"));
        }
    }
    layout.extend(
        [
            "tests",
            "tests/fixtures",
            "docs",
            "docs/guide",
            "examples",
            "benches",
            "scripts",
        ]
        .map(String::from),
    );
    let mut n = 0;
    while files.len() < HOOK_REPO_FILES {
        let folder = &layout[n % layout.len()];
        let ext = if folder.starts_with("docs") {
            "md"
        } else if folder == "scripts" {
            "sh"
        } else {
            "rs"
        };
        let mut body = String::new();
        for _ in 0..(8 + rng.below(40)) {
            body.push_str(&lines.next(&mut rng));
            body.push('\n');
        }
        files.push((format!("{folder}/file_{n:04}.{ext}"), body));
        n += 1;
    }

    let mut stream = Vec::new();
    let message = "Initial layout";
    write!(
        stream,
        "commit refs/heads/main\nauthor Ada Lovelace <ada@example.com> {HISTORY_EPOCH} +0000\ncommitter Ada Lovelace <ada@example.com> {HISTORY_EPOCH} +0000\ndata {}\n{message}\n",
        message.len()
    )
    .unwrap();
    for (path, body) in &files {
        write!(stream, "M 100644 inline {path}\ndata {}\n{body}\n", body.len()).unwrap();
    }
    fast_import(env, dir, &stream);
}

/// The AI line number `i` destined for `src/big.rs`: distinct, non-trivial.
fn big_line(i: usize) -> String {
    format!(
        "    pub field_{i:04}: u64, // accumulator {i} for bucket {}",
        i * 7919 % 1000
    )
}
