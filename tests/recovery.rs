//! Nothing recorded is lost: entries stay pending while their lines wait in the work tree, an
//! amend binds only what it adds, and a post-commit that dies (or never runs) is repaired by
//! the next hook run or `lineage repair`.

mod common;

use common::{LINEAGE, TestRepo, lines, stderr, stdout};

const BASE: &str = "fn f() {\n}\n\nfn g() {\n}\n";

/// Two agents insert the same line, one in `f`, one in `g`; only `g`'s hunk is committed. The
/// entry for `f` is not "superseded": its line is still in the work tree, and binds when
/// committed.
#[test]
fn an_entry_whose_line_waits_in_the_work_tree_is_not_superseded() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let in_f = "fn f() {\n    shared();\n}\n\nfn g() {\n}\n";
    let a = repo.ai_edit("a.rs", in_f, "    shared();\n");
    let both = "fn f() {\n    shared();\n}\n\nfn g() {\n    shared();\n}\n";
    let b = repo.ai_edit("a.rs", both, "    shared();\n");
    assert_ne!(a, b);
    // Stage only g's hunk.
    repo.write("a.rs", "fn f() {\n}\n\nfn g() {\n    shared();\n}\n");
    repo.git(&["add", "a.rs"]);
    repo.write("a.rs", both);
    repo.git(&["commit", "-q", "-m", "g"]);
    let pending = repo.journal_entries();
    assert_eq!(pending.len(), 1, "f's entry stays pending: {pending:?}");
    assert_eq!(pending[0]["id"], a.as_str());

    repo.commit("f");
    let blame = repo.blame_json(&["a.rs"]);
    let record = |line: usize| blame["lines"][line - 1]["ai"]["record"].clone();
    assert_eq!(record(2), a.as_str(), "f's line is A's");
    assert_eq!(record(6), b.as_str(), "g's line is B's");
    assert_eq!(repo.journal_len(), 0);
}

