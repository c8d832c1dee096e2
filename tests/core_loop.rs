//! The core loop end to end: record → journal → commit through the real hooks → note → blame.

mod common;

use common::{TestRepo, lines, stderr, stdout};
use sha2::{Digest, Sha256};

const BASE: &str = "fn one() -> u32 {\n    1\n}\n\nfn two() -> u32 {\n    2\n}\n";

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Scenario 1: the AI writes a whole file, blank lines inside; every line is AI and accepted.
#[test]
fn ai_writes_a_whole_new_file() {
    let repo = TestRepo::with_files(&[("README", "readme\n")]);
    let text = "pub struct Point {\n    x: i32,\n}\n\nimpl Point {\n    pub fn x(&self) -> i32 {\n        self.x\n    }\n}\n";
    let id = repo.record(
        "src/point.rs",
        text,
        "claude-code",
        "claude-opus-4-5",
        "Add a Point type",
    );
    repo.write("src/point.rs", text);
    let commit = repo.commit("add point");

    let blame = repo.blame_json(&["src/point.rs"]);
    assert_eq!(blame["file"], "src/point.rs");
    assert!(blame["rev"].is_null(), "the work tree is no commit");
    assert_eq!(repo.blame_json(&["HEAD", "src/point.rs"])["rev"], commit.as_str());
    let blamed = blame["lines"].as_array().unwrap();
    assert_eq!(blamed.len(), 9);
    for line in blamed {
        assert_eq!(line["commit"], commit.as_str());
        let ai = &line["ai"];
        assert_eq!(ai["record"], id.as_str(), "line {}", line["line"]);
        assert_eq!(ai["tool"], "claude-code");
        assert_eq!(ai["model"], "claude-opus-4-5");
        assert_eq!(ai["session"], "sess-1");
        assert_eq!(ai["prompt_id"], sha256("Add a Point type").as_str());
        assert_eq!(ai["outcome"], "accepted");
    }
    let edits = repo.note_of_kind("HEAD", "edit");
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["ranges"], serde_json::json!([[1, 9]]));
    assert_eq!(edits[0]["outcome"], "accepted");
    assert_eq!(edits[0]["user"], "Dana Developer <dana@example.com>");
    let prompts = repo.note_of_kind("HEAD", "prompt");
    assert_eq!(prompts[0]["text"], "Add a Point type");
    assert_eq!(repo.journal_len(), 0, "the accepted entry left the journal");
}

/// Scenario 2: 5 AI lines and 2 human lines in one commit; exactly the 5 are AI.
#[test]
fn only_the_ai_lines_are_ai() {
    let repo = TestRepo::with_files(&[("src/lib.rs", BASE)]);
    let ai = "fn three() -> u32 {\n    let a = 1;\n    let b = 2;\n    a + b\n}\n";
    let with_ai = format!("{BASE}\n{ai}");
    repo.ai_edit("src/lib.rs", &with_ai, &format!("\n{ai}"));
    // The human types two lines at the top.
    repo.write(
        "src/lib.rs",
        &format!("// Numbers.\n#![allow(dead_code)]\n{with_ai}"),
    );
    repo.commit("three");
    // Lines: 2 human, 7 base, then blank (AI) + 5 AI lines.
    assert_eq!(repo.ai_lines("src/lib.rs"), lines(10..=15, "accepted"));
}

/// Scenario 3: the user edits one AI line before committing: it is `modified`.
#[test]
fn a_human_edit_makes_a_line_modified() {
    let repo = TestRepo::with_files(&[("src/lib.rs", BASE)]);
    let ai = "fn rate() -> f64 {\n    let base = 0.2;\n    base * 1.5\n}\n";
    repo.ai_edit("src/lib.rs", &format!("{BASE}{ai}"), ai);
    repo.write("src/lib.rs", &format!("{BASE}{}", ai.replace("0.2", "0.25")));
    repo.commit("rate");
    let mut expected = lines(8..=11, "accepted");
    expected[1].1 = "modified".into();
    assert_eq!(repo.ai_lines("src/lib.rs"), expected);
    let edit = &repo.note_of_kind("HEAD", "edit")[0];
    assert_eq!(edit["outcome"], "modified");
    assert_eq!(edit["modified"], serde_json::json!([[9, 9]]));
    assert_eq!(edit["ranges"], serde_json::json!([[8, 11]]));
}

