"""Regenerate the code that is derived, never written by hand.

1. openapi.yaml -> dragoneye/_generated/ (openapi-python-client, pinned in
   pyproject.toml, with the templates in generator/templates/).
2. openapi.yaml -> dragoneye/models.py, the public types (generator/public_models.py).
3. dragoneye/_async/ -> dragoneye/_sync/ and tests/_async/ -> tests/_sync/
   (unasync, then ruff format).

    python generator/generate.py            # write both into the tree
    python generator/generate.py --check    # fail if the tree differs
    python generator/generate.py --spec S --out DIR   # only the client, from S into DIR

Generation fails on any generator warning: a skipped response or schema is a
bug in the spec, not something to ship.
"""

from __future__ import annotations

import argparse
import ast
import copy
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import unasync
import yaml
from public_models import MODELS_CONFIG
from public_models import render as render_public_models

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "generator" / "config.yaml"
TEMPLATES = ROOT / "generator" / "templates"
GENERATED = ROOT / "dragoneye" / "_generated"
PUBLIC_MODELS = ROOT / "dragoneye" / "models.py"
# (async source, generated blocking twin)
SYNC_TREES = [
    (ROOT / "dragoneye" / "_async", ROOT / "dragoneye" / "_sync"),
    (ROOT / "tests" / "_async", ROOT / "tests" / "_sync"),
]

# Tokens unasync must rewrite beyond its defaults (async/await, __aenter__, ...).
# Every rule must be used by the async source: a stale rule fails the run.
UNASYNC_REPLACEMENTS = {
    "AsyncDragoneye": "Dragoneye",
    "AsyncClassification": "Classification",
    "AsyncClient": "Client",
    "AsyncByteStream": "SyncByteStream",
    "aclose": "close",
    "aiter_raw": "iter_raw",
    "async_body_deadline": "sync_body_deadline",
    "async_sleep": "sync_sleep",
    "async_run_blocking": "sync_run_blocking",
    "async_run_cancellable": "sync_run_cancellable",
    "async_current_loop": "sync_current_loop",
    "async_http_client": "sync_http_client",
    "async_task_group": "sync_task_group",
    "async_channel": "sync_channel",
    "async_receive_group": "sync_receive_group",
    "async_condition": "sync_condition",
    "async_cancel": "sync_cancel",
    "aclosing": "closing",
    "BatchJob": "BlockingBatchJob",
}

# Text that a token rewrite leaves alone: docstrings that differ between the
# two clients, and test markers. Each must be used, like the token rules.
TEXT_REPLACEMENTS = {
    "The Dragoneye API for async code (asyncio or trio).": "The Dragoneye API for blocking code.",
    "`async with` or\n    `await client.aclose()`": "`with` or\n    `client.close()`",
    "\n    An async client belongs to the event loop it first runs on: create one in each loop.": "",
    ", or used on another event loop.": ".",
    "\n    or used on an event loop other than the one it first ran on.": ".",
    "The async facade, written by hand.": "The blocking facade, generated from dragoneye/_async/.",
    "@pytest.mark.anyio\n": "",
}


def wire_spec(spec: dict[str, Any], public: set[str]) -> dict[str, Any]:
    """The part of `spec` the wire layer is generated from.

    Each operation keeps its request and its 2xx responses (the sender turns
    any other status into an SDK error from the body's `detail`), and the
    schemas keep only what those reach. A 2xx JSON body that is a public type
    becomes `{"x-dragoneye-model": name}`: the endpoint template parses it into
    dragoneye.models, so the wire layer has no second definition of it. An
    object schema that does not say otherwise gets no additional properties:
    the SDK reads none.
    """
    wire = copy.deepcopy(spec)
    for path in wire["paths"].values():
        for operation in path.values():
            operation["responses"] = {
                code: response for code, response in operation["responses"].items() if str(code).startswith("2")
            }
            for response in operation["responses"].values():
                for media in response.get("content", {}).values():
                    name = media.get("schema", {}).get("$ref", "").removeprefix("#/components/schemas/")
                    if name in public:
                        media["schema"] = {"x-dragoneye-model": name}
    components = wire["components"]
    for section in ("responses", "headers"):
        components.pop(section, None)
    reached: set[str] = set()
    pending = [wire["paths"]]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/") and ref not in reached:
                reached.add(ref)
                pending.append(components["schemas"][ref.rsplit("/", 1)[1]])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    components["schemas"] = {
        name: schema for name, schema in components["schemas"].items() if f"#/components/schemas/{name}" in reached
    }
    for schema in components["schemas"].values():
        # Unknown keys are still ignored when parsing; only the unused accessors go.
        if schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
    return wire


