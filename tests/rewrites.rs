//! Provenance through git's rewrites and copies (the rewrites issue's acceptance scenarios):
//! amend, rebase (plain, conflicted, interactive squash, autosquash, `pull --rebase`),
//! cherry-pick, `merge --squash`, reset, stash, revert of a revert, renames, merges, and
//! `lineage reattach` for commits made without hooks. Real git, real hooks, real binary.

mod common;

use common::{TestRepo, lines, stderr};

/// A file of `n` distinct human lines, `prefix` naming them.
fn human_text(prefix: &str, n: usize) -> String {
    (1..=n).map(|i| format!("{prefix}_line_{i} = {i}\n")).collect()
}

/// AI lines, distinct and recognisable.
fn ai_text(prefix: &str, n: usize) -> String {
    (1..=n)
        .map(|i| format!("    ai_{prefix}_{i} = compute_{prefix}({i})\n"))
        .collect()
}

/// Writes `file` as `before` + AI lines + `after`, records the AI lines, commits.
fn commit_ai(repo: &TestRepo, file: &str, before: &str, ai: &str, after: &str, message: &str) -> String {
    repo.ai_edit(file, &format!("{before}{ai}{after}"), ai);
    repo.commit(message)
}

/// Runs git with extra environment (an editor for interactive commands).
fn git_env(repo: &TestRepo, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = repo.command("git");
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    assert!(!stderr(&out).contains("lineage: warning"), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The lines of `file` shown as AI, with the edit id behind each.
fn ai_ids(repo: &TestRepo, file: &str) -> Vec<(u64, String)> {
    repo.ai_field(file, "record")
}

// 1. Amend.

#[test]
fn amend_keeps_ai_lines_where_they_moved_and_new_lines_are_human() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("h", 6))]);
    let base = repo.read("a.py");
    let (top, bottom) = base.split_at(base.find("h_line_4").unwrap());
    commit_ai(&repo, "a.py", top, &ai_text("x", 3), bottom, "ai");
    assert_eq!(repo.ai_lines("a.py"), lines(4..=6, "accepted"));
    let old = repo.head();

    // Human lines at the top, in the middle of the AI block, and at the bottom.
    let text = repo.read("a.py");
    let mut rows: Vec<&str> = text.lines().collect();
    rows.insert(5, "human_middle = 1");
    rows.insert(0, "human_top = 1");
    rows.push("human_bottom = 1");
    repo.write("a.py", &(rows.join("\n") + "\n"));
    repo.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    assert_eq!(
        repo.ai_lines("a.py"),
        vec![
            (5, "accepted".into()),
            (6, "accepted".into()),
            (8, "accepted".into())
        ]
    );
    // Exactly one record, with the ranges of the new commit: nothing stale was copied.
    let edits = repo.note_of_kind("HEAD", "edit");
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0]["ranges"], serde_json::json!([[5, 6], [8, 8]]));
    // The replaced commit's note is left as it was.
    assert_eq!(
        repo.note_of_kind(&old, "edit")[0]["ranges"],
        serde_json::json!([[4, 6]])
    );

    // An amend that deletes an AI line: it is gone from the note.
    let text = repo.read("a.py").replace("    ai_x_2 = compute_x(2)\n", "");
    repo.write("a.py", &text);
    repo.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    assert_eq!(
        repo.ai_lines("a.py"),
        vec![(5, "accepted".into()), (7, "accepted".into())]
    );
    assert_eq!(
        repo.note_of_kind("HEAD", "edit")[0]["ranges"],
        serde_json::json!([[5, 5], [7, 7]])
    );

    // A message-only amend leaves the note byte for byte.
    let before = repo.git(&["notes", "--ref=lineage", "show", "HEAD"]);
    repo.git(&["commit", "-q", "--amend", "-m", "reworded"]);
    assert_eq!(repo.git(&["notes", "--ref=lineage", "show", "HEAD"]), before);
}

