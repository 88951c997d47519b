//! A tool call in platform-neutral terms: what the evaluation needs, nothing of the wire format.

use std::path::PathBuf;

/// The agent platforms so-hook speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Claude Code (PreToolUse).
    Claude,
    /// OpenAI Codex CLI (PreToolUse).
    Codex,
    /// Cursor (beforeShellExecution / preToolUse).
    Cursor,
    /// Google's Gemini CLI (BeforeTool).
    Gemini,
    /// GitHub Copilot CLI (preToolUse).
    Copilot,
    /// OpenCode, through so-hook's plugin (tool.execute.before).
    OpenCode,
}

impl Platform {
    /// Every platform, in the order `--platform` lists them.
    pub const ALL: [Platform; 6] = [
        Platform::Claude,
        Platform::Codex,
        Platform::Cursor,
        Platform::Gemini,
        Platform::Copilot,
        Platform::OpenCode,
    ];

    /// The platform whose [`id`](Platform::id) is `id` (exactly; ids are lower case).
    pub fn from_id(id: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The `--platform` value and the id in event lines.
    pub fn id(self) -> &'static str {
        match self {
            Platform::Claude => "claude",
            Platform::Codex => "codex",
            Platform::Cursor => "cursor",
            Platform::Gemini => "gemini",
            Platform::Copilot => "copilot",
            Platform::OpenCode => "opencode",
        }
    }

    /// Where this platform keeps its state: the wave manifest, STATE.md.
    pub fn state_dir(self) -> &'static str {
        match self {
            Platform::Claude => ".claude",
            Platform::Codex => ".codex",
            Platform::Cursor => ".cursor",
            // Gemini CLI keeps its project settings in `.gemini/`; Copilot CLI's project hooks
            // are in `.github/`, which is tracked: a committed manifest would bind every
            // platform, so its state has a directory of its own.
            Platform::Gemini => ".gemini",
            Platform::Copilot => ".copilot",
            Platform::OpenCode => ".opencode",
        }
    }

    /// The platform's product name.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Claude => "Claude Code",
            Platform::Codex => "Codex",
            Platform::Cursor => "Cursor",
            Platform::Gemini => "Gemini CLI",
            Platform::Copilot => "GitHub Copilot CLI",
            Platform::OpenCode => "OpenCode",
        }
    }
}

/// What the call wants to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tool {
    /// Run shell code.
    Shell { command: String },
    /// Create, change or delete files (every path the call touches).
    Edit { tool: String, paths: Vec<String> },
    /// A session started (`SessionStart`): the agent is told what is guarded.
    Started,
    /// Files already written (Cursor's `afterFileEdit`): judged like an edit, but too late to block;
    /// a violation is reported and handed to the agent on its next call.
    Edited { paths: Vec<String> },
    /// An edit tool has run (`PostToolUse`): the project's type-check runs, and what it finds is
    /// told to the agent.
    Written { paths: Vec<String> },
    /// Anything else: not guarded.
    Other { name: String },
    /// The session (`Stop`) or a subagent (`SubagentStop`, with its type) finished: recorded.
    Stopped { subagent: Option<String> },
}

/// One normalized tool call.
#[derive(Debug, Clone)]
pub struct ToolCall {
    pub platform: Platform,
    pub tool: Tool,
    /// Set inside a subagent (the payload's `agent_id`); the coordinator has none.
    pub agent_id: Option<String>,
    /// The project root as the platform names it (canonicalized later, once).
    pub root: PathBuf,
    /// The directory the call runs in (the payload's `cwd`, else the root).
    pub cwd: PathBuf,
}

impl ToolCall {
    /// A shell command of the main session, run at the project root (tests, fixtures, `check`).
    pub fn shell(platform: Platform, root: &std::path::Path, command: &str) -> ToolCall {
        ToolCall {
            platform,
            tool: Tool::Shell {
                command: command.to_string(),
            },
            agent_id: None,
            root: root.to_path_buf(),
            cwd: root.to_path_buf(),
        }
    }

    /// The project root as the disk has it (symlinks resolved; as given when it cannot be), where
    /// the session's event log and notices live.
    pub fn real_root(&self) -> PathBuf {
        std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone())
    }

    /// The working directory with its links resolved (as given when it cannot be).
    pub fn real_cwd(&self) -> PathBuf {
        std::fs::canonicalize(&self.cwd).unwrap_or_else(|_| self.cwd.clone())
    }
}
