"""Time page reading on real pages, beside a lower-bound pipeline timed in the same run.

For every page: CPU and wall seconds (median of ``--repeats``) of decoding, of
finding the letters (the front end) and of the whole read (decode + read_page),
and of a minimal pipeline that bounds what any reader must spend: JPEG decode
reduced by Pillow, one downscale to the working size, one Otsu threshold,
connected components, and one classifier batch of every component's crop
(padded square, resized to 32x32). One-page ``read`` commands are timed as
separate processes (start-up included), all pages as one ``read --jobs 1`` and
``--jobs 2`` command, and the peak memory of reading a 33 MP photo in a child process.

Example::

    python benchmarks/page_speed.py ../shared/data/pages ../shared/data/pages-wild --repeats 3 --jobs --big
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folders", nargs="+", help="folders of page images (or image files)")
    p.add_argument("--repeats", type=int, default=3, help="timings per page; the median is reported")
    p.add_argument("--model", default="cnn")
    p.add_argument("--engine", default=None, help="glyph, line or auto (default: read's default)")
    p.add_argument("--lexicon", default=None, help="en, none or a file (default: read's default)")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads for the in-process timings")
    p.add_argument("--commands", type=int, default=2, help="pages timed as one-page `read` commands (0: none)")
    p.add_argument("--big", action="store_true", help="also measure peak memory reading a 33 MP photo")
    p.add_argument("--jobs", action="store_true", help="also time all pages as one `read --jobs 1` and `--jobs 2` command")
    p.add_argument("--json", dest="json_path", default=None, help="also write the figures as JSON")
    return p.parse_args(argv)


def pages_in(folders):
    found = []
    for folder in folders:
        path = Path(folder)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES)
        else:
            sys.exit(f"Error: {folder}: no such file or folder")
    if not found:
        sys.exit("Error: no page images found in " + ", ".join(folders))
    return found


def timed(fn, repeats):
    """``(result, median CPU s, median wall s)`` of ``fn()`` over ``repeats`` runs."""
    cpu, wall, result = [], [], None
    for _ in range(repeats):
        c, w = time.process_time(), time.perf_counter()
        result = fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return result, statistics.median(cpu), statistics.median(wall)


def lower_bound(path, classifier, side):
    """The minimal pipeline: reduced decode, downscale, Otsu, components, one classifier batch."""
    import numpy as np
    from PIL import Image
    from scipy import ndimage as ndi
    from skimage.filters import threshold_otsu

    with Image.open(path) as img:
        img.draft("L", (side, side))
        img = img.convert("L")
        factor = max(img.size) / side
        if factor > 1:
            img = img.resize((round(img.size[0] / factor), round(img.size[1] / factor)), Image.Resampling.BILINEAR)
        grey = np.asarray(img)
    ink = grey < threshold_otsu(grey)
    labels, _ = ndi.label(ink)
    crops = []
    for sl in ndi.find_objects(labels):
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if max(h, w) < 0.004 * side:
            continue
        side_sq = max(h, w) + 4
        square = np.zeros((side_sq, side_sq), np.uint8)
        y0, x0 = (side_sq - h) // 2, (side_sq - w) // 2
        square[y0:y0 + h, x0:x0 + w] = ink[sl] * 255
        crops.append(255 - np.asarray(Image.fromarray(square).resize((32, 32), Image.Resampling.BILINEAR)))
    if crops:
        rows = np.stack(crops).astype(np.float32).transpose(0, 2, 1).reshape(len(crops), -1) / 255.0
        classifier.predict_proba(rows)
    return len(crops)


def command_wall(path, repeats, options=()):
    """Median wall seconds of ``python cli.py read PAGE [options]`` (start-up included)."""
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "read", str(path), *options], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def batch_wall(paths, jobs, repeats, options=()):
    """Median wall seconds of one ``read --jobs N [options]`` command over all ``paths``."""
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "read", *map(str, paths), *options, "--jobs", str(jobs),
                        "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def big_page_peak_mb(source):
    """Peak resident memory (MB) of a child process reading ``source`` upscaled to a 33 MP JPEG."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.jpg"
        with Image.open(source) as img:
            img = img.convert("RGB")
            factor = (33e6 / (img.size[0] * img.size[1])) ** 0.5
            img.resize((round(img.size[0] * factor), round(img.size[1] * factor))).save(big, quality=90)
        code = ("import resource, subprocess, sys\n"
                "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n")
        out = subprocess.run([sys.executable, "-c", code, sys.executable, str(ROOT / "cli.py"), "read", str(big)],
                             check=True, capture_output=True, text=True)
        with Image.open(big) as img:
            size = img.size
        return float(out.stdout.strip().splitlines()[-1]), size


