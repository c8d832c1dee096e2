//! Notes are untrusted input: they arrive from collaborators by fetch. Each case of the attack
//! pass (issue "nothing lost, nothing forged", part B) as a note written by hand with
//! `git notes`, read by the real binary.

mod common;

use common::{TestRepo, stderr, stdout};
use serde_json::{Value, json};

const FILE: &str = "src/lib.rs";
const TEXT: &str = "fn one() -> u32 {\n    1\n}\nfn two() -> u32 {\n    2\n}\n";

/// A repository with one commit of `src/lib.rs` and `note` (lines of JSON or any text) on it.
fn repo_with_note(note: &str) -> (TestRepo, String) {
    let repo = TestRepo::with_files(&[(FILE, TEXT)]);
    let head = repo.head();
    add_note(&repo, &head, note);
    (repo, head)
}

/// Writes `note` by hand (as a collaborator's fetch would bring it) on `rev`.
fn add_note(repo: &TestRepo, rev: &str, note: &str) {
    let path = repo.scratch().join("note.txt");
    std::fs::write(&path, note).unwrap();
    repo.git(&[
        "notes",
        "--ref=lineage",
        "add",
        "-f",
        "-F",
        path.to_str().unwrap(),
        rev,
    ]);
}

/// An edit record of lines `ranges` of `src/lib.rs`, with `fields` replaced.
fn edit(ranges: Value, fields: Value) -> String {
    let mut record = json!({
        "kind": "edit", "lineage": 1, "id": "a".repeat(64), "file": FILE, "ranges": ranges,
        "modified": [], "tool": "claude-code", "model": "claude-opus-4-5", "session": "s",
        "prompt_id": "b".repeat(64), "recorded_at": "2026-11-02T09:00:00Z",
        "outcome": "accepted", "user": null
    });
    for (key, value) in fields.as_object().unwrap() {
        record[key] = value.clone();
    }
    serde_json::to_string(&record).unwrap()
}

fn prompt(id: &str, text: &str) -> String {
    json!({"kind": "prompt", "lineage": 1, "id": id, "session": "s", "text": text}).to_string()
}

/// Runs lineage, which must succeed without a panic, and returns stdout.
fn ok(repo: &TestRepo, args: &[&str]) -> String {
    let out = repo.lineage(args);
    assert_eq!(out.status.code(), Some(0), "lineage {args:?}: {}", stderr(&out));
    stdout(&out)
}

const ESC: char = '\u{1b}';

/// Item 12: ids with a multi-byte character where a short id is cut (byte 8) crash nothing.
#[test]
fn multibyte_ids_do_not_crash() {
    let id = format!("abcdefg\u{e9}{}", "1".repeat(40));
    let note = format!(
        "{}\n{}\n",
        edit(json!([[1, 3]]), json!({"id": id, "prompt_id": id})),
        prompt(&id, "the prompt")
    );
    let (repo, _) = repo_with_note(&note);
    let shown = ok(&repo, &["show"]);
    assert!(shown.contains("abcdefg\u{e9}"), "{shown}");
    assert!(ok(&repo, &["blame", FILE]).contains("claude-code"));
    ok(&repo, &["blame", "--tsv", FILE]);

    // The same id in a journal entry (a journal edited by hand) for status.
    repo.record(FILE, "fn three() {}\n", "codex", "m", "p");
    let log = repo.journal_log();
    let text = std::fs::read_to_string(&log).unwrap();
    let mut entry: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    entry["id"] = json!(id);
    std::fs::write(&log, format!("{entry}\n")).unwrap();
    assert!(ok(&repo, &["status"]).contains("abcdefg\u{e9}"));
}

/// Item 13: control characters from a note never reach the terminal; JSON keeps them exact.
#[test]
fn terminal_escapes_from_notes_are_shown_escaped() {
    let evil = "evil\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]8;;http://x\u{1b}\\\r\u{9b}31m\u{202e}\u{0}";
    let note = format!(
        "{}\n{}\n",
        edit(
            json!([[1, 3]]),
            json!({"tool": evil, "model": evil, "file": FILE, "user": evil})
        ),
        prompt(&"b".repeat(64), evil)
    );
    let (repo, _) = repo_with_note(&note);
    for args in [&["blame", FILE][..], &["show"], &["blame", "--tsv", FILE]] {
        let out = ok(&repo, args);
        assert!(!out.contains(ESC), "{args:?} printed ESC: {out:?}");
        assert!(!out.contains('\r') && !out.contains('\u{9b}') && !out.contains('\u{202e}'));
        assert!(!out.contains('\u{0}') && !out.contains('\u{7}'));
        assert!(out.contains("evil\\u{1b}[2J"), "{args:?}: {out}");
    }
    let json: Value = serde_json::from_str(&ok(&repo, &["blame", "--json", FILE])).unwrap();
    assert_eq!(json["lines"][0]["ai"]["tool"], evil, "JSON is exact");
    let shown: Value = serde_json::from_str(&ok(&repo, &["show", "--json"])).unwrap();
    assert_eq!(shown["prompts"][0]["text"], evil);
}

/// Item 14: a tab or newline in a note field cannot forge porcelain fields or rows.
#[test]
fn porcelain_cannot_be_forged() {
    let forged = format!(
        "x\tgpt\taccepted\t{}\tline\n{}\t9\thuman",
        "c".repeat(64),
        "d".repeat(40)
    );
    let (repo, head) = repo_with_note(&format!("{}\n", edit(json!([[1, 1]]), json!({"tool": forged}))));
    let out = ok(&repo, &["blame", "--tsv", FILE]);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), TEXT.lines().count(), "{out}");
    for row in &rows {
        assert_eq!(row.split('\t').count(), 7, "{row:?}");
        assert!(row.starts_with(&head));
    }
}