/// Scenario 4: two files edited; `git commit <path>` one, later the other.
#[test]
fn commit_paths_one_at_a_time() {
    let repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
    let ai_a = "fn from_a() {}\n";
    let ai_b = "fn from_b() {}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai_a}"), ai_a);
    repo.ai_edit("b.rs", &format!("{BASE}{ai_b}"), ai_b);
    repo.git(&["commit", "-q", "-m", "a only", "a.rs"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));

    let status = repo.status_json();
    let pending = status["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["file"], "b.rs");
    assert_eq!(pending[0]["entries"][0]["committed_lines"], 0);
    // b.rs is uncommitted: blame overlays it from the journal.
    assert_eq!(repo.ai_lines("b.rs"), lines(8..=8, "pending"));

    repo.git(&["commit", "-q", "-m", "b", "b.rs"]);
    assert_eq!(repo.ai_lines("b.rs"), lines(8..=8, "accepted"));
    assert!(repo.status_json()["pending"].as_array().unwrap().is_empty());
}

/// `git commit -a` commits through a temporary index; the hooks read that one.
#[test]
fn commit_all_binds_through_the_temporary_index() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let ai = "fn added() {}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai}"), ai);
    repo.git(&["commit", "-q", "-a", "-m", "all"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
}

/// Scenario 5: half of an AI hunk staged with `git add -p`, the rest later.
#[test]
fn partial_staging_binds_each_commit_its_lines() {
    let base = "fn a() {}\nfn b() {}\nfn c() {}\n";
    let repo = TestRepo::with_files(&[("src/lib.rs", base)]);
    // One AI edit adding lines in two places, one context line apart: one hunk, split by `s`.
    let new = "fn a() {}\nfn first_ai() {}\nfn b() {}\nfn second_ai() {}\nfn c() {}\n";
    repo.ai_edit("src/lib.rs", new, "fn first_ai() {}\nfn second_ai() {}\n");
    let out = repo.run("git", &["add", "-p", "src/lib.rs"], Some(b"s\ny\nn\n"), None);
    assert!(out.status.success(), "{}", stderr(&out));
    repo.git(&["commit", "-q", "-m", "first half"]);

    let first = repo.note_of_kind("HEAD", "edit");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["ranges"], serde_json::json!([[2, 2]]));
    assert_eq!(
        repo.ai_lines("src/lib.rs"),
        vec![(2, "accepted".into()), (4, "pending".into())]
    );
    let status = repo.status_json();
    assert_eq!(status["pending"][0]["entries"][0]["committed_lines"], 1);

    repo.commit("second half");
    let second = repo.note_of_kind("HEAD", "edit");
    assert_eq!(second[0]["ranges"], serde_json::json!([[4, 4]]));
    assert_eq!(second[0]["id"], first[0]["id"]);
    assert_eq!(
        repo.ai_lines("src/lib.rs"),
        vec![(2, "accepted".into()), (4, "accepted".into())]
    );
    assert_eq!(repo.journal_len(), 0);
}

/// An AI edit appended at the end of a file, its first line staged alone: the rest sits right
/// below the committed line, not below the line the edit was recorded under, and still waits.
#[test]
fn the_rest_of_an_edit_at_the_end_of_a_file_waits_after_a_partial_commit() {
    let repo = TestRepo::with_files(&[("p.rs", "one\n")]);
    repo.ai_edit(
        "p.rs",
        "one\nfn p1() {}\nfn p2() {}\n",
        "fn p1() {}\nfn p2() {}\n",
    );
    let blob = repo.run(
        "git",
        &["hash-object", "-w", "--stdin"],
        Some(b"one\nfn p1() {}\n"),
        None,
    );
    let cacheinfo = format!("100644,{},p.rs", stdout(&blob).trim());
    repo.git(&["update-index", "--cacheinfo", &cacheinfo]);
    repo.git(&["commit", "-q", "-m", "first line"]);
    assert_eq!(
        repo.ai_lines("p.rs"),
        vec![(2, "accepted".into()), (3, "pending".into())]
    );
    assert_eq!(repo.journal_len(), 1);

    repo.git(&["add", "p.rs"]);
    repo.commit("second line");
    assert_eq!(repo.ai_lines("p.rs"), lines(2..=3, "accepted"));
    assert_eq!(repo.journal_len(), 0);
}

