//! The CI workflows `lineage ci github|gitlab` prints: valid YAML, and their steps, run
//! locally against a simulated server-side squash merge, leave the squash commit attributed.

mod common;

use std::path::{Path, PathBuf};

use common::{TestRepo, ai_outcomes, lines, stderr, stdout};
use yaml_rust2::{Yaml, YamlLoader};

/// A server (bare repository) where a pull request of two AI commits was squashed without
/// hooks; returns the server's path, main before the merge, and the squash commit.
fn squashed_on_the_server(
    dev: &TestRepo,
    message: &str,
    review_ref: &str,
    merge_commit: bool,
) -> (PathBuf, String, String) {
    let server = dev.scratch().join("server.git");
    let server_path = server.to_str().unwrap().to_string();
    dev.git(&["init", "-q", "--bare", "-b", "main", &server_path]);
    dev.git(&["remote", "add", "origin", &server_path]);
    dev.git(&["push", "-q", "origin", "main"]);
    dev.git(&["checkout", "-q", "-b", "feature"]);
    for (file, text) in [
        ("f1.py", "def one():\n    return compute_one()\n"),
        ("f2.py", "TWO = build_two()\n"),
    ] {
        dev.ai_edit(file, text, text);
        dev.commit(file);
    }
    dev.git(&["push", "-q", "origin", "feature"]);
    dev.lineage_ok(&["sync"]);
    let git = |args: &[&str]| {
        let mut all = vec!["--git-dir", server_path.as_str()];
        all.extend_from_slice(args);
        dev.git(&all).trim().to_string()
    };
    git(&["update-ref", review_ref, "refs/heads/feature"]);
    let before = git(&["rev-parse", "main"]);
    let tree = git(&["rev-parse", "feature^{tree}"]);
    let squash = git(&["commit-tree", &tree, "-p", "main", "-m", message]);
    let tip = if merge_commit {
        git(&["commit-tree", &tree, "-p", "main", "-p", &squash, "-m", message])
    } else {
        squash.clone()
    };
    git(&["update-ref", "refs/heads/main", &tip]);
    (server, before, tip)
}

/// A directory whose only entry is `lineage`, the binary under test, for PATH.
fn lineage_on_path(dev: &TestRepo) -> String {
    let bin = dev.scratch().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let link = bin.join("lineage");
    if !link.exists() {
        std::os::unix::fs::symlink(common::LINEAGE, &link).unwrap();
    }
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

/// Runs a shell script as a CI runner would (`sh -e`), in `dir`, with `env`.
fn run_step(dev: &TestRepo, dir: &Path, script: &str, env: &[(&str, String)]) {
    let mut cmd = dev.command("sh");
    cmd.current_dir(dir)
        .args(["-e", "-c", script])
        .env("PATH", lineage_on_path(dev));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "step failed:\n{script}\n{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// A fresh clone of the server after `lineage fetch`: the AI lines of both files.
fn attributed_after_fetch(dev: &TestRepo, server: &Path) -> Vec<Vec<(u64, String)>> {
    let check = dev.scratch().join("check");
    dev.git(&["clone", "-q", server.to_str().unwrap(), check.to_str().unwrap()]);
    let run = |args: &[&str]| {
        let out = dev.run(common::LINEAGE, args, None, Some(&check));
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    run(&["fetch"]);
    ["f1.py", "f2.py"]
        .iter()
        .map(|f| ai_outcomes(&run(&["blame", "--json", f])))
        .collect()
}

fn load(text: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("invalid YAML: {e}\n{text}"));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

#[test]
fn the_github_workflow_is_valid_and_attributes_a_squash_merge() {
    let dev = TestRepo::with_files(&[("README", "hi\n")]);
    let text = dev.lineage_ok(&["ci", "github"]);
    let workflow = load(&text);
    assert_eq!(workflow["name"].as_str(), Some("lineage"));
    assert_eq!(workflow["on"]["push"]["branches"][0].as_str(), Some("main"));
    let steps = workflow["jobs"]["provenance"]["steps"].as_vec().unwrap();
    assert!(
        steps
            .iter()
            .any(|s| s["run"].as_str() == Some("lineage sync origin"))
    );

    let (server, before, squash) =
        squashed_on_the_server(&dev, "Add the feature (#1)", "refs/pull/1/head", false);
    let ci = dev.scratch().join("ci");
    dev.git(&["clone", "-q", server.to_str().unwrap(), ci.to_str().unwrap()]);
    let mut ran = 0;
    for step in steps {
        let (Some(script), name) = (step["run"].as_str(), step["name"].as_str().unwrap_or("")) else {
            continue;
        };
        let condition = step["if"].as_str().unwrap_or("");
        if name == "Install lineage" || condition.contains("pull_request") {
            continue;
        }
        let env: Vec<(&str, String)> = match &step["env"] {
            Yaml::Hash(map) => map
                .iter()
                .map(|(k, v)| {
                    let value = match v.as_str().unwrap() {
                        "${{ github.event.before }}" => before.clone(),
                        "${{ github.sha }}" => squash.clone(),
                        other => panic!("unknown expression {other}"),
                    };
                    (k.as_str().unwrap(), value)
                })
                .collect(),
            _ => Vec::new(),
        };
        run_step(&dev, &ci, script, &env);
        ran += 1;
    }
    assert_eq!(ran, 3, "fetch, re-bind, push");
    assert_eq!(
        attributed_after_fetch(&dev, &server),
        vec![lines(1..=2, "accepted"), lines(1..=1, "accepted")]
    );
}

#[test]
fn the_gitlab_job_is_valid_and_attributes_a_squashed_merge_request() {
    let dev = TestRepo::with_files(&[("README", "hi\n")]);
    let text = dev.lineage_ok(&["ci", "gitlab", "--branch", "main"]);
    let job = &load(&text)["lineage"];
    assert_eq!(job["variables"]["GIT_DEPTH"].as_i64(), Some(0));
    let message = "Merge branch 'feature' into 'main'\n\nSee merge request group/project!7";
    let (server, before, merge) = squashed_on_the_server(&dev, message, "refs/merge-requests/7/head", true);
    let ci = dev.scratch().join("ci");
    dev.git(&["clone", "-q", server.to_str().unwrap(), ci.to_str().unwrap()]);
    let env = [
        ("CI_COMMIT_SHA", merge.clone()),
        ("CI_COMMIT_BEFORE_SHA", before),
        ("CI_COMMIT_BRANCH", "main".to_string()),
        ("CI_PIPELINE_SOURCE", "push".to_string()),
    ];
    let lines_of = |key: &str| -> Vec<String> {
        job[key]
            .as_vec()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect()
    };
    // The first before_script line installs lineage: the binary under test is on PATH instead.
    let script = [&lines_of("before_script")[1..], &lines_of("script")[..]]
        .concat()
        .join("\n");
    run_step(&dev, &ci, &script, &env);
    assert_eq!(
        attributed_after_fetch(&dev, &server),
        vec![lines(1..=2, "accepted"), lines(1..=1, "accepted")]
    );
}
