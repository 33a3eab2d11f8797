"""The benchmark scripts import against the current package (they are not run in tests:
speed is measured in benchmarks/, not in the test suite, but a moved name must not leave a
benchmark that fails on its first line)."""

import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).parents[2] / "benchmarks").glob("*.py"))


def test_there_are_benchmarks():
    assert len(BENCHMARKS) >= 5


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_imports(path):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # module level only: main() is behind __name__ guard
    assert callable(getattr(module, "main", None)), f"{path.name} has no main()"
