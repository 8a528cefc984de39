"""Stage 5, writers: one module per output format, each with ``EXTENSION`` and ``render(pages)``; pictures."""
from pathlib import Path

from . import alto, hocr, jsonlines, jsonlist, pagexml, pdf, text, tsv
from .output import check_output, write_atomic, write_output  # noqa: F401  (the writers' public helpers)

WRITERS = {"text": text, "json": jsonlist, "jsonl": jsonlines, "tsv": tsv, "hocr": hocr, "alto": alto,
           "page": pagexml, "pdf": pdf}
FORMATS = tuple(WRITERS)
BY_EXTENSION = {w.EXTENSION: name for name, w in WRITERS.items()}


def render(pages, fmt):
    """``pages`` (a list of PageReading, and PageFailure for json/jsonl) in ``fmt``: str, or bytes for 'pdf'."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return WRITERS[fmt].render(pages)


def format_of(path):
    """The format a file name asks for by its extension ('.hocr' -> 'hocr')."""
    name = Path(path).name.lower()
    for ext in sorted(BY_EXTENSION, key=len, reverse=True):
        if name.endswith(ext):
            return BY_EXTENSION[ext]
    raise ValueError(f"{path}: cannot tell the format from the file name; "
                     f"use one of {', '.join(sorted(BY_EXTENSION))}")


def save(pages, path, fmt=None):
    """Write ``pages`` to ``path`` in ``fmt`` (default from the extension), all or nothing.

    ``path`` may be ``"-"`` (standard output), a FIFO or device (written through)
    or a symbolic link (followed); see :func:`ocr.writers.output.write_output`.
    """
    data = render(pages, fmt or format_of(path))
    write_output(path, data)
    return Path(path)