/// `commit --amend` binds only what the amend adds to the commit it replaces: a human line the
/// amended commit already had stays human, and the pending AI line elsewhere keeps its record.
#[test]
fn amend_binds_only_what_it_adds() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.write("a.rs", "fn f() {\n    return x;\n}\n\nfn g() {\n}\n");
    repo.commit("human return in f");
    let with_g = "fn f() {\n    return x;\n}\n\nfn g() {\n    return x;\n}\n";
    let ai = repo.ai_edit("a.rs", with_g, "    return x;\n");
    // Reword the commit; the AI line is not staged.
    repo.git(&["commit", "-q", "--amend", "-m", "human return in f, reworded"]);
    let committed = repo.blame_json(&["HEAD", "a.rs"]);
    assert!(
        committed["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["ai"].is_null()),
        "{committed}"
    );
    assert_eq!(repo.ai_lines("a.rs"), lines(6..=6, "pending"));
    assert_eq!(repo.journal_len(), 1, "the AI edit is still pending");

    repo.commit("g");
    let blame = repo.blame_json(&["a.rs"]);
    assert!(
        blame["lines"][1]["ai"].is_null(),
        "the human line in f stays human"
    );
    assert_eq!(blame["lines"][5]["ai"]["record"], ai.as_str());

    // An amend that adds the AI line binds it.
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.write("a.rs", "fn f() {\n    return x;\n}\n\nfn g() {\n}\n");
    repo.commit("human");
    repo.ai_edit("a.rs", with_g, "    return x;\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "--no-edit"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(6..=6, "accepted"));
}

/// Commits everything staged with the hooks switched off, as a GUI client that skips them does.
fn commit_without_hooks(repo: &TestRepo, message: &str) {
    repo.git(&["-c", "core.hooksPath=/nonexistent", "commit", "-q", "-m", message]);
}

/// The points where post-commit can die, in order (`LINEAGE_FAULT`).
const KILL_POINTS: &[&str] = &[
    "post-commit:start",
    "post-commit:locked",
    "post-commit:absorbed",
    "post-commit:bound",
    "post-commit:noted",
    "post-commit:settled",
    "post-commit:seen",
];

/// Commits with the post-commit hook dying at `point`; the commit itself is made.
fn commit_killed_at(repo: &TestRepo, point: &str, message: &str) -> String {
    repo.git(&["add", "-A"]);
    let out = repo
        .command("git")
        .args(["commit", "-q", "-m", message])
        .env("LINEAGE_FAULT", point)
        .output()
        .unwrap();
    assert!(out.status.success(), "{point}: {}", stderr(&out));
    repo.head()
}

/// Whichever step post-commit dies at, the next commit's hooks write the lost note and settle
/// the journal: the AI lines are attributed, and the entries are neither lost nor reused.
#[test]
fn a_post_commit_killed_at_any_step_is_repaired_by_the_next_commit() {
    for point in KILL_POINTS {
        let repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
        repo.ai_edit("a.rs", &format!("{BASE}fn one() {{}}\n"), "fn one() {}\n");
        repo.write("a.rs", &format!("{BASE}fn one() {{}}\nfn human() {{}}\n"));
        let killed = commit_killed_at(&repo, point, "killed");
        let at = |name: &str| KILL_POINTS.iter().position(|p| *p == name).unwrap();
        let step = at(point);
        if step < at("post-commit:noted") {
            assert!(
                repo.note(&killed).is_empty(),
                "{point}: the hook died before the note"
            );
        }
        if step < at("post-commit:settled") {
            assert_eq!(repo.journal_len(), 1, "{point}: the entry is still pending");
        }

        repo.ai_edit("b.rs", &format!("{BASE}fn two() {{}}\n"), "fn two() {}\n");
        repo.commit("next");

        assert_eq!(repo.ai_lines("a.rs"), lines(6..=6, "accepted"), "{point}");
        assert_eq!(repo.ai_lines("b.rs"), lines(6..=6, "accepted"), "{point}");
        let edits = repo.note_of_kind(&killed, "edit");
        assert_eq!(edits.len(), 1, "{point}: {edits:?}");
        assert_eq!(edits[0]["ranges"], serde_json::json!([[6, 6]]), "{point}");
        assert_eq!(repo.journal_len(), 0, "{point}: nothing stays pending");
        assert!(
            repo.note_of_kind("HEAD", "settled").is_empty(),
            "{point}: nothing discarded"
        );
    }
}

/// A commit made without the hooks (a GUI client, a `core.hooksPath` override) is bound by the
/// next hook run; `lineage repair` does the same on demand.
#[test]
fn commits_made_without_the_hooks_are_bound_later() {
    let repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn one() {{}}\n"), "fn one() {}\n");
    repo.git(&["add", "-A"]);
    commit_without_hooks(&repo, "no hooks");
    let hookless = repo.head();
    assert!(repo.note(&hookless).is_empty());

    repo.ai_edit("b.rs", &format!("{BASE}fn two() {{}}\n"), "fn two() {}\n");
    repo.commit("hooked");
    assert_eq!(repo.ai_lines("a.rs"), lines(6..=6, "accepted"));
    assert_eq!(repo.note_of_kind(&hookless, "edit").len(), 1);
    assert_eq!(repo.journal_len(), 0);

    // On demand, HEAD included.
    repo.ai_edit(
        "a.rs",
        &format!("{BASE}fn one() {{}}\nfn three() {{}}\n"),
        "fn three() {}\n",
    );
    repo.git(&["add", "-A"]);
    commit_without_hooks(&repo, "again");
    let out = repo.lineage_ok(&["repair"]);
    assert!(out.starts_with("repaired "), "{out}");
    assert_eq!(repo.ai_lines("a.rs"), lines(6..=7, "accepted"));
    assert_eq!(
        repo.lineage_ok(&["repair"]),
        "Nothing to repair: the hooks finished every commit.\n"
    );
}

/// In a repository whose first commit comes after `lineage init`, a post-commit killed on that
/// first commit is repaired too.
#[test]
fn a_killed_first_commit_is_repaired() {
    let repo = TestRepo::new();
    repo.ai_edit("a.rs", "fn one() {}\n", "fn one() {}\n");
    let first = commit_killed_at(&repo, "post-commit:start", "first");
    repo.ai_edit("b.rs", "fn two() {}\n", "fn two() {}\n");
    repo.commit("second");
    assert_eq!(repo.ai_lines("a.rs"), lines(1..=1, "accepted"));
    assert_eq!(repo.note_of_kind(&first, "edit").len(), 1);
}

/// Commits from before `lineage init`, and commits by someone else, are never bound to pending
/// entries: only what the hooks missed of ours.
#[test]
fn history_before_init_and_others_commits_are_left_alone() {
    let repo = TestRepo::bare_init();
    repo.write("a.rs", "fn one() {}\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "before lineage"]);
    repo.lineage_ok(&["init"]);
    // Someone else's commit, pulled in, holds the same line an agent then writes here.
    repo.write("b.rs", "fn two() {}\n");
    repo.git(&["add", "-A"]);
    let out = repo
        .command("git")
        .args([
            "-c",
            "core.hooksPath=/nonexistent",
            "commit",
            "-q",
            "-m",
            "theirs",
        ])
        .env("GIT_COMMITTER_EMAIL", "someone@else.example")
        .output()
        .unwrap();
    assert!(out.status.success());
    repo.ai_edit("c.rs", "fn one() {}\nfn two() {}\n", "fn one() {}\nfn two() {}\n");
    repo.commit("ours");
    assert!(repo.ai_lines("a.rs").is_empty());
    assert!(repo.ai_lines("b.rs").is_empty());
    assert_eq!(repo.ai_lines("c.rs"), lines(1..=2, "accepted"));
    let out = repo.run(LINEAGE, &["repair"], None, None);
    assert!(stdout(&out).starts_with("Nothing to repair"), "{}", stdout(&out));
}

/// A repository moved after an edit was recorded (`mv`, a devcontainer mount) still binds it;
/// the entries of a linked work tree that was removed are not stranded: they expire.
#[test]
fn moved_repositories_and_removed_worktrees_strand_nothing() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn one() {{}}\n"), "fn one() {}\n");
    let moved = repo.scratch().join("moved");
    std::fs::rename(repo.path(), &moved).unwrap();
    let git = |args: &[&str]| {
        let out = repo.run("git", args, None, Some(&moved));
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    };
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "after the move"]);
    let out = repo.run(LINEAGE, &["blame", "--tsv", "a.rs"], None, Some(&moved));
    let tools: Vec<String> = stdout(&out)
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap().to_string())
        .collect();
    assert_eq!(tools[5], "claude-code", "{}", stdout(&out));

    // A linked work tree with a pending edit, then removed.
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let tree = repo.scratch().join("linked");
    repo.git(&["worktree", "add", "-q", tree.to_str().unwrap()]);
    std::fs::write(tree.join("a.rs"), format!("{BASE}fn gone() {{}}\n")).unwrap();
    let out = repo.run(
        LINEAGE,
        &["record", "--file", "a.rs", "--tool", "codex"],
        Some(b"fn gone() {}\n"),
        Some(&tree),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    repo.git(&["worktree", "remove", "--force", tree.to_str().unwrap()]);
    // The same line typed in the main work tree is not claimed by the stranded entry, and the
    // entry, whose lines are in no work tree, is settled as discarded instead of kept forever.
    repo.write("a.rs", &format!("{BASE}fn gone() {{}}\n"));
    repo.commit("typed by hand");
    assert!(repo.ai_lines("a.rs").is_empty());
    assert_eq!(repo.journal_len(), 0);
    let settled = repo.note_of_kind("HEAD", "settled");
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0]["outcome"], "discarded");
}

