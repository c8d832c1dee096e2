//! `lineage check` output: a report, JSON, GitHub workflow commands, SARIF 2.1.0.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::escape;
use crate::config::Level;
use crate::query::check::Finding;

fn place(f: &Finding) -> String {
    match (&f.file, f.start_line, f.end_line) {
        (Some(file), Some(a), Some(b)) if a == b => format!("{file}:{a}"),
        (Some(file), Some(a), Some(b)) => format!("{file}:{a}-{b}"),
        (Some(file), ..) => file.clone(),
        (None, ..) => format!("commit {}", f.commit.abbrev(8)),
    }
}

fn level(f: &Finding) -> &'static str {
    match f.level {
        Level::Error => "error",
        Level::Warn => "warning",
    }
}

pub fn text(out: &mut dyn Write, findings: &[Finding]) -> Result<()> {
    for f in findings {
        writeln!(
            out,
            "{:<8}{:<26}{}  {}",
            level(f),
            f.rule,
            escape(&place(f)),
            escape(&f.message)
        )?;
    }
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    writeln!(
        out,
        "check: {errors} error(s), {} warning(s)",
        findings.len() - errors
    )?;
    Ok(())
}

pub fn json(out: &mut dyn Write, findings: &[Finding]) -> Result<()> {
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    super::json(
        out,
        &json!({"errors": errors, "warnings": findings.len() - errors, "findings": findings}),
    )
}

/// A workflow command's data (`%`, CR, LF encoded) and, with `property`, its properties' too
/// (`:` and `,`): a path or message from a note cannot end the command or start another.
fn encode(text: &str, property: bool) -> String {
    let mut out = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub fn github(out: &mut dyn Write, findings: &[Finding]) -> Result<()> {
    for f in findings {
        let mut properties = vec![format!("title={}", encode(&format!("lineage {}", f.rule), true))];
        if let Some(file) = &f.file {
            properties.push(format!("file={}", encode(file, true)));
        }
        if let Some(line) = f.start_line {
            properties.push(format!("line={line}"));
        }
        if let Some(line) = f.end_line {
            properties.push(format!("endLine={line}"));
        }
        writeln!(
            out,
            "::{} {}::{}",
            level(f),
            properties.join(","),
            encode(&f.message, false)
        )?;
    }
    Ok(())
}

pub fn sarif(out: &mut dyn Write, findings: &[Finding]) -> Result<()> {
    let mut rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f),
                "message": {"text": f.message},
                "properties": {"commit": f.commit.to_hex()},
            });
            if let Some(file) = &f.file {
                let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": file}}});
                if let (Some(a), Some(b)) = (f.start_line, f.end_line) {
                    location["physicalLocation"]["region"] = json!({"startLine": a, "endLine": b});
                }
                result["locations"] = json!([location]);
            }
            result
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lineage",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({"id": r, "shortDescription": {"text": format!("lineage check: {r}")}})).collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    });
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}