def generate_client(spec: Path, out: Path) -> None:
    """Generate the wire layer for `spec` as the package folder `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        public = set(yaml.safe_load(MODELS_CONFIG.read_text()))
        wire_path = Path(tmp) / "openapi.yaml"
        wire_path.write_text(yaml.safe_dump(wire_spec(yaml.safe_load(spec.read_text()), public), sort_keys=False))
        target = Path(tmp) / "_generated"
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                f"--path={wire_path}",
                f"--config={CONFIG}",
                f"--custom-template-path={TEMPLATES}",
                "--meta=none",
                f"--output-path={target}",
                "--overwrite",
            ],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        )
        output = proc.stdout + proc.stderr
        if proc.returncode != 0 or re.search(r"warning|error", output, re.IGNORECASE):
            raise SystemExit(f"openapi-python-client failed or warned:\n{output}")
        shutil.rmtree(target / ".ruff_cache", ignore_errors=True)
        for module in target.rglob("*.py"):
            if not module.read_text().strip():  # a template that renders nothing: no module
                module.unlink()
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(target, out)


def generate_models(spec: Path, out: Path) -> None:
    """Write the public types of `spec` to `out`, formatted as the rest of the package."""
    out.write_text(render_public_models(yaml.safe_load(spec.read_text()), TEMPLATES))
    config = ["--config", str(ROOT / "pyproject.toml")]
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--quiet", "--no-cache", *config, "--fix", "--select", "I", str(out)], check=True)
    subprocess.run([*ruff, "format", "--quiet", "--no-cache", *config, str(out)], check=True)


def generate_sync(trees: list[tuple[Path, Path]]) -> None:
    """Derive each blocking tree from its async source: unasync, prose rules, ruff."""
    sources = [path for async_src, _ in trees for path in sorted(async_src.rglob("*.py"))]
    text = "\n".join(path.read_text() for path in sources)
    unused = [name for name in UNASYNC_REPLACEMENTS if not re.search(rf"\b{name}\b", text)]
    unused += [old for old in TEXT_REPLACEMENTS if old not in text]
    if unused:
        raise SystemExit(f"unasync rules never used by the async sources: {unused}")
    rule = unasync.Rule(fromdir="/_async/", todir="/_sync/", additional_replacements=UNASYNC_REPLACEMENTS)
    for async_src, sync_out in trees:
        with tempfile.TemporaryDirectory() as tmp:
            stage_async = Path(tmp) / "_async"
            shutil.copytree(async_src, stage_async, ignore=shutil.ignore_patterns("__pycache__"))
            unasync.unasync_files([str(p) for p in sorted(stage_async.rglob("*.py"))], [rule])
            stage_sync = Path(tmp) / "_sync"
            rel = async_src.relative_to(ROOT)
            header = f"# Generated from {rel}/ by generator/generate.py (unasync). Do not edit.\n"
            for path in stage_sync.rglob("*.py"):
                code = path.read_text()
                for old, new in TEXT_REPLACEMENTS.items():
                    code = code.replace(old, new)
                for old, new in UNASYNC_REPLACEMENTS.items():  # in docstrings and comments too
                    code = re.sub(rf"\b{old}\b", new, code)
                path.write_text(header + code)
            config = ["--config", str(ROOT / "pyproject.toml")]
            ruff = [sys.executable, "-m", "ruff"]
            subprocess.run([*ruff, "format", "--quiet", "--no-cache", *config, str(stage_sync)], check=True, cwd=ROOT)
            subprocess.run(
                [*ruff, "check", "--quiet", "--no-cache", *config, "--fix", "--select", "I,F401", str(stage_sync)],
                check=True,
                cwd=ROOT,
            )
            if sync_out.exists():
                shutil.rmtree(sync_out)
            shutil.copytree(stage_sync, sync_out)


def _differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two trees (ignoring __pycache__)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files if n != "__pycache__")
        for name, sub in cmp.subdirs.items():
            if name != "__pycache__":
                walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(expected, actual, ignore=["__pycache__"]), "")
    # dircmp compares by stat signature first; compare bytes to be sure.
    for path in expected.rglob("*.py"):
        rel = path.relative_to(expected)
        other = actual / rel
        if other.exists() and path.read_bytes() != other.read_bytes() and str(rel) not in found:
            found.append(str(rel))
    return sorted(found)


def unused_generated_modules(package_dir: Path, generated: str = "_generated") -> list[str]:
    """The modules of the generated package that no other module of the package reaches.

    A module is reached when a module outside the generated package imports
    it, or when a reached module does. A package's `__init__` is exempt and
    passes nothing on: a name imported from a package counts for the
    submodule its `__init__` takes it from.
    """
    root = package_dir.name
    paths = {_module_name(path, package_dir): path for path in package_dir.rglob("*.py")}
    inside = f"{root}.{generated}"
    reexports = {name: _imports(name, path, paths, {}) for name, path in paths.items() if path.name == "__init__.py"}
    pending = [name for name in paths if not (name == inside or name.startswith(inside + "."))]
    reached: set[str] = set(pending)
    while pending:
        name = pending.pop()
        if paths[name].name == "__init__.py" and name.startswith(inside):
            continue
        for imported in _imports(name, paths[name], paths, reexports):
            if imported not in reached:
                reached.add(imported)
                pending.append(imported)
    return sorted(
        name
        for name, path in paths.items()
        if name.startswith(inside + ".") and path.name != "__init__.py" and name not in reached
    )


def _module_name(path: Path, package_dir: Path) -> str:
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(name: str, path: Path, paths: dict[str, Path], reexports: dict[str, set[str]]) -> set[str]:
    """The modules `name` imports; a name taken from a package counts for the submodule it comes from."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in paths)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
            base = ".".join(part for part in (base, node.module or "") if part)
            if base in paths:
                found.add(base)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                if child in paths:
                    found.add(child)
                elif base in reexports:
                    found.update(module for module in reexports[base] if alias.name in _defined_by(paths[base], module))
    return found