def main(argv=None):
    args = parse_args(argv)
    from threadpoolctl import threadpool_info

    from ocr.api import Reader
    from ocr.decode.sources import decode_pages
    from ocr.frontend.letters import locate
    from ocr.page import DEFAULT_ENGINE, read_page
    from ocr.params import DEFAULT
    from ocr.recognition.lexicon import DEFAULT_LEXICON
    from training.blas_threads import ThreadLimitError, limit_blas_threads
    from training.classifier import load_classifier

    classifier = load_classifier(args.model, inference=True)
    options = Reader(classifier, engine=args.engine or DEFAULT_ENGINE, lexicon=args.lexicon or DEFAULT_LEXICON).read_options
    command_options = [*(["--engine", args.engine] if args.engine else []), *(["--lexicon", args.lexicon] if args.lexicon else [])]
    pages = pages_in(args.folders)
    side = DEFAULT.work_side
    rows = []
    lower_bound(pages[0], classifier, side)
    read_page(next(iter(decode_pages(pages[0], max_side=side))).image, classifier, **options)
    try:
        limit_blas_threads(args.threads)
    except ThreadLimitError as err:
        sys.exit(f"page_speed.py: error: {err}")
    for path in pages:
        def decode():
            return next(iter(decode_pages(path, max_side=side)))

        page, decode_cpu, decode_wall = timed(decode, args.repeats)
        _, front_cpu, front_wall = timed(lambda: locate(page.image), args.repeats)
        result, read_cpu, read_wall = timed(lambda: read_page(decode().image, classifier, **options), args.repeats)
        crops, low_cpu, low_wall = timed(lambda: lower_bound(path, classifier, side), args.repeats)
        rows.append(dict(page=path.name, letters=len(result), decode_cpu=decode_cpu, front_end_cpu=front_cpu,
                         read_cpu=read_cpu, read_wall=read_wall, lower_bound_cpu=low_cpu, lower_bound_wall=low_wall,
                         ratio_cpu=read_cpu / max(low_cpu, 1e-9)))
        print(f"{path.name:28s} letters {len(result):4d} | decode {decode_cpu:5.2f} front end {front_cpu:5.2f} "
              f"| read {read_cpu:5.2f} cpu {read_wall:5.2f} wall | lower bound {low_cpu:5.2f} cpu "
              f"{low_wall:5.2f} wall ({crops} crops) | x{read_cpu / max(low_cpu, 1e-9):.1f}", flush=True)
    summary = {key: statistics.median(r[key] for r in rows)
               for key in ("read_cpu", "read_wall", "lower_bound_cpu", "lower_bound_wall", "ratio_cpu")}
    summary["blas_threads"] = sorted({lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"})
    summary["classifier"] = type(classifier).__name__
    summary["torch_loaded"] = "torch" in sys.modules
    print(f"median per page: read {summary['read_cpu']:.2f} s cpu, {summary['read_wall']:.2f} s wall; lower bound "
          f"{summary['lower_bound_cpu']:.2f} s cpu, {summary['lower_bound_wall']:.2f} s wall; "
          f"read / lower bound x{summary['ratio_cpu']:.1f} (threads {args.threads})")
    if args.commands:
        walls = {p.name: command_wall(p, args.repeats, command_options) for p in pages[:args.commands]}
        summary["command_wall"] = statistics.median(walls.values())
        for name, wall in walls.items():
            print(f"one-page `read` command, {name}: {wall:.2f} s wall (start-up included)")
    if args.jobs:
        one, two = batch_wall(pages, 1, args.repeats, command_options), batch_wall(pages, 2, args.repeats, command_options)
        summary.update(jobs1_wall=one, jobs2_wall=two)
        print(f"all {len(pages)} pages in one command: --jobs 1 {one:.2f} s, --jobs 2 {two:.2f} s wall "
              f"(ratio {two / one:.2f})")
    if args.big:
        peak, size = big_page_peak_mb(pages[0])
        summary["peak_mb_33mp"] = peak
        print(f"peak memory reading a {size[0]} x {size[1]} photo: {peak:.0f} MB")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps({"pages": rows, "summary": summary}, indent=1))


if __name__ == "__main__":
    main()
