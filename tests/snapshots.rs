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
/// columns), cells are never broken: paths, tools and ids stay whole and copyable.
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
                shown.contains("claude-code/claude-opus-4-5") || shown.contains("codex/gpt-5-codex"),
                "{command} at {size:?}:\n{shown}"
            );
        }
    }
}
