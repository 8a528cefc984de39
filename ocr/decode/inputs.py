"""Input files from command-line paths, and output names that never collide."""
from collections import Counter
from pathlib import Path

from .decoded import IMAGE_EXTENSIONS, STDIN

STDIN_NAME = "stdin"


def expand_inputs(paths, recursive=False):
    """Files to read, in order: folders expanded to their images (sorted; with ``recursive``, subfolders too).

    ``"-"`` (stdin) and paths that are not folders are kept as given, so that
    a missing or unreadable file is reported when it is read.
    """
    out = []
    for p in paths:
        path = Path(p)
        if p != STDIN and path.is_dir():
            found = path.rglob("*") if recursive else path.iterdir()
            out.extend(sorted(q for q in found if q.is_file() and q.suffix.lower() in IMAGE_EXTENSIONS))
        else:
            out.append(p if p == STDIN else path)
    return out


def unique_stems(sources):
    """A distinct output name per source: ``NAME``; ``FOLDER-NAME`` where names repeat; then ``-EXT``, ``-N``.

    Parameters
    ----------
    sources : list of Path or ``"-"``

    Returns
    -------
    list of str, one per source, pairwise different (case-insensitively)
    """
    def name(i, level):
        src = sources[i]
        if src == STDIN:
            return STDIN_NAME if level < 3 else f"{STDIN_NAME}-{i + 1}"
        path = Path(src)
        parts = [path.stem]
        if level >= 1:
            parts.insert(0, path.resolve().parent.name or "root")
        if level >= 2:
            parts.append(path.suffix.lstrip(".").lower())
        if level >= 3:
            parts.append(str(i + 1))
        return "-".join(p for p in parts if p)

    levels = [0] * len(sources)
    for level in range(1, 4):
        counts = Counter(name(i, levels[i]).lower() for i in range(len(sources)))
        clashing = [i for i in range(len(sources)) if counts[name(i, levels[i]).lower()] > 1]
        if not clashing:
            break
        for i in clashing:
            levels[i] = level
    return [name(i, levels[i]) for i in range(len(sources))]


def page_stem(stem, page, page_count):
    """``stem`` for a one-page document, ``stem-pN`` for page N of several."""
    return stem if page_count == 1 else f"{stem}-p{page}"
