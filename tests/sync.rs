//! Sharing notes (the sync issue's acceptance scenarios): clones of a local bare remote
//! (file://) fetch, push and sync lineage's notes; nothing is lost, nothing is forced.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{TestRepo, ai_outcomes, attributions, lines, stderr, stdout};

/// A bare remote with one commit on main, and `n` clones of it with lineage set up.
struct Remote {
    origin: TestRepo,
    bare: PathBuf,
}

impl Remote {
    fn new() -> Remote {
        let origin = TestRepo::with_files(&[("README", "shared\n")]);
        let bare = origin.scratch().join("remote.git");
        origin.git(&["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
        origin.git(&[
            "--git-dir",
            bare.to_str().unwrap(),
            "config",
            "core.logAllRefUpdates",
            "always",
        ]);
        origin.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
        origin.git(&["push", "-q", "origin", "main"]);
        Remote { origin, bare }
    }

    /// A fresh clone (in the origin's scratch directory) with lineage installed.
    fn clone(&self, name: &str) -> PathBuf {
        let dir = self.origin.scratch().join(name);
        self.origin
            .git(&["clone", "-q", self.bare.to_str().unwrap(), dir.to_str().unwrap()]);
        self.origin.git_in(
            &dir,
            &["config", "user.email", format!("{name}@example.com").as_str()],
        );
        self.in_dir(&dir, &["init"]);
        dir
    }

    fn in_dir(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.origin.run(common::LINEAGE, args, None, Some(dir));
        assert!(out.status.success(), "lineage {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        self.origin.git_in(dir, args)
    }

    /// Appends `line` to the lineage note of HEAD in clone `dir`, with git itself.
    fn append_to_head_note(&self, dir: &Path, line: &str) {
        self.git(dir, &["notes", "--ref=lineage", "append", "-m", line, "HEAD"]);
    }

    /// Commits `file` with AI lines in clone `dir` and pushes the branch.
    fn ai_commit(&self, dir: &Path, file: &str, text: &str) {
        std::fs::write(dir.join(file), text).unwrap();
        let out = self.origin.run(
            common::LINEAGE,
            &["record", "--file", file, "--tool", "claude-code", "--model", "m"],
            Some(text.as_bytes()),
            Some(dir),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        self.git(dir, &["add", file]);
        self.git(dir, &["commit", "-q", "-m", file]);
        self.git(dir, &["pull", "-q", "--rebase"]);
        self.git(dir, &["push", "-q", "origin", "HEAD:main"]);
    }

    /// The lines of every note on the remote, as a set of (commit, line).
    fn remote_note_lines(&self) -> BTreeSet<(String, String)> {
        let bare = self.bare.to_str().unwrap();
        let list = self
            .origin
            .git(&["--git-dir", bare, "notes", "--ref=lineage", "list"]);
        let mut all = BTreeSet::new();
        for row in list.lines() {
            let commit = row.split_whitespace().nth(1).unwrap().to_string();
            let note = self
                .origin
                .git(&["--git-dir", bare, "notes", "--ref=lineage", "show", &commit]);
            for line in note.lines().filter(|l| !l.trim().is_empty()) {
                all.insert((commit.clone(), line.to_string()));
            }
        }
        all
    }

    /// Every update of the remote's notes ref was a fast-forward.
    fn assert_never_forced(&self) {
        let bare = self.bare.to_str().unwrap();
        let log = self.origin.git(&[
            "--git-dir",
            bare,
            "reflog",
            "show",
            "--format=%H",
            "refs/notes/lineage",
        ]);
        let ids: Vec<&str> = log.lines().collect();
        assert!(!ids.is_empty());
        for pair in ids.windows(2) {
            let (new, old) = (pair[0], pair[1]);
            let out = self
                .origin
                .git_output(&["--git-dir", bare, "merge-base", "--is-ancestor", old, new]);
            assert!(out.status.success(), "{old} -> {new} was not a fast-forward");
        }
    }
}

/// A remote and two clones of it, `a` and `b`, both holding a's commit of AI lines and its
/// note.
fn two_clones_sharing_a_note() -> (Remote, PathBuf, PathBuf) {
    let remote = Remote::new();
    let (a, b) = (remote.clone("a"), remote.clone("b"));
    remote.ai_commit(&a, "a.py", "x = 1\n");
    remote.in_dir(&a, &["sync"]);
    remote.git(&b, &["pull", "-q"]);
    remote.in_dir(&b, &["fetch"]);
    (remote, a, b)
}

fn ai_lines_in(remote: &Remote, dir: &Path, file: &str) -> Vec<(u64, String)> {
    ai_outcomes(&remote.in_dir(dir, &["blame", "--json", file]))
}

#[test]
fn two_clones_sync_and_a_third_sees_both() {
    let remote = Remote::new();
    let (a, b) = (remote.clone("a"), remote.clone("b"));
    remote.ai_commit(&a, "a.py", "from_a = 1\nalso_a = 2\n");
    remote.ai_commit(&b, "b.py", "from_b = 1\n");
    let out = remote.in_dir(&a, &["sync"]);
    assert!(out.contains("pushed refs/notes/lineage to origin"), "{out}");
    let out = remote.in_dir(&b, &["sync"]);
    assert!(out.contains("1 note merged") && out.contains("pushed"), "{out}");
    remote.in_dir(&a, &["sync"]);
    remote.git(&a, &["pull", "-q", "--rebase"]);
    for dir in [&a, &b] {
        assert_eq!(ai_lines_in(&remote, dir, "a.py"), lines(1..=2, "accepted"));
        assert_eq!(ai_lines_in(&remote, dir, "b.py"), lines(1..=1, "accepted"));
    }
    let c = remote.clone("c");
    // b's commit was rebased onto a's before it was pushed: its note is on the new commit
    // (and stays on the old one), so three notes come in.
    let out = remote.in_dir(&c, &["fetch"]);
    assert!(out.contains("3 notes merged"), "{out}");
    assert_eq!(ai_lines_in(&remote, &c, "a.py"), lines(1..=2, "accepted"));
    assert_eq!(ai_lines_in(&remote, &c, "b.py"), lines(1..=1, "accepted"));
    remote.assert_never_forced();
    // Again: nothing moves.
    let out = remote.in_dir(&c, &["sync"]);
    assert!(
        out.contains("nothing new") && out.contains("origin is up to date"),
        "{out}"
    );
}

/// A review line from each of two clones on the same commit: the union.
fn review_line(by: &str) -> String {
    format!(r#"{{"at":"2026-11-01T00:00:00Z","by":"{by}","kind":"review","lineage":1,"verdict":"approved"}}"#)
}

#[test]
fn lines_added_to_the_same_commit_by_two_clones_are_both_kept() {
    let (remote, a, b) = two_clones_sharing_a_note();
    for (dir, who) in [(&a, "alice"), (&b, "bob")] {
        remote.append_to_head_note(dir, &review_line(who));
    }
    remote.in_dir(&a, &["sync"]);
    remote.in_dir(&b, &["sync"]);
    remote.in_dir(&a, &["sync"]);
    let head = remote.git(&a, &["rev-parse", "HEAD"]).trim().to_string();
    for dir in [&a, &b] {
        let note = remote.git(dir, &["notes", "--ref=lineage", "show", &head]);
        assert!(
            note.contains(&review_line("alice")) && note.contains(&review_line("bob")),
            "{note}"
        );
        assert!(note.contains("\"kind\":\"edit\""), "{note}");
    }
}

#[test]
fn eight_clones_syncing_at_once_lose_nothing_and_never_force() {
    let remote = Remote::new();
    let clones: Vec<PathBuf> = (0..8).map(|i| remote.clone(&format!("c{i}"))).collect();
    let head = remote.git(&clones[0], &["rev-parse", "HEAD"]).trim().to_string();
    let mut written = BTreeSet::new();
    for round in 0..5 {
        for (i, dir) in clones.iter().enumerate() {
            let line = review_line(&format!("c{i}-round{round}"));
            remote.git(dir, &["notes", "--ref=lineage", "append", "-m", &line, &head]);
            written.insert((head.clone(), line));
        }
        std::thread::scope(|scope| {
            for dir in &clones {
                let remote = &remote;
                scope.spawn(move || remote.in_dir(dir, &["sync"]));
            }
        });
    }
    // Everyone syncs once more; the remote holds exactly the union.
    for dir in &clones {
        remote.in_dir(dir, &["sync"]);
    }
    assert_eq!(remote.remote_note_lines(), written);
    remote.assert_never_forced();
}

#[test]
fn a_forced_notes_refspec_is_flagged_and_sync_keeps_local_notes() {
    let remote = Remote::new();
    let (a, b) = (remote.clone("a"), remote.clone("b"));
    remote.ai_commit(&a, "a.py", "x = 1\n");
    remote.in_dir(&a, &["sync"]);
    // b has a local, unpushed note and a refspec that would overwrite it on a plain fetch.
    remote.git(&b, &["pull", "-q"]);
    remote.git(
        &b,
        &[
            "config",
            "--add",
            "remote.origin.fetch",
            "+refs/notes/*:refs/notes/*",
        ],
    );
    let head = remote.git(&b, &["rev-parse", "HEAD"]).trim().to_string();
    remote.git(
        &b,
        &["notes", "--ref=lineage", "add", "-m", &review_line("bob"), &head],
    );
    let doctor = remote.origin.run(common::LINEAGE, &["doctor"], None, Some(&b));
    assert!(
        stdout(&doctor).contains("+refs/notes/*:refs/notes/*"),
        "{}",
        stdout(&doctor)
    );
    remote.in_dir(&b, &["sync"]);
    let note = remote.git(&b, &["notes", "--ref=lineage", "show", &head]);
    assert!(
        note.contains(&review_line("bob")) && note.contains("\"kind\":\"edit\""),
        "{note}"
    );
}

#[test]
fn a_missing_or_broken_remote_is_a_clear_error_and_the_local_ref_stays() {
    let remote = Remote::new();
    let a = remote.clone("a");
    remote.ai_commit(&a, "a.py", "x = 1\n");
    let before = remote.git(&a, &["rev-parse", "refs/notes/lineage"]);
    let run = |args: &[&str]| remote.origin.run(common::LINEAGE, args, None, Some(&a));
    let out = run(&["sync", "nowhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: no remote named 'nowhere'"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("hint: the remotes here are: origin"),
        "{}",
        stderr(&out)
    );
    let not_a_repo = remote.origin.scratch().join("plain-dir");
    std::fs::create_dir_all(&not_a_repo).unwrap();
    remote.git(&a, &["remote", "add", "broken", not_a_repo.to_str().unwrap()]);
    for command in ["sync", "fetch", "push"] {
        let out = run(&[command, "broken"]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(
            stderr(&out).contains("error: cannot") && stderr(&out).contains("'broken'"),
            "{command}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("hint: "), "{}", stderr(&out));
    }
    assert_eq!(remote.git(&a, &["rev-parse", "refs/notes/lineage"]), before);
    // A remote without notes is not an error for fetch.
    let fresh = remote.origin.scratch().join("fresh.git");
    remote.git(&a, &["init", "-q", "--bare", fresh.to_str().unwrap()]);
    remote.git(&a, &["remote", "add", "fresh", fresh.to_str().unwrap()]);
    let out = remote.in_dir(&a, &["fetch", "fresh"]);
    assert!(out.contains("fresh has no lineage notes yet"), "{out}");
}

#[test]
fn init_remote_makes_git_fetch_bring_notes_and_pre_push_sends_them_with_branches() {
    let remote = Remote::new();
    let (a, b) = (remote.clone("a"), remote.clone("b"));
    let out = remote.in_dir(&a, &["init", "--remote", "origin", "--push-with-branches"]);
    assert!(
        out.contains("+refs/notes/lineage:refs/notes/remotes/origin/lineage added"),
        "{out}"
    );
    assert!(out.contains("pre-push: installed"), "{out}");
    let again = remote.in_dir(&a, &["init", "--remote", "origin", "--push-with-branches"]);
    assert!(again.contains("already there"), "{again}");
    // A plain branch push carries the notes.
    std::fs::write(a.join("a.py"), "x = 1\n").unwrap();
    remote.in_dir(
        &a,
        &["record", "--file", "a.py", "--tool", "t", "--code-file", "a.py"],
    );
    remote.git(&a, &["add", "a.py"]);
    remote.git(&a, &["commit", "-q", "-m", "ai"]);
    remote.git(&a, &["push", "-q", "origin", "HEAD:main"]);
    assert!(
        !remote.remote_note_lines().is_empty(),
        "notes went with the branch"
    );
    // In b, a plain git fetch brings them to the tracking ref, never onto local notes.
    remote.in_dir(&b, &["init", "--remote", "origin"]);
    remote.git(
        &b,
        &["notes", "--ref=lineage", "add", "-m", &review_line("bob"), "HEAD"],
    );
    let local_before = remote.git(&b, &["rev-parse", "refs/notes/lineage"]);
    remote.git(&b, &["fetch", "-q"]);
    assert!(
        !remote
            .git(&b, &["rev-parse", "refs/notes/remotes/origin/lineage"])
            .is_empty()
    );
    assert_eq!(remote.git(&b, &["rev-parse", "refs/notes/lineage"]), local_before);
    // A push to a remote whose notes cannot be written still pushes the branch.
    let hooks = remote.origin.scratch().join("remote.git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let refuse = hooks.join("update");
    std::fs::write(&refuse, "#!/bin/sh\ncase \"$1\" in refs/notes/*) exit 1;; esac\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&refuse, std::fs::Permissions::from_mode(0o755)).unwrap();
    remote.append_to_head_note(&a, &review_line("alice"));
    std::fs::write(a.join("b.py"), "y = 2\n").unwrap();
    remote.git(&a, &["add", "b.py"]);
    remote.git(&a, &["commit", "-q", "-m", "more"]);
    let out = remote
        .origin
        .run("git", &["push", "-q", "origin", "HEAD:main"], None, Some(&a));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("lineage: warning"), "{}", stderr(&out));
}

/// A commit made with nothing pending starts no lineage: its `seen` note is written by the
/// next lineage command, which `lineage push` and the pre-push hook are. Either way it reaches
/// the remote, and a clone that fetches the notes shows its lines as a person's.
#[test]
fn commits_made_with_nothing_pending_reach_the_remote_seen() {
    let remote = Remote::new();
    let a = remote.clone("a");
    std::fs::write(a.join("h.py"), "by_hand = 1\n").unwrap();
    remote.git(&a, &["add", "h.py"]);
    remote.git(&a, &["commit", "-q", "-m", "by hand"]);
    let first = remote.git(&a, &["rev-parse", "HEAD"]).trim().to_string();
    assert!(a.join(".git/lineage/unnoted").exists());
    remote.git(&a, &["push", "-q", "origin", "HEAD:main"]);
    remote.in_dir(&a, &["push"]);
    // Then through the pre-push hook alone.
    remote.in_dir(&a, &["init", "--remote", "origin", "--push-with-branches"]);
    std::fs::write(a.join("h.py"), "by_hand = 1\nagain = 2\n").unwrap();
    remote.git(&a, &["commit", "-q", "-am", "by hand again"]);
    let second = remote.git(&a, &["rev-parse", "HEAD"]).trim().to_string();
    remote.git(&a, &["push", "-q", "origin", "HEAD:main"]);
    assert!(!a.join(".git/lineage/unnoted").exists());
    let seen: BTreeSet<String> = remote
        .remote_note_lines()
        .into_iter()
        .filter(|(_, line)| line.contains(r#""kind":"seen""#))
        .map(|(commit, _)| commit)
        .collect();
    assert_eq!(seen, BTreeSet::from([first, second]));
    let b = remote.clone("b");
    remote.in_dir(&b, &["fetch"]);
    let blame: serde_json::Value =
        serde_json::from_str(&remote.in_dir(&b, &["blame", "--json", "h.py"])).unwrap();
    assert_eq!(attributions(&blame), ["human", "human"]);
}

/// A collaborator's note line that is not UTF-8 comes back byte for byte when both sides'
/// notes of a commit are merged (it was written back as U+FFFD: their bytes changed).
#[test]
fn a_collaborators_bytes_survive_a_merge_of_notes() {
    let (remote, a, b) = two_clones_sharing_a_note();
    let odd: &[u8] = b"{\"by\":\"b\xffb\",\"kind\":\"review\",\"lineage\":1}";
    let message = remote.origin.scratch().join("odd-line");
    std::fs::write(&message, odd).unwrap();
    let message = message.to_str().unwrap();
    remote.git(&b, &["notes", "--ref=lineage", "append", "-F", message, "HEAD"]);
    remote.append_to_head_note(&a, &review_line("alice"));
    remote.in_dir(&b, &["sync"]);
    remote.in_dir(&a, &["sync"]);
    let head = remote.git(&a, &["rev-parse", "HEAD"]).trim().to_string();
    let out = remote
        .origin
        .run("git", &["notes", "--ref=lineage", "show", &head], None, Some(&a));
    assert!(out.status.success(), "{}", stderr(&out));
    let note = &out.stdout;
    assert!(
        note.windows(odd.len()).any(|w| w == odd),
        "{}",
        String::from_utf8_lossy(note)
    );
    assert!(
        String::from_utf8_lossy(note).contains(&review_line("alice")),
        "{}",
        String::from_utf8_lossy(note)
    );
    assert!(
        !note.windows(3).any(|w| w == "\u{fffd}".as_bytes()),
        "no replacement character"
    );
}
