//! Carrying provenance to another commit: an amend, a rebase, a cherry-pick, a squash or
//! `reattach` makes commits whose lines were bound before, on the commits they came from.
//!
//! Each edit record of those commits' notes, with the text of the lines it covers there,
//! becomes a binding [`Source`] (a [`Donor`]); the new commit's added lines are bound against
//! them by the one algorithm commit time uses, and the claims become records that keep the
//! edit's identity (id, tool, model, prompt, time) at the new line numbers. Nothing is copied by
//! position: a line that moved is found where it went, a line that is gone is not carried.

use std::collections::BTreeMap;

use super::bind::{FileDiff, Source, bind};
use crate::model::{EditOutcome, EditRecord, NoteRecord, normalize, to_ranges};

/// One edit record of a prior commit's note, with the text of its lines in that commit.
#[derive(Debug, Clone)]
pub struct Donor {
    pub record: EditRecord,
    /// The lines the record covers, in order, each ending in a newline.
    text: String,
    /// Per line of `text`, whether the prior note had it as modified by a person.
    modified: Vec<bool>,
}

impl Donor {
    /// The donor of `record`, whose lines are read from `file`, the text of its file in the
    /// commit the record annotates. `None` when none of its ranges fall inside the file (a
    /// record that covers no line carries nothing). Bounded by the file: ranges are not
    /// walked, lines are.
    pub fn new(record: EditRecord, file: &str) -> Option<Donor> {
        let (mut ranges, mut edited) = (Walk::new(&record.ranges), Walk::new(&record.modified));
        let mut text = String::new();
        let mut modified = Vec::new();
        for (n, line) in (1u32..).zip(file.lines()) {
            let was_edited = edited.contains(n);
            if ranges.contains(n) {
                text.push_str(line);
                text.push('\n');
                modified.push(was_edited);
            }
        }
        (!modified.is_empty()).then_some(Donor {
            record,
            text,
            modified,
        })
    }

    /// How many lines the donor offers.
    pub fn lines(&self) -> usize {
        self.modified.len()
    }
}

/// Membership of ascending line numbers in ranges, in one pass over both.
struct Walk {
    ranges: Vec<[u32; 2]>,
    next: usize,
}

impl Walk {
    fn new(ranges: &[[u32; 2]]) -> Walk {
        Walk {
            ranges: normalize(ranges.to_vec()),
            next: 0,
        }
    }

    /// Whether `n` is in a range; `n` must not decrease between calls.
    fn contains(&mut self, n: u32) -> bool {
        while self.ranges.get(self.next).is_some_and(|[_, b]| *b < n) {
            self.next += 1;
        }
        self.ranges.get(self.next).is_some_and(|[a, _]| *a <= n)
    }
}

