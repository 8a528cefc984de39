"""Stage 5, writers: one module per output format, each with ``EXTENSION`` and ``render(pages)``; pictures."""
import os
import tempfile
from pathlib import Path

from . import alto, hocr, jsonlines, jsonlist, pagexml, pdf, text, tsv

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
    """Write ``pages`` to ``path`` in ``fmt`` (default from the extension), all or nothing."""
    data = render(pages, fmt or format_of(path))
    write_atomic(path, data)
    return Path(path)


def write_atomic(path, data):
    """Write str or bytes to ``path`` through a temporary file in the same folder, so no half file is left."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