#[test]
fn an_ai_edit_amended_in_is_ai_beside_the_carried_lines() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("h", 3))]);
    commit_ai(&repo, "a.py", &repo.read("a.py"), &ai_text("x", 2), "", "ai");
    let text = repo.read("a.py");
    repo.ai_edit("b.py", &ai_text("y", 2), &ai_text("y", 2));
    repo.write("a.py", &format!("top = 0\n{text}"));
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "--no-edit"]);
    assert_eq!(repo.ai_lines("a.py"), lines(5..=6, "accepted"));
    assert_eq!(repo.ai_lines("b.py"), lines(1..=2, "accepted"));
    assert_eq!(repo.journal_len(), 0);
}

#[test]
fn init_removes_the_notes_rewrite_setting_and_a_verbatim_copy_leaves_nothing_stale() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("h", 4))]);
    // An older lineage set this; git then copies the note verbatim before post-rewrite runs.
    repo.git(&["config", "notes.rewriteRef", "refs/notes/lineage"]);
    repo.git(&["config", "notes.rewriteMode", "cat_sort_uniq"]);
    commit_ai(&repo, "a.py", &repo.read("a.py"), &ai_text("x", 2), "", "ai");
    let text = repo.read("a.py");
    repo.write("a.py", &format!("one = 1\ntwo = 2\n{text}"));
    repo.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    let edits = repo.note_of_kind("HEAD", "edit");
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0]["ranges"], serde_json::json!([[7, 8]]));

    let out = repo.lineage_ok(&["init"]);
    assert!(
        out.contains("notes.rewriteRef for refs/notes/lineage removed"),
        "{out}"
    );
    assert!(!repo.git_output(&["config", "notes.rewriteRef"]).status.success());
}

// 2-4. Rebase.

#[test]
fn a_rebased_branch_keeps_every_ai_line_at_its_new_place() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("a", 10)), ("b.py", &human_text("b", 10))]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let mut olds = Vec::new();
    for i in 1..=5 {
        let file = if i % 2 == 0 { "b.py" } else { "a.py" };
        let text = repo.read(file);
        if i == 2 || i == 4 {
            repo.write(file, &format!("{text}human_{i} = {i}\n"));
            olds.push(repo.commit(&format!("human {i}")));
        } else {
            let ai = ai_text(&format!("t{i}"), 2);
            olds.push(commit_ai(&repo, file, &text, &ai, "", &format!("ai {i}")));
        }
    }
    let before = ai_ids(&repo, "a.py");
    assert_eq!(before.len(), 6);
    // main moves: lines at the top of a.py shift everything down.
    repo.git(&["checkout", "-q", "main"]);
    let text = repo.read("a.py");
    repo.write("a.py", &format!("main_1 = 1\nmain_2 = 2\nmain_3 = 3\n{text}"));
    repo.commit("main moves");
    repo.git(&["checkout", "-q", "topic"]);
    let notes_commits = || repo.git(&["rev-list", "--count", "refs/notes/lineage"]);
    // The `seen` note "main moves" is owed is written first, by any lineage command.
    repo.lineage_ok(&["status"]);
    let before_rebase = notes_commits();
    repo.git(&["rebase", "-q", "main"]);

    let after = ai_ids(&repo, "a.py");
    let shifted: Vec<(u64, String)> = before.iter().map(|(l, id)| (l + 3, id.clone())).collect();
    assert_eq!(after, shifted);
    assert!(repo.ai_lines("a.py").iter().all(|(_, o)| o == "accepted"));
    let new_commits: Vec<String> = repo
        .git(&["rev-list", "main..topic"])
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(new_commits.len(), 5);
    let noted = new_commits
        .iter()
        .filter(|c| !repo.note_of_kind(c, "edit").is_empty())
        .count();
    assert_eq!(noted, 3);
    // The old notes are untouched, and the whole rebase is one notes-ref update.
    assert_eq!(
        repo.note_of_kind(&olds[0], "edit")[0]["ranges"],
        serde_json::json!([[11, 12]])
    );
    let count = |s: String| s.trim().parse::<u32>().unwrap();
    assert_eq!(count(notes_commits()), count(before_rebase) + 1);
}

