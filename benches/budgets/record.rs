//! 3. `lineage record` per call, with flags and in hook mode.

use std::path::Path;
use std::time::Instant;

use super::support::*;

/// Timed `lineage record` calls (and as many `git rev-parse HEAD` calls).
const RECORD_CALLS: usize = 200;

const RECORD_BUDGET_MS: f64 = 3.0;

pub fn bench(env: &Env, dir: &Path, started: Instant) -> Vec<Row> {
    progress(
        started,
        &format!("lineage record: {RECORD_CALLS} calls, interleaved with git rev-parse HEAD"),
    );
    let journal = dir.join(".git/lineage/journal");
    let entries_before = count_entries(&journal);
    let mut record = Vec::new();
    let mut hook_mode = Vec::new();
    let mut rev_parse = Vec::new();
    // Two untimed warm-up calls of each.
    for i in 0..RECORD_CALLS + 2 {
        let inserted = format!("fn helper_{i}(input: &str) -> usize {{\n    input.len() * {i}\n}}\n");
        let prompt = format!("Write helper number {i} that scales the input length");
        let mut cmd = env.lineage(
            dir,
            &[
                "record",
                "--file",
                "src/core/io/file_0002.rs",
                "--tool",
                "claude-code",
                "--model",
                "claude-opus-4-5",
                "--session",
                "bench-record",
                "--prompt",
                &prompt,
            ],
        );
        let record_time = run_with_stdin(&mut cmd, inserted.as_bytes());
        // The same edit as a Claude Code PostToolUse payload, the way an agent's hook sends it.
        let payload = serde_json::json!({
            "session_id": "bench-hook",
            "transcript_path": "/home/ada/.claude/projects/bench/bench-hook.jsonl",
            "cwd": dir,
            "permission_mode": "default",
            "hook_event_name": "PostToolUse",
            "tool_name": "Edit",
            "tool_input": {
                "file_path": dir.join("src/core/io/file_0003.rs"),
                "old_string": "}\n",
                "new_string": format!("}}\n{inserted}"),
            },
        });
        let mut hook = env.lineage(dir, &["record", "--from", "claude-code"]);
        let hook_time = run_with_stdin(&mut hook, payload.to_string().as_bytes());
        let (rev_time, _) = timed(&mut env.git(dir, &["rev-parse", "HEAD"]));
        if i >= 2 {
            record.push(record_time);
            hook_mode.push(hook_time);
            rev_parse.push(rev_time);
        }
    }
    let added = count_entries(&journal) - entries_before;
    assert_eq!(
        added,
        2 * (RECORD_CALLS + 2),
        "lineage record and record --from added {added} journal entries"
    );
    let median = median_ms(&record);
    let mean = mean_ms(&record);
    let git = median_ms(&rev_parse);
    progress(
        started,
        &format!(
            "record: median {median:.2} ms, mean {mean:.2} ms; git rev-parse HEAD: median {git:.2} ms, mean {:.2} ms",
            mean_ms(&rev_parse)
        ),
    );
    vec![
        Row {
            measure: "record, median per call (vs git rev-parse HEAD)".into(),
            lineage: fmt_ms(median),
            baseline: fmt_ms(git),
            ratio: format!("{:.3}x", median / git),
            budget: format!("<= {RECORD_BUDGET_MS:.0} ms"),
            within: Some(median <= RECORD_BUDGET_MS),
        },
        Row {
            measure: "record --from claude-code (hook mode), median".into(),
            lineage: fmt_ms(median_ms(&hook_mode)),
            baseline: fmt_ms(git),
            ratio: format!("{:.3}x", median_ms(&hook_mode) / git),
            budget: format!("<= {RECORD_BUDGET_MS:.0} ms"),
            within: Some(median_ms(&hook_mode) <= RECORD_BUDGET_MS),
        },
        Row {
            measure: "record, mean per call (vs git rev-parse HEAD)".into(),
            lineage: fmt_ms(mean),
            baseline: fmt_ms(mean_ms(&rev_parse)),
            ratio: format!("{:.3}x", mean / mean_ms(&rev_parse)),
            budget: format!("<= {RECORD_BUDGET_MS:.0} ms"),
            within: Some(mean <= RECORD_BUDGET_MS),
        },
    ]
}
