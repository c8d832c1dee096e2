//! Scenario 13: many processes recording at once lose nothing.

mod common;

use common::{LINEAGE, TestRepo};

#[test]
fn eight_processes_times_two_hundred_records() {
    let repo = TestRepo::new();
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let repo = &repo;
            scope.spawn(move || {
                for call in 0..200 {
                    let text = format!("let w{worker}_c{call} = {call};\n");
                    let out = repo.run(
                        LINEAGE,
                        &[
                            "record",
                            "--file",
                            "src/busy.rs",
                            "--tool",
                            "codex",
                            "--session",
                            &format!("w{worker}"),
                        ],
                        Some(text.as_bytes()),
                        None,
                    );
                    assert!(out.status.success(), "{}", common::stderr(&out));
                }
            });
        }
    });
    assert_eq!(repo.journal_len(), 1600);
    let status = repo.status_json();
    assert_eq!(status["pending"][0]["entries"].as_array().unwrap().len(), 1600);
    assert!(status["damaged"].as_array().unwrap().is_empty());

    // And one commit binds all of them.
    let mut text = String::new();
    for worker in 0..8 {
        for call in 0..200 {
            text.push_str(&format!("let w{worker}_c{call} = {call};\n"));
        }
    }
    repo.write("src/busy.rs", &text);
    repo.commit("busy");
    assert_eq!(repo.ai_lines("src/busy.rs").len(), 1600);
    assert_eq!(repo.journal_len(), 0);
}

/// Two worktrees committing at the same moment both get their notes.
#[test]
fn concurrent_commits_in_two_worktrees() {
    let repo = TestRepo::with_files(&[("a.rs", "base\n")]);
    let trees: Vec<_> = (0..2)
        .map(|i| {
            let dir = repo.scratch().join(format!("wt{i}"));
            repo.git(&[
                "worktree",
                "add",
                "-q",
                "-b",
                &format!("b{i}"),
                dir.to_str().unwrap(),
            ]);
            dir
        })
        .collect();
    for (i, dir) in trees.iter().enumerate() {
        let line = format!("fn from_worktree_{i}() {{}}\n");
        std::fs::write(dir.join(format!("w{i}.rs")), &line).unwrap();
        let out = repo.run(
            LINEAGE,
            &["record", "--file", &format!("w{i}.rs"), "--tool", "codex"],
            Some(line.as_bytes()),
            Some(dir),
        );
        assert!(out.status.success());
        repo.git_in(dir, &["add", "-A"]);
    }
    std::thread::scope(|scope| {
        for dir in &trees {
            let repo = &repo;
            scope.spawn(move || repo.git_in(dir, &["commit", "-q", "-m", "parallel"]));
        }
    });
    for i in 0..2 {
        let head = repo.git(&["rev-parse", &format!("b{i}")]);
        let edits = repo.note_of_kind(head.trim(), "edit");
        assert_eq!(edits.len(), 1, "worktree {i}");
        assert_eq!(edits[0]["file"], format!("w{i}.rs"));
    }
    assert_eq!(repo.journal_len(), 0);
}

/// An edit pending in one worktree is not claimed by an identical line committed in another.
#[test]
fn worktrees_do_not_steal_each_others_edits() {
    let repo = TestRepo::with_files(&[("a.rs", "base\n")]);
    let other = repo.scratch().join("other");
    repo.git(&["worktree", "add", "-q", "-b", "other", other.to_str().unwrap()]);
    repo.ai_edit("a.rs", "base\nfn shared() {}\n", "fn shared() {}\n");
    std::fs::write(other.join("a.rs"), "base\nfn shared() {}\n").unwrap();
    repo.git_in(
        &other,
        &["commit", "-q", "-a", "-m", "typed by hand in the other worktree"],
    );
    let head = repo.git(&["rev-parse", "other"]);
    assert!(
        repo.note_of_kind(head.trim(), "edit").is_empty(),
        "nothing bound in the other worktree"
    );
    assert_eq!(repo.journal_len(), 1);
    repo.commit("the AI's, here");
    assert_eq!(repo.ai_lines("a.rs"), common::lines(2..=2, "accepted"));
}

