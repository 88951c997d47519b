#!/usr/bin/env python3
"""A scripted model on loopback for end-to-end runs of the real clients.

Speaks just enough of the Anthropic Messages API (streaming and not) for Claude Code, of the
Responses API (streaming) for Codex's custom providers, and of OpenAI's Chat Completions
(streaming and not) for Copilot CLI's and OpenCode's: a request that offers the scripted tool
and carries no tool result yet is answered with the one scripted tool call; any other request
(the follow-up with the tool's result, side requests such as titles) with the text "done".
Every request is logged as one JSON line to the log file.

For Codex, a tool whose input is a string is sent as a freeform `custom_tool_call` (Codex's
`apply_patch`); an object input as a `function_call` with JSON arguments. A tool inside a
namespace (Codex's `collaboration` tools for subagents) is named NAMESPACE.TOOL, and its call
carries the two apart. A Codex conversation gets each scripted call at most once rather than
only before the first tool result, so one agent can make several (spawn a subagent, then wait
for it).

    fake_model.py PORT_FILE LOG_FILE TOOL_NAME TOOL_INPUT_JSON
    fake_model.py PORT_FILE LOG_FILE script '[["Task", {...}], ["Bash", {...}]]'

It binds 127.0.0.1 on a free port, writes the port to PORT_FILE, and serves until killed.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT_FILE, LOG_FILE = sys.argv[1], sys.argv[2]
# One tool call, or (TOOL = "script") a JSON list of [tool, input] or [tool, input, text]
# entries: each request gets the first entry whose tool it offers and, when `text` is given, whose
# conversation so far contains that text (so only the main agent, which got the prompt, starts a
# subagent; the subagent, given another prompt, gets the next entry).
if sys.argv[3] == "script":
    SCRIPT = [tuple(e) + (None,) * (3 - len(e)) for e in json.loads(sys.argv[4])]
else:
    SCRIPT = [(sys.argv[3], json.loads(sys.argv[4]), None)]


def pick(offered, body):
    """The scripted call for a request offering these tool names, if any."""
    seen = json.dumps(body.get("messages", body.get("input", [])))
    return next(((t, i) for t, i, text in SCRIPT
                 if t in offered and (text is None or text in seen)), None)


def has_tool_result(body):
    for m in body.get("messages", []):
        content = m.get("content")
        if isinstance(content, list) and any(
            isinstance(c, dict) and c.get("type") == "tool_result" for c in content
        ):
            return True
    return False


def tool_name(t):
    """A Responses tool's name, wherever its kind keeps it."""
    return t.get("name") or next(
        (v.get("name") for v in t.values() if isinstance(v, dict) and v.get("name")), None)


def offered(body):
    """The tool names a request offers; a namespace's tools as NAMESPACE.TOOL besides its own."""
    names = []
    for t in body.get("tools", []):
        if isinstance(t, dict):
            names.append(tool_name(t))
            if t.get("type") == "namespace":
                names += [f"{t.get('name')}.{tool_name(i)}" for i in t.get("tools", [])
                          if isinstance(i, dict)]
    return names


