"""Benchmarks of this SDK against the official client (PyPI dragoneye-python 2.0.1).

`python -m benchmarks` (`make bench`) starts the emulator in its own process,
drives both clients against it in the same run, prints a table and writes
`benchmarks/results.json`. Each client runs in a fresh subprocess with its own
interpreter: ours with this venv's, the official one with
$DRAGONEYE_OFFICIAL_PYTHON (both packages import as `dragoneye`).
"""