/// The agent writes the file, someone commits it at once, and only then does the agent's hook
/// record the edit: the record binds to that commit (at the next hook run, or `lineage repair`),
/// instead of staying pending until it expires as "never committed".
#[test]
fn a_record_arriving_after_its_commit_binds_to_it() {
    for repair in [false, true] {
        let mut repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
        repo.write("a.rs", &format!("{BASE}fn raced() {{}}\n"));
        let raced = repo.commit("committed before the hook recorded");
        // The commit is dated 10:00:00; the record comes five seconds later.
        repo.set_now("2026-11-02T10:00:05Z");
        repo.record("a.rs", "fn raced() {}\n", "claude-code", "claude-opus-4-5", "p");
        assert_eq!(repo.journal_len(), 1);
        if repair {
            let out = repo.lineage_ok(&["repair"]);
            assert!(out.contains(&raced[..12]), "{out}");
        } else {
            repo.ai_edit("b.rs", &format!("{BASE}fn next() {{}}\n"), "fn next() {}\n");
            repo.commit("next");
            assert_eq!(repo.ai_lines("b.rs"), lines(6..=6, "accepted"));
        }
        assert_eq!(
            repo.ai_lines("a.rs"),
            lines(6..=6, "accepted"),
            "repair: {repair}"
        );
        assert_eq!(repo.note_of_kind(&raced, "edit").len(), 1);
        assert_eq!(repo.journal_len(), 0, "repair: {repair}");
    }

    // A record long after a commit with the same lines is no late record: the human's commit
    // stays human, and the entry, whose lines wait nowhere, is settled as discarded.
    let mut repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.write("a.rs", &format!("{BASE}fn typed() {{}}\n"));
    let typed = repo.commit("typed by hand");
    repo.set_now("2026-11-02T11:00:00Z");
    repo.record("a.rs", "fn typed() {}\n", "claude-code", "claude-opus-4-5", "p");
    repo.write("b.rs", "b\n");
    repo.commit("later");
    assert!(
        repo.note_of_kind(&typed, "edit").is_empty(),
        "the human's commit stays human"
    );
    assert_eq!(repo.journal_len(), 0);
    assert_eq!(repo.note_of_kind("HEAD", "settled")[0]["outcome"], "discarded");

    // Nor when HEAD's reflog says HEAD has not moved for ten minutes, whatever the commit's
    // date: `record` then does not read the commit at all.
    let mut repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.write("a.rs", &format!("{BASE}fn typed() {{}}\n"));
    let typed = repo.commit("typed by hand");
    repo.set_now("2026-11-02T10:00:05Z");
    let reflog = std::fs::File::options()
        .append(true)
        .open(repo.path().join(".git/logs/HEAD"))
        .unwrap();
    let ten_minutes_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    reflog.set_modified(ten_minutes_ago).unwrap();
    repo.record("a.rs", "fn typed() {}\n", "claude-code", "claude-opus-4-5", "p");
    repo.write("b.rs", "b\n");
    repo.commit("later");
    assert!(repo.note_of_kind(&typed, "edit").is_empty());
    assert_eq!(repo.note_of_kind("HEAD", "settled")[0]["outcome"], "discarded");
}

