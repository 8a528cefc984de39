"""Input files from command-line paths, and output names that never collide."""
import re
from collections import Counter
from pathlib import Path

from .decoded import IMAGE_EXTENSIONS, STDIN

STDIN_NAME = "stdin"
PAGE_NAME = re.compile(r"(.+)-p[0-9]+")


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

    A page of a document with several pages is written as ``NAME-pN`` (:func:`page_stem`),
    and any input may turn out to hold several pages (the format is told by the
    content), so ``doc`` and ``doc-p2`` count as clashing too: neither ``doc.tif``'s
    page 2 nor ``doc-p2.png`` may take the other's name.

    Parameters
    ----------
    sources : list of Path or ``"-"``

    Returns
    -------
    list of str, one per source, pairwise different (case-insensitively), and none
    equal to another's ``-pN`` page name
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
        names = [name(i, levels[i]).lower() for i in range(len(sources))]
        counts = Counter(names)
        page_bases = Counter(_page_base(n) for n in names if _page_base(n))
        clashing = [i for i, n in enumerate(names)
                    if counts[n] > 1 or page_bases[n] or counts[_page_base(n) or ""]]
        if not clashing:
            break
        for i in clashing:
            levels[i] = level
    return [name(i, levels[i]) for i in range(len(sources))]


def _page_base(name):
    """``doc`` for a name of page form ``doc-p2``, else None."""
    match = PAGE_NAME.fullmatch(name)
    return match.group(1) if match else None


def page_stem(stem, page, page_count):
    """``stem`` for a one-page document, ``stem-pN`` for page N of several."""
    return stem if page_count == 1 else f"{stem}-p{page}"
