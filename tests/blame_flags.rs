//! `lineage blame` takes what `git blame` takes: every `-L` form, `-w`, `-M`, `-C`, `--since`,
//! `--ignore-rev(s-file)`, `--first-parent`, `--contents`, `--`, and `-C DIR` before the
//! command; git's errors come back in lineage's words.

mod common;

use common::{TestRepo, ai_outcomes, lines, stderr};

const HUMAN: &str = "def first():\n    return 1\n\n\ndef second():\n    return 2\n";
const AI: &str = "\n\ndef moved_by_ai():\n    total = sum(range(10))\n    return total * 2\n";

/// A file with human functions, then an AI function appended.
fn repo() -> TestRepo {
    let repo = TestRepo::with_files(&[("m.py", HUMAN)]);
    repo.ai_edit("m.py", &format!("{HUMAN}{AI}"), AI);
    repo.commit("ai function");
    repo
}

fn ai(repo: &TestRepo, args: &[&str]) -> Vec<(u64, String)> {
    let mut all = vec!["blame", "--json"];
    all.extend_from_slice(args);
    ai_outcomes(&repo.lineage_ok(&all))
}

fn shown_lines(repo: &TestRepo, args: &[&str]) -> Vec<u64> {
    let mut all = vec!["blame", "--json"];
    all.extend_from_slice(args);
    let json: serde_json::Value = serde_json::from_str(&repo.lineage_ok(&all)).unwrap();
    json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect()
}

/// Pending AI lines under `-L`: several ranges put each claim on its own line, and a range
/// that shows part of an uncommitted edit still shows it pending (the edit binds whole).
#[test]
fn pending_lines_under_several_ranges_keep_their_places() {
    let repo = repo();
    let text = repo.read("m.py");
    let pending = "    assert total >= 0\n    log(total)\n";
    let at = text.find("    return total * 2").unwrap();
    repo.ai_edit(
        "m.py",
        &format!("{}{pending}{}", &text[..at], &text[at..]),
        pending,
    );
    // Lines 11-12 are the uncommitted AI lines, between committed AI lines 10 and 13.
    let mut expected = lines(10..=10, "accepted");
    expected.extend(lines(11..=12, "pending"));
    expected.extend(lines(13..=13, "accepted"));
    assert_eq!(ai(&repo, &["-L", "1,1", "-L", "10,13", "m.py"]), expected);
    assert_eq!(
        ai(&repo, &["-L", "1,2", "-L", "12,12", "m.py"]),
        lines(12..=12, "pending")
    );
}

#[test]
fn every_form_of_l_selects_what_git_selects() {
    let repo = repo();
    assert_eq!(shown_lines(&repo, &["-L", "2,3", "m.py"]), vec![2, 3]);
    assert_eq!(shown_lines(&repo, &["-L", "9,+2", "m.py"]), vec![9, 10]);
    assert_eq!(shown_lines(&repo, &["-L", "10,-2", "m.py"]), vec![9, 10]);
    assert_eq!(shown_lines(&repo, &["-L", "/total =/,+2", "m.py"]), vec![10, 11]);
    assert_eq!(
        shown_lines(&repo, &["-L", ":moved_by_ai", "m.py"]),
        vec![9, 10, 11]
    );
    assert_eq!(
        shown_lines(&repo, &["-L", "1,1", "-L", "11,11", "m.py"]),
        vec![1, 11]
    );
    assert_eq!(
        ai(&repo, &["-L", ":moved_by_ai", "m.py"]),
        lines(9..=11, "accepted")
    );
    assert_eq!(ai(&repo, &["m.py"]), lines(7..=11, "accepted"));
    assert_eq!(shown_lines(&repo, &["-L", "1,2", "--", "m.py"]), vec![1, 2]);
}

