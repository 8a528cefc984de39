"""Errors raised when a model file cannot be used."""


class ModelFormatError(ValueError):
    """A file is not a model of the expected kind (wrong shapes, truncated, not a model)."""
