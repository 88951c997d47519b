// so-hook for OpenCode: before each tool call, ask so-hook (the same guard as for Claude Code,
// Codex, Cursor, Gemini CLI and Copilot CLI) and block the call when it denies. A thrown error is
// what OpenCode shows the model as the tool's result, so the model reads so-hook's reason.
//
// Fail-closed: when so-hook cannot be started, fails, times out or answers something this file
// cannot read, the call is blocked too, with a message that says how to repair it.
//
// `so-hook install --platform opencode` writes this file with SO_HOOK set to the binary's
// absolute path; copied by hand, it finds `so-hook` on PATH.
import { spawnSync } from "node:child_process";

const SO_HOOK = "so-hook";
const TIMEOUT_MS = 30000;

function blocked(why) {
  return new Error(
    `so-hook could not check this call (${why}), so it is blocked. ` +
      "Install so-hook or fix its path (run `so-hook doctor --platform opencode`), then try again.",
  );
}

export const SoHookGuard = async ({ directory, worktree }) => ({
  "tool.execute.before": async (input, output) => {
    const payload = JSON.stringify({
      hook_event_name: "tool.execute.before",
      tool: input.tool,
      args: output.args,
      sessionID: input.sessionID,
      cwd: directory || worktree || process.cwd(),
    });
    const run = spawnSync(SO_HOOK, ["hook", "--platform", "opencode"], {
      input: payload,
      encoding: "utf8",
      timeout: TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (run.error) throw blocked(run.error.message);
    if (run.status !== 0) throw blocked(`exit ${run.status ?? run.signal}`);
    const text = (run.stdout || "").trim();
    if (text === "") return;
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      throw blocked("its answer is not JSON");
    }
    if (answer.decision === "deny") {
      throw new Error(answer.reason || "so-hook denied this call.");
    }
    if (answer.decision !== "allow") throw blocked("its answer has no decision");
  },
});
