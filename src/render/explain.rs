//! `lineage explain` output: the seven answers, once per run of lines one record holds.

use std::io::Write;

use anyhow::Result;

use super::{escape, escape_code, excerpt};
use crate::query::explain::{AiAnswers, Explanation};

/// Every value from a note or the journal is escaped: a collaborator or an agent wrote it.
pub fn explain(out: &mut dyn Write, answers: &[Explanation]) -> Result<()> {
    let mut start = 0;
    while start < answers.len() {
        let first = &answers[start];
        let same = |e: &Explanation| {
            e.commit == first.commit
                && e.attribution == first.attribution
                && e.ai.as_ref().map(|a| &a.record) == first.ai.as_ref().map(|a| &a.record)
        };
        let end = start + answers[start..].iter().take_while(|e| same(e)).count();
        block(out, &answers[start..end])?;
        start = end;
        if start < answers.len() {
            writeln!(out)?;
        }
    }
    Ok(())
}

fn block(out: &mut dyn Write, run: &[Explanation]) -> Result<()> {
    let (first, last) = (&run[0], &run[run.len() - 1]);
    let lines = match first.line == last.line {
        true => first.line.to_string(),
        false => format!("{}-{}", first.line, last.line),
    };
    let outcome = first
        .ai
        .as_ref()
        .map(|a| format!(" ({})", a.outcome.as_str()))
        .unwrap_or_default();
    writeln!(
        out,
        "{}:{lines}  {}{outcome}",
        escape(&first.file),
        first.attribution.as_str()
    )?;
    for line in run {
        writeln!(out, "  {:>5} │ {}", line.line, escape_code(&line.content))?;
    }
    writeln!(out, "  {}", escape(&first.reason))?;
    let commit = first
        .commit
        .map(|c| c.abbrev(12))
        .unwrap_or_else(|| "not committed yet".into());
    let row = |out: &mut dyn Write, label: &str, value: &str| writeln!(out, "  {label:<20}{value}");
    match &first.ai {
        Some(ai) => ai_rows(out, ai, run)?,
        None => row(
            out,
            "what was generated",
            "nothing: no AI record holds these lines",
        )?,
    }
    row(
        out,
        "file and commit",
        &format!("{} in {commit}", escape(&first.file)),
    )?;
    let accepted = match (
        &first.committer,
        first.ai.as_ref().and_then(|a| a.user.as_deref()),
    ) {
        (Some(committer), Some(user)) => format!(
            "{} (committer); the agent was driven by {}",
            escape(committer),
            escape(user)
        ),
        (Some(committer), None) => format!("{} (committer)", escape(committer)),
        (None, Some(user)) => format!("not yet (pending); the agent was driven by {}", escape(user)),
        (None, None) => "not yet (pending)".into(),
    };
    row(out, "accepted by", &accepted)?;
    let review = match &first.review {
        Some(r) => {
            let mut text = format!("{} by {} at {}", escape(&r.verdict), escape(&r.by), escape(&r.at));
            if let Some(reference) = &r.reference {
                text.push_str(&format!(" ({})", escape(reference)));
            }
            if let Some(message) = &r.message {
                text.push_str(&format!(": {}", excerpt(message, 60)));
            }
            text
        }
        None if first.commit.is_some() => "not reviewed".into(),
        None => "not committed yet".into(),
    };
    row(out, "reviewed", &review)?;
    let verifies = match first.signature.as_deref() {
        Some("unsigned") => "unsigned (the note carries no signature: lineage.sign is off)".to_string(),
        Some(verdict) => escape(verdict).into_owned(),
        None => "not committed yet".to_string(),
    };
    row(out, "verifies", &verifies)?;
    Ok(())
}

fn ai_rows(out: &mut dyn Write, ai: &AiAnswers, run: &[Explanation]) -> Result<()> {
    let shown: Vec<u32> = run.iter().map(|e| e.line).collect();
    let _ = shown;
    writeln!(
        out,
        "  {:<20}record {} ({} line(s){}):",
        "what was generated",
        super::abbrev(&ai.record, 12),
        ai.generated.len() + ai.generated_omitted,
        if ai.outcome.as_str() == "pending" {
            ", as recorded"
        } else {
            ", as committed"
        }
    )?;
    for g in &ai.generated {
        let mark = match (g.this, g.modified) {
            (true, true) => ">*",
            (true, false) => "> ",
            (false, true) => " *",
            (false, false) => "  ",
        };
        writeln!(
            out,
            "  {:<20}{mark}{:>5} │ {}",
            "",
            g.line,
            escape_code(&g.content)
        )?;
    }
    if ai.generated_omitted > 0 {
        writeln!(out, "  {:<20}  … {} more line(s)", "", ai.generated_omitted)?;
    }
    let asked = match (ai.prompt.kept, &ai.prompt.text) {
        ("full", Some(text)) => excerpt(text, 200),
        ("hash", _) => format!(
            "kept private: only its hash {} (lineage.prompts=hash)",
            super::abbrev(ai.prompt.id.as_deref().unwrap_or("-"), 12)
        ),
        _ => "no prompt was recorded (or lineage.prompts=none)".into(),
    };
    writeln!(out, "  {:<20}{asked}", "what was asked")?;
    writeln!(
        out,
        "  {:<20}{}",
        "model",
        escape(ai.model.as_deref().unwrap_or("not recorded"))
    )?;
    let tool = match &ai.tool_version {
        Some(version) => format!("{} {}", escape(&ai.tool), escape(version)),
        None => format!("{} (version not recorded)", escape(&ai.tool)),
    };
    writeln!(out, "  {:<20}{tool}", "tool")?;
    if ai.evidence == "commit" {
        writeln!(
            out,
            "  {:<20}the whole commit was attributed from its metadata (lineage import), not line by line",
            "evidence"
        )?;
    }
    Ok(())
}