def _defined_by(init: Path, module: str) -> set[str]:
    """The names a package's `__init__` imports from `module`."""
    names: set[str] = set()
    leaf = module.rpartition(".")[2]
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == leaf:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def check() -> int:
    """Regenerate into a temporary folder; report any drift from the tree."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh_generated = Path(tmp) / "_generated"
        generate_client(SPEC, fresh_generated)
        failures += [f"dragoneye/_generated/{p}" for p in _differences(fresh_generated, GENERATED)]
        fresh_models = Path(tmp) / "models.py"
        generate_models(SPEC, fresh_models)
        if fresh_models.read_bytes() != PUBLIC_MODELS.read_bytes():
            failures.append(str(PUBLIC_MODELS.relative_to(ROOT)))
        fresh = [(src, Path(tmp) / "sync" / str(i)) for i, (src, _) in enumerate(SYNC_TREES)]
        generate_sync(fresh)
        for (_, fresh_out), (_, committed) in zip(fresh, SYNC_TREES, strict=True):
            rel = committed.relative_to(ROOT)
            failures += [f"{rel}/{p}" for p in _differences(fresh_out, committed)]
    if failures:
        print("Generated code is stale; run `make generate`:", *failures, sep="\n  ", file=sys.stderr)
    unused = unused_generated_modules(ROOT / "dragoneye")
    if unused:
        print("Generated modules that nothing imports:", *unused, sep="\n  ", file=sys.stderr)
    if failures or unused:
        return 1
    print("generated code is up to date")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the committed code is stale")
    parser.add_argument("--spec", type=Path, help="generate only the client, from this spec")
    parser.add_argument("--out", type=Path, help="with --spec: the package folder to write")
    args = parser.parse_args()
    if args.spec:
        generate_client(args.spec.resolve(), (args.out or GENERATED).resolve())
        return 0
    if args.check:
        return check()
    generate_client(SPEC, GENERATED)
    generate_models(SPEC, PUBLIC_MODELS)
    generate_sync(SYNC_TREES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
