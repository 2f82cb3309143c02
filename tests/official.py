"""The official client (PyPI dragoneye-python 2.0.1), driven in a subprocess from its own venv."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import attrs


@attrs.frozen
class OfficialPython:
    """The interpreter of the official client's venv (PyPI dragoneye-python 2.0.1)."""

    path: str

    def run_json(self, *args: str, stdin: str | None = None, cwd: Path | None = None, timeout: float = 120) -> Any:
        """Run `python -I *args` and return what it printed, as JSON; fail the test on a non-zero exit.

        `-I` (isolated): the official package imports as `dragoneye` too, and must
        never pick up ours from the working directory.
        """
        completed = subprocess.run(
            [self.path, "-I", *args],
            input=stdin,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout)