/// Scenario 6: `--no-verify` skips the pre-commit and commit-msg hooks; lineage's (which do
/// not check anything) still run.
#[test]
fn no_verify_still_writes_the_note() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let ai = "fn added() {}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai}"), ai);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "unverified"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
}

/// Scenario 7: later human lines above the AI lines move them; blame still finds them.
#[test]
fn ai_lines_survive_later_human_commits() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let ai = "fn added() {\n    work();\n}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai}"), ai);
    repo.commit("ai");
    repo.write(
        "a.rs",
        &format!("// header 1\n// header 2\n// header 3\n{BASE}{ai}"),
    );
    repo.commit("human header");
    assert_eq!(repo.ai_lines("a.rs"), lines(11..=13, "accepted"));
    // And at the earlier revision, where they were lines 8–10.
    let blame = repo.blame_json(&["HEAD~1", "a.rs"]);
    let ai_at: Vec<u64> = blame["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["ai"].is_null())
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(ai_at, vec![8, 9, 10]);
}

/// Scenario 8: one AI `return x;` and `}` do not claim the human's identical lines.
#[test]
fn duplicate_lines_are_counted_once() {
    let base = "fn keep(x: u8) -> u8 {\n    x\n}\n";
    let repo = TestRepo::with_files(&[("a.rs", base)]);
    let ai = "fn ident(x: u8) -> u8 {\n    return x;\n}\n";
    repo.ai_edit("a.rs", &format!("{base}{ai}"), ai);
    // The human then writes the same two lines twice, above the AI's function.
    let human = "fn h1(x: u8) -> u8 {\n    return x;\n}\nfn h2(x: u8) -> u8 {\n    return x;\n}\n";
    repo.write("a.rs", &format!("{human}{base}{ai}"));
    repo.commit("dupes");
    assert_eq!(repo.ai_lines("a.rs"), lines(10..=12, "accepted"));
}

/// The first commit of an empty repository binds too.
#[test]
fn first_commit_of_an_empty_repository() {
    let repo = TestRepo::new();
    let text = "print('hello')\nprint('world')\n";
    repo.record("hello.py", text, "codex", "gpt-5-codex", "say hello");
    repo.write("hello.py", text);
    repo.commit("root");
    assert_eq!(repo.ai_lines("hello.py"), lines(1..=2, "accepted"));
}

/// A linked worktree shares the journal and the notes.
#[test]
fn linked_worktrees_share_the_journal() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let tree = repo.scratch().join("feature");
    repo.git(&["worktree", "add", "-q", "-b", "feature", tree.to_str().unwrap()]);
    let ai = "fn in_worktree() {}\n";
    std::fs::write(tree.join("a.rs"), format!("{BASE}{ai}")).unwrap();
    let out = repo.run(
        common::LINEAGE,
        &["record", "--file", "a.rs", "--tool", "cursor", "--model", "gpt-5"],
        Some(ai.as_bytes()),
        Some(&tree),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(repo.journal_len(), 1, "recorded into the common dir's journal");
    repo.git_in(&tree, &["commit", "-q", "-a", "-m", "in worktree"]);
    let feature_head = repo.git(&["rev-parse", "feature"]);
    let edits = repo.note_of_kind(feature_head.trim(), "edit");
    assert_eq!(edits[0]["tool"], "cursor");
    assert_eq!(edits[0]["ranges"], serde_json::json!([[8, 8]]));
    let blame = repo.blame_json(&["feature", "a.rs"]);
    assert_eq!(blame["lines"][7]["ai"]["model"], "gpt-5");
}

/// Entries reported rejected are settled in the next note, then leave the journal.
#[test]
fn rejected_edits_are_settled_in_the_next_note() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let out = repo.lineage_with_stdin(
        &[
            "record", "--file", "a.rs", "--tool", "cursor", "--status", "rejected", "--prompt", "nope",
        ],
        b"fn rejected() {}\nfn also() {}\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    repo.write("b.rs", "human\n");
    repo.commit("unrelated");
    let settled = repo.note_of_kind("HEAD", "settled");
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0]["outcome"], "rejected");
    assert_eq!(settled[0]["lines"], 2);
    assert_eq!(settled[0]["file"], "a.rs");
    assert_eq!(repo.note_of_kind("HEAD", "prompt")[0]["text"], "nope");
    assert_eq!(repo.journal_len(), 0);
}