#[test]
fn a_conflict_resolved_by_keeping_both_sides_keeps_each_sides_attribution() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("a", 4))]);
    let base = repo.read("a.py");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    commit_ai(&repo, "a.py", &base, &ai_text("topic", 3), "", "ai on topic");
    repo.git(&["checkout", "-q", "main"]);
    commit_ai(&repo, "a.py", &base, &ai_text("main", 2), "", "ai on main");
    repo.git(&["checkout", "-q", "topic"]);
    let out = repo.git_output(&["rebase", "main"]);
    assert!(!out.status.success(), "the rebase must stop on the conflict");
    // Keep both sides, and type one line by hand.
    let resolved = format!(
        "{base}{}{}typed_during_resolution = 1\n",
        ai_text("main", 2),
        ai_text("topic", 3)
    );
    repo.write("a.py", &resolved);
    repo.git(&["add", "a.py"]);
    git_env(&repo, &[("GIT_EDITOR", "true")], &["rebase", "--continue"]);
    let ai = ai_ids(&repo, "a.py");
    assert_eq!(
        ai.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![5, 6, 7, 8, 9]
    );
    // Lines 5-6 are main's edit, 7-9 topic's: two different records.
    assert_eq!(ai[0].1, ai[1].1);
    assert_eq!(ai[2].1, ai[4].1);
    assert_ne!(ai[0].1, ai[2].1);
    let blame = repo.blame_json(&["a.py"]);
    assert!(blame["lines"][9]["ai"].is_null(), "the typed line is human");
}

#[test]
fn an_interactive_squash_and_autosquash_fixups_cover_every_ai_line() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("a", 3))]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    for i in 1..=3 {
        let text = repo.read("a.py");
        commit_ai(
            &repo,
            "a.py",
            &text,
            &ai_text(&format!("s{i}"), 2),
            "",
            &format!("ai {i}"),
        );
    }
    git_env(
        &repo,
        &[
            ("GIT_SEQUENCE_EDITOR", "sed -i -e '2,$s/^pick/squash/'"),
            ("GIT_EDITOR", "true"),
        ],
        &["rebase", "-q", "-i", "main"],
    );
    assert_eq!(repo.git(&["rev-list", "--count", "main..topic"]).trim(), "1");
    assert_eq!(repo.ai_lines("a.py"), lines(4..=9, "accepted"));
    assert_eq!(repo.note_of_kind("HEAD", "edit").len(), 3);

    // fixup! commits folded in by --autosquash.
    let text = repo.read("a.py");
    commit_ai(&repo, "a.py", &text, &ai_text("f", 2), "", "fixup! ai 1");
    git_env(
        &repo,
        &[("GIT_SEQUENCE_EDITOR", "true"), ("GIT_EDITOR", "true")],
        &["rebase", "-q", "-i", "--autosquash", "main"],
    );
    assert_eq!(repo.git(&["rev-list", "--count", "main..topic"]).trim(), "1");
    assert_eq!(repo.ai_lines("a.py"), lines(4..=11, "accepted"));
}

// 5-6. Cherry-pick and squash merge.

fn branch_with_ai_commits(repo: &TestRepo, n: usize) -> Vec<String> {
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let mut commits = Vec::new();
    for i in 1..=n {
        let file = format!("f{i}.py");
        let ai = ai_text(&format!("c{i}"), 3);
        commits.push(commit_ai(
            repo,
            &file,
            "header = 0\n",
            &ai,
            "",
            &format!("ai {i}"),
        ));
    }
    repo.git(&["checkout", "-q", "main"]);
    commits
}

