"""``python -m handocr``: the same commands as the ``handocr`` console command and ``python cli.py``."""
from handocr.commands import main

main()
