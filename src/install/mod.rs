//! Putting lineage in place: git hooks between markers ([`hooks`]) and coding agents' hook
//! configuration files ([`agents`]). Each keeps the user's own content intact.

pub mod agents;
pub mod hooks;
