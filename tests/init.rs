//! `lineage init`: installing next to the user's own hooks, idempotently, and uninstalling.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{TestRepo, lines, stderr, stdout};

const FIXME_HOOK: &str = "#!/bin/sh\n# the team's own check\nif git diff --cached | grep -q FIXME; then\n  echo 'FIXME found' >&2\n  exit 1\nfi\nexit 0\n";

fn write_hook(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Scenario 9: the user's FIXME hook still blocks after init; init twice installs once;
/// `--uninstall` restores the hook byte for byte.
#[test]
fn existing_hook_keeps_working_and_uninstall_restores_it() {
    let repo = TestRepo::bare_init();
    let hooks = repo.path().join(".git/hooks");
    write_hook(&hooks, "prepare-commit-msg", FIXME_HOOK);
    repo.write("a.rs", "fn a() {}\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "before lineage"]);

    let first = repo.lineage_ok(&["init"]);
    assert!(
        first.contains("prepare-commit-msg: installed (added to your existing hook"),
        "{first}"
    );
    let second = repo.lineage_ok(&["init"]);
    assert!(
        second.contains("prepare-commit-msg: already installed"),
        "{second}"
    );
    assert!(second.contains("post-commit: already installed"), "{second}");
    let hook = std::fs::read_to_string(hooks.join("prepare-commit-msg")).unwrap();
    assert_eq!(hook.matches("# >>> lineage >>>").count(), 1);
    assert!(
        hook.ends_with(&FIXME_HOOK["#!/bin/sh\n".len()..]),
        "the user's lines follow lineage's"
    );

    // The user's check still blocks a commit with FIXME in it…
    repo.ai_edit("a.rs", "fn a() {}\n// FIXME later\n", "// FIXME later\n");
    repo.git(&["add", "-A"]);
    let blocked = repo.git_output(&["commit", "-q", "-m", "has fixme"]);
    assert!(!blocked.status.success());
    assert!(stderr(&blocked).contains("FIXME found"));
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    // …and lets a clean one through, which lineage binds.
    repo.ai_edit("a.rs", "fn a() {}\nfn b() {}\n", "fn b() {}\n");
    repo.commit("clean");
    assert_eq!(repo.ai_lines("a.rs"), lines(2..=2, "accepted"));

    let removed = repo.lineage_ok(&["init", "--uninstall"]);
    assert!(
        removed.contains("prepare-commit-msg: lineage's lines removed, your hook kept"),
        "{removed}"
    );
    assert!(removed.contains("post-commit: removed"), "{removed}");
    assert_eq!(
        std::fs::read_to_string(hooks.join("prepare-commit-msg")).unwrap(),
        FIXME_HOOK
    );
    assert!(!hooks.join("post-commit").exists());
    let mode = std::fs::metadata(hooks.join("prepare-commit-msg"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
}

/// A hook that is not a shell script is chained: it still runs, and can still fail.
#[test]
fn non_shell_hooks_are_chained() {
    let repo = TestRepo::bare_init();
    let hooks = repo.path().join(".git/hooks");
    let python = "#!/usr/bin/env python3\nimport sys\nsys.stderr.write('chained-hook-ran\\n')\nsys.exit(1)\n";
    write_hook(&hooks, "prepare-commit-msg", python);
    let out = repo.lineage_ok(&["init"]);
    assert!(
        out.contains("prepare-commit-msg: installed (your existing hook is chained"),
        "{out}"
    );
    assert!(hooks.join("prepare-commit-msg.lineage-chained").exists());
    repo.write("a.rs", "x\n");
    repo.git(&["add", "-A"]);
    let blocked = repo.git_output(&["commit", "-q", "-m", "blocked"]);
    assert!(
        !blocked.status.success(),
        "the chained hook's exit status is the hook's"
    );
    assert!(
        stderr(&blocked).contains("chained-hook-ran"),
        "{}",
        stderr(&blocked)
    );

    repo.lineage_ok(&["init", "--uninstall"]);
    assert_eq!(
        std::fs::read_to_string(hooks.join("prepare-commit-msg")).unwrap(),
        python
    );
    assert!(!hooks.join("prepare-commit-msg.lineage-chained").exists());
}

/// `core.hooksPath` is honoured, relative to the work tree root.
#[test]
fn hooks_path_is_honoured() {
    let repo = TestRepo::bare_init();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let out = repo.lineage_ok(&["init"]);
    assert!(out.contains(".githooks"), "{out}");
    assert!(repo.path().join(".githooks/prepare-commit-msg").exists());
    assert!(!repo.path().join(".git/hooks/prepare-commit-msg").exists());
    repo.ai_edit("a.py", "print(1)\n", "print(1)\n");
    repo.commit("through hooksPath");
    assert_eq!(repo.ai_lines("a.py"), lines(1..=1, "accepted"));
    let status = repo.status_json();
    assert!(
        status["hooks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["installed"] == true)
    );
}

/// Uninstall keeps pending entries (nothing recorded is lost) and says so.
#[test]
fn uninstall_keeps_pending_entries() {
    let repo = TestRepo::new();
    repo.record("a.rs", "x = 1\n", "codex", "gpt-5-codex", "p");
    let out = repo.lineage(&["init", "--uninstall"]);
    assert!(stdout(&out).contains("journal: kept"), "{}", stdout(&out));
    assert_eq!(repo.journal_len(), 1);
    assert!(!repo.path().join(".git/hooks/prepare-commit-msg").exists());

    let empty = TestRepo::new();
    let out = empty.lineage_ok(&["init", "--uninstall"]);
    assert!(out.contains("journal: removed"), "{out}");
    assert!(!empty.path().join(".git/lineage").exists());
}

/// Without hooks, `record` warns that nothing will be bound.
#[test]
fn record_warns_when_hooks_are_missing() {
    let repo = TestRepo::bare_init();
    let out = repo.lineage_with_stdin(&["record", "--file", "a.rs", "--tool", "codex"], b"x\n");
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("hooks are not installed"),
        "{}",
        stderr(&out)
    );
}

/// lineage carries notes through amend and rebase itself (post-rewrite): init sets no
/// `notes.rewriteRef`, and removes the one an earlier version set, leaving other refs' alone.
#[test]
fn init_leaves_notes_rewriting_to_post_rewrite() {
    let repo = TestRepo::new();
    assert!(!repo.git_output(&["config", "notes.rewriteRef"]).status.success());
    assert!(repo.path().join(".git/hooks/post-rewrite").exists());
    repo.git(&["config", "--add", "notes.rewriteRef", "refs/notes/commits"]);
    repo.git(&["config", "--add", "notes.rewriteRef", "refs/notes/lineage"]);
    repo.git(&["config", "notes.rewriteMode", "cat_sort_uniq"]);
    let out = repo.lineage_ok(&["init"]);
    assert!(
        out.contains("notes.rewriteRef for refs/notes/lineage removed"),
        "{out}"
    );
    assert_eq!(
        repo.git(&["config", "--get-all", "notes.rewriteRef"]).trim(),
        "refs/notes/commits"
    );
    assert_eq!(repo.git(&["config", "notes.rewriteMode"]).trim(), "cat_sort_uniq");
    repo.lineage_ok(&["init", "--uninstall"]);
    assert!(!repo.path().join(".git/hooks/post-rewrite").exists());
}

/// A hook git does not run (not executable) is chained, and still does not run.
#[test]
fn non_executable_hooks_stay_dormant() {
    let repo = TestRepo::bare_init();
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(
        hooks.join("prepare-commit-msg"),
        "#!/bin/sh\necho dormant >&2\nexit 1\n",
    )
    .unwrap();
    let out = repo.lineage_ok(&["init"]);
    assert!(
        out.contains("prepare-commit-msg: installed (your existing hook is chained"),
        "{out}"
    );
    repo.ai_edit("a.rs", "x = 1\n", "x = 1\n");
    repo.commit("commits: the dormant hook did not run");
    assert_eq!(repo.ai_lines("a.rs"), lines(1..=1, "accepted"));
    repo.lineage_ok(&["init", "--uninstall"]);
    let mode = std::fs::metadata(hooks.join("prepare-commit-msg"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0, "restored as it was");
}

/// A symlinked hook (to a script the team tracks) is chained and comes back as the symlink.
#[test]
fn symlinked_hooks_are_chained_and_restored() {
    let repo = TestRepo::bare_init();
    repo.write("scripts/prepare-commit-msg", FIXME_HOOK);
    std::fs::set_permissions(
        repo.path().join("scripts/prepare-commit-msg"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::os::unix::fs::symlink(
        "../../scripts/prepare-commit-msg",
        hooks.join("prepare-commit-msg"),
    )
    .unwrap();
    repo.lineage_ok(&["init"]);
    assert_eq!(
        repo.read("scripts/prepare-commit-msg"),
        FIXME_HOOK,
        "the tracked script is untouched"
    );
    repo.write("a.rs", "// FIXME\n");
    repo.git(&["add", "-A"]);
    assert!(
        !repo.git_output(&["commit", "-q", "-m", "fixme"]).status.success(),
        "still blocks"
    );
    repo.lineage_ok(&["init", "--uninstall"]);
    let link = std::fs::read_link(hooks.join("prepare-commit-msg")).unwrap();
    assert_eq!(link, std::path::Path::new("../../scripts/prepare-commit-msg"));
}

/// Uninstall keeps a journal that holds only unreadable lines: they are data too.
#[test]
fn uninstall_keeps_damaged_journal_lines() {
    let repo = TestRepo::new();
    std::fs::write(
        repo.path().join(".git/lineage/journal/entries.jsonl"),
        "{broken\n",
    )
    .unwrap();
    let out = repo.lineage_ok(&["init", "--uninstall"]);
    assert!(out.contains("journal: kept"), "{out}");
    assert!(repo.path().join(".git/lineage/journal/entries.jsonl").exists());
}

/// Earlier versions bound the staged lines in pre-commit (after which git reads the whole index
/// again); `init` moves that to prepare-commit-msg and takes lineage's lines out of pre-commit,
/// keeping the user's.
#[test]
fn init_moves_an_old_pre_commit_install_to_prepare_commit_msg() {
    let repo = TestRepo::bare_init();
    let hooks = repo.path().join(".git/hooks");
    let old_block = "# >>> lineage >>>\nlineage='/old/lineage'\n\"$lineage\" hook pre-commit || true\n# <<< lineage <<<\n";
    write_hook(
        &hooks,
        "pre-commit",
        &format!("#!/bin/sh\n{old_block}echo mine\n"),
    );
    let out = repo.lineage(&["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    let new = std::fs::read_to_string(hooks.join("prepare-commit-msg")).unwrap();
    assert!(new.contains("hook prepare-commit-msg"), "{new}");
    // An old hook still calling `lineage hook pre-commit` keeps working.
    let out = repo.lineage(&["hook", "pre-commit"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", stderr(&out));
}

/// `init --remote` with a remote that does not exist writes nothing: no hooks, no journal.
#[test]
fn init_with_an_unknown_remote_writes_nothing() {
    let repo = TestRepo::bare_init();
    let out = repo.lineage(&["init", "--remote", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: no remote named 'nope'"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint: "), "{}", stderr(&out));
    assert!(!repo.path().join(".git/lineage").exists());
    assert!(!repo.path().join(".git/hooks/post-commit").exists());
}

/// prepare-commit-msg starts no lineage for a commit (the start is most of what it would cost):
/// with an edit pending it only appends its marker to the journal, in a linked work tree too
/// (its journal is in the common git dir); post-commit binds, and notes the commit seen. A
/// commit with nothing pending starts no lineage at all: post-commit only lists it, and the
/// next lineage command writes its `seen` note.
#[test]
fn prepare_commit_msg_starts_no_lineage_and_marks_the_shared_journal() {
    let repo = TestRepo::bare_init();
    // lineage installed from a copy that logs each run, then runs the real binary.
    let bin = repo.scratch().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let logged = bin.join("lineage");
    std::fs::copy(common::LINEAGE, &logged).unwrap();
    let out = repo.run(logged.to_str().unwrap(), &["init"], None, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = repo.scratch().join("runs.log");
    write_hook(
        &bin,
        "lineage",
        &format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            common::LINEAGE
        ),
    );
    let runs = || std::fs::read_to_string(&log).unwrap_or_default();

    repo.write("a.py", "x = 1\n");
    let human = repo.commit("human");
    assert_eq!(runs(), "");
    assert!(repo.note("HEAD").is_empty());
    let owed = repo.path().join(".git/lineage/unnoted");
    assert_eq!(std::fs::read_to_string(&owed).unwrap(), format!("{human}\n"));
    let seen = std::fs::read_to_string(repo.path().join(".git/lineage/seen")).unwrap();
    assert!(seen.ends_with(&format!("{human}\n")), "{seen}");
    let blame = repo.blame_json(&["a.py"]);
    assert_eq!(blame["lines"][0]["attribution"], "human");
    assert_eq!(repo.note_of_kind("HEAD", "seen").len(), 1);
    assert!(!owed.exists());

    repo.ai_edit("a.py", "x = 1\ny = 2\n", "y = 2\n");
    repo.commit("ai");
    assert_eq!(runs(), "hook post-commit\n");
    assert_eq!(repo.ai_lines("a.py"), lines(2..=2, "accepted"));

    let tree = repo.scratch().join("wt");
    repo.git(&["worktree", "add", "-q", tree.to_str().unwrap()]);
    std::fs::write(&log, "").unwrap();
    std::fs::write(tree.join("a.py"), "x = 1\ny = 2\nz = 3\n").unwrap();
    repo.git_in(&tree, &["commit", "-q", "-am", "human in the work tree"]);
    // `worktree add` wrote an ORIG_HEAD there, which lineage has not seen: the first commit
    // may copy what it left behind, so lineage runs; the next one is only listed.
    assert_eq!(runs(), "hook post-commit\n");
    std::fs::write(tree.join("a.py"), "x = 1\ny = 2\nz = 3\n\n").unwrap();
    repo.git_in(&tree, &["commit", "-q", "-am", "human again in the work tree"]);
    assert_eq!(runs(), "hook post-commit\n");
    let human_there = repo.git_in(&tree, &["rev-parse", "HEAD"]);
    assert_eq!(std::fs::read_to_string(&owed).unwrap(), human_there);

    std::fs::write(tree.join("a.py"), "x = 1\ny = 2\nz = 3\nw = 4\n").unwrap();
    let args = [
        "record",
        "--file",
        "a.py",
        "--tool",
        "claude-code",
        "--session",
        "s-2",
    ];
    let out = repo.run(common::LINEAGE, &args, Some(b"w = 4\n"), Some(&tree));
    assert!(out.status.success(), "{}", stderr(&out));
    // The hook script as git runs it there: from the work tree, which names its git dir.
    let hook = repo.path().join(".git/hooks/prepare-commit-msg");
    let out = repo.run(
        "sh",
        &[hook.to_str().unwrap(), ".git/COMMIT_EDITMSG"],
        None,
        Some(&tree),
    );
    assert!(out.status.success() && out.stderr.is_empty(), "{}", stderr(&out));
    let journal = std::fs::read_to_string(repo.journal_log()).unwrap();
    assert!(journal.ends_with("\n{\"prepared\":1}\n"), "{journal}");
    repo.git_in(&tree, &["commit", "-q", "-am", "ai in the work tree"]);
    assert_eq!(runs(), "hook post-commit\nhook post-commit\n");
    assert!(!owed.exists());
    assert_eq!(repo.note_of_kind(human_there.trim(), "seen").len(), 1);
    let blame = repo.run(common::LINEAGE, &["blame", "--json", "a.py"], None, Some(&tree));
    let blame: serde_json::Value = serde_json::from_slice(&blame.stdout).unwrap();
    assert_eq!(
        common::ai_of(&blame, "outcome"),
        lines(2..=2, "accepted")
            .into_iter()
            .chain(lines(4..=4, "accepted"))
            .collect::<Vec<_>>()
    );
}
