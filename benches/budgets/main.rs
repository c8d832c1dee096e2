//! The performance budgets of DESIGN §5, measured end to end with the real `git` and the real
//! `lineage` binary (`cargo bench --bench budgets`, release build).
//!
//! 1. Blame on a long-history file: a deterministic repository of ~3,000 commits rewriting a
//!    ~3,000-line file, one commit in three carrying a v1 note, built in one `git fast-import`
//!    run. `lineage blame` must stay within 1.05 × `git blame --porcelain` on the same file.
//!    Then an 8,000-line file of 12 commits, and a 100,000-line file committed at once whose
//!    note holds 5,000 edit records: the overlay must follow the file's size, not lines ×
//!    records (same 1.05 × budget).
//! 2. Commit through the hooks: a ~1,600-file repository, 1,000 pending journal entries and
//!    1,000 matching staged lines. prepare-commit-msg + post-commit must add at most 20 ms (p50) to
//!    `git commit`, compared with the same commit with hooks disabled. Measured twice: with the
//!    journal just restored (still dirty in the page cache) and with it flushed to disk first
//!    (`sync`), as it is when the edits were recorded more than ~30 s before the commit (this
//!    mattered when the journal was a file per entry); each hook is also timed alone.
//!    Then 5 lines with one record in a 12,000-line file: at most +10 ms.
//! 3. `lineage record`: at most 3 ms per call (baseline: `git rev-parse HEAD` per call), both
//!    with flags and in hook mode (`--from claude-code` with a PostToolUse payload).
//!
//! 4. A rebase of 100 AI commits through the hooks: at most 5 ms per commit over the same
//!    rebase without hooks, and one notes-ref update in total.
//! 5. `lineage sync` of diverged notes on a history of 100,000 noted commits: at most 1.5 ×
//!    plain git's fetch + `git notes merge -s cat_sort_uniq` + push.
//! 7. `lineage stats` over 10,000 commits with notes: at most 300 ms.
//! 6. Commits in a 100,000-file repository: at most +20 ms for one file with one record, +40 ms
//!    for fifty, +5 ms with nothing pending, over the same commit with hooks off.
//!
//! `-- --quick` runs three rounds a measurement on a smaller monorepo, for development; the
//! numbers to quote come from full runs. `-- --runs N` repeats the whole benchmark N times in
//! fresh repositories and ends with every row's value in each run: a budget counts as met only
//! when it is met in all of them. Each run's table says the load average before and after.
//!
//! Runs are interleaved so that drift in machine load hits every variant alike. Every child
//! process gets a pinned environment (scratch HOME, no global or system git config, fixed
//! dates, identities, time zone and locale). Progress goes to stderr, results to stdout. With
//! `LINEAGE_BENCH_STRICT=1` the run exits with status 1 when a budget is missed; with
//! `LINEAGE_BENCH_KEEP=1` the scratch repositories are kept for profiling;
//! `LINEAGE_BENCH_ONLY=blame|commit|record|rewrite|sync|stats|monorepo` runs one measurement.

mod blame;
mod commit;
mod monorepo;
mod record;
mod rewrite;
mod stats;
mod support;
mod sync;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use support::{Env, Row, check_output, progress, table};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, program, rest @ ..] = args.as_slice()
        && flag == support::PEAK_RSS_HELPER
    {
        return support::peak_rss_helper(program, rest);
    }
    let started = Instant::now();
    let runs = runs_wanted(&args);
    let keep = std::env::var_os("LINEAGE_BENCH_KEEP").is_some_and(|v| v == "1");
    let mut all = Vec::new();
    for run in 1..=runs {
        if runs > 1 {
            progress(started, &format!("run {run} of {runs}"));
        }
        let mut root = tempfile::Builder::new()
            .prefix("lineage-bench-")
            .tempdir()
            .expect("cannot create a temporary directory");
        if keep {
            // For profiling afterwards: the repositories stay (journal copy in journal-saved/).
            root.disable_cleanup(true);
            progress(
                started,
                &format!("LINEAGE_BENCH_KEEP=1: keeping {}", root.path().display()),
            );
        }
        all.push(run_once(&Env::new(root.path()), root.path(), started));
    }
    if runs > 1 {
        println!();
        println!("all {runs} runs: each value the median of its run's rounds");
        print!("{}", support::summary(&all));
    }
    let total = started.elapsed().as_secs_f64();
    let met = support::all_met(&all);
    if met {
        let every = if runs > 1 { " in every run" } else { "" };
        println!("all budgets met{every} (total {total:.1} s)");
    } else {
        println!("budget MISSED (total {total:.1} s)");
    }
    if !met && std::env::var_os("LINEAGE_BENCH_STRICT").is_some_and(|v| v == "1") {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `-- --runs N`: the whole benchmark N times, each in fresh repositories (default 1).
fn runs_wanted(args: &[String]) -> usize {
    args.windows(2)
        .find(|w| w[0] == "--runs")
        .and_then(|w| w[1].parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(1)
}

/// One run of every wanted measurement; prints its table and returns its rows.
fn run_once(env: &Env, root: &Path, started: Instant) -> Vec<Row> {
    progress(started, &format!("scratch directory {}", root.display()));
    let load_before = support::load_average();
    check_output(env.git(root, &["--version"]));

    let only = std::env::var("LINEAGE_BENCH_ONLY").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut rows = Vec::new();
    if wanted("blame") {
        rows.extend(blame::bench(env, &root.join("long"), started));
        rows.extend(blame::short_history_bench(env, &root.join("short"), started));
        rows.extend(blame::big_file_bench(env, &root.join("big"), started));
    }
    if wanted("commit") || wanted("record") {
        // record's repository is the one the commit measurement builds.
        rows.extend(commit::bench(env, root, started));
    }
    if wanted("record") {
        rows.extend(record::bench(env, &root.join("hooks"), started));
    }
    if wanted("rewrite") {
        rows.extend(rewrite::bench(env, &root.join("rewrite"), started));
    }
    if wanted("sync") {
        rows.extend(sync::bench(env, &root.join("sync"), started));
    }
    if wanted("stats") {
        rows.extend(stats::bench(env, &root.join("stats"), started));
    }
    if wanted("monorepo") {
        rows.extend(monorepo::bench(env, root, started));
    }

    println!();
    println!(
        "lineage performance budgets (DESIGN §5), medians of interleaved runs; \
         load average {load_before} before, {} after",
        support::load_average()
    );
    print!("{}", table(&rows));
    let missed: Vec<&str> = rows
        .iter()
        .filter(|r| r.within == Some(false))
        .map(|r| r.measure.trim())
        .collect();
    if missed.is_empty() {
        println!("all budgets met in this run");
    } else {
        println!("budget MISSED in this run: {}", missed.join("; "));
    }
    rows
}