#[test]
fn cherry_picks_carry_ai_lines_with_and_without_x_and_with_no_commit() {
    let repo = TestRepo::with_files(&[("README", "hi\n")]);
    let commits = branch_with_ai_commits(&repo, 4);
    repo.git(&["cherry-pick", &commits[0]]);
    assert_eq!(repo.ai_lines("f1.py"), lines(2..=4, "accepted"));
    repo.git(&["cherry-pick", "-x", &commits[1]]);
    assert_eq!(repo.ai_lines("f2.py"), lines(2..=4, "accepted"));
    repo.git(&["cherry-pick", "--no-commit", &commits[2]]);
    repo.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(repo.ai_lines("f3.py"), lines(2..=4, "accepted"));
    // A range.
    repo.git(&["reset", "-q", "--hard", "HEAD~3"]);
    repo.git(&["cherry-pick", &format!("{}~1..topic", commits[1])]);
    for f in ["f2.py", "f3.py", "f4.py"] {
        assert_eq!(repo.ai_lines(f), lines(2..=4, "accepted"), "{f}");
    }
}

#[test]
fn a_squash_merge_carries_every_ai_line_of_the_branch() {
    let repo = TestRepo::with_files(&[("README", "hi\n")]);
    branch_with_ai_commits(&repo, 3);
    repo.git(&["merge", "-q", "--squash", "topic"]);
    repo.git(&["commit", "-q", "-m", "squashed"]);
    for f in ["f1.py", "f2.py", "f3.py"] {
        assert_eq!(repo.ai_lines(f), lines(2..=4, "accepted"), "{f}");
    }
    assert_eq!(repo.note_of_kind("HEAD", "edit").len(), 3);
}

// 7-9. Reset, stash, revert.

#[test]
fn commits_made_again_after_a_reset_keep_their_ai_lines() {
    let repo = TestRepo::with_files(&[("README", "hi\n")]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    for i in 1..=2 {
        commit_ai(
            &repo,
            &format!("f{i}.py"),
            "h = 0\n",
            &ai_text(&format!("r{i}"), 3),
            "",
            "ai",
        );
    }
    repo.git(&["reset", "-q", "--soft", "HEAD~2"]);
    repo.commit("both again");
    assert_eq!(repo.ai_lines("f1.py"), lines(2..=4, "accepted"));
    assert_eq!(repo.ai_lines("f2.py"), lines(2..=4, "accepted"));

    // reset --mixed, then half of it staged, committed, and the rest.
    repo.git(&["reset", "-q", "--mixed", "HEAD~1"]);
    repo.git(&["add", "f1.py"]);
    repo.git(&["commit", "-q", "-m", "first half"]);
    assert_eq!(repo.ai_lines("f1.py"), lines(2..=4, "accepted"));
    repo.commit("second half");
    assert_eq!(repo.ai_lines("f2.py"), lines(2..=4, "accepted"));

    // reset --hard throws the AI's work away; a person then writes the file again, one line
    // as the AI had it among their own: that line is theirs.
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let ai_line = ai_text("r2", 3).lines().nth(1).unwrap().to_string();
    repo.write(
        "f2.py",
        &format!(
            "h = 0
mine = 1
{ai_line}
also_mine = 2
"
        ),
    );
    repo.commit("by hand");
    assert!(repo.ai_lines("f2.py").is_empty(), "{:?}", repo.ai_lines("f2.py"));
}

#[test]
fn stashed_ai_edits_popped_on_another_branch_are_ai() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("a", 3))]);
    let text = repo.read("a.py");
    repo.ai_edit("a.py", &format!("{text}{}", ai_text("st", 3)), &ai_text("st", 3));
    repo.git(&["stash", "-q"]);
    repo.git(&["checkout", "-q", "-b", "other"]);
    repo.git(&["stash", "pop", "-q"]);
    repo.commit("popped");
    assert_eq!(repo.ai_lines("a.py"), lines(4..=6, "accepted"));
}

#[test]
fn a_revert_of_a_revert_restores_the_ai_lines() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("a", 3))]);
    let text = repo.read("a.py");
    commit_ai(&repo, "a.py", &text, &ai_text("rv", 3), "", "ai");
    repo.git(&["revert", "--no-edit", "HEAD"]);
    assert!(repo.ai_lines("a.py").is_empty());
    repo.git(&["revert", "--no-edit", "HEAD"]);
    assert_eq!(repo.ai_lines("a.py"), lines(4..=6, "accepted"));
}