def calls_made(items):
    """The calls (by offered name) the model already made in a Responses conversation."""
    return {(f"{i['namespace']}." if i.get("namespace") else "") + str(i.get("name"))
            for i in items if isinstance(i, dict)
            and i.get("type") in ("function_call", "custom_tool_call")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.reply_json({})

    def reply_json(self, obj, status=200):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        if self.path.rstrip("/").endswith("/responses"):
            self.answer_responses(body)
            return
        if self.path.rstrip("/").endswith("/chat/completions"):
            self.answer_chat(body)
            return
        if not self.path.startswith("/v1/messages") or "count_tokens" in self.path:
            self.reply_json({"input_tokens": 10})
            return
        chosen = None if has_tool_result(body) else pick(offered(body), body)
        call = chosen is not None
        with open(LOG_FILE, "a") as log:
            log.write(json.dumps({"path": self.path, "answer": "tool" if call else "text",
                                  "tool_result": has_tool_result(body), "tools": offered(body),
                                  "messages": body.get("messages", [])[-1:]}) + "\n")
        if call:
            block = {"type": "tool_use", "id": "toolu_e2e_1", "name": chosen[0], "input": chosen[1]}
            stop = "tool_use"
        else:
            block = {"type": "text", "text": "done"}
            stop = "end_turn"
        model = body.get("model", "claude-e2e")
        message = {"id": "msg_e2e", "type": "message", "role": "assistant", "model": model,
                   "content": [block], "stop_reason": stop, "stop_sequence": None,
                   "usage": {"input_tokens": 10, "output_tokens": 5}}
        if not body.get("stream"):
            self.reply_json(message)
            return
        events = [("message_start", {"type": "message_start", "message": dict(
            message, content=[], stop_reason=None, usage={"input_tokens": 10, "output_tokens": 1})})]
        if call:
            events += [
                ("content_block_start", {"type": "content_block_start", "index": 0,
                                         "content_block": dict(block, input={})}),
                ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {
                    "type": "input_json_delta", "partial_json": json.dumps(chosen[1])}}),
            ]
        else:
            events += [
                ("content_block_start", {"type": "content_block_start", "index": 0,
                                         "content_block": {"type": "text", "text": ""}}),
                ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                         "delta": {"type": "text_delta", "text": "done"}}),
            ]
        events += [
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            ("message_delta", {"type": "message_delta",
                               "delta": {"stop_reason": stop, "stop_sequence": None},
                               "usage": {"output_tokens": 5}}),
            ("message_stop", {"type": "message_stop"}),
        ]
        data = "".join(f"event: {name}\ndata: {json.dumps(obj)}\n\n" for name, obj in events).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


    def answer_responses(self, body):
        items = body.get("input", [])
        answered = any(isinstance(i, dict) and i.get("type") in (
            "function_call_output", "custom_tool_call_output") for i in items)
        made = calls_made(items)
        names = offered(body)
        chosen = pick([n for n in names if n not in made], body)
        call = chosen is not None
        with open(LOG_FILE, "a") as log:
            log.write(json.dumps({"path": self.path, "answer": "tool" if call else "text",
                                  "tool_result": answered, "tools": names,
                                  "last": items[-1:],
                                  "unnamed": [t for t in body.get("tools", [])
                                              if isinstance(t, dict) and not tool_name(t)]}) + "\n")
        if call and isinstance(chosen[1], str):
            item = {"type": "custom_tool_call", "id": "ctc_e2e", "status": "completed",
                    "call_id": "call_e2e_1", "name": chosen[0], "input": chosen[1]}
        elif call:
            item = {"type": "function_call", "id": "fc_e2e", "status": "completed",
                    "call_id": "call_e2e_1", "name": chosen[0], "arguments": json.dumps(chosen[1])}
            if "." in chosen[0]:
                item["namespace"], item["name"] = chosen[0].split(".", 1)
        else:
            item = {"type": "message", "id": "msg_e2e", "role": "assistant", "status": "completed",
                    "content": [{"type": "output_text", "text": "done", "annotations": []}]}
        response = {"id": "resp_e2e", "object": "response", "status": "completed",
                    "model": body.get("model", "e2e"), "output": [item],
                    "usage": {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0},
                              "output_tokens": 5, "output_tokens_details": {"reasoning_tokens": 0},
                              "total_tokens": 15}}
        events = [
            {"type": "response.created", "response": dict(response, status="in_progress", output=[])},
            {"type": "response.output_item.added", "output_index": 0, "item": item},
            {"type": "response.output_item.done", "output_index": 0, "item": item},
            {"type": "response.completed", "response": response},
        ]
        data = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


    def answer_chat(self, body):
        """Chat Completions: the scripted call as a function tool call (a string input as a
        freeform `custom` one), until the conversation carries a tool result; then "done"."""
        messages = body.get("messages", [])
        answered = any(isinstance(m, dict) and m.get("role") == "tool" for m in messages)
        names = [(t.get("function") or t.get("custom") or t).get("name")
                 for t in body.get("tools", []) if isinstance(t, dict)]
        chosen = None if answered else pick(names, body)
        with open(LOG_FILE, "a") as log:
            log.write(json.dumps({"path": self.path, "answer": "tool" if chosen else "text",
                                  "tool_result": answered, "tools": names,
                                  "messages": messages[-1:]}) + "\n")
        model = body.get("model", "e2e")
        if chosen and isinstance(chosen[1], str):
            call = {"id": "call_e2e_1", "type": "custom",
                    "custom": {"name": chosen[0], "input": chosen[1]}}
        elif chosen:
            call = {"id": "call_e2e_1", "type": "function",
                    "function": {"name": chosen[0], "arguments": json.dumps(chosen[1])}}
        if chosen:
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
            finish = "tool_calls"
        else:
            message = {"role": "assistant", "content": "done"}
            finish = "stop"
        usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        if not body.get("stream"):
            self.reply_json({"id": "chatcmpl-e2e", "object": "chat.completion", "created": 0,
                             "model": model, "usage": usage, "choices": [
                                 {"index": 0, "message": message, "finish_reason": finish}]})
            return
        delta = dict(message)
        if chosen:
            delta["tool_calls"] = [dict(call, index=0)]
        chunk = {"id": "chatcmpl-e2e", "object": "chat.completion.chunk", "created": 0,
                 "model": model}
        chunks = [dict(chunk, choices=[{"index": 0, "delta": delta, "finish_reason": None}]),
                  dict(chunk, choices=[{"index": 0, "delta": {}, "finish_reason": finish}]),
                  dict(chunk, choices=[], usage=usage)]
        data = ("".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