/// An entry pending past `lineage.journal.expire` with nothing committed is discarded.
#[test]
fn expired_entries_are_discarded_in_the_next_note() {
    let mut repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.git(&["config", "lineage.journal.expire", "7d"]);
    // The agent writes the line; it stays uncommitted (b.rs and c.rs are committed alone).
    repo.ai_edit(
        "a.rs",
        &format!("{BASE}fn never_kept() {{}}\n"),
        "fn never_kept() {}\n",
    );
    repo.write("b.rs", "human\n");
    repo.git(&["add", "b.rs"]);
    repo.git(&["commit", "-q", "-m", "too early to expire"]);
    assert!(repo.note_of_kind("HEAD", "settled").is_empty());
    assert_eq!(repo.journal_len(), 1);

    repo.set_now("2026-11-10T09:00:00Z");
    repo.write("c.rs", "human\n");
    repo.git(&["add", "c.rs"]);
    repo.git(&["commit", "-q", "-m", "a week later"]);
    let settled = repo.note_of_kind("HEAD", "settled");
    assert_eq!(settled[0]["outcome"], "discarded");
    assert_eq!(repo.journal_len(), 0);
}

/// AI lines the human deleted before committing make the entry `modified`, and it is settled.
#[test]
fn dropped_lines_settle_the_entry_as_modified() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let ai = "fn keep_me() {}\nfn drop_me() {}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai}"), ai);
    repo.write("a.rs", &format!("{BASE}fn keep_me() {{}}\n"));
    repo.commit("kept one");
    let edit = &repo.note_of_kind("HEAD", "edit")[0];
    assert_eq!(edit["outcome"], "modified");
    assert_eq!(edit["modified"], serde_json::json!([]));
    assert_eq!(repo.journal_len(), 0);
}

/// `lineage.prompts=hash` keeps only the prompt id; `none` keeps nothing.
#[test]
fn prompt_privacy_settings() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.git(&["config", "lineage.prompts", "hash"]);
    repo.ai_edit("a.rs", &format!("{BASE}fn h() {{}}\n"), "fn h() {}\n");
    repo.commit("hash");
    assert!(repo.note_of_kind("HEAD", "prompt").is_empty());
    assert_eq!(
        repo.note_of_kind("HEAD", "edit")[0]["prompt_id"],
        sha256("make it so").as_str()
    );

    repo.git(&["config", "lineage.prompts", "none"]);
    repo.ai_edit(
        "a.rs",
        &format!("{BASE}fn h() {{}}\nfn n() {{}}\n"),
        "fn n() {}\n",
    );
    repo.commit("none");
    assert!(repo.note_of_kind("HEAD", "prompt").is_empty());
    assert!(repo.note_of_kind("HEAD", "edit")[0]["prompt_id"].is_null());
    assert!(
        !repo
            .git(&["notes", "--ref=lineage", "show", "HEAD"])
            .contains("make it so")
    );
}

/// Secrets never reach the journal or the note, yet the committed lines still bind.
#[test]
fn secrets_are_redacted_but_lines_still_bind() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let key = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
    let ai = format!("const KEY: &str = \"{key}\";\n");
    let prompt = format!("use the key {key}");
    repo.write("a.rs", &format!("{BASE}{ai}"));
    let out = repo.lineage_with_stdin(
        &["record", "--file", "a.rs", "--tool", "codex", "--prompt", &prompt],
        ai.as_bytes(),
    );
    assert!(out.status.success());
    assert!(stderr(&out).contains("redacted 2 secret(s)"), "{}", stderr(&out));
    let journal = std::fs::read_to_string(repo.journal_log()).unwrap();
    assert!(!journal.contains(&key));
    assert!(journal.contains("[REDACTED:aws-access-key]"));
    repo.commit("key");
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
    let note = repo.git(&["notes", "--ref=lineage", "show", "HEAD"]);
    assert!(!note.contains(&key));
    assert!(note.contains("[REDACTED:aws-access-key]"));
}

/// A formatter re-indenting AI code does not hide it (keys ignore indentation).
#[test]
fn reindented_lines_still_match() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let ai = "fn f() {\nlet x = 1;\nx\n}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai}"), ai);
    repo.write("a.rs", &format!("{BASE}fn f() {{\n    let x = 1;\n    x\n}}\n"));
    repo.commit("formatted");
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=11, "accepted"));
}

