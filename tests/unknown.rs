//! "unknown" is not "human": lines of commits lineage never saw (made before `init`, or where
//! the hooks were not installed) say so in every output; commits the hooks processed say
//! `human` for their lines no AI edit holds, even when they hold no AI line at all.

mod common;

use common::{TestRepo, attributions};

#[test]
fn lines_of_commits_lineage_never_saw_are_unknown_everywhere() {
    let repo = TestRepo::bare_init();
    repo.write("a.py", "before_init = 1\n");
    repo.git(&["add", "a.py"]);
    repo.git(&["commit", "-q", "-m", "before lineage"]);
    repo.lineage_ok(&["init"]);
    repo.write("a.py", "before_init = 1\nby_hand = 2\n");
    repo.commit("human, through the hooks");
    // With nothing pending, the hooks only listed the commit: the next lineage command writes
    // its note.
    assert!(repo.note("HEAD").is_empty());
    repo.lineage_ok(&["status"]);
    let note = repo.note("HEAD");
    assert_eq!(note.len(), 1, "{note:?}");
    assert_eq!(note[0]["kind"], "seen");
    assert_eq!(note[0]["by"], "hooks");
    let text = repo.read("a.py");
    repo.ai_edit("a.py", &format!("{text}by_ai = 3\n"), "by_ai = 3\n");
    repo.commit("ai");

    let json = repo.blame_json(&["a.py"]);
    assert_eq!(attributions(&json), ["unknown", "human", "ai"]);
    let table = repo.lineage_ok(&["blame", "a.py"]);
    let first: Vec<&str> = table
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(
        first,
        ["unknown", "human", "claude-code/claude-opus-4-5"],
        "{table}"
    );
    let tsv = repo.lineage_ok(&["blame", "--tsv", "a.py"]);
    let outcomes: Vec<&str> = tsv.lines().map(|l| l.split('\t').nth(4).unwrap()).collect();
    assert_eq!(outcomes, ["unknown", "human", "accepted"]);
    let porcelain = repo.lineage_ok(&["blame", "--porcelain", "a.py"]);
    let said: Vec<&str> = porcelain
        .lines()
        .filter_map(|l| l.strip_prefix("lineage-attribution "))
        .collect();
    assert_eq!(said, ["unknown", "human", "ai"]);
    // Uncommitted lines no AI edit holds are the person's at the keyboard.
    repo.write("a.py", &format!("{}typing = 4\n", repo.read("a.py")));
    let json = repo.blame_json(&["a.py"]);
    assert_eq!(json["lines"][3]["attribution"], "human");
}

#[test]
fn a_rebase_keeps_commits_seen_and_a_clone_without_notes_is_unknown() {
    let repo = TestRepo::with_files(&[("a.py", "one = 1\n")]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("b.py", "two = 2\n");
    repo.commit("human on topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("c.py", "three = 3\n");
    repo.commit("main moves");
    repo.git(&["checkout", "-q", "topic"]);
    repo.git(&["rebase", "-q", "main"]);
    assert_eq!(repo.blame_json(&["b.py"])["lines"][0]["attribution"], "human");
    // Without the notes (a fresh clone that never fetched them), nothing is known.
    let clone = repo.scratch().join("clone");
    repo.git(&[
        "clone",
        "-q",
        repo.path().to_str().unwrap(),
        clone.to_str().unwrap(),
    ]);
    let out = repo.run(common::LINEAGE, &["blame", "--json", "a.py"], None, Some(&clone));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["lines"][0]["attribution"], "unknown");
}