// 10. Renames.

#[test]
fn a_renamed_ai_file_shows_its_ai_lines_under_the_new_name() {
    let repo = TestRepo::with_files(&[("README", "hi\n")]);
    commit_ai(&repo, "old.py", "h = 0\n", &ai_text("mv", 4), "", "ai");
    repo.git(&["mv", "old.py", "new.py"]);
    repo.commit("rename");
    assert_eq!(repo.ai_lines("new.py"), lines(2..=5, "accepted"));
    // Rename and edit in one commit.
    repo.git(&["mv", "new.py", "newer.py"]);
    let text = repo.read("newer.py");
    repo.write("newer.py", &format!("{text}human_tail = 1\n"));
    repo.commit("rename and edit");
    assert_eq!(repo.ai_lines("newer.py"), lines(2..=5, "accepted"));
}

#[test]
fn a_pending_edit_of_the_old_path_binds_under_the_new_one() {
    let repo = TestRepo::with_files(&[("old.py", &human_text("o", 3))]);
    let text = repo.read("old.py");
    repo.ai_edit(
        "old.py",
        &format!("{text}{}", ai_text("pend", 3)),
        &ai_text("pend", 3),
    );
    repo.git(&["mv", "old.py", "new.py"]);
    repo.commit("rename with the AI's lines");
    assert_eq!(repo.ai_lines("new.py"), lines(4..=6, "accepted"));
}

// 11. Commits made without hooks: reattach.

