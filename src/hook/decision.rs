//! What an evaluation concludes: findings, and the decision they add up to.

/// How strongly a finding acts, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Nothing to say.
    Allow,
    /// Allow, with a notice the user and the agent can see.
    Warn,
    /// Let the human decide, where the platform can ask.
    Ask,
    /// Block the call.
    Deny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Warn => "warn",
            Verdict::Ask => "ask",
            Verdict::Deny => "deny",
        }
    }
}

/// One rule's conclusion about one part of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub verdict: Verdict,
    /// A stable rule id (`rm-recursive-force`, `scope-not-allowed`, a policy rule's id, ...).
    pub rule: String,
    /// What was matched, where, and what to do instead. Never how to switch the guard off.
    pub reason: String,
    /// The parsed unit that triggered it: a simple command or a path.
    pub unit: Option<String>,
}

impl Finding {
    pub fn new(verdict: Verdict, rule: &str, reason: impl Into<String>) -> Finding {
        Finding {
            verdict,
            rule: rule.to_string(),
            reason: reason.into(),
            unit: None,
        }
    }

    pub fn deny(rule: &str, reason: impl Into<String>) -> Finding {
        Finding::new(Verdict::Deny, rule, reason)
    }

    pub fn with_unit(mut self, unit: impl Into<String>) -> Finding {
        self.unit = Some(unit.into());
        self
    }
}

/// All findings of one call, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub findings: Vec<Finding>,
    /// Built-in rules the project policy switched off (reported by `so-hook check`).
    pub disabled: Vec<String>,
}

/// What a hook call comes to: a permission decision on a tool call, or, for the events that
/// decide nothing (a session start, an edit that has run), what the agent and the user are told.
#[derive(Debug, Clone)]
pub enum Outcome {
    Decision(Decision),
    Context(Context),
}

impl Outcome {
    /// The decision, for a call that was decided (an allow for a context).
    pub fn decision(&self) -> Option<&Decision> {
        match self {
            Outcome::Decision(d) => Some(d),
            Outcome::Context(_) => None,
        }
    }

    pub fn verdict(&self) -> Verdict {
        self.decision().map_or(Verdict::Allow, Decision::verdict)
    }

    pub fn primary(&self) -> Option<&Finding> {
        self.decision().and_then(Decision::primary)
    }
}

impl From<Decision> for Outcome {
    fn from(d: Decision) -> Outcome {
        Outcome::Decision(d)
    }
}

/// The events whose answer is context rather than a permission decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextEvent {
    /// A session started: the agent is told what is guarded.
    SessionStart,
    /// An edit tool has run: the agent is told what the type-check found.
    PostToolUse,
}

impl ContextEvent {
    /// The event name the platforms use in `hookSpecificOutput.hookEventName`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContextEvent::SessionStart => "SessionStart",
            ContextEvent::PostToolUse => "PostToolUse",
        }
    }
}

/// What an event's answer tells: `text` goes to the agent, `message` to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub event: ContextEvent,
    pub text: Option<String>,
    pub message: Option<String>,
}

impl Decision {
    pub fn allow() -> Decision {
        Decision::default()
    }

    pub fn of(finding: Finding) -> Decision {
        Decision {
            findings: vec![finding],
            ..Decision::default()
        }
    }

    pub fn verdict(&self) -> Verdict {
        self.findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Allow)
    }

    /// The finding that decides: the first one of the strongest verdict.
    pub fn primary(&self) -> Option<&Finding> {
        let v = self.verdict();
        self.findings
            .iter()
            .find(|f| f.verdict == v && v != Verdict::Allow)
    }

    /// Warnings that ride along with an allow (or with a stronger decision).
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.verdict == Verdict::Warn)
    }
}

/// Cuts `s` to at most `max` bytes on a character boundary, marking the cut.
pub fn clamp(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    format!("{}...", head(s, max.saturating_sub(3)))
}

/// The longest start of `s` of at most `max` bytes that ends between characters.
pub fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strongest_verdict_decides_and_first_of_it_is_primary() {
        let d = Decision {
            findings: vec![
                Finding::new(Verdict::Warn, "w", "warn"),
                Finding::deny("a", "first deny"),
                Finding::deny("b", "second deny"),
            ],
            ..Decision::default()
        };
        assert_eq!(d.verdict(), Verdict::Deny);
        assert_eq!(d.primary().unwrap().rule, "a");
        assert_eq!(d.warnings().count(), 1);
    }

    #[test]
    fn no_findings_is_a_silent_allow() {
        let d = Decision::allow();
        assert_eq!(d.verdict(), Verdict::Allow);
        assert!(d.primary().is_none());
    }

    #[test]
    fn clamp_respects_char_boundaries() {
        let s = "ééééé";
        let c = clamp(s, 6);
        assert!(c.len() <= 6, "{c}");
        assert!(c.ends_with("..."));
        assert_eq!(clamp("short", 10), "short");
    }
}
