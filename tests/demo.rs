//! `lineage demo`, the README's first command, plays its session through the real hooks.

mod common;

#[test]
fn demo_shows_blame_explain_stats_show_and_status() {
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("demo-repo");
    let mut cmd = std::process::Command::new(common::LINEAGE);
    common::pin(&mut cmd, home.path(), common::NOW);
    let out = cmd
        .args(["demo", "--dir", target.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "claude-code/claude-opus-4-5 modified",
        "gemini-cli/gemini-2.5-pro   pending",
        "tests/invoice_totals.rs",
        "rejected",
        "1 pending AI edit(s)",
        // explain answers for a kept AI line, and stats counts by model.
        "what was asked      Add a total_with_tax method",
        "tool                claude-code",
        "gpt-5-codex",
        "acceptance",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The repository is kept with --dir, and its history carries the note.
    let note = std::process::Command::new("git")
        .args(["notes", "--ref=lineage", "show", "HEAD"])
        .current_dir(&target)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&note.stdout).contains("\"tool\":\"codex\""));
}