#[test]
fn reattach_binds_a_server_side_squash_once_and_nothing_to_unrelated_commits() {
    let repo = TestRepo::with_files(&[("README", "hi\n")]);
    let remote = repo.scratch().join("remote.git");
    let remote_path = remote.to_str().unwrap();
    repo.git(&["init", "-q", "--bare", remote_path]);
    repo.git(&["remote", "add", "origin", remote_path]);
    repo.git(&["push", "-q", "origin", "main"]);
    branch_with_ai_commits(&repo, 3);
    repo.git(&["push", "-q", "origin", "topic"]);
    // The server squashes the pull request: a commit with the branch's tree on main, no hooks.
    let server = |args: &[&str]| {
        let mut all = vec!["--git-dir", remote_path];
        all.extend_from_slice(args);
        repo.git(&all).trim().to_string()
    };
    let tree = server(&["rev-parse", "topic^{tree}"]);
    let squash = server(&["commit-tree", &tree, "-p", "main", "-m", "Feature (#1)"]);
    server(&["update-ref", "refs/heads/main", &squash]);
    repo.git(&["fetch", "-q", "origin"]);
    repo.git(&["merge", "-q", "--ff-only", "origin/main"]);
    assert!(repo.ai_lines("f1.py").is_empty(), "no note before reattach");

    let dry = repo.lineage_ok(&["reattach", "--from", "topic", "--onto", "main", "--dry-run"]);
    assert!(dry.contains("would bind 9 AI lines"), "{dry}");
    assert!(repo.ai_lines("f1.py").is_empty(), "a dry run writes nothing");
    let out = repo.lineage_ok(&["reattach", "--from", "topic", "--onto", "main"]);
    assert!(
        out.contains("bound 9 AI lines") && out.contains("Wrote 1 notes."),
        "{out}"
    );
    for f in ["f1.py", "f2.py", "f3.py"] {
        assert_eq!(repo.ai_lines(f), lines(2..=4, "accepted"), "{f}");
    }
    let again = repo.lineage_ok(&["reattach", "--from", "topic", "--onto", "main"]);
    assert!(again.contains("Nothing to write."), "{again}");

    // A commit with unrelated content gets nothing.
    repo.write("other.py", "nothing = 'to see'\n");
    repo.commit("unrelated");
    let out = repo.lineage_ok(&["reattach", "--from", "topic", "--onto", "HEAD"]);
    assert!(
        out.contains("no AI line") && out.contains("Nothing to write."),
        "{out}"
    );
    assert!(repo.note_of_kind("HEAD", "edit").is_empty());

    // Bad input: a clear error, exit 1.
    let bad = repo.lineage(&["reattach", "--from", "nope", "--onto", "HEAD"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("error: unknown revision: nope"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn reattach_binds_each_commit_of_a_server_side_rebase() {
    let repo = TestRepo::with_files(&[("README", "hi\n")]);
    let originals = branch_with_ai_commits(&repo, 3);
    // main moves, then the branch is replayed onto it without hooks.
    repo.write("README", "hi\nthere\n");
    repo.commit("main moves");
    let mut tip = repo.head();
    for original in &originals {
        let tree_of = |c: &str| {
            // The replayed tree: the original's files on top of the new base.
            repo.git(&["read-tree", &tip]);
            let files = repo.git(&["diff-tree", "--no-commit-id", "--name-only", "-r", c]);
            for f in files.lines() {
                let blob = repo.git(&["rev-parse", &format!("{c}:{f}")]);
                repo.git(&[
                    "update-index",
                    "--add",
                    "--cacheinfo",
                    &format!("100644,{},{f}", blob.trim()),
                ]);
            }
            repo.git(&["write-tree"]).trim().to_string()
        };
        let tree = tree_of(original);
        tip = repo
            .git(&["commit-tree", &tree, "-p", &tip, "-m", "replayed"])
            .trim()
            .to_string();
    }
    repo.git(&["reset", "-q", "--hard", &tip]);
    let out = repo.lineage_ok(&["reattach", "--from", "topic", "--onto", "HEAD~3..HEAD"]);
    assert!(out.contains("Wrote 3 notes."), "{out}");
    for (i, f) in ["f1.py", "f2.py", "f3.py"].iter().enumerate() {
        assert_eq!(repo.ai_lines(f), lines(2..=4, "accepted"), "{f}");
        let rev = format!("HEAD~{}", 2 - i);
        assert_eq!(repo.note_of_kind(&rev, "edit").len(), 1, "{rev}");
    }
}

// Merge commits.

#[test]
fn a_conflict_the_ai_resolved_in_a_merge_is_ai_and_merged_lines_are_not_bound_again() {
    let repo = TestRepo::with_files(&[("a.py", "start = 0\nvalue = 1\nend = 0\n")]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("a.py", "start = 0\nvalue = 2\nend = 0\n");
    repo.write("t.py", "topic_only = 1\n");
    repo.commit("topic: 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.py", "start = 0\nvalue = 3\nend = 0\n");
    repo.commit("main: 3");
    assert!(!repo.git_output(&["merge", "topic"]).status.success());
    // The agent resolves the conflict; a pending AI edit elsewhere holds topic's line too.
    let resolution = "value = max(2, 3)  # resolved\n";
    repo.ai_edit("a.py", &format!("start = 0\n{resolution}end = 0\n"), resolution);
    repo.record("t.py", "topic_only = 1\n", "claude-code", "m", "unrelated");
    repo.git(&["add", "a.py"]);
    git_env(&repo, &[("GIT_EDITOR", "true")], &["commit", "-q", "--no-edit"]);
    assert_eq!(repo.git(&["rev-list", "--count", "--merges", "HEAD"]).trim(), "1");
    assert_eq!(repo.ai_lines("a.py"), lines(2..=2, "accepted"));
    // t.py's line came from topic's commit: the merge does not bind it to the entry that
    // claims it, which is settled, not bound.
    assert!(repo.ai_lines("t.py").is_empty());
    let settled = repo.note_of_kind("HEAD", "settled");
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0]["file"], "t.py");
}

// 12. pull --rebase with an autostash.

#[test]
fn pull_rebase_with_an_autostash_keeps_committed_and_pending_provenance() {
    let repo = TestRepo::with_files(&[("a.py", &human_text("a", 4)), ("b.py", &human_text("b", 4))]);
    let remote = repo.scratch().join("remote.git");
    let remote_path = remote.to_str().unwrap();
    repo.git(&["init", "-q", "--bare", remote_path]);
    repo.git(&["remote", "add", "origin", remote_path]);
    repo.git(&["push", "-q", "-u", "origin", "main"]);
    // A colleague pushes a change at the top of a.py.
    let other = repo.scratch().join("other");
    repo.git(&["clone", "-q", "-b", "main", remote_path, other.to_str().unwrap()]);
    let a = std::fs::read_to_string(other.join("a.py")).unwrap();
    std::fs::write(other.join("a.py"), format!("colleague = 1\n{a}")).unwrap();
    repo.git_in(&other, &["commit", "-q", "-am", "colleague"]);
    repo.git_in(&other, &["push", "-q"]);
    // Here: a committed AI edit, and a pending one.
    let text = repo.read("a.py");
    commit_ai(&repo, "a.py", &text, &ai_text("local", 2), "", "local ai");
    let b = repo.read("b.py");
    repo.ai_edit(
        "b.py",
        &format!("{b}{}", ai_text("pending", 2)),
        &ai_text("pending", 2),
    );
    repo.git(&["pull", "-q", "--rebase", "--autostash"]);
    assert_eq!(repo.ai_lines("a.py"), lines(6..=7, "accepted"));
    repo.commit("the pending edit");
    assert_eq!(repo.ai_lines("b.py"), lines(5..=6, "accepted"));
}

// The hook script: git's arguments and list reach lineage and the user's own hook.

#[test]
fn the_users_post_rewrite_hooks_still_get_gits_arguments_and_list() {
    for (script, chained) in [
        ("#!/bin/sh\necho \"$1\" > kind.txt\ncat > rewritten.txt\n", false),
        // Not a shell script: chained. (awk would take git's `amend` for a file to read.)
        (
            "#!/usr/bin/awk -f\nBEGIN { while ((getline l < \"/dev/stdin\") > 0) print l > \"rewritten.txt\"; exit }\n",
            true,
        ),
    ] {
        let repo = TestRepo::bare_init();
        let hook = repo.path().join(".git/hooks/post-rewrite");
        std::fs::write(&hook, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        repo.lineage_ok(&["init"]);
        assert_eq!(
            repo.path()
                .join(".git/hooks/post-rewrite.lineage-chained")
                .exists(),
            chained
        );
        repo.write("a.py", "x = 1\n");
        repo.commit("one");
        commit_ai(&repo, "a.py", "x = 1\n", &ai_text("k", 2), "", "ai");
        let ai_commit = repo.head();
        repo.git(&["commit", "-q", "--amend", "-m", "ai, reworded"]);
        let list = repo.read("rewritten.txt");
        assert_eq!(list.trim(), format!("{ai_commit} {}", repo.head()), "{script}");
        if !chained {
            assert_eq!(repo.read("kind.txt").trim(), "amend");
        }
        assert_eq!(repo.ai_lines("a.py"), lines(2..=3, "accepted"));
    }
}

#[test]
fn a_cherry_pick_that_stopped_on_a_conflict_carries_after_continue() {
    let repo = TestRepo::with_files(&[("a.py", "start = 0\nvalue = 1\nend = 0\n")]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    let ai = "value = compute_value(2)\nchecked = verify(value)\n";
    let picked = commit_ai(&repo, "a.py", "start = 0\n", ai, "end = 0\n", "ai");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a.py", "start = 0\nvalue = 3\nend = 0\n");
    repo.commit("main: 3");
    assert!(!repo.git_output(&["cherry-pick", &picked]).status.success());
    repo.write("a.py", &format!("start = 0\n{ai}end = 0\n"));
    repo.git(&["add", "a.py"]);
    git_env(&repo, &[("GIT_EDITOR", "true")], &["cherry-pick", "--continue"]);
    assert_eq!(repo.ai_lines("a.py"), lines(2..=3, "accepted"));
}