/// The journal's lines, as written.
fn journal_lines(repo: &TestRepo) -> Vec<String> {
    std::fs::read_to_string(repo.journal_dir().join("entries.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// prepare-commit-msg only marks the journal (hook scripts of earlier versions start lineage
/// for it); post-commit binds, and the settlement drops the marker with the entry.
#[test]
fn prepare_commit_msg_marks_the_journal_and_post_commit_binds() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn p() {{}}\n"), "fn p() {}\n");
    repo.git(&["add", "-A"]);
    let out = repo.run(common::LINEAGE, &["hook", "prepare-commit-msg"], None, None);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", stderr(&out));
    assert_eq!(
        journal_lines(&repo).last().map(String::as_str),
        Some(r#"{"prepared":1}"#)
    );
    assert!(
        !repo.path().join(".git/lineage-plans").exists(),
        "no plan is made"
    );
    repo.git(&["commit", "-q", "-m", "bound after"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
    assert!(journal_lines(&repo).is_empty(), "{:?}", journal_lines(&repo));
}

/// Paths are taken relative to where lineage runs, as git does: record and blame work from a
/// subdirectory.
#[test]
fn record_and_blame_from_a_subdirectory() {
    let repo = TestRepo::with_files(&[("src/lib.rs", BASE)]);
    repo.write("src/lib.rs", &format!("{BASE}fn sub() {{}}\n"));
    let src = repo.path().join("src");
    let out = repo.run(
        common::LINEAGE,
        &["record", "--file", "lib.rs", "--tool", "codex", "--json"],
        Some(b"fn sub() {}\n"),
        Some(&src),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let entry: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entry["file"], "src/lib.rs");
    repo.commit("sub");
    let out = repo.run(common::LINEAGE, &["blame", "--json", "lib.rs"], None, Some(&src));
    assert!(out.status.success(), "{}", stderr(&out));
    let blame: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(blame["file"], "src/lib.rs");
    assert_eq!(blame["lines"][7]["ai"]["tool"], "codex");
}

/// Scenario 8, literally: the AI completes a function with `return x;` and `}`; the human
/// then types the same two lines in another function above it. Where the edit was recorded
/// (the line it sat below) tells the copies apart.
#[test]
fn identical_two_line_insertions_go_to_where_the_ai_wrote() {
    let base = "fn h(x: u8) -> u8 {\n}\n\nfn ai(x: u8) -> u8 {\n}\n";
    let repo = TestRepo::with_files(&[("a.rs", base)]);
    let after_ai = "fn h(x: u8) -> u8 {\n}\n\nfn ai(x: u8) -> u8 {\n    return x;\n}\n}\n";
    repo.ai_edit("a.rs", after_ai, "    return x;\n}\n");
    let after_human =
        "fn h(x: u8) -> u8 {\n    return x;\n}\n}\n\nfn ai(x: u8) -> u8 {\n    return x;\n}\n}\n";
    repo.write("a.rs", after_human);
    repo.commit("both");
    let ai: Vec<u64> = repo.ai_lines("a.rs").iter().map(|l| l.0).collect();
    assert_eq!(
        ai,
        vec![7, 8],
        "the AI's copy, below `fn ai`, not the human's below `fn h`"
    );
}

/// A human line elsewhere that merely resembles a pending AI line stays human, and the AI
/// entry is not consumed by it.
#[test]
fn a_similar_human_line_elsewhere_does_not_steal_the_entry() {
    let base = "fn load() {\n}\n\nfn save() {\n}\n";
    let repo = TestRepo::with_files(&[("a.rs", base)]);
    let ai = "    println!(\"loading state\");\n";
    repo.ai_edit(
        "a.rs",
        &base.replace("fn load() {\n", &format!("fn load() {{\n{ai}")),
        ai,
    );
    // The human drops the AI's line for now and writes a similar one in save().
    repo.write(
        "a.rs",
        &base.replace("fn save() {\n", "fn save() {\n    println!(\"saving state\");\n"),
    );
    repo.commit("human save");
    assert!(repo.ai_lines("a.rs").is_empty(), "{:?}", repo.ai_lines("a.rs"));
    // The AI's line left the work tree: the entry is settled with this commit (it can never be
    // committed now), not consumed by the human's similar line.
    assert_eq!(repo.journal_len(), 0);
    let settled = repo.note_of_kind("HEAD", "settled");
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0]["outcome"], "discarded");
    assert!(repo.note_of_kind("HEAD", "edit").is_empty());
}

/// An agent that rewrites its own edit leaves the first record with nothing of its own; it is
/// settled, and does not linger to claim a human's identical lines later.
#[test]
fn superseded_entries_do_not_linger() {
    let repo = TestRepo::with_files(&[("README", "x\n")]);
    let v1 = "fn parse() -> u8 {\n    1\n}\n";
    repo.ai_edit("p.rs", v1, v1);
    let v2 = "fn parse() -> u8 {\n    1\n}\n\nfn check() -> bool {\n    true\n}\n";
    repo.ai_edit("p.rs", v2, v2);
    repo.commit("parser");
    assert_eq!(repo.journal_len(), 0, "{:?}", repo.journal_entries());
    repo.write("q.rs", "fn parse() -> u8 {\n    1\n}\n");
    repo.commit("human copy");
    assert!(repo.ai_lines("q.rs").is_empty());
}

/// An edit recorded while the commit message is being written (an agent still at work) is
/// not what was staged: the commit binds the edit recorded before it was prepared, and the
/// later one waits, although it holds the same line.
#[test]
fn an_edit_recorded_while_the_message_is_written_waits_for_a_later_commit() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let older = repo.ai_edit("a.rs", &format!("{BASE}fn p() {{}}\n"), "fn p() {}\n");
    repo.git(&["add", "-A"]);
    let editor = repo.path().parent().unwrap().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho '// newer' >> a.rs\nprintf 'fn p() {{}}\\n// newer\\n' | '{}' record --file a.rs --tool codex >/dev/null\necho 'written meanwhile' > \"$1\"\n",
            common::LINEAGE
        ),
    )
    .unwrap();
    let mut cmd = repo.command("git");
    cmd.args(["commit", "-q"])
        .env("GIT_EDITOR", format!("sh '{}'", editor.display()));
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let edits = repo.note_of_kind("HEAD", "edit");
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(
        edits[0]["id"],
        older.as_str(),
        "the edit recorded before the commit"
    );
    assert_eq!(
        repo.journal_len(),
        1,
        "the newer edit waits: {:?}",
        repo.journal_entries()
    );
    assert_eq!(repo.journal_entries()[0]["tool"], "codex");
}