#[test]
fn a_range_past_the_end_says_so() {
    let repo = repo();
    let out = repo.lineage(&["blame", "-L", "100,200", "m.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: -L 100,200: m.py has only 11 lines"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint: "), "{}", stderr(&out));
}

#[test]
fn moved_and_copied_lines_keep_their_ai_origin_with_m_and_c() {
    let repo = repo();
    // A person moves the AI's function to the top of the file, and copies it to another file.
    let text = repo.read("m.py");
    let body = "def moved_by_ai():\n    total = sum(range(10))\n    return total * 2\n";
    repo.write("m.py", &format!("{body}\n\n{}", text.replace(body, "")));
    repo.write("copy.py", &format!("# copied\n{body}"));
    repo.commit("move and copy");
    let top = |args: &[&str]| -> Vec<(u64, String)> {
        ai(&repo, args).into_iter().filter(|(l, _)| *l <= 3).collect()
    };
    assert!(top(&["m.py"]).is_empty(), "without -M, the mover's commit");
    assert_eq!(top(&["-M", "m.py"]), lines(1..=3, "accepted"));
    assert_eq!(top(&["-M5", "m.py"]), lines(1..=3, "accepted"));
    assert!(ai(&repo, &["copy.py"]).is_empty());
    assert_eq!(ai(&repo, &["-C", "-C5", "copy.py"]), lines(2..=4, "accepted"));
    // `-C DIR` before the command still picks the repository.
    let out = repo.run(
        common::LINEAGE,
        &[
            "-C",
            repo.path().to_str().unwrap(),
            "blame",
            "-C",
            "-C",
            "--json",
            "copy.py",
        ],
        None,
        Some(repo.scratch()),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn whitespace_since_first_parent_and_ignored_revisions_pass_through() {
    let repo = repo();
    // A person re-indents the AI's lines.
    let text = repo.read("m.py").replace("    total", "        total");
    repo.write("m.py", &text);
    let reindent = repo.commit("re-indent");
    let mut unchanged = lines(7..=9, "accepted");
    unchanged.push((11, "accepted".into()));
    assert_eq!(ai(&repo, &["m.py"]), unchanged);
    assert_eq!(ai(&repo, &["-w", "m.py"]), lines(7..=11, "accepted"));
    assert_eq!(
        ai(&repo, &["--ignore-rev", &reindent, "m.py"]),
        lines(7..=11, "accepted")
    );
    repo.write(".git-blame-ignore-revs", &format!("{reindent}\n"));
    assert_eq!(
        ai(&repo, &["--ignore-revs-file", ".git-blame-ignore-revs", "m.py"]),
        lines(7..=11, "accepted")
    );
    assert!(!ai(&repo, &["--first-parent", "--since=2000-01-01", "m.py"]).is_empty());
}

#[test]
fn a_configured_ignore_revs_file_that_is_missing_is_no_error() {
    let repo = repo();
    repo.git(&["config", "blame.ignoreRevsFile", ".git-blame-ignore-revs"]);
    assert!(
        !repo.git_output(&["blame", "m.py"]).status.success(),
        "git itself fails"
    );
    assert_eq!(ai(&repo, &["m.py"]), lines(7..=11, "accepted"));
}

#[test]
fn an_editors_buffer_on_stdin_is_blamed_with_its_pending_ai_lines() {
    let repo = repo();
    let added = "def pending_helper():\n    return moved_by_ai() + 1\n";
    let id = repo.record("m.py", added, "claude-code", "opus", "add a helper");
    assert!(!id.is_empty());
    let buffer = format!("{}{added}", repo.read("m.py"));
    let out = repo.lineage_with_stdin(&["blame", "--json", "--contents", "-", "m.py"], buffer.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let outcomes = ai_outcomes(&String::from_utf8(out.stdout).unwrap());
    let mut expected = lines(7..=11, "accepted");
    expected.extend(lines(12..=13, "pending"));
    assert_eq!(outcomes, expected);
}

/// A parser of git's porcelain written for git's own output (as editor plugins have) reads
/// lineage's output unchanged: same commits, lines, authors and content.
#[test]
fn a_git_porcelain_parser_reads_lineages_porcelain_unchanged() {
    let repo = repo();
    const PARSER: &str = r#"
import sys
lines, commits, current = [], {}, None
for raw in sys.stdin.buffer.read().split(b"\n"):
    if raw.startswith(b"\t"):
        sha, orig, final = current
        lines.append((sha, orig, final, commits[sha].get(b"author", b""), raw[1:]))
        continue
    parts = raw.split(b" ")
    if len(parts[0]) == 40 and all(c in b"0123456789abcdef" for c in parts[0]):
        current = (parts[0], int(parts[1]), int(parts[2]))
        commits.setdefault(parts[0], {})
    elif current and raw:
        key, _, value = raw.partition(b" ")
        commits[current[0]].setdefault(key, value)
for sha, orig, final, author, content in lines:
    print(sha.decode(), orig, final, author.decode(), content.decode())
"#;
    let parse = |input: &[u8]| {
        let out = repo.run("python3", &["-c", PARSER], Some(input), None);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    for flag in ["--porcelain", "--line-porcelain"] {
        let git = repo.git(&["blame", flag, "m.py"]);
        let ours = repo.lineage_ok(&["blame", flag, "m.py"]);
        assert_ne!(git, ours, "lineage adds its headers");
        assert_eq!(parse(ours.as_bytes()), parse(git.as_bytes()), "{flag}");
    }
    // The editor call: a buffer on stdin, git's format.
    let buffer = format!("{}new_line = 1\n", repo.read("m.py"));
    let out = repo.lineage_with_stdin(
        &["blame", "--line-porcelain", "--contents", "-", "m.py"],
        buffer.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(parse(text.as_bytes()).contains("new_line = 1"), "{text}");
    assert_eq!(text.matches("lineage-attribution ai").count(), 5, "{text}");
}

#[test]
fn the_prompt_is_reachable_from_blame() {
    let repo = TestRepo::with_files(&[("m.py", HUMAN)]);
    let ai = "def helper():\n    return 42\n";
    repo.write("m.py", &format!("{HUMAN}{ai}"));
    repo.record(
        "m.py",
        ai,
        "claude-code",
        "opus",
        "Add a helper that returns the answer\nand nothing else",
    );
    repo.commit("helper");
    let table = repo.lineage_ok(&["blame", "--show-prompt", "m.py"]);
    let row = table.lines().nth(6).unwrap();
    assert!(row.contains("Add a helper that returns the answer"), "{table}");
    assert!(!table.contains("nothing else"), "first line only: {table}");
    let porcelain = repo.lineage_ok(&["blame", "--porcelain", "-L", "7,7", "m.py"]);
    assert!(
        porcelain.contains("\nlineage-prompt Add a helper that returns the answer\n"),
        "{porcelain}"
    );
}

/// Ignoring a revision (a reformat, say) must not turn the lines an AI wrote in it into a
/// person's: git blames the older commit, and lineage keeps the ignored revision's AI record.
#[test]
fn lines_an_ignored_revision_wrote_keep_its_ai_record() {
    let repo = TestRepo::with_files(&[("r.py", "def f(a,b):\n    return a+b\n")]);
    let new = "def f(a, b):\n    return a + b\n";
    repo.ai_edit("r.py", new, new);
    let reformat = repo.commit("ai reformat");
    assert_eq!(ai(&repo, &["r.py"]), lines(1..=2, "accepted"));
    let json = repo.blame_json(&["--ignore-rev", &reformat, "r.py"]);
    assert_ne!(
        json["lines"][0]["commit"],
        reformat.as_str(),
        "git blames the older commit"
    );
    assert_eq!(
        ai(&repo, &["--ignore-rev", &reformat, "r.py"]),
        lines(1..=2, "accepted")
    );
}

/// A buffer with a NUL given as `--contents` is binary too: refused, as a binary file is.
#[test]
fn binary_contents_are_refused() {
    let repo = repo();
    let out = repo.lineage_with_stdin(&["blame", "--contents", "-", "m.py"], b"x\0y\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: m.py is a binary file"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint: "), "{}", stderr(&out));
}