/// (Review) A partly committed entry in a hook-less commit whose rest is in the next commit is
/// not written off as dropped when the missed commit is settled: both lines are the AI's.
#[test]
fn a_missed_commit_does_not_drop_an_entry_finished_later() {
    let repo = TestRepo::with_files(&[("b.rs", BASE)]);
    let full = "fn alpha_one() { compute_alpha(1) }\nfn beta_two() { compute_beta(2) }\n";
    repo.ai_edit("a.rs", full, full);
    repo.write("a.rs", "fn alpha_one() { compute_alpha(1) }\n");
    repo.git(&["add", "a.rs"]);
    repo.write("a.rs", full);
    commit_without_hooks(&repo, "half, no hooks");
    repo.commit("the rest");
    assert_eq!(repo.ai_lines("a.rs"), lines(1..=2, "accepted"));
    assert_eq!(repo.journal_len(), 0);
}

/// (Review) A record that arrives just after a human commit holding identical lines, while the
/// agent's own copy is still uncommitted, is no late record: the human's lines stay human.
#[test]
fn a_late_record_never_takes_a_humans_identical_lines() {
    let mut repo = TestRepo::bare_init();
    repo.lineage_ok(&["init"]);
    let human = "fn main() {\n    let total = compute_total(&items);\n    println!(\"{}\", total);\n}\n";
    repo.write("a.rs", human);
    repo.commit("human");
    repo.set_now("2026-11-02T10:00:05Z");
    // The agent writes `other()` with the two lines the human's `main()` already has, and
    // records those two lines.
    let shared = "    let total = compute_total(&items);\n    println!(\"{}\", total);\n";
    repo.ai_edit("a.rs", &format!("{human}fn other() {{\n{shared}}}\n"), shared);
    repo.commit("agent");
    assert_eq!(repo.ai_lines("a.rs"), lines(6..=7, "accepted"));
}

