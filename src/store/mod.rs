//! Where lineage keeps its data: the [`journal`] of AI edits waiting for a commit, and the
//! [`notes`] on `refs/notes/lineage` that hold what history carries, and a [`numstat`] cache
//! of what commits added.

pub mod journal;
pub mod notes;
pub mod numstat;
pub mod signing;
