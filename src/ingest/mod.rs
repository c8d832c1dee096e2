//! What comes in from outside, read without I/O: agents' hook payloads ([`adapters`]), the
//! marks AI tools leave on commits ([`trailers`]), the text an edit inserted ([`text`]), and
//! secret redaction before anything is stored ([`redact`]).

pub mod adapters;
pub mod redact;
pub mod text;
pub mod trailers;