/// (Review) post-commit killed after settling but before marking its commit seen: the next run
/// does not bind that commit's human lines to another pending entry.
#[test]
fn a_commit_settled_before_its_hook_died_is_not_bound_again() {
    let mut repo = TestRepo::with_files(&[("b.rs", "b\n")]);
    repo.ai_edit(
        "a.rs",
        "fn f() {\n    alpha_line_from_agent();\n}\n",
        "    alpha_line_from_agent();\n",
    );
    repo.write(
        "a.rs",
        "fn f() {\n    alpha_line_from_agent();\n    shared_helper();\n}\n",
    );
    commit_killed_at(&repo, "post-commit:settled", "X");
    repo.set_now("2026-11-02T11:00:00Z");
    repo.ai_edit(
        "a.rs",
        "fn f() {\n    alpha_line_from_agent();\n    shared_helper();\n}\nfn g() {\n    shared_helper();\n}\n",
        "    shared_helper();\n",
    );
    repo.commit("Y");
    let blame = repo.blame_json(&["a.rs"]);
    assert!(
        blame["lines"][2]["ai"].is_null(),
        "the human's line in X: {blame}"
    );
    assert!(
        !blame["lines"][5]["ai"].is_null(),
        "the agent's line in Y: {blame}"
    );
}

/// The list of commits owed a `seen` note, taken by a lineage process that died before writing
/// them, is written by the next one, with what the script listed since; a line that names no
/// commit (damage, a commit gone) gets no note, and nothing stops on it.
#[test]
fn owed_notes_a_dead_writer_took_are_written_by_the_next_command() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let lineage_dir = repo.path().join(".git/lineage");
    repo.write("a.rs", &format!("{BASE}// one\n"));
    let first = repo.commit("by hand");
    // A writer took the list and died.
    std::fs::rename(lineage_dir.join("unnoted"), lineage_dir.join("unnoted.taken")).unwrap();
    let gone = "0123456789abcdef0123456789abcdef01234567";
    let mut taken = std::fs::OpenOptions::new()
        .append(true)
        .open(lineage_dir.join("unnoted.taken"))
        .unwrap();
    use std::io::Write;
    writeln!(taken, "{gone}\nnot a commit\n\u{1b}[31m").unwrap();
    repo.write("a.rs", &format!("{BASE}// one\n// two\n"));
    let second = repo.commit("by hand again");
    assert_eq!(
        std::fs::read_to_string(lineage_dir.join("unnoted")).unwrap(),
        format!("{second}\n")
    );
    let out = repo.lineage(&["status"]);
    assert!(
        out.status.success() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
    for commit in [&first, &second] {
        assert_eq!(repo.note_of_kind(commit, "seen").len(), 1, "{commit}");
    }
    assert!(!repo.git(&["notes", "--ref=lineage", "list"]).contains(gone));
    assert!(!lineage_dir.join("unnoted").exists());
    assert!(!lineage_dir.join("unnoted.taken").exists());
    let blame = repo.blame_json(&["a.rs"]);
    assert_eq!(blame["lines"][5]["attribution"], "human");
    assert_eq!(blame["lines"][6]["attribution"], "human");
}
