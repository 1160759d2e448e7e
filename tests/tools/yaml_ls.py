#!/usr/bin/env python3
"""Ask Red Hat's yaml-language-server (the engine of VS Code's YAML extension)
about one YAML file, as an editor would: open it, then ask for completions and
hovers at given places and collect the diagnostics it publishes.

    yaml_ls.py SERVER FILE complete:LINE:COL hover:LINE:COL ...

LINE and COL count from 0, as LSP does. Prints one JSON object:
{"complete:L:C": [labels], "hover:L:C": "text", "diagnostics": [{line, message}]}
"""

import json
import os
import pathlib
import queue
import subprocess
import sys
import threading

server, file, *asks = sys.argv[1:]
proc = subprocess.Popen(
    [server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
)
inbox = queue.Queue()


def reader():
    out = proc.stdout
    while True:
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            c = out.read(1)
            if not c:
                return
            header += c
        length = next(
            int(l.split(":")[1]) for l in header.decode().split("\r\n") if l.lower().startswith("content-length")
        )
        inbox.put(json.loads(out.read(length)))


threading.Thread(target=reader, daemon=True).start()
SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
diagnostics = []


def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def handle(m):
    """Answer the server's own requests; keep what it publishes."""
    if "method" in m and "id" in m:
        result = [SETTINGS] * len(m["params"]["items"]) if m["method"] == "workspace/configuration" else None
        send({"jsonrpc": "2.0", "id": m["id"], "result": result})
    elif m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
        diagnostics[:] = m["params"]["diagnostics"]


def request(i, method, params, timeout=30):
    send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
    while True:
        m = inbox.get(timeout=timeout)
        if m.get("id") == i and "method" not in m:
            return m.get("result")
        handle(m)


path = pathlib.Path(file).resolve()
uri = path.as_uri()
request(1, "initialize", {"processId": os.getpid(), "rootUri": path.parent.as_uri(), "capabilities": {}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": SETTINGS}}})
send(
    {
        "jsonrpc": "2.0",
        "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}},
    }
)
answers = {}
for n, ask in enumerate(asks, start=2):
    kind, line, col = ask.split(":")
    where = {"textDocument": {"uri": uri}, "position": {"line": int(line), "character": int(col)}}
    if kind == "complete":
        r = request(n, "textDocument/completion", where)
        items = r["items"] if isinstance(r, dict) else (r or [])
        answers[ask] = [i["label"] for i in items]
    else:
        r = request(n, "textDocument/hover", where)
        contents = (r or {}).get("contents", "")
        answers[ask] = contents.get("value", "") if isinstance(contents, dict) else str(contents)
# The diagnostics come on their own after the file is opened.
try:
    while not diagnostics:
        handle(inbox.get(timeout=20))
except queue.Empty:
    pass
answers["diagnostics"] = [{"line": d["range"]["start"]["line"], "message": d["message"]} for d in diagnostics]
print(json.dumps(answers, ensure_ascii=False))
proc.kill()
