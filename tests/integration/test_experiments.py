"""The scripts in experiments/ run (they are examples of the API for each figure)."""

import subprocess
import sys
from pathlib import Path

import pytest

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"
FAST = {"figure4_first_cycles.py"}
SCRIPTS = sorted(
    p.name for p in EXPERIMENTS.glob("*.py") if p.name not in ("make_synthetic_example.py",)
)


@pytest.mark.parametrize(
    "script",
    [s if s in FAST else pytest.param(s, marks=pytest.mark.slow) for s in SCRIPTS],
)
def test_experiment_script_runs(script, tmp_path):
    args = (
        [str(tmp_path / "out")]
        if script != "readme_figure.py"
        else ["--out", str(tmp_path / "f.png")]
    )
    if script == "table2_3_resistances.py":
        args = []
    done = subprocess.run(
        [sys.executable, str(EXPERIMENTS / script), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
