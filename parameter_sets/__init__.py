"""Parameter-set data files, shipped inside the package as assb_model.parameter_sets."""
