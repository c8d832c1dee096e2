//! The human output of `blame`, `show` and `status`, pinned with insta snapshots. The
//! environment is pinned (dates, clock, identity), so commit and record ids are stable.

mod common;

use common::TestRepo;

fn session() -> TestRepo {
    let repo = TestRepo::with_files(&[("src/lib.rs", "pub fn one() -> u32 {\n    1\n}\n")]);
    let ai = "\npub fn two() -> u32 {\n    let two = 2;\n    two\n}\n";
    repo.ai_edit(
        "src/lib.rs",
        &format!("pub fn one() -> u32 {{\n    1\n}}\n{ai}"),
        ai,
    );
    repo.write(
        "src/lib.rs",
        &format!(
            "// Numbers.\npub fn one() -> u32 {{\n    1\n}}\n{}",
            ai.replace("let two = 2;", "let two = 1 + 1;")
        ),
    );
    repo.commit("two");
    let pending = "\npub fn three() -> u32 {\n    3\n}\n";
    repo.write("src/lib.rs", &format!("{}{pending}", repo.read("src/lib.rs")));
    repo.record("src/lib.rs", pending, "codex", "gpt-5-codex", "Add three");
    repo
}

#[test]
fn blame_table() {
    let repo = session();
    insta::assert_snapshot!(repo.lineage_ok(&["blame", "src/lib.rs"]));
}

#[test]
fn blame_porcelain() {
    let repo = session();
    insta::assert_snapshot!(repo.lineage_ok(&["blame", "--tsv", "-L", "5,9", "src/lib.rs"]));
}

#[test]
fn show_table() {
    let repo = session();
    insta::assert_snapshot!(repo.lineage_ok(&["show"]));
}

#[test]
fn status_table() {
    let repo = session();
    let out = repo
        .lineage_ok(&["status"])
        .replace(repo.path().to_str().unwrap(), "<repo>");
    insta::assert_snapshot!(out);
}

/// On a real terminal (a pseudo-terminal from `script`, which reports no width, and one of 50
/// columns), cells are never broken over lines: paths and ids stay whole and copyable, and a
/// tool/model too long for the width is cut with `…`.
#[test]
fn tables_on_a_terminal_keep_cells_whole() {
    let repo = session();
    for size in ["", "stty cols 50; "] {
        for command in ["show", "status"] {
            let line = format!("{size}{} {command}", common::LINEAGE);
            let out = repo.run("script", &["-qec", &line, "/dev/null"], None, None);
            assert!(out.status.success(), "{}", common::stderr(&out));
            let shown = common::stdout(&out);
            assert!(shown.contains("src/lib.rs"), "{command} at {size:?}:\n{shown}");
            assert!(
                shown.contains("claude-code/claude-opus-4-5")
                    || shown.contains("codex/gpt-5-codex")
                    || shown.contains("claude-co")
                    || shown.contains("codex/"),
                "{command} at {size:?}:\n{shown}"
            );
            assert!(
                !shown.lines().any(|l| l.trim() == "rs" || l.trim() == "lib.rs"),
                "{shown}"
            );
        }
    }
}

/// A long model name and a long prompt, shown on a real terminal (a pty, through `script`).
fn wide_session() -> TestRepo {
    let repo = TestRepo::with_files(&[("src/lib.rs", "pub fn one() -> u32 {\n    1\n}\n")]);
    let ai = "pub fn two() -> u32 {\n    2\n}\n";
    repo.write("src/lib.rs", &format!("{}{ai}", repo.read("src/lib.rs")));
    repo.record(
        "src/lib.rs",
        ai,
        "claude-code",
        "claude-opus-4-5-20251101-with-a-very-long-deployment-suffix",
        "Add a function two that returns two, and keep the style of one exactly as it is written today",
    );
    repo.commit("two");
    repo
}

/// `lineage <args>` on a pseudo-terminal of `columns` columns (`None`: a terminal that reports
/// no size), as a person sees it.
fn on_terminal(repo: &TestRepo, columns: Option<u32>, args: &str) -> String {
    let mut cmd = repo.command("script");
    let command = format!("{} {args}", common::LINEAGE);
    cmd.args(["-qec", &command, "/dev/null"]);
    cmd.env_remove("COLUMNS");
    if let Some(columns) = columns {
        cmd.env("COLUMNS", columns.to_string());
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn tables_fit_the_terminal() {
    let repo = wide_session();
    for (name, columns) in [
        ("60", Some(60)),
        ("80", Some(80)),
        ("200", Some(200)),
        ("nosize", None),
    ] {
        for (what, args) in [("show", "show"), ("blame", "blame src/lib.rs")] {
            let out = on_terminal(&repo, columns, args);
            let limit = columns.unwrap_or(80) as usize;
            // The table's rows fit (the header lines above it are a commit's, as git prints them).
            if what == "show" {
                for line in out
                    .lines()
                    .filter(|l| l.contains("src/lib.rs") || l.starts_with("file"))
                {
                    assert!(
                        unicode_width::UnicodeWidthStr::width(line) <= limit,
                        "{name} {what}: {line:?}"
                    );
                }
            }
            insta::assert_snapshot!(format!("{what}_at_{name}"), out);
        }
    }
}

/// On a terminal, blame and show go through the pager git would use (here `GIT_PAGER`), with
/// colour unless `NO_COLOR` says otherwise; `--no-pager`, and anything piped, go straight out.
#[test]
fn a_pager_and_colour_on_a_terminal_only() {
    let repo = wide_session();
    let run = |envs: &[(&str, &str)], args: &str| {
        let mut cmd = repo.command("script");
        cmd.args(["-qec", &format!("{} {args}", common::LINEAGE), "/dev/null"]);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
    };
    let paged = run(&[("GIT_PAGER", "sed 's/^/paged: /'")], "blame src/lib.rs");
    assert!(paged.lines().all(|l| l.starts_with("paged: ")), "{paged}");
    let direct = run(
        &[("GIT_PAGER", "sed 's/^/paged: /'")],
        "--no-pager blame src/lib.rs",
    );
    assert!(!direct.contains("paged: "), "{direct}");
    let coloured = run(&[("NO_COLOR", "")], "blame src/lib.rs");
    assert!(coloured.contains("\u{1b}[36mclaude-code/"), "{coloured:?}");
    assert!(!run(&[], "blame src/lib.rs").contains('\u{1b}'), "NO_COLOR=1");
    let piped = repo.lineage_ok(&["blame", "src/lib.rs"]);
    assert!(!piped.contains('\u{1b}'));
}
