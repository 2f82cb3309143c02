"""Regenerate the code that is derived, never written by hand.

1. openapi.yaml -> dragoneye/_generated/ (openapi-python-client, pinned in
   pyproject.toml, with the templates in generator/templates/).
2. dragoneye/_async/ -> dragoneye/_sync/ and tests/_async/ -> tests/_sync/
   (unasync, then ruff format).

    python generator/generate.py            # write both into the tree
    python generator/generate.py --check    # fail if the tree differs
    python generator/generate.py --spec S --out DIR   # only the client, from S into DIR

Generation fails on any generator warning: a skipped response or schema is a
bug in the spec, not something to ship.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import unasync

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "generator" / "config.yaml"
TEMPLATES = ROOT / "generator" / "templates"
GENERATED = ROOT / "dragoneye" / "_generated"
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
    "aclose": "close",
    "async_sleep": "sync_sleep",
    "async_run_blocking": "sync_run_blocking",
}

# Text that a token rewrite leaves alone: docstrings that differ between the
# two clients, and test markers. Each must be used, like the token rules.
TEXT_REPLACEMENTS = {
    "The Dragoneye API for async code (asyncio or trio).": "The Dragoneye API for blocking code.",
    "`async with` or\n    `await client.aclose()`": "`with` or\n    `client.close()`",
    "The async facade, written by hand.": "The blocking facade, generated from dragoneye/_async/.",
    "@pytest.mark.anyio\n": "",
}


def generate_client(spec: Path, out: Path) -> None:
    """Generate the low-level client for `spec` as the package folder `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "_generated"
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                f"--path={spec}",
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
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(target, out)


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


def check() -> int:
    """Regenerate into a temporary folder; report any drift from the tree."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh_generated = Path(tmp) / "_generated"
        generate_client(SPEC, fresh_generated)
        failures += [f"dragoneye/_generated/{p}" for p in _differences(fresh_generated, GENERATED)]
        fresh = [(src, Path(tmp) / "sync" / str(i)) for i, (src, _) in enumerate(SYNC_TREES)]
        generate_sync(fresh)
        for (_, fresh_out), (_, committed) in zip(fresh, SYNC_TREES, strict=True):
            rel = committed.relative_to(ROOT)
            failures += [f"{rel}/{p}" for p in _differences(fresh_out, committed)]
    if failures:
        print("Generated code is stale; run `make generate`:", *failures, sep="\n  ", file=sys.stderr)
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
    generate_sync(SYNC_TREES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
