"""``python cli.py``: the ``handocr`` command run from a clone (installed, it is ``handocr`` or ``python -m handocr``)."""
from handocr.commands import cli

if __name__ == "__main__":
    cli()
