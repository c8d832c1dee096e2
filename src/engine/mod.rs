//! Pure decisions, no I/O: line keys (DESIGN §2.2), binding added lines to AI edits (§2.3) over
//! one input type, [`Source`], what becomes of each journal entry after a commit, and the note
//! records a commit gets. Callers bring the data (diffs, entries, notes) and do the I/O.

mod bind;
use crate::model::{HashMap, HashSet};
pub mod carry;
pub mod compose;
pub mod fates;
mod keys;
pub mod place;

pub use bind::{
    AddedLine, Binding, Block, Claim, FileClaims, FileDiff, MODIFIED_SIMILARITY, Source, SourceLine,
    SourceLines, bind, file_diffs, sources, sources_where,
};
pub use keys::{
    LineKey, ShortKey, is_trivial, key_from_hex, key_to_hex, line_key, short_key, short_key_to_hex,
};
pub use place::{FileLines, Place, WholeLines, Written, closed, displaced};
