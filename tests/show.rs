//! `lineage show`: a commit or a range, prompts cut or whole.

mod common;

use common::TestRepo;

#[test]
fn a_range_shows_each_commit_and_full_prints_whole_prompts() {
    let repo = TestRepo::with_files(&[("a.py", "x = 1\n")]);
    let long = format!(
        "{} and then some more words\nsecond line of the prompt",
        "Refactor the parser ".repeat(4)
    );
    repo.write("a.py", "x = 1\ny = 2\n");
    repo.record("a.py", "y = 2\n", "claude-code", "opus", &long);
    let first = repo.commit("first ai");
    repo.write("a.py", "x = 1\ny = 2\nz = 3\n");
    repo.commit("second, by hand");

    let out = repo.lineage_ok(&["show", &format!("{first}~1..HEAD")]);
    let first_at = out.find("first ai").unwrap();
    let second_at = out.find("second, by hand").unwrap();
    assert!(first_at < second_at, "oldest first: {out}");
    assert!(out.contains("No AI edits recorded in this commit."), "{out}");
    assert!(out.contains("Refactor the parser Refactor the parser"), "{out}");
    assert!(
        !out.contains("second line of the prompt"),
        "cut in the table: {out}"
    );

    let full = repo.lineage_ok(&["show", "--full", &first]);
    assert!(full.contains("    second line of the prompt"), "{full}");
    assert!(full.contains("and then some more words"), "{full}");

    let json: serde_json::Value =
        serde_json::from_str(&repo.lineage_ok(&["show", "--json", "HEAD~2..HEAD"])).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["commits"].as_array().unwrap().len(), 2);
    assert_eq!(json["commits"][0]["seen"], true);
}

#[test]
fn a_commit_lineage_never_saw_says_so() {
    let repo = TestRepo::bare_init();
    repo.write("a.py", "x = 1\n");
    repo.git(&["add", "a.py"]);
    repo.git(&["commit", "-q", "-m", "before lineage"]);
    let out = repo.lineage_ok(&["show"]);
    assert!(out.contains("lineage did not see this commit"), "{out}");
}

/// A hook payload too broken to name its repository is logged in the one lineage runs in, and
/// `status` counts the warnings logged since the last commit.
#[test]
fn hook_warnings_reach_the_log_and_status_counts_them() {
    let mut repo = TestRepo::with_files(&[("a.py", "x = 1\n")]);
    repo.set_now("2026-12-01T00:00:00Z");
    let out = repo.lineage_with_stdin(&["record", "--from", "claude-code"], b"not json");
    assert_eq!(out.status.code(), Some(0));
    let log = std::fs::read_to_string(repo.path().join(".git/lineage/log")).unwrap();
    assert!(log.contains("the payload is not JSON"), "{log}");
    let status = repo.lineage_ok(&["status"]);
    assert!(
        status.contains("1 warning(s) logged since the last commit"),
        "{status}"
    );
    assert_eq!(repo.status_json()["logged_warnings"], 1);
}
