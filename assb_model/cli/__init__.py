"""The ``assb`` command line: a thin layer over the Python API."""

from assb_model.cli.main import main

__all__ = ["main"]
