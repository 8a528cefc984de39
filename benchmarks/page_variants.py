"""CER of real pages turned a few degrees or shrunk, as hand-held phones and messaging apps deliver them.

Each page with its ``.txt`` truth is reduced to ``--side`` px (its EXIF
orientation applied), then turned by each of ``--angles`` degrees on a dark
surround (Pillow, bilinear, canvas expanded) and shrunk by each of
``--shrink`` factors (Pillow, bilinear), and each copy is read with the
defaults; one row per page, one CER per copy. ``--set NAME=VALUE`` reads them
again with a front-end parameter changed (``ocr.params.FrontEndParams``), e.g.
``--set rule_max_tilt=6 --set min_letter_height=0``.

Example::

    python benchmarks/page_variants.py ../shared/data/pages-wild ../shared/data/pages
"""
import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps  # noqa: E402

from ocr.api import Reader  # noqa: E402
from ocr.params import DEFAULT  # noqa: E402
from training.evaluate_pages import cer, page_pairs  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folders", nargs="+", help="folders of page images with NAME.txt truths")
    p.add_argument("--angles", type=float, nargs="*", default=[-10, -6, -3, 3, 6, 10])
    p.add_argument("--shrink", type=int, nargs="*", default=[2, 3, 4, 5], help="copies 1/N the size")
    p.add_argument("--side", type=int, default=2000, help="pages reduced to this long side first")
    p.add_argument("--surround", type=int, default=20, help="grey level of the surround a turn uncovers")
    p.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                   help="also read with this front-end parameter changed (repeatable: one row group each)")
    return p.parse_args(argv)


def turned(page, angle, surround):
    """``page`` (PIL RGB image) turned ``angle`` degrees counter-clockwise on a grey ``surround``, as an array."""
    return np.asarray(page.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True,
                                  fillcolor=(surround,) * 3))


def shrunk(page, n):
    """``page`` (PIL RGB image) at 1/``n`` of its size, as an array."""
    return np.asarray(page.resize((max(1, page.width // n), max(1, page.height // n)), Image.Resampling.BILINEAR))


def parameter_sets(settings):
    """``[(label, FrontEndParams)]``: the defaults, then one per ``NAME=VALUE`` (a one-line error if unknown)."""
    out = [("defaults", DEFAULT)]
    for setting in settings:
        name, _, value = setting.partition("=")
        if not hasattr(DEFAULT, name) or not value:
            sys.exit(f"--set {setting}: expected NAME=VALUE with NAME a field of ocr.params.FrontEndParams")
        out.append((setting, DEFAULT.with_(**{name: type(getattr(DEFAULT, name))(float(value))})))
    return out


def main(argv=None):
    args = parse_args(argv)
    pages = sorted(pair for folder in args.folders for pair in page_pairs(folder))
    if not pages:
        sys.exit("no page images with .txt truths in " + ", ".join(args.folders))
    sets = parameter_sets(args.settings)
    print("params page " + " ".join([f"turn{a:+g}" for a in args.angles] + [f"1/{n}" for n in args.shrink]))
    for label, params in sets:
        reader = Reader("cnn", params=params)
        for path, truth_path in pages:
            truth = truth_path.read_text()
            page = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
            page.thumbnail((args.side, args.side))
            copies = [turned(page, a, args.surround) for a in args.angles] + [shrunk(page, n) for n in args.shrink]
            rates = [cer(reader.read(copy)[0].text, truth) for copy in copies]
            print(f"{label} {path.name} " + " ".join(f"{r:.2f}" for r in rates), flush=True)


if __name__ == "__main__":
    main()
