#!/usr/bin/env python3
"""A scripted model on loopback for end-to-end runs of the real clients.

Speaks just enough of the Anthropic Messages API (streaming and not) for Claude Code: a request
that offers tools and carries no tool result yet is answered with the one scripted tool call; any
other request (the follow-up with the tool's result, side requests such as titles) with the text
"done". Every request is logged as one JSON line to the log file.

    fake_model.py PORT_FILE LOG_FILE TOOL_NAME TOOL_INPUT_JSON

It binds 127.0.0.1 on a free port, writes the port to PORT_FILE, and serves until killed.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT_FILE, LOG_FILE, TOOL, TOOL_INPUT = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])


def has_tool_result(body):
    for m in body.get("messages", []):
        content = m.get("content")
        if isinstance(content, list) and any(
            isinstance(c, dict) and c.get("type") == "tool_result" for c in content
        ):
            return True
    return False


def offers_tool(body):
    return any(t.get("name") == TOOL for t in body.get("tools", []) if isinstance(t, dict))


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
        if not self.path.startswith("/v1/messages") or "count_tokens" in self.path:
            self.reply_json({"input_tokens": 10})
            return
        call = offers_tool(body) and not has_tool_result(body)
        with open(LOG_FILE, "a") as log:
            log.write(json.dumps({"path": self.path, "answer": "tool" if call else "text",
                                  "tool_result": has_tool_result(body),
                                  "messages": body.get("messages", [])[-1:]}) + "\n")
        if call:
            block = {"type": "tool_use", "id": "toolu_e2e_1", "name": TOOL, "input": TOOL_INPUT}
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
                    "type": "input_json_delta", "partial_json": json.dumps(TOOL_INPUT)}}),
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


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
