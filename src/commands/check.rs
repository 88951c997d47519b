//! `so-hook check`: the human front door. Shows what so-hook decides for a command or an edit in a
//! project, with the rule, the parsed unit that triggered it and the reason.

use crate::guard::packs;
use crate::hook::call::{Platform, Tool, ToolCall};
use crate::hook::decision::{Decision, Verdict};
use crate::hook::evaluate::evaluate;
use crate::hook::grants;
use crate::project::Environment;
use serde_json::json;
use std::path::PathBuf;

/// What to check.
pub enum Subject {
    Command(String),
    Edit(String),
}

pub struct Request {
    pub subject: Subject,
    /// The project (and working directory) to check in.
    pub cwd: PathBuf,
    /// Judge as a subagent would be judged.
    pub agent: bool,
    pub json: bool,
}

/// Runs a check and prints it; returns the exit code (0 allow or warn, 1 deny or ask, 2 misuse).
pub fn run(req: &Request) -> i32 {
    let env = Environment::from_process();
    let cwd = match std::fs::canonicalize(&req.cwd) {
        Ok(r) if r.is_dir() => r,
        _ => {
            eprintln!(
                "so-hook check: --cwd {} is not a directory; give the directory to check in",
                req.cwd.display()
            );
            return 2;
        }
    };
    let root = crate::project::root::discover(&cwd, env.home.as_deref());
    let tool = match &req.subject {
        Subject::Command(c) => Tool::Shell { command: c.clone() },
        Subject::Edit(p) => Tool::Edit {
            tool: "Write".into(),
            paths: vec![p.clone()],
        },
    };
    let call = ToolCall {
        platform: Platform::Claude,
        tool,
        agent_id: req.agent.then(|| "so-hook-check".to_string()),
        cwd,
        root,
    };
    let mut decision = evaluate(&call, &env);
    // What the hook would do with the user's one-time approval: a grant shows as the allow it
    // gives (check does not use it up); a deny gets its code, recorded so that it can be approved.
    if let Tool::Shell { command } = &call.tool {
        if let grants::Approval::Offer { record, entry } =
            grants::consider_call(&mut decision, &call, command, "check", &env)
        {
            let _ = grants::remember(&record, &entry);
        }
    }
    if req.json {
        println!("{}", to_json(&decision));
    } else {
        print!("{}", to_text(&decision));
    }
    match decision.verdict() {
        Verdict::Allow | Verdict::Warn => 0,
        Verdict::Ask | Verdict::Deny => 1,
    }
}

fn to_json(d: &Decision) -> String {
    let p = d.primary();
    json!({
        "decision": d.verdict().as_str(),
        "rule": p.map(|f| f.rule.as_str()),
        "pack": p.and_then(|f| packs::pack_of(&f.rule)).map(|k| k.id),
        "unit": p.and_then(|f| f.unit.as_deref()),
        "reason": p.map(|f| f.reason.as_str()),
        "findings": d.findings.iter().map(|f| json!({
            "decision": f.verdict.as_str(),
            "rule": f.rule,
            "unit": f.unit,
            "reason": f.reason,
        })).collect::<Vec<_>>(),
        "disabled_rules": d.disabled,
    })
    .to_string()
}

fn to_text(d: &Decision) -> String {
    let mut out = String::new();
    match d.primary() {
        None => out.push_str("allow\n  no rule matched\n"),
        Some(p) => {
            out.push_str(&format!("{}  {}\n", p.verdict.as_str(), p.rule));
            if let Some(k) = packs::pack_of(&p.rule) {
                out.push_str(&format!("  pack:   {} ({})\n", k.id, k.what));
            }
            if let Some(u) = &p.unit {
                out.push_str(&format!("  unit:   {u}\n"));
            }
            out.push_str(&format!("  reason: {}\n", p.reason));
        }
    }
    let primary = d.primary();
    for f in d.findings.iter().filter(|f| Some(*f) != primary) {
        out.push_str(&format!(
            "  also {} {}: {}\n",
            f.verdict.as_str(),
            f.rule,
            f.reason
        ));
    }
    for r in &d.disabled {
        let what = if packs::is_pack(r) {
            "pack"
        } else {
            "built-in rule"
        };
        out.push_str(&format!(
            "  note: {what} {r} is switched off by the project policy\n"
        ));
    }
    out
}