/// The edit records `files` (the added lines of the new commit) get from `donors`: one per
/// edit id and file, at the lines bound to it. A line the prior note had as modified stays
/// modified; a line that differs from the donor's now (changed again) becomes modified.
pub fn carry(files: &[FileDiff], donors: &[Donor]) -> Vec<NoteRecord> {
    let sources: Vec<Source<'_>> = donors
        .iter()
        .map(|d| Source::from_record(&d.record, &d.text))
        .collect();
    let binding = bind(files, &sources);
    // Per (file, edit id): the donors it came from, its lines, the modified ones.
    #[derive(Default)]
    struct Lines {
        from: Vec<usize>,
        lines: Vec<u32>,
        modified: Vec<u32>,
    }
    let mut carried: BTreeMap<(&str, &str), Lines> = BTreeMap::new();
    for (file, claim) in binding.claims() {
        let donor = &donors[claim.entry];
        let found = carried.entry((file, donor.record.id.as_str())).or_default();
        if !found.from.contains(&claim.entry) {
            found.from.push(claim.entry);
        }
        found.lines.push(claim.line);
        if claim.modified || donor.modified.get(claim.entry_line).copied().unwrap_or(false) {
            found.modified.push(claim.line);
        }
    }
    carried
        .into_iter()
        .map(
            |(
                (file, _),
                Lines {
                    from,
                    lines,
                    modified,
                },
            )| {
                let first = &donors[from[0]].record;
                let was_modified = from
                    .iter()
                    .any(|&d| donors[d].record.outcome == EditOutcome::Modified);
                let modified = to_ranges(modified);
                NoteRecord::Edit(EditRecord {
                    file: file.to_string(),
                    ranges: to_ranges(lines),
                    outcome: if was_modified || !modified.is_empty() {
                        EditOutcome::Modified
                    } else {
                        EditOutcome::Accepted
                    },
                    modified,
                    deleted: from.iter().find_map(|&d| donors[d].record.deleted),
                    ..first.clone()
                })
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::bind::FileDiff;

    fn record(id: &str, ranges: Vec<[u32; 2]>, modified: Vec<[u32; 2]>) -> EditRecord {
        EditRecord {
            id: id.into(),
            file: "a.rs".into(),
            ranges,
            modified,
            tool: "claude-code".into(),
            tool_version: None,
            model: Some("m".into()),
            session: None,
            prompt_id: None,
            recorded_at: "2026-01-01T00:00:00Z".into(),
            outcome: EditOutcome::Accepted,
            user: None,
            evidence: None,
            deleted: Some(2),
        }
    }

    fn diff(lines: &[(u32, &str)]) -> Vec<FileDiff> {
        let mut file = FileDiff::new("a.rs".into(), None);
        for &(n, text) in lines {
            file.add_line(n, text.into(), None);
        }
        vec![file]
    }

    fn edit(records: &[NoteRecord]) -> Vec<&EditRecord> {
        records
            .iter()
            .filter_map(|r| match r {
                NoteRecord::Edit(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lines_that_moved_are_found_where_they_went() {
        let old = "fn main() {\n    let x = compute_answer();\n    println!(\"{x}\");\n}\n";
        let donor = Donor::new(record("e1", vec![[2, 3]], vec![]), old).unwrap();
        assert_eq!(donor.lines(), 2);
        let records = carry(
            &diff(&[
                (1, "// header"),
                (5, "    let x = compute_answer();"),
                (6, "    println!(\"{x}\");"),
            ]),
            &[donor],
        );
        let edits = edit(&records);
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].ranges, vec![[5, 6]]);
        assert_eq!(edits[0].id, "e1");
        assert_eq!(edits[0].deleted, Some(2));
        assert_eq!(edits[0].outcome, EditOutcome::Accepted);
    }

    #[test]
    fn a_modified_line_stays_modified_and_a_changed_one_becomes_so() {
        let old = "let alpha_value = compute(1);\nlet beta_value = compute(2);\n";
        let donor = Donor::new(record("e1", vec![[1, 2]], vec![[2, 2]]), old).unwrap();
        let records = carry(
            &diff(&[
                (1, "let alpha_value = compute(10);"),
                (2, "let beta_value = compute(2);"),
            ]),
            &[donor],
        );
        let edits = edit(&records);
        assert_eq!(edits[0].ranges, vec![[1, 2]]);
        assert_eq!(edits[0].modified, vec![[1, 2]]);
        assert_eq!(edits[0].outcome, EditOutcome::Modified);
    }

    #[test]
    fn ranges_outside_the_file_give_no_donor_and_huge_ranges_cost_the_file() {
        assert!(Donor::new(record("e1", vec![[9, 12]], vec![]), "a\nb\n").is_none());
        let donor = Donor::new(record("e1", vec![[1, u32::MAX]], vec![]), "a\nb\n").unwrap();
        assert_eq!(donor.lines(), 2);
    }

    #[test]
    fn unrelated_lines_get_nothing() {
        let donor = Donor::new(record("e1", vec![[1, 1]], vec![]), "let secret_sauce = 42;\n").unwrap();
        assert!(carry(&diff(&[(1, "println!(\"hello\");")]), &[donor]).is_empty());
    }
}