/// git's porcelain with lineage's headers: a newline in a note field cannot forge a header or a
/// content line, and without lineage's headers the output is git's, byte for byte.
#[test]
fn git_porcelain_stays_gits_and_cannot_be_forged() {
    let forged = "x\n\tforged content line\nauthor Mallory";
    let (repo, _) = repo_with_note(&format!("{}\n", edit(json!([[1, 1]]), json!({"tool": forged}))));
    for flag in ["--porcelain", "--line-porcelain"] {
        let ours = ok(&repo, &["blame", flag, FILE]);
        let git = repo.git(&["blame", flag, FILE]);
        let without: String = ours
            .lines()
            .filter(|l| !l.starts_with("lineage-"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(without, git, "{flag}");
        let content_lines = ours.lines().filter(|l| l.starts_with('\t')).count();
        assert_eq!(content_lines, TEXT.lines().count(), "{ours}");
        assert!(!ours.contains("\nauthor Mallory"), "{ours}");
        assert!(ours.contains("lineage-tool x\\u{a}\\u{9}forged"), "{ours}");
        assert_eq!(ours.matches("lineage-attribution ai\n").count(), 1, "{ours}");
        assert_eq!(
            ours.matches("lineage-attribution human\n").count(),
            TEXT.lines().count() - 1
        );
    }
}

/// Item 15: the notes ref pointing at a blob is named as such; a commit warns and leaves it.
#[test]
fn a_notes_ref_pointing_at_a_blob() {
    let repo = TestRepo::with_files(&[(FILE, TEXT)]);
    let blob_file = repo.scratch().join("blob");
    std::fs::write(&blob_file, "not a notes commit\n").unwrap();
    let blob = repo.git(&["hash-object", "-w", blob_file.to_str().unwrap()]);
    let blob = blob.trim();
    repo.git(&["update-ref", "refs/notes/lineage", blob]);

    let out = repo.lineage(&["blame", FILE]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("refs/notes/lineage points at a blob"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(repo.lineage(&["show"]).status.code(), Some(1));

    repo.ai_edit(FILE, &format!("{TEXT}fn three() {{}}\n"), "fn three() {}\n");
    repo.git(&["add", "-A"]);
    let out = repo.git_output(&["commit", "-q", "-m", "ai"]);
    assert!(out.status.success(), "the commit is not blocked");
    assert!(stderr(&out).contains("lineage: warning"), "{}", stderr(&out));
    assert!(stderr(&out).contains("points at a blob"), "{}", stderr(&out));
    assert_eq!(
        repo.git(&["rev-parse", "refs/notes/lineage"]).trim(),
        blob,
        "nothing written over it"
    );
    assert_eq!(repo.journal_len(), 1, "the edit stays pending");
}

/// Item 16: unsorted ranges are read right; unknown kinds are skipped quietly; a foreign note's
/// content is kept byte for byte when lineage adds to it.
#[test]
fn unsorted_ranges_unknown_kinds_and_foreign_content() {
    let note = format!(
        "{}\n{}\n",
        edit(json!([[3, 3], [1, 1], [2, 2]]), json!({})),
        json!({"kind": "attestation", "lineage": 1, "statement": "…"})
    );
    let (repo, _) = repo_with_note(&note);
    let out = repo.lineage(&["blame", "--tsv", FILE]);
    assert!(out.status.success());
    assert!(
        !stderr(&out).contains("warning"),
        "a newer kind is no damage: {}",
        stderr(&out)
    );
    let printed = stdout(&out);
    let ai: Vec<&str> = printed
        .lines()
        .filter(|l| l.split('\t').nth(2) != Some("-"))
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(ai, vec!["1", "2", "3"]);

    // Another tool's pretty-printed JSON on a commit that lineage then imports.
    let repo = TestRepo::with_files(&[(FILE, TEXT)]);
    std::fs::write(repo.path().join("x.txt"), "x\n").unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "work\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    ]);
    let foreign = "{\n  \"tool\": \"other\",\n  \"lines\": [3, 1]\n}\n";
    add_note(&repo, "HEAD", foreign);
    repo.lineage_ok(&["import", "trailers", "HEAD~1..HEAD"]);
    let after = repo.git(&["notes", "--ref=lineage", "show", "HEAD"]);
    assert!(after.starts_with(foreign), "{after}");
    assert!(
        after[foreign.len()..].contains("\"evidence\":\"commit\""),
        "{after}"
    );
}

/// Item 17: among thousands of records for other files and prompts, the answer is unchanged
/// (the cost at scale is the benchmark's 100k-line, 5k-record case).
#[test]
fn many_records_and_prompts() {
    let mut lines = Vec::new();
    for i in 0..4000u32 {
        let id = format!("{i:064x}");
        lines.push(edit(
            json!([[1, 1]]),
            json!({"id": id, "file": format!("other/{i}.rs"), "prompt_id": id}),
        ));
        lines.push(prompt(&id, &format!("prompt {i}")));
    }
    lines.push(edit(json!([[4, 6]]), json!({"tool": "codex"})));
    let (repo, _) = repo_with_note(&(lines.join("\n") + "\n"));
    let started = std::time::Instant::now();
    let shown = ok(&repo, &["show"]);
    assert!(shown.contains("prompt 3999"));
    let out = ok(&repo, &["blame", "--tsv", FILE]);
    let tools: Vec<&str> = out.lines().map(|l| l.split('\t').nth(2).unwrap()).collect();
    assert_eq!(tools, vec!["-", "-", "-", "codex", "codex", "codex"]);
    // Generous: quadratic matching took minutes at this size; linear takes well under a second.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
