//! The dependency direction of DESIGN §6, checked on the source: every `crate::<module>` a file
//! names must be in its layer's allowed list, `git2` is named only under `src/git/`, and only
//! the command line and the renderers print.
//!
//! cli → ops / query → engine / store / ingest / install → git → model

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What each top-level module may use of the crate (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("parallel", &[]),
    ("model", &[]),
    ("error", &[]),
    ("clock", &[]),
    ("pinned", &["clock"]),
    ("git", &["model", "error", "parallel"]),
    ("settings", &["git", "model"]),
    ("config", &["git", "error"]),
    ("engine", &["model", "clock"]),
    ("ingest", &["model", "error"]),
    ("install", &["model", "error"]),
    ("store", &["git", "model", "error", "clock", "parallel"]),
    (
        "query",
        &[
            "engine", "store", "git", "install", "model", "settings", "config", "error", "clock",
        ],
    ),
    (
        "ops",
        &[
            "engine", "store", "git", "ingest", "install", "model", "settings", "config", "error", "clock",
            "parallel",
        ],
    ),
    ("render", &["query", "ops", "model", "config", "error"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files under `src/`, by the top-level module they belong to.
fn modules() -> BTreeMap<String, Vec<(PathBuf, String)>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut by_module: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    for path in files {
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        by_module
            .entry(module)
            .or_default()
            .push((relative.to_path_buf(), text));
    }
    by_module
}

/// The crate modules `text` names as `crate::<module>`.
fn named(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        found.push(name);
    }
    found
}

#[test]
fn layers_import_only_from_below() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut violations = Vec::new();
    for (module, files) in modules() {
        let Some(ok) = allowed.get(module.as_str()) else {
            // cli, main and lib sit on top and may use anything.
            assert!(
                ["cli", "main", "lib"].contains(&module.as_str()),
                "src/{module} has no place in the layering; add it to ALLOWED"
            );
            continue;
        };
        for (path, text) in files {
            for name in named(&text) {
                if name != module && !ok.contains(&name.as_str()) {
                    violations.push(format!("src/{} uses crate::{name}", path.display()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the dependency direction:\n{}",
        violations.join("\n")
    );
}

#[test]
fn only_git_talks_to_git2() {
    let mut outside = Vec::new();
    for (module, files) in modules() {
        for (path, text) in files {
            if module != "git" && text.contains("git2::") {
                outside.push(path.display().to_string());
            }
        }
    }
    assert!(outside.is_empty(), "git2 named outside src/git: {outside:?}");
}

#[test]
fn only_the_command_line_prints() {
    let mut printing = Vec::new();
    for (module, files) in modules() {
        if ["cli", "render", "main"].contains(&module.as_str()) {
            continue;
        }
        for (path, text) in files {
            // Tests inside a module may print what they like.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for call in ["println!", "eprintln!", "print!(", "eprint!("] {
                if code.contains(call) {
                    printing.push(format!("src/{} calls {call}", path.display()));
                }
            }
        }
    }
    assert!(printing.is_empty(), "{printing:#?}");
}

/// The check itself works: a `git/` file naming a layer above is caught.
#[test]
fn the_check_catches_an_upward_import() {
    assert_eq!(
        named("use crate::store::journal::Journal;\nuse crate::model::ObjectId;"),
        vec!["store", "model"]
    );
    let git_allowed = ALLOWED.iter().find(|(m, _)| *m == "git").unwrap().1;
    assert!(!git_allowed.contains(&"store"));
}