/// post-commit binds the commit git made: with `git commit -a`, lines staged only for it.
#[test]
fn commit_all_binds_what_only_it_stages() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit(
        "a.rs",
        &format!("{BASE}fn unstaged() {{}}\n"),
        "fn unstaged() {}\n",
    );
    repo.git(&["commit", "-q", "-a", "-m", "all"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
}

/// `git commit --amend` and `git rebase` carry the notes to the rewritten commits.
#[test]
fn amend_and_rebase_keep_attribution() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn ai() {{}}\n"), "fn ai() {}\n");
    repo.commit("ai");
    repo.git(&["commit", "-q", "--amend", "-m", "ai, reworded"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));

    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("b.rs", "human\n");
    repo.commit("main moves on");
    repo.git(&["checkout", "-q", "topic"]);
    repo.git(&["rebase", "-q", "main"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
}

/// Commits that replay work (rebase, cherry-pick) bind nothing: a pending edit waits for a
/// commit of its own.
#[test]
fn replayed_commits_do_not_bind_pending_edits() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("b.rs", "fn same() {}\n");
    repo.commit("human b");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("c.rs", "c\n");
    repo.commit("main");
    // An AI edit pending on main holds the very line the topic commit has.
    repo.record("b.rs", "fn same() {}\n", "codex", "gpt-5-codex", "p");
    repo.git(&["cherry-pick", "topic"]);
    assert!(repo.ai_lines("b.rs").is_empty());
    assert_eq!(repo.journal_len(), 1, "still pending");
}

/// Paths git quotes in its output (non-ASCII, quotes) are matched all the same.
#[test]
fn non_ascii_paths() {
    let repo = TestRepo::with_files(&[("café.rs", BASE)]);
    repo.ai_edit("café.rs", &format!("{BASE}fn crème() {{}}\n"), "fn crème() {}\n");
    repo.commit("accents");
    assert_eq!(repo.ai_lines("café.rs"), lines(8..=8, "accepted"));
    let blame = repo.blame_json(&["café.rs"]);
    assert_eq!(blame["lines"][0]["orig_path"], "café.rs");
}

/// A new file the AI wrote, not committed yet, blames as pending lines.
#[test]
fn blame_of_a_new_file_shows_pending_lines() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("new.rs", "fn fresh() {}\n", "fn fresh() {}\n");
    assert_eq!(repo.ai_lines("new.rs"), lines(1..=1, "pending"));
}

