//! One commit's provenance, as its note records it: the AI edits that reached it, the edits
//! that never reached history, the prompts they link to, and reviews.

use anyhow::Result;
use serde::Serialize;

use crate::git::Repo;
use crate::model::{EditRecord, NoteRecord, ObjectId, PromptRecord, ReviewRecord, SettledRecord};
use crate::store::notes::Notes;

#[derive(Debug, Serialize)]
pub struct CommitProvenance {
    pub commit: ObjectId,
    pub summary: String,
    pub author: String,
    pub committer: String,
    /// Sorted by file and ranges.
    pub edits: Vec<EditRecord>,
    pub settled: Vec<SettledRecord>,
    pub prompts: Vec<PromptRecord>,
    pub reviews: Vec<ReviewRecord>,
    /// Whether lineage processed the commit (else its lines without AI records are unknown,
    /// not human).
    pub seen: bool,
    /// Lines of the note that are not lineage v1 records.
    pub skipped_lines: usize,
}

/// The provenance recorded for `commit`.
pub fn commit_provenance(repo: &Repo, commit: ObjectId) -> Result<CommitProvenance> {
    let summary = repo.commit_summary(commit)?;
    let note = Notes::open(repo)?.read(commit)?;
    let mut view = CommitProvenance {
        commit,
        summary: summary.summary,
        author: summary.author,
        committer: summary.committer,
        edits: Vec::new(),
        settled: Vec::new(),
        prompts: Vec::new(),
        reviews: Vec::new(),
        seen: note.seen(),
        skipped_lines: note.skipped,
    };
    for record in note.records {
        match record {
            NoteRecord::Edit(e) => view.edits.push(e),
            NoteRecord::Settled(s) => view.settled.push(s),
            NoteRecord::Prompt(p) => view.prompts.push(p),
            NoteRecord::Review(r) => view.reviews.push(r),
            NoteRecord::Seen(_) | NoteRecord::Sig(_) => {}
        }
    }
    view.edits
        .sort_by(|a, b| (&a.file, &a.ranges).cmp(&(&b.file, &b.ranges)));
    Ok(view)
}
