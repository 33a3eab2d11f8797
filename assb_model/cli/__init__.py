"""The ``assb`` command line: a thin layer over the Python API (:mod:`assb_model.cli.main`)."""
