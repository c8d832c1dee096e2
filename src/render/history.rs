//! `log` and `stats` output: a line per commit with its AI share, tables of tallies.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use super::{escape, rows, tool_model, truncate};
use crate::query::history::{CommitFacts, Tally, review_status};

/// A share as people read it: `45.2%`, or `-` when there is nothing to share.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".into(), |s| format!("{:.1}%", s * 100.0))
}

/// The stats table: a row per key, then the total.
pub fn stats(out: &mut dyn Write, by: &str, grouped: &BTreeMap<String, Tally>, total: &Tally) -> Result<()> {
    let header = [
        by,
        "AI added",
        "AI modified",
        "human",
        "unknown",
        "AI share",
        "rejected",
        "discarded",
        "acceptance",
        "unreviewed AI",
    ];
    let row = |key: &str, t: &Tally| {
        vec![
            escape(key).into_owned(),
            t.ai_added.to_string(),
            t.ai_modified.to_string(),
            t.human_added.to_string(),
            t.unknown.to_string(),
            percent(t.ai_share()),
            t.rejected.to_string(),
            t.discarded.to_string(),
            percent(t.acceptance_rate()),
            t.unreviewed_ai.to_string(),
        ]
    };
    let mut table: Vec<Vec<String>> = grouped.iter().map(|(k, t)| row(k, t)).collect();
    table.push(row("total", total));
    rows(out, &header, table)
}

/// One line per commit, newest first, as `git log --oneline` with provenance columns: the AI
/// share of its added lines, its tools and models, and its review status.
pub fn log(out: &mut dyn Write, facts: &[CommitFacts]) -> Result<()> {
    for commit in facts {
        let tally = commit.tally();
        let share = match (commit.seen, tally.lines()) {
            (_, 0) => "     -".to_string(),
            (false, _) if tally.ai() == 0 => "     ?".to_string(),
            _ => format!("{:>6}", percent(tally.ai_share())),
        };
        let mut tools: Vec<String> = Vec::new();
        for file in &commit.files {
            for share in &file.ai {
                let name = tool_model(&share.tool, share.model.as_deref());
                if !tools.contains(&name) {
                    tools.push(name);
                }
            }
        }
        let tools = match tools.is_empty() {
            true => "-".to_string(),
            false => truncate(&tools.join(","), 40),
        };
        let review = match review_status(&commit.reviews) {
            Some(r) if r.verdict == "approved" => "approved",
            Some(_) => "changes-requested",
            None => "-",
        };
        writeln!(
            out,
            "{} {} {share} {:>5}/{:<5} {:<24} {:<17} {}",
            commit.commit.abbrev(8),
            crate::query::history::day(commit.author_time),
            tally.ai(),
            tally.lines(),
            escape(&tools),
            review,
            escape(&commit.summary)
        )?;
    }
    Ok(())
}
