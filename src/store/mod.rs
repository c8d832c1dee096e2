//! Where lineage keeps its data: the [`journal`] of AI edits waiting for a commit, and the
//! [`notes`] on `refs/notes/lineage` that hold what history carries.

pub mod journal;
pub mod notes;
