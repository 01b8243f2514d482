"""Completion in an editor: yaml-language-server, given `kindful schema`, offers the step kinds.

A new step (`- ` under `steps:`) is completed with the nine kinds alone; inside a step of a
kind, with that kind's keys. The server is found as `yaml-language-server` on PATH or through
the environment variable YAML_LANGUAGE_SERVER; without it, the test is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.practice.format.model import KINDS

SERVER = os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")

pytestmark = pytest.mark.skipif(
    SERVER is None, reason="needs yaml-language-server (npm install yaml-language-server)"
)


class Client:
    """Just enough of the language server protocol to ask for completions."""

    def __init__(self, server: str, folder: Path) -> None:
        self.process = subprocess.Popen(
            [server, "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.number = 0
        capabilities = {
            "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}}
        }
        self.ask(
            "initialize",
            {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": capabilities},
        )
        self.tell("initialized", {})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while (line := self.process.stdout.readline()) not in (b"\r\n", b""):
            key, value = line.decode().split(":", 1)
            if key.lower() == "content-length":
                length = int(value)
        return dict(json.loads(self.process.stdout.read(length)))

    def tell(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def ask(self, method: str, params: dict[str, Any]) -> Any:
        self.number += 1
        self._send({"id": self.number, "method": method, "params": params})
        while True:
            message = self._read()
            if "method" in message and "id" in message:  # the server asks for settings
                items = message["params"].get("items", [])
                self._send({"id": message["id"], "result": [None] * len(items)})
            elif message.get("id") == self.number:
                return message.get("result")

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def labels(folder: Path, text: str, line: int, column: int) -> list[str]:
    assert SERVER is not None
    client = Client(SERVER, folder)
    try:
        uri = (folder / "practice.yaml").as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        client.tell("textDocument/didOpen", {"textDocument": document})
        found = client.ask(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": column}},
        )
    finally:
        client.close()
    items = found["items"] if isinstance(found, dict) else found
    return sorted(item["label"] for item in items)


HEAD = "# yaml-language-server: $schema=./kindful.schema.json\nkindful: 1\ntitle: T\nsteps:\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "kindful.schema.json").write_text(
        CliRunner().invoke(app, ["schema"]).stdout, encoding="utf-8"
    )
    return tmp_path


def test_a_new_step_is_completed_with_the_kinds_alone(folder: Path) -> None:
    assert labels(folder, HEAD + "  - say: Hi\n  - \n", 5, 4) == sorted(KINDS)


def test_inside_a_step_its_own_keys_are_offered(folder: Path) -> None:
    assert labels(folder, HEAD + "  - say: Hi\n    \n", 5, 4) == ["note", "seconds"]
    offered = labels(folder, HEAD + "  - breathe: Slowly\n    in: 4\n    \n", 6, 4)
    assert {"out", "hold", "rest", "cycles", "seconds"} <= set(offered)
    assert not {"say", "bell_every", "items"} & set(offered)
