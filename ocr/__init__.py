"""Page pipeline: decode, find letters, recognise, write the results."""
__version__ = "0.2.0"
