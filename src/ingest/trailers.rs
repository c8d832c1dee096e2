//! Commit-level evidence of AI authorship, for history made without lineage's hooks: aider's
//! own marks (an author or committer `Name (aider)`, a `Co-authored-by: aider (<model>) <…>`
//! trailer) and other agents' trailers (`Co-Authored-By: Claude …`, `Co-authored-by: Codex …`,
//! `Assisted-by: AGENT:MODEL`). Evidence names the tool, and the model where the mark has one.

use crate::model::CommitEvidence;

/// The trailers of a commit message: `Key: value` lines, with the key lowercased.
fn trailers(message: &str) -> impl Iterator<Item = (String, &str)> {
    message.lines().filter_map(|line| {
        let (key, value) = line.split_once(':')?;
        let key = key.trim();
        let well_formed = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        well_formed.then(|| (key.to_ascii_lowercase(), value.trim()))
    })
}

/// `Name (detail) <email>` split into its parts.
fn person(text: &str) -> (&str, Option<&str>, Option<&str>) {
    let (name, email) = match text.split_once('<') {
        Some((name, rest)) => (name.trim(), rest.strip_suffix('>').map(str::trim)),
        None => (text.trim(), None),
    };
    match name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
        Some((base, detail)) => (base.trim(), Some(detail.trim()), email),
        None => (name, None, email),
    }
}

/// Aider's marks on a commit. `author` and `committer` are `Name <email>`.
pub fn aider(author: &str, committer: &str, message: &str) -> Option<CommitEvidence> {
    let trailer_model = trailers(message)
        .filter(|(key, _)| key == "co-authored-by")
        .find_map(|(_, value)| match person(value) {
            (name, detail, _) if name.eq_ignore_ascii_case("aider") => Some(detail.map(str::to_string)),
            _ => None,
        });
    let marked = [author, committer].into_iter().find_map(|who| match person(who) {
        (name, Some(detail), email) if detail.eq_ignore_ascii_case("aider") => {
            Some(email.map_or_else(|| name.to_string(), |e| format!("{name} <{e}>")))
        }
        _ => None,
    });
    if marked.is_none() && trailer_model.is_none() {
        return None;
    }
    Some(CommitEvidence {
        tool: "aider".into(),
        model: trailer_model.flatten(),
        user: marked.or_else(|| Some(author.to_string())),
    })
}

/// Tools known by the name their co-author trailer uses.
const CO_AUTHORS: &[(&str, &str)] = &[
    ("claude", "claude-code"),
    ("codex", "codex"),
    ("github copilot", "copilot"),
    ("copilot", "copilot"),
    ("cursor", "cursor"),
    ("gemini", "gemini-cli"),
    ("windsurf", "windsurf"),
    ("cascade", "windsurf"),
    ("cline", "cline"),
    ("opencode", "opencode"),
];

/// A model named as people write it in a trailer (`Claude Sonnet 4.5`) spelled as agents' hooks
/// report it (`claude-sonnet-4-5`), so that stats group both together. Names that already
/// read as an id (`openai/gpt-4o`) stay as they are.
pub fn hook_spelling(name: &str) -> String {
    if !name.contains(' ') {
        return name.to_string();
    }
    name.split_whitespace()
        .map(|word| word.to_lowercase().replace('.', "-"))
        .collect::<Vec<_>>()
        .join("-")
}

/// Agents' trailers on a commit (aider's are [`aider`]'s).
pub fn agent_trailers(message: &str) -> Option<CommitEvidence> {
    trailers(message).find_map(|(key, value)| match key.as_str() {
        "assisted-by" => {
            let (agent, model) = value
                .split_once(':')
                .map_or((value, None), |(a, m)| (a, Some(m.trim())));
            let agent = agent.trim().to_ascii_lowercase();
            let tool = CO_AUTHORS
                .iter()
                .find(|(name, _)| agent == *name)
                .map_or(agent.clone(), |(_, tool)| (*tool).to_string());
            Some(CommitEvidence {
                tool,
                model: model.filter(|m| !m.is_empty()).map(str::to_string),
                user: None,
            })
        }
        "co-authored-by" => {
            let (name, _, _) = person(value);
            let lower = name.to_ascii_lowercase();
            let (prefix, tool) = CO_AUTHORS.iter().find(|(prefix, _)| lower.starts_with(prefix))?;
            // `Claude Opus 4.5` names a model; `Claude` or `Cursor Agent` only the tool.
            let rest = name[prefix.len()..].trim();
            let names_model = !rest.is_empty() && !rest.eq_ignore_ascii_case("agent");
            Some(CommitEvidence {
                tool: (*tool).to_string(),
                model: names_model.then(|| hook_spelling(name)),
                user: None,
            })
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aider_marks() {
        let by_author = aider(
            "Dana (aider) <dana@example.com>",
            "Dana <dana@example.com>",
            "feat: x\n",
        )
        .unwrap();
        assert_eq!(by_author.tool, "aider");
        assert_eq!(by_author.user.as_deref(), Some("Dana <dana@example.com>"));
        assert_eq!(by_author.model, None);
        let by_trailer = aider(
            "Dana <dana@example.com>",
            "Dana <dana@example.com>",
            "feat: y\n\nCo-authored-by: aider (openai/gpt-4o) <aider@aider.chat>\n",
        )
        .unwrap();
        assert_eq!(by_trailer.model.as_deref(), Some("openai/gpt-4o"));
        assert_eq!(aider("Dana <d@x>", "Dana <d@x>", "plain\n"), None);
    }

    #[test]
    fn agent_trailer_shapes() {
        let claude =
            agent_trailers("fix\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n").unwrap();
        assert_eq!(
            (claude.tool.as_str(), claude.model.as_deref()),
            ("claude-code", Some("claude-opus-4-5"))
        );
        let plain = agent_trailers("fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n").unwrap();
        assert_eq!(plain.model, None);
        let codex = agent_trailers("x\n\nCo-authored-by: Codex <codex@openai.com>\n").unwrap();
        assert_eq!(codex.tool, "codex");
        let assisted = agent_trailers("x\n\nAssisted-by: Gemini:gemini-2.5-pro\n").unwrap();
        assert_eq!(
            (assisted.tool.as_str(), assisted.model.as_deref()),
            ("gemini-cli", Some("gemini-2.5-pro"))
        );
        assert_eq!(
            agent_trailers("x\n\nCo-authored-by: Bob <bob@example.com>\n"),
            None
        );
        assert_eq!(
            agent_trailers("x\n\nSigned-off-by: Claude Shannon <c@bell-labs.com>\n"),
            None
        );
    }
}
