//! Attribution accuracy (the accuracy issue's reproductions): each test plays real agent
//! payloads through the real hooks and checks every line's attribution.

mod common;

use common::{TestRepo, lines, stderr};
use serde_json::json;

/// Applies `old` → `new` to `file` on disk, then records it as Claude Code's PostToolUse(Edit)
/// hook does (with `originalFile`, the file before the edit).
fn edit(repo: &TestRepo, file: &str, old: &str, new: &str) {
    let before = repo.read(file);
    assert_eq!(before.matches(old).count(), 1, "old_string must be unique");
    repo.write(file, &before.replacen(old, new, 1));
    let path = repo.path().join(file);
    let payload = json!({
        "session_id": "s-1",
        "transcript_path": "/home/dana/.claude/projects/p/s-1.jsonl",
        "cwd": repo.path(),
        "permission_mode": "default",
        "hook_event_name": "PostToolUse",
        "tool_name": "Edit",
        "tool_input": {"file_path": path, "old_string": old, "new_string": new},
        "tool_response": {"filePath": path, "oldString": old, "newString": new, "originalFile": before},
        "tool_use_id": "toolu_1"
    });
    let out = repo.lineage_with_stdin(
        &["record", "--from", "claude-code"],
        payload.to_string().as_bytes(),
    );
    assert!(
        out.status.success() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
}

/// Repro 4(a): `return a` replaced by `return a + b\n` leaves a blank line after it; git's diff
/// adds both lines, and both are the AI's.
#[test]
fn a_line_break_the_edit_adds_is_the_ais() {
    let repo = TestRepo::with_files(&[("m.py", "def f(a, b):\n    return a\nX = 1\n")]);
    edit(&repo, "m.py", "    return a", "    return a + b\n");
    repo.commit("ai edit");
    assert_eq!(repo.read("m.py"), "def f(a, b):\n    return a + b\n\nX = 1\n");
    assert_eq!(repo.ai_lines("m.py"), lines(2..=3, "accepted"));
}
