//! `lineage import aider|trailers`: commit-level provenance from the marks AI tools leave.

mod common;

use common::{TestRepo, stderr};

fn commit_as(repo: &TestRepo, author: &str, message: &str) {
    let (name, email) = author.split_once(" <").unwrap();
    let mut cmd = repo.command("git");
    cmd.args(["commit", "-q", "-a", "-m", message])
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email.trim_end_matches('>'))
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email.trim_end_matches('>'));
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Scenario 7: three commits by `Name (aider)`: import marks their added lines, and only theirs.
#[test]
fn aider_commits_are_attributed() {
    let repo = TestRepo::with_files(&[("app.py", "def main():\n    pass\n")]);
    let mut text = repo.read("app.py");
    for i in 1..=3 {
        text.push_str(&format!("\ndef step_{i}():\n    return {i}\n"));
        repo.write("app.py", &text);
        commit_as(
            &repo,
            "Dana (aider) <dana@example.com>",
            &format!("feat: step {i}"),
        );
    }
    text.push_str("\n# human note\n");
    repo.write("app.py", &text);
    commit_as(&repo, "Dana <dana@example.com>", "docs: note");

    let out = repo.lineage_ok(&["import", "aider"]);
    assert!(out.contains("3 commit(s) attributed at commit level"), "{out}");
    let blame = repo.blame_json(&["app.py"]);
    let lines = blame["lines"].as_array().unwrap();
    let ai: Vec<u64> = lines
        .iter()
        .filter(|l| !l["ai"].is_null())
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        ai,
        (3..=11).collect::<Vec<_>>(),
        "the three aider commits' lines, not the human ones"
    );
    for line in lines.iter().filter(|l| !l["ai"].is_null()) {
        assert_eq!(line["ai"]["tool"], "aider");
        assert_eq!(line["ai"]["evidence"], "commit");
        assert_eq!(line["ai"]["outcome"], "accepted");
    }
    let edit = &repo.note_of_kind("HEAD~1", "edit")[0];
    assert_eq!(edit["user"], "Dana <dana@example.com>");
    assert_eq!(edit["evidence"], "commit");
    assert!(
        repo.lineage_ok(&["blame", "app.py"])
            .contains("aider commit-level")
    );

    // Importing again writes nothing new.
    let before = repo.git(&["rev-parse", "refs/notes/lineage"]);
    repo.lineage_ok(&["import", "aider"]);
    assert_eq!(repo.git(&["rev-parse", "refs/notes/lineage"]), before);
}

/// The aider model comes from its co-author trailer; a range limits the import.
#[test]
fn aider_trailer_model_and_range() {
    let repo = TestRepo::with_files(&[("a.py", "x = 1\n")]);
    repo.write("a.py", "x = 1\ny = 2\n");
    commit_as(
        &repo,
        "Dana <dana@example.com>",
        "feat: y\n\nCo-authored-by: aider (anthropic/claude-sonnet-4-5) <aider@aider.chat>",
    );
    repo.write("a.py", "x = 1\ny = 2\nz = 3\n");
    commit_as(&repo, "Dana (aider) <dana@example.com>", "feat: z");
    let out = repo.lineage_ok(&["import", "aider", "HEAD~1..HEAD", "--json"]);
    let imported: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        imported["commits"].as_array().unwrap().len(),
        1,
        "only the commit in the range"
    );
    repo.lineage_ok(&["import", "aider"]);
    let edit = &repo.note_of_kind("HEAD~1", "edit")[0];
    assert_eq!(edit["model"], "anthropic/claude-sonnet-4-5");
    assert_eq!(edit["ranges"], serde_json::json!([[2, 2]]));
}

/// Agents' trailers: Claude, Codex, Assisted-by; commits without one are left alone.
#[test]
fn agent_trailers_are_attributed() {
    let repo = TestRepo::with_files(&[("a.rs", "fn a() {}\n")]);
    let steps = [
        (
            "fn b() {}\n",
            "feat: b\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>",
        ),
        (
            "fn c() {}\n",
            "feat: c\n\nCo-authored-by: Codex <codex@openai.com>",
        ),
        ("fn d() {}\n", "feat: d\n\nAssisted-by: Gemini:gemini-2.5-pro"),
        (
            "fn e() {}\n",
            "feat: e by hand\n\nCo-authored-by: Bob <bob@example.com>",
        ),
    ];
    let mut text = repo.read("a.rs");
    for (line, message) in steps {
        text.push_str(line);
        repo.write("a.rs", &text);
        commit_as(&repo, "Dana <dana@example.com>", message);
    }
    let first = repo.lineage_ok(&["import", "trailers"]);
    assert!(
        first.contains("3 commit(s) attributed at commit level, 3 new."),
        "{first}"
    );
    let again = repo.lineage_ok(&["import", "trailers"]);
    assert!(
        again.contains("3 commit(s) attributed at commit level, 0 new."),
        "{again}"
    );
    let blame = repo.blame_json(&["a.rs"]);
    let who: Vec<(String, String)> = blame["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let ai = &l["ai"];
            (
                ai["tool"].as_str().unwrap_or("human").to_string(),
                ai["model"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    let expect = |t: &str, m: &str| (t.to_string(), m.to_string());
    assert_eq!(
        who,
        vec![
            expect("human", "-"),
            // As agents' hooks spell it, so that stats group both.
            expect("claude-code", "claude-opus-4-5"),
            expect("codex", "-"),
            expect("gemini-cli", "gemini-2.5-pro"),
            expect("human", "-"),
        ]
    );
}

/// Line-level records bound by the hooks win over an import for the same commit.
#[test]
fn line_level_records_win_over_imports() {
    let repo = TestRepo::with_files(&[("a.rs", "fn a() {}\n")]);
    repo.ai_edit("a.rs", "fn a() {}\nfn ai() {}\nfn human() {}\n", "fn ai() {}\n");
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "mixed\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    ]);
    repo.lineage_ok(&["import", "trailers"]);
    let blame = repo.blame_json(&["a.rs"]);
    assert_eq!(blame["lines"][1]["ai"]["evidence"], "line");
    assert_eq!(blame["lines"][1]["ai"]["model"], "claude-opus-4-5");
    assert_eq!(
        blame["lines"][2]["ai"]["evidence"], "commit",
        "the trailer still covers the rest"
    );
}

#[test]
fn bad_ranges_are_user_errors() {
    let repo = TestRepo::with_files(&[("a.rs", "x\n")]);
    let out = repo.lineage(&["import", "aider", "no-such-branch..HEAD"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: unknown revision range"),
        "{}",
        stderr(&out)
    );
    let out = repo.lineage(&["import", "aider", "--all"]);
    assert_eq!(out.status.code(), Some(2), "an unknown flag is a usage error");
}
