"""CER of real pages turned a few degrees, as a hand-held phone photographs a sheet.

Each page with its ``.txt`` truth is reduced to ``--side`` px (its EXIF
orientation applied), turned by each of ``--angles`` degrees on a dark surround
(Pillow, bilinear, canvas expanded) and read with the defaults; one row per
page, one CER per angle. ``--rule-max-tilt`` compares the ruled-line search
range (``ocr.params.FrontEndParams.rule_max_tilt``).

Example::

    python benchmarks/tilted_pages.py ../shared/data/pages-wild --rule-max-tilt 6 15
"""
import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps  # noqa: E402

from ocr.api import Reader  # noqa: E402
from ocr.evaluate import cer  # noqa: E402
from ocr.params import DEFAULT  # noqa: E402

PAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folders", nargs="+", help="folders of page images with NAME.txt truths")
    p.add_argument("--angles", type=float, nargs="+", default=[-10, -6, -3, 3, 6, 10])
    p.add_argument("--side", type=int, default=2000, help="pages reduced to this long side before turning")
    p.add_argument("--surround", type=int, default=20, help="grey level of the surround the turn uncovers")
    p.add_argument("--rule-max-tilt", type=float, nargs="+", default=[DEFAULT.rule_max_tilt])
    return p.parse_args(argv)


def turned(page, angle, surround):
    """``page`` (PIL RGB image) turned ``angle`` degrees counter-clockwise on a grey ``surround``, as an array."""
    return np.asarray(page.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True,
                                  fillcolor=(surround,) * 3))


def main(argv=None):
    args = parse_args(argv)
    pages = sorted(p for folder in args.folders for p in Path(folder).iterdir()
                   if p.suffix.lower() in PAGE_SUFFIXES and p.with_suffix(".txt").is_file())
    if not pages:
        sys.exit("no page images with .txt truths in " + ", ".join(args.folders))
    print("rule_max_tilt page " + " ".join(f"{a:+g}" for a in args.angles))
    for tilt in args.rule_max_tilt:
        reader = Reader("cnn", params=DEFAULT.with_(rule_max_tilt=tilt))
        for path in pages:
            truth = path.with_suffix(".txt").read_text()
            page = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
            page.thumbnail((args.side, args.side))
            rates = [cer(reader.read(turned(page, a, args.surround))[0].text, truth) for a in args.angles]
            print(f"{tilt:g} {path.name} " + " ".join(f"{r:.2f}" for r in rates), flush=True)


if __name__ == "__main__":
    main()
