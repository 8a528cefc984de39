"""``python -m handocr``: the same commands as the ``handocr`` console command and ``python cli.py``."""
from cli import cli

cli(prog_name="handocr")
