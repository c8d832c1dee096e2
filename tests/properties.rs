//! Property tests of the binding (DESIGN §2.3), on random files, AI insertions, human edits,
//! duplicates and partial staging. Invariants:
//!
//! - one AI line claims at most one added line;
//! - a human-only line is never AI (lines no entry inserted, not resembling any entry line);
//! - binding is deterministic, whatever the order the entries come in;
//! - end to end, through real git and the real hooks: every recorded entry ends pending in the
//!   journal, or in a note (bound or settled).

mod common;

use std::collections::{BTreeMap, HashSet};

use lineage::engine::{FileDiff, bind, sources};
use lineage::model::Entry;
use proptest::prelude::*;

fn entry(id: usize, at: usize, inserted: &str) -> Entry {
    Entry {
        id: format!("{id:064x}"),
        recorded_at: format!("2026-01-01T00:00:{:02}Z", at % 60),
        tool: "t".into(),
        file: "f.rs".into(),
        inserted: inserted.into(),
        source: "cli".into(),
        ..Entry::default()
    }
}

/// A line of the file: who wrote it.
#[derive(Debug, Clone)]
enum Origin {
    Human(String),
    /// Line `line` of entry `entry`.
    Ai {
        entry: usize,
        line: usize,
    },
}

/// AI lines are lowercase code; human lines are uppercase words: no human line equals or
/// resembles an AI line (their characters are disjoint), so any claim of one is a false AI.
fn ai_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u8..12, 0u8..12).prop_map(|(a, b)| format!("let v{a} = f({b});")),
        1 => Just("}".to_string()),
        1 => Just(String::new()),
        2 => (0u8..4).prop_map(|a| format!("return v{a};")),
    ]
}

fn human_line() -> impl Strategy<Value = String> {
    "[A-Z]{3,12}".prop_map(|w| format!("# {w}"))
}

/// Entries (each a few lines, duplicates across entries likely) and a file that interleaves
/// their lines, in order, with human lines; some entry lines are left out (not staged, or
/// deleted by a human).
fn scenario() -> impl Strategy<Value = (Vec<Vec<String>>, Vec<Origin>)> {
    prop::collection::vec(prop::collection::vec(ai_line(), 1..8), 1..5).prop_flat_map(|entries| {
        let total: usize = entries.iter().map(Vec::len).sum();
        (
            Just(entries),
            prop::collection::vec(human_line(), 0..12),
            prop::collection::vec(any::<bool>(), total),
            prop::collection::vec(0usize..1000, 16),
        )
            .prop_map(|(entries, humans, kept, slots)| {
                let mut file = Vec::new();
                let mut k = 0;
                for (e, lines) in entries.iter().enumerate() {
                    for (l, _) in lines.iter().enumerate() {
                        if kept[k] {
                            file.push(Origin::Ai { entry: e, line: l });
                        }
                        k += 1;
                    }
                }
                for (i, human) in humans.into_iter().enumerate() {
                    let at = slots[i % slots.len()] % (file.len() + 1);
                    file.insert(at, Origin::Human(human));
                }
                (entries, file)
            })
    })
}

fn text_of(entries: &[Vec<String>], origin: &Origin) -> String {
    match origin {
        Origin::Human(text) => text.clone(),
        Origin::Ai { entry, line } => entries[*entry][*line].clone(),
    }
}

/// The whole file added at once, as a new file's diff.
fn diff_of(lines: &[String]) -> FileDiff {
    let mut diff = FileDiff::new("f.rs".into(), None);
    for (i, text) in lines.iter().enumerate() {
        diff.add_line(i as u32 + 1, text.clone(), None);
    }
    diff
}

fn claims_by_id(entries: &[Entry], diff: &FileDiff) -> BTreeMap<u32, (String, usize, bool)> {
    bind(std::slice::from_ref(diff), &sources(entries))
        .claims()
        .map(|(_, c)| (c.line, (entries[c.entry].id.clone(), c.entry_line, c.modified)))
        .collect()
}

