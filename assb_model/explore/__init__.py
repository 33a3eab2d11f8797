"""What-if explorer in the browser (``assb explore``): a Dash app over one adapter module.

- :mod:`assb_model.explore.backend`: the only module that calls the model, parameter
  sets, sweep engine and model impedance;
- :mod:`assb_model.explore.figures`: the views (Plotly on the page, CSV and PNG
  downloads);
- :mod:`assb_model.explore.app`: layout and callbacks (:func:`create_app`);
- :mod:`assb_model.cli.explore`: the ``assb explore`` command.

Usage and design: docs/explore.md.
"""