/// A text file that `.gitattributes` marks `-diff` (or `binary`) still binds: git's diff shows
/// it no lines, so it is diffed again as text.
#[test]
fn files_marked_binary_by_attributes_bind() {
    let repo = TestRepo::with_files(&[
        (".gitattributes", "*.gen -diff\n*.lock binary\n"),
        ("schema.gen", "fn g() {}\n"),
        ("deps.lock", "a = 1\n"),
    ]);
    repo.ai_edit("schema.gen", "fn g() {}\nfn h() {}\n", "fn h() {}\n");
    repo.ai_edit("deps.lock", "a = 1\nb = 2\n", "b = 2\n");
    repo.commit("ai");
    assert_eq!(repo.ai_lines("schema.gen"), lines(2..=2, "accepted"));
    assert_eq!(repo.ai_lines("deps.lock"), lines(2..=2, "accepted"));
}

/// A sparse index (or a split index) has extensions libgit2 cannot read: git writes the tree,
/// and both hooks bind as usual.
#[test]
fn sparse_and_split_indexes_bind() {
    for setup in [
        &[
            &["sparse-checkout", "init", "--cone", "--sparse-index"][..],
            &["sparse-checkout", "set", "src"],
        ][..],
        &[
            &["config", "core.splitIndex", "true"][..],
            &["update-index", "--split-index"],
        ],
    ] {
        let repo = TestRepo::with_files(&[("src/a.rs", BASE), ("docs/b.md", "b\n")]);
        for args in setup {
            repo.git(args);
        }
        repo.ai_edit("src/a.rs", &format!("{BASE}fn three() {{}}\n"), "fn three() {}\n");
        repo.git(&["add", "src/a.rs"]);
        repo.git(&["commit", "-q", "-m", "ai"]);
        assert_eq!(repo.ai_lines("src/a.rs"), lines(8..=8, "accepted"), "{setup:?}");
        assert_eq!(repo.journal_len(), 0, "{setup:?}");
    }
}

/// With `core.autocrlf`, git blames the file with its line ends converted: blame shows git's
/// text, not the work tree's `\r`.
#[test]
fn blame_shows_the_text_git_blamed_when_line_ends_convert() {
    let repo = TestRepo::new();
    repo.git(&["config", "core.autocrlf", "true"]);
    repo.write("a.rs", "fn one() {}\r\nfn two() {}\r\n");
    repo.commit("crlf");
    let blame = repo.blame_json(&["a.rs"]);
    assert_eq!(blame["lines"][0]["content"], "fn one() {}");
    assert_eq!(blame["lines"][1]["content"], "fn two() {}");
}

/// The hooks bind in every index format git writes (post-commit reads the commit, never the
/// index).
#[test]
fn every_index_format_binds() {
    for setup in [
        &["update-index", "--index-version", "4"][..],
        &["update-index", "--index-version", "2"][..],
        &["update-index", "--split-index"][..],
    ] {
        let repo = TestRepo::with_files(&[("a.rs", BASE), ("b/z.rs", "z\n")]);
        repo.git(setup);
        repo.ai_edit("a.rs", &format!("{BASE}fn indexed() {{}}\n"), "fn indexed() {}\n");
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "ai"]);
        assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"), "{setup:?}");
    }
}

/// An aborted commit's marker never holds back the next commit: after an empty message aborts
/// a commit of a.rs, an edit of b.rs recorded after it binds with a.rs's to the next commit.
#[test]
fn an_aborted_commit_does_not_hold_back_the_next_commit() {
    let repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn in_a() {{}}\n"), "fn in_a() {}\n");
    repo.git(&["add", "a.rs"]);
    let out = repo.git_output(&["commit", "-q", "-m", ""]);
    assert!(!out.status.success(), "an empty message aborts the commit");
    repo.ai_edit("b.rs", &format!("{BASE}fn in_b() {{}}\n"), "fn in_b() {}\n");
    repo.git(&["add", "b.rs"]);
    repo.git(&["commit", "-q", "-m", "both"]);
    assert_eq!(repo.ai_lines("a.rs"), lines(8..=8, "accepted"));
    assert_eq!(repo.ai_lines("b.rs"), lines(8..=8, "accepted"));
}
