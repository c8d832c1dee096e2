//! A cache of the lines each commit added per path (`<common-dir>/lineage/numstat.jsonl`), so
//! that `stats`, `log`, the report and exports diff a commit once, not on every run: a commit's
//! diff against its first parent never changes. One JSON line per commit, appended whole;
//! lines that do not parse are skipped (the cache is rebuilt from git as needed), and deleting
//! the file only costs time.
//!
//! The figures are git's `--numstat` with renames off and no external diff or textconv; a
//! `.gitattributes` change that makes git see a file as binary (or text) afterwards is not
//! reflected for commits already cached.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::git::Repo;
use crate::model::ObjectId;

#[derive(Serialize, Deserialize)]
struct Line {
    commit: ObjectId,
    added: Vec<(String, u32)>,
}

pub struct NumstatCache {
    path: PathBuf,
    known: HashMap<ObjectId, Vec<(String, u32)>>,
}

impl NumstatCache {
    pub fn open(repo: &Repo) -> NumstatCache {
        let path = repo.common_dir().join("lineage").join("numstat.jsonl");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let known = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            .map(|l| (l.commit, l.added))
            .collect();
        NumstatCache { path, known }
    }

    /// The lines `commit` added per path, when cached.
    pub fn take(&mut self, commit: ObjectId) -> Option<Vec<(String, u32)>> {
        self.known.remove(&commit)
    }

    pub fn contains(&self, commit: &ObjectId) -> bool {
        self.known.contains_key(commit)
    }

    /// Remembers what `commits` added; a cache that cannot be written is only slower.
    pub fn remember(&mut self, commits: impl IntoIterator<Item = (ObjectId, Vec<(String, u32)>)>) {
        let mut text = String::new();
        for (commit, added) in commits {
            if let Ok(line) = serde_json::to_string(&Line {
                commit,
                added: added.clone(),
            }) {
                text.push_str(&line);
                text.push('\n');
            }
            self.known.insert(commit, added);
        }
        // A clone without `lineage init` (a CI job reading notes) gets the cache too.
        if text.is_empty()
            || self
                .path
                .parent()
                .is_some_and(|d| std::fs::create_dir_all(d).is_err())
        {
            return;
        }
        // One append of whole lines: concurrent writers interleave lines, never split them.
        if let Ok(mut file) = OpenOptions::new().create(true).append(true).open(&self.path) {
            let _ = file.write_all(text.as_bytes());
        }
    }
}
