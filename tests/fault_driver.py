"""Run the ``handocr`` command with faults a test controls, in a process of its own.

``python tests/fault_driver.py [--log FILE] [--gate FIFO] [--kill-marker FILE] -- ARGS...`` runs
``handocr ARGS...`` with the stub classifier of ``conftest`` and a :class:`FaultyReader`, which, before
reading an input (here or, pickled, in a worker process):

* ``--log FILE``: appends ``start NAME PID`` (NAME from the page's tag, see :func:`tagged_page`);
* ``--gate FIFO``: waits for one byte from FIFO, for every input after the first one this process reads;
* kills its own process with SIGKILL (as the OOM killer would) when the input is tagged ``kill``: once if
  ``--kill-marker FILE`` is given (the marker is created then), else every time.
"""
import os
import re
import signal
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [TESTS, os.path.dirname(TESTS)]       # this clone's packages, whatever is installed

import numpy as np  # noqa: E402
from PIL import Image, PngImagePlugin  # noqa: E402

from ocr.api import Reader  # noqa: E402

TAG = re.compile(rb"handocr-test\x00([^;]*);(kill)?")


def tagged_page(path, lines, name, kill=False):
    """Write a PNG page of ``lines`` whose bytes carry ``name`` (and ``kill``) in a text chunk."""
    from ocr_drawing import text_page

    info = PngImagePlugin.PngInfo()
    info.add_text("handocr-test", f"{name};{'kill' if kill else ''}")
    Image.fromarray((np.clip(text_page(lines), 0, 1) * 255).astype(np.uint8)).save(path, pnginfo=info)
    return path


class FaultyReader(Reader):
    """A Reader that logs, waits at a gate or dies before reading an input (settings pickled with it)."""

    settings = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.faults = dict(FaultyReader.settings)
        self.seen = 0

    def iter_read(self, source, errors="raise"):
        data = source if isinstance(source, bytes) else open(source, "rb").read()
        match = TAG.search(data)
        name, kill = (match.group(1).decode(), bool(match.group(2))) if match else ("?", False)
        self.seen += 1
        if self.faults.get("--log"):
            with open(self.faults["--log"], "a") as out:
                out.write(f"start {name} {os.getpid()}\n")
        if self.faults.get("--gate") and self.seen > 1:
            fd = os.open(self.faults["--gate"], os.O_RDONLY)
            try:
                os.read(fd, 1)
            finally:
                os.close(fd)
        if kill:
            marker = self.faults.get("--kill-marker")
            if marker is None:
                os.kill(os.getpid(), signal.SIGKILL)
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                pass
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        return super().iter_read(source, errors)


def main(argv):
    import ocr.api
    import ocr.recognition.model_files as model_files
    from conftest import StubClassifier

    options, args = argv[:argv.index("--")], argv[argv.index("--") + 1:]
    FaultyReader.settings = dict(zip(options[::2], options[1::2]))
    ocr.api.Reader = FaultyReader
    model_files.load_classifier = lambda spec, inference=False: StubClassifier()
    ocr.api.line_recogniser = lambda *rest, **options: None
    from handocr.commands import main as handocr_main

    sys.argv = ["handocr", *args]
    handocr_main()


if __name__ == "__main__":
    import fault_driver    # the classes by their module name, so that worker processes unpickle them

    fault_driver.main(sys.argv[1:])
