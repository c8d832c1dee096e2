//! Pure decisions, no I/O: line keys (DESIGN §2.2), binding added lines to AI edits (§2.3) over
//! one input type, [`Source`], what becomes of each journal entry after a commit, and the note
//! records a commit gets. Callers bring the data (diffs, entries, notes) and do the I/O.

mod bind;
/// The engine's hash maps and sets: foldhash, seeded per process (keys are SHA-256 digests and
/// line texts from files and notes; SipHash was a tenth of binding's time).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
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
