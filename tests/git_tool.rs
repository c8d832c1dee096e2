//! lineage as a git tool: `git lineage …` through a `git-lineage` on PATH, shell completions,
//! the manual page.

mod common;

use common::{TestRepo, stderr, stdout};

#[test]
fn git_lineage_runs_lineage_when_it_is_on_path_as_git_lineage() {
    let repo = TestRepo::with_files(&[("a.py", "x = 1\n")]);
    let bin = repo.scratch().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(common::LINEAGE, bin.join("git-lineage")).unwrap();
    let mut cmd = repo.command("git");
    cmd.args(["lineage", "blame", "--json", "a.py"]).env(
        "PATH",
        format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
    );
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["lines"][0]["attribution"], "human");
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let repo = TestRepo::new();
    for (shell, needle) in [
        ("bash", "_lineage()"),
        ("zsh", "#compdef lineage"),
        ("fish", "complete -c lineage"),
    ] {
        let out = repo.lineage(&["completions", shell]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains(needle), "{shell}");
        assert!(
            stdout(&out).contains("reattach"),
            "{shell} completes the commands"
        );
    }
    let man = repo.lineage_ok(&["man"]);
    assert!(man.contains(".TH lineage 1"), "{man}");
    assert!(man.contains("blame"), "{man}");
    let bad = repo.lineage(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}