/// Records arriving while commits settle the journal are never lost by the rewrite.
#[test]
fn records_during_settlement_are_kept() {
    let repo = TestRepo::with_files(&[("a.rs", "base\n")]);
    std::thread::scope(|scope| {
        let repo = &repo;
        scope.spawn(move || {
            for i in 0..120 {
                // As an agent does: write the line, then record it.
                let text = format!("let pending_{i} = {i};\n");
                let mut later = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(repo.path().join("later.rs"))
                    .unwrap();
                std::io::Write::write_all(&mut later, text.as_bytes()).unwrap();
                let out = repo.run(
                    LINEAGE,
                    &["record", "--file", "later.rs", "--tool", "codex"],
                    Some(text.as_bytes()),
                    None,
                );
                assert!(out.status.success(), "{}", common::stderr(&out));
            }
        });
        scope.spawn(move || {
            for i in 0..15 {
                // Each commit binds one AI line of its own and rewrites the journal.
                let file = format!("c{i}.rs");
                let line = format!("fn committed_{i}() {{}}\n");
                std::fs::write(repo.path().join(&file), &line).unwrap();
                let out = repo.run(
                    LINEAGE,
                    &["record", "--file", &file, "--tool", "claude-code"],
                    Some(line.as_bytes()),
                    None,
                );
                assert!(out.status.success());
                repo.git(&["add", &file]);
                repo.git(&["commit", "-q", "-m", &file]);
            }
        });
    });
    // A record that found the journal busy for long (slow disks: a CI machine right after a
    // build) went to a spill file; the next commit absorbs it into the log.
    repo.git(&["commit", "-q", "--allow-empty", "-m", "absorbs what was spilled"]);
    let spill = repo.journal_dir().join("spill");
    assert!(std::fs::read_dir(&spill).map_or(true, |mut d| d.next().is_none()));
    let entries = repo.journal_entries();
    assert_eq!(
        entries.len(),
        120,
        "every record made during the commits is still pending"
    );
    assert!(entries.iter().all(|e| e["file"] == "later.rs"));
    for i in 0..15 {
        assert_eq!(
            repo.ai_lines(&format!("c{i}.rs")),
            common::lines(1..=1, "accepted")
        );
    }
}

/// While only another worktree's edit is pending, every commit here marks the journal and
/// settles nothing; the markers do not pile up, and the other worktree's edit stays pending.
#[test]
fn markers_do_not_pile_up_while_another_worktrees_edit_waits() {
    let repo = TestRepo::with_files(&[("a.rs", "base\n")]);
    let other = repo.scratch().join("other");
    repo.git(&["worktree", "add", "-q", "-b", "other", other.to_str().unwrap()]);
    let ai = "fn from_the_other_worktree() {}\n";
    std::fs::write(other.join("a.rs"), format!("base\n{ai}")).unwrap();
    let out = repo.run(
        LINEAGE,
        &["record", "--file", "a.rs", "--tool", "codex"],
        Some(ai.as_bytes()),
        Some(&other),
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let markers = || {
        std::fs::read_to_string(repo.journal_log())
            .unwrap()
            .lines()
            .filter(|l| l.trim() == r#"{"prepared":1}"#)
            .count()
    };
    let mut most = 0;
    for i in 0..40 {
        repo.write(&format!("h{i}.rs"), &format!("fn typed_{i}() {{}}\n"));
        repo.git(&["add", "."]);
        repo.commit(&format!("human {i}"));
        most = most.max(markers());
    }
    assert!(most >= 1, "commits here mark the journal");
    assert!(most <= 16, "at most 16 markers wait in the log, found {most}");
    assert_eq!(
        repo.journal_len(),
        1,
        "the other worktree's edit is still pending"
    );
    std::fs::write(other.join("a.rs"), format!("base\n{ai}")).unwrap();
    repo.git_in(&other, &["commit", "-q", "-a", "-m", "the AI's, there"]);
    let head = repo.git(&["rev-parse", "other"]);
    assert_eq!(
        repo.note_of_kind(head.trim(), "edit").len(),
        1,
        "it binds where it was made"
    );
    assert_eq!(repo.journal_len(), 0);
}
