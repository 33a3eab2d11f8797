"""The model layer: :class:`ASSBModel` and its submodels (one file per mechanism)."""

from assb_model.model.model import ASSB_OPTIONS, ASSBModel, OptionError, check_options

__all__ = ["ASSB_OPTIONS", "ASSBModel", "OptionError", "check_options"]
