//! `lineage verify` output: a line per noted commit, and what failed.

use std::io::Write;

use anyhow::Result;

use super::escape;
use crate::query::verify::{Verdict, Verified};

pub fn verify(out: &mut dyn Write, verified: &[Verified]) -> Result<()> {
    if verified.is_empty() {
        writeln!(out, "no commit of the range has a note")?;
    }
    for v in verified {
        let mut line = format!("{} {}", v.commit.abbrev(12), v.verdict.as_str());
        if !v.signers.is_empty() {
            let signers: Vec<String> = v.signers.iter().map(|s| escape(s).into_owned()).collect();
            line.push_str(&format!(" (signed by {})", signers.join(", ")));
        }
        writeln!(out, "{line}")?;
        if !v.unknown_signers.is_empty() {
            let signers: Vec<String> = v.unknown_signers.iter().map(|s| escape(s).into_owned()).collect();
            writeln!(out, "    not in the allowed signers: {}", signers.join(", "))?;
        }
        if v.invalid_signatures > 0 {
            writeln!(
                out,
                "    {} signature(s) do not match what they cover",
                v.invalid_signatures
            )?;
        }
        if v.missing > 0 {
            writeln!(
                out,
                "    {} signed line(s) were changed or removed after signing",
                v.missing
            )?;
        }
        if v.verdict != Verdict::SignedValid || !v.uncovered.is_empty() {
            for uncovered in &v.uncovered {
                writeln!(out, "    not covered by a valid signature: {}", escape(uncovered))?;
            }
        }
    }
    Ok(())
}