/// Commits everything, even nothing (an edit the agent rejected changed no file).
fn commit(repo: &common::TestRepo, message: &str) {
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--allow-empty", "-m", message]);
}

/// `default` cases, or `PROPTEST_CASES` when set (a long run: `PROPTEST_CASES=100000 cargo
/// test --release --test properties`).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// `cases` cases; failures are reported, not saved next to the sources.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

proptest! {
    #![proptest_config(config(cases(512)))]

    #[test]
    fn binding_invariants((entries, file) in scenario()) {
        // Every third line of an entry is one the edit only kept: it may bind along with the
        // others, never alone, so no invariant below may change.
        let journal: Vec<Entry> = entries
            .iter()
            .enumerate()
            .map(|(i, lines)| {
                let mut e = entry(i, i, &(lines.join("\n") + "\n"));
                e.optional = (0..lines.len()).filter(|l| l % 3 == 2).collect();
                e
            })
            .collect();
        let lines: Vec<String> = file.iter().map(|o| text_of(&entries, o)).collect();
        let diff = diff_of(&lines);
        let claims = claims_by_id(&journal, &diff);

        // One AI line claims at most one added line.
        let mut used = HashSet::new();
        for (id, entry_line, _) in claims.values() {
            prop_assert!(used.insert((id.clone(), *entry_line)), "{id}:{entry_line} claimed twice");
        }
        // A human-only line is never AI.
        for (line, origin) in file.iter().enumerate() {
            if let Origin::Human(text) = origin {
                prop_assert!(
                    !claims.contains_key(&(line as u32 + 1)),
                    "human line {} {text:?} claimed: {claims:?}",
                    line + 1
                );
            }
        }
        // Deterministic, whatever the order of the entries.
        let mut reversed = journal.clone();
        reversed.reverse();
        prop_assert_eq!(&claims_by_id(&reversed, &diff), &claims);
        prop_assert_eq!(&claims_by_id(&journal, &diff), &claims);
    }
}

proptest! {
    // Real git and the real binary per case: few cases, each a whole session.
    #![proptest_config(config(cases(12)))]

    /// Random AI edits, partly staged and committed over several commits, some rejected: every
    /// recorded entry is pending in the journal, or mentioned by a note.
    #[test]
    fn every_entry_ends_pending_or_in_a_note(
        edits in prop::collection::vec((prop::collection::vec(0u8..40, 1..4), any::<bool>(), any::<bool>()), 1..6),
    ) {
        let repo = common::TestRepo::with_files(&[("a.rs", "fn base() {}\n")]);
        let mut text = String::from("fn base() {}\n");
        let mut ids = Vec::new();
        for (n, (numbers, rejected, commit_now)) in edits.iter().enumerate() {
            let inserted: String = numbers.iter().map(|k| format!("fn e{n}_{k}() {{}}\n")).collect();
            if !rejected {
                text.push_str(&inserted);
                repo.write("a.rs", &text);
            }
            let status = if *rejected { "rejected" } else { "applied" };
            let out = repo.lineage_with_stdin(
                &["record", "--file", "a.rs", "--tool", "t", "--status", status, "--json"],
                inserted.as_bytes(),
            );
            prop_assert!(out.status.success());
            let recorded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            ids.push(recorded["id"].as_str().unwrap().to_string());
            if *commit_now {
                commit(&repo, &format!("commit {n}"));
            }
        }
        commit(&repo, "last");
        let journal: HashSet<String> = repo
            .journal_entries()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        let notes = repo.git(&["log", "--format=%H"]);
        let mut in_notes = String::new();
        for commit in notes.lines() {
            for record in repo.note(commit) {
                in_notes.push_str(&record.to_string());
            }
        }
        for id in &ids {
            prop_assert!(journal.contains(id) || in_notes.contains(id.as_str()), "{id} was lost");
        }
    }
}
