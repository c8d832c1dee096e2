//! `lineage doctor`: each finding it reports, its exit code, and what `--fix` repairs.

mod common;

use common::{TestRepo, stderr, stdout};

fn doctor(repo: &TestRepo, args: &[&str]) -> (i32, String) {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    let out = repo.lineage(&all);
    (
        out.status.code().unwrap(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
}

#[test]
fn a_repository_without_lineage_is_broken_until_fixed() {
    let repo = TestRepo::bare_init();
    let (code, out) = doctor(&repo, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error journal  lineage is not set up"), "{out}");
    assert!(
        out.contains("error hooks    prepare-commit-msg, post-commit, post-rewrite do not run lineage"),
        "{out}"
    );
    assert!(out.contains("error: 2 problem(s)"), "{out}");
    let (code, out) = doctor(&repo, &["--fix"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("fixed journal"), "{out}");
    let (code, out) = doctor(&repo, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ok    hooks    prepare-commit-msg, post-commit and post-rewrite run lineage"),
        "{out}"
    );
}

#[test]
fn a_hook_manager_that_replaced_the_hooks_is_named() {
    let repo = TestRepo::new();
    repo.write(
        ".husky/pre-commit",
        "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\nnpm test\n",
    );
    repo.git(&["config", "core.hooksPath", ".husky"]);
    let (code, out) = doctor(&repo, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("core.hooksPath is .husky"), "{out}");
    assert!(out.contains("husky manages the hooks"), "{out}");
}

#[test]
fn an_old_rewrite_setting_and_unpushed_notes_are_warned_and_the_setting_fixed() {
    let repo = TestRepo::with_files(&[("a.py", "x = 1\n")]);
    repo.ai_edit("a.py", "x = 1\ny = 2\n", "y = 2\n");
    repo.commit("ai");
    repo.git(&["config", "notes.rewriteRef", "refs/notes/lineage"]);
    let bare = repo.scratch().join("remote.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    repo.git(&[
        "config",
        "--add",
        "remote.origin.fetch",
        "+refs/notes/*:refs/notes/*",
    ]);
    let (code, out) = doctor(&repo, &[]);
    assert_eq!(code, 0, "warnings only: {out}");
    assert!(out.contains("warn  notes    notes.rewriteRef copies"), "{out}");
    assert!(
        out.contains("+refs/notes/*:refs/notes/*: a plain `git fetch` overwrites"),
        "{out}"
    );
    assert!(out.contains("notes never synced with origin"), "{out}");
    let (_, out) = doctor(&repo, &["--fix"]);
    assert!(out.contains("fixed notes"), "{out}");
    assert!(!repo.git_output(&["config", "notes.rewriteRef"]).status.success());
    repo.lineage_ok(&["sync"]);
    let (_, out) = doctor(&repo, &[]);
    assert!(out.contains("ok    remotes  notes in step with origin"), "{out}");
    // The last fetch brought notes the local ref lacks.
    let synced = repo.git(&["rev-parse", "refs/notes/lineage"]);
    repo.git(&["notes", "--ref=lineage", "add", "-f", "-m", "theirs", "HEAD"]);
    let fetched = repo.git(&["rev-parse", "refs/notes/lineage"]);
    repo.git(&["update-ref", "refs/notes/remotes/origin/lineage", fetched.trim()]);
    repo.git(&["update-ref", "refs/notes/lineage", synced.trim()]);
    let (_, out) = doctor(&repo, &[]);
    assert!(
        out.contains("warn  remotes  origin has notes not merged here (as of the last fetch)"),
        "{out}"
    );
}

#[test]
fn journal_trouble_and_an_agent_hook_that_cannot_run_are_reported() {
    let repo = TestRepo::new();
    repo.lineage_ok(&["agent", "install", "claude-code"]);
    let settings = repo.path().join(".claude/settings.json");
    let text = std::fs::read_to_string(&settings).unwrap();
    let moved = text.replace(common::LINEAGE, "/nowhere/bin/lineage");
    assert_ne!(moved, text, "the hook names the binary: {text}");
    std::fs::write(&settings, moved).unwrap();
    std::fs::write(repo.journal_dir().join("../quarantine.jsonl"), "{torn\n").unwrap();
    std::fs::write(repo.journal_dir().join("../log"), "post-commit: something\n").unwrap();
    let (code, out) = doctor(&repo, &["--json"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let messages: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["level"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    let has = |needle: &str| messages.iter().any(|m| m.contains(needle));
    assert!(has("ok wired: claude-code (project)"), "{messages:#?}");
    assert!(
        has("error claude-code's hook runs /nowhere/bin/lineage"),
        "{messages:#?}"
    );
    assert!(has("warn quarantined journal lines"), "{messages:#?}");
    assert!(has("warn 1 warnings logged"), "{messages:#?}");
}
