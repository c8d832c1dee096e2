//! `lineage review`: a person's verdict on commits, written as a `review` record in each one's
//! note (one notes commit for a whole range), where blame, explain, log and stats read it.

use anyhow::Result;

use crate::clock;
use crate::git::Repo;
use crate::model::{NoteRecord, ObjectId, ReviewRecord};
use crate::store::notes::Transaction;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approved,
    ChangesRequested,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes-requested",
        }
    }
}

/// Who reviewed, what they found, and where the review happened.
pub struct Review {
    pub verdict: Verdict,
    /// `Name <email>`.
    pub by: String,
    pub reference: Option<String>,
    pub message: Option<String>,
}

/// Adds the review to every commit's note; returns the commits whose note changed (the same
/// review written twice is one line).
pub fn review(repo: &Repo, commits: &[ObjectId], review: &Review) -> Result<Vec<ObjectId>> {
    let record = NoteRecord::Review(ReviewRecord {
        by: review.by.clone(),
        at: clock::format(clock::now()),
        verdict: review.verdict.as_str().to_string(),
        files: None,
        ranges: None,
        reference: review.reference.clone(),
        message: review.message.clone(),
    });
    let mut notes = Transaction::new();
    for commit in commits {
        notes.add(*commit, std::slice::from_ref(&record));
    }
    notes.commit(repo)
}
