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

/// Repro 5: the agent's diff pairs a rewritten block's `pass` with the old one, but git's diff
/// (for which `pass` is too common to anchor on) adds it again: it is the AI's, as the kept
/// lines between an edit's changes bind along with them.
#[test]
fn a_common_line_inside_a_rewritten_block_is_the_ais() {
    let mut base = String::new();
    for i in 1..=12 {
        base.push_str(&format!("def h{i}():\n    pass\n\n\n"));
    }
    base.push_str("def target():\n    a = 1\n    b = 2\n    c = 3\n    d = 4\n    pass\n    e = 5\n    f = 6\n    g = 7\n");
    let repo = TestRepo::with_files(&[("m.py", &base)]);
    edit(
        &repo,
        "m.py",
        "    a = 1\n    b = 2\n    c = 3\n    d = 4\n    pass\n    e = 5\n    f = 6\n    g = 7",
        "    k = 1\n    l = 2\n    m = 3\n    n = 4\n    pass\n    o = 5\n    p = 6\n    q = 7",
    );
    repo.commit("ai edit");
    assert_eq!(repo.ai_lines("m.py"), lines(50..=57, "accepted"));
    assert_eq!(repo.journal_len(), 0, "complete");
    // A human `pass` elsewhere is never claimed by the kept line.
    let mut more = repo.read("m.py");
    more.push_str("\n\ndef later():\n    pass\n");
    repo.write("m.py", &more);
    repo.commit("human");
    assert_eq!(repo.ai_lines("m.py"), lines(50..=57, "accepted"));
}

/// Repro 4(b): an edit rewrites a docstring holding a blank line; the agent's diff keeps that
/// blank as context, git's diff adds every new blank line. All the new lines are the AI's.
#[test]
fn blank_lines_inside_a_rewritten_block_are_the_ais() {
    let mut base = String::from("def f(a, b):\n    return a\nX = 1\n");
    for i in 1..=12 {
        base.push_str(&format!("\n\ndef h{i}():\n    pass\n"));
    }
    base.push_str("\n\ndef doc():\n    \"\"\"Old summary\n    on four\n    short\n    lines.\n\n    Old details\n    on three\n    lines.\n    \"\"\"\n");
    let repo = TestRepo::with_files(&[("m.py", &base)]);
    edit(
        &repo,
        "m.py",
        "    \"\"\"Old summary\n    on four\n    short\n    lines.\n\n    Old details\n    on three\n    lines.",
        "    \"\"\"New summary.\n\n    New details, first part.\n\n    New details, second part.",
    );
    repo.commit("ai edit");
    let ai = repo.ai_lines("m.py");
    assert_eq!(ai, lines(55..=59, "accepted"), "{ai:?}");
}

/// Repro 1, the stale claim (class 2): the AI's `TIMEOUT = 30` is changed by hand to 45 before
/// the commit. The entry, whose text is no longer anywhere in the work tree, is settled at that
/// commit instead of staying pending, so a human typing `TIMEOUT = 30` later stays human.
#[test]
fn an_entry_whose_text_left_the_work_tree_cannot_claim_later_human_lines() {
    let repo = TestRepo::with_files(&[("cfg.py", "import os\n\nTIMEOUT = 10\nRETRIES = 3\n")]);
    edit(&repo, "cfg.py", "TIMEOUT = 10", "TIMEOUT = 30");
    repo.write("cfg.py", "import os\n\nTIMEOUT = 45\nRETRIES = 3\n");
    repo.commit("raise timeout");
    assert_eq!(repo.journal_len(), 0, "settled, not left pending");
    let settled = repo.note_of_kind("HEAD", "settled");
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0]["outcome"], "discarded");

    repo.write("cfg.py", "import os\n\nTIMEOUT = 30\nRETRIES = 3\n");
    repo.commit("human: timeout 30");
    assert!(
        repo.ai_lines("cfg.py").is_empty(),
        "{:?}",
        repo.ai_lines("cfg.py")
    );
}

/// The class-2 rule leaves alone what is merely not committed yet: a new file the agent wrote
/// and nobody added, and an edit put away with `git stash` while something else is committed.
#[test]
fn untracked_and_stashed_edits_stay_pending() {
    let repo = TestRepo::with_files(&[("a.rs", "fn a() {}\n"), ("b.rs", "fn b() {}\n")]);
    repo.ai_edit("new.rs", "fn created() {}\n", "fn created() {}\n");
    repo.write("b.rs", "fn b() {}\nfn human() {}\n");
    repo.git(&["add", "b.rs"]);
    repo.git(&["commit", "-q", "-m", "unrelated"]);
    assert_eq!(repo.journal_len(), 1, "the untracked file's edit waits");
    repo.git(&["add", "new.rs"]);
    repo.git(&["commit", "-q", "-m", "the new file"]);
    assert_eq!(repo.ai_lines("new.rs"), lines(1..=1, "accepted"));

    repo.ai_edit("a.rs", "fn a() {}\nfn stashed() {}\n", "fn stashed() {}\n");
    repo.git(&["stash", "-q"]);
    repo.write("b.rs", "fn b() {}\nfn human() {}\nfn more() {}\n");
    repo.git(&["add", "b.rs"]);
    repo.git(&["commit", "-q", "-m", "while stashed"]);
    assert_eq!(repo.journal_len(), 1, "the stashed edit waits");
    repo.git(&["stash", "pop", "-q"]);
    repo.commit("stash popped");
    assert_eq!(repo.ai_lines("a.rs"), lines(2..=2, "accepted"));
}
