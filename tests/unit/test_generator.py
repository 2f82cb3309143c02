"""generator/generate.py: a field added to the spec reaches users; `make check` fails on stale
output and on generated modules nothing uses."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _generate_module() -> ModuleType:
    sys.path.insert(0, str(ROOT / "generator"))
    try:
        spec = importlib.util.spec_from_file_location("generate", ROOT / "generator" / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "generator"))


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def copy_of_repo(tmp_path: Path) -> Path:
    """What generate.py reads and writes, copied, to regenerate without touching the tree."""
    copy = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("dragoneye", "generator", "tests/_async"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    for name in ("openapi.yaml", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    return copy


def test_every_generated_module_is_used() -> None:
    assert _generate_module().unused_generated_modules(ROOT / "dragoneye") == []


def test_a_module_reached_only_through_a_package_init_is_unused(tmp_path: Path) -> None:
    _write(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "app.py": "from ._generated.models import Used\nfrom ._generated.api import op\n",
            "_generated/__init__.py": "",
            "_generated/types.py": "UNSET = None\n",
            "_generated/orphan.py": "",
            "_generated/models/__init__.py": "from .used import Used\nfrom .unused import Unused\n",
            "_generated/models/used.py": "from ..types import UNSET\nclass Used: ...\n",
            "_generated/models/unused.py": "class Unused: ...\n",
            "_generated/models/nested.py": "class Nested: ...\n",
            "_generated/api/__init__.py": "",
            "_generated/api/op.py": "from ..models.nested import Nested\n",
        },
    )
    unused = _generate_module().unused_generated_modules(tmp_path / "pkg")
    assert unused == ["pkg._generated.models.unused", "pkg._generated.orphan"]


def test_check_fails_on_a_stale_public_model_and_an_unused_operation(tmp_path: Path) -> None:
    copy = copy_of_repo(tmp_path)
    generate = [sys.executable, str(copy / "generator" / "generate.py")]
    # An operation the facade never calls: its module is generated, and unused.
    spec = yaml.safe_load((copy / "openapi.yaml").read_text())
    spec["paths"]["/models"] = {
        "get": {
            "tags": ["prediction"],
            "operationId": "listModels",
            "responses": {"200": {"description": "The models.", "content": {"application/json": {"schema": {}}}}},
        }
    }
    (copy / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    subprocess.run(generate, check=True, cwd=copy)
    # A hand edit to the generated public types.
    models = copy / "dragoneye" / "models.py"
    models.write_text(models.read_text().replace("    status: str\n", "    status: str | None = None\n"))

    completed = subprocess.run([*generate, "--check"], capture_output=True, text=True, check=False, cwd=copy)

    assert completed.returncode == 1
    assert "Generated code is stale" in completed.stderr
    assert "dragoneye/models.py" in completed.stderr
    assert "Generated modules that nothing imports:\n  dragoneye._generated.api.prediction.list_models" in (
        completed.stderr
    )


STATUS_CHECK = r"""
import http.server, json, sys, threading
import attrs
from dragoneye import Dragoneye
from dragoneye.models import PredictionTaskStatusResponse

class Stub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({
            "prediction_task_uuid": "task-1", "prediction_type": "image",
            "status": "predicting", "progress_percent": 42,
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
threading.Thread(target=server.serve_forever, daemon=True).start()
with Dragoneye(api_key="k", base_api_url=f"http://127.0.0.1:{server.server_address[1]}") as client:
    status = client.classification.status("task-1")
server.shutdown()
field = attrs.fields_dict(PredictionTaskStatusResponse)["progress_percent"]
print(json.dumps({"value": status.progress_percent, "type": str(field.type), "default": field.default}))
"""


def test_an_optional_field_added_to_the_spec_reaches_users(tmp_path: Path) -> None:
    """The maintainer's path: add a field to a JSON response, regenerate, done."""
    copy = copy_of_repo(tmp_path)
    changed = yaml.safe_load((copy / "openapi.yaml").read_text())
    changed["components"]["schemas"]["PredictionTaskStatusResponse"]["properties"]["progress_percent"] = {
        "type": "integer",
        "description": "How far the task has got.",
    }
    (copy / "openapi.yaml").write_text(yaml.safe_dump(changed, sort_keys=False))
    subprocess.run([sys.executable, str(copy / "generator" / "generate.py")], check=True, cwd=copy)

    models = (copy / "dragoneye" / "models.py").read_text()
    assert "    progress_percent: int | None = None\n" in models
    assert '"""How far the task has got."""' in models
    assert "progress_percent" not in (ROOT / "dragoneye" / "models.py").read_text()
    completed = subprocess.run(
        [sys.executable, "-c", STATUS_CHECK],
        check=True,
        capture_output=True,
        text=True,
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        timeout=120,
    )
    assert json.loads(completed.stdout) == {"value": 42, "type": "int | None", "default": None}
