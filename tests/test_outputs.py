"""Outputs go where the user pointed: FIFOs, devices, links, ``-``, modes, and paths checked before reading."""
import contextlib
import json
import os
import stat
import subprocess

import numpy as np
import pytest
from click.testing import CliRunner
from ocr_drawing import text_page
from PIL import Image

from handocr.commands.read import read


def page_png(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray((np.clip(text_page(lines), 0, 1) * 255).astype(np.uint8)).save(path)
    return path


def run(args, **kwargs):
    return CliRunner().invoke(read, [str(a) for a in args], **kwargs)


class Counting:
    """The stub classifier, counting the crops it is shown."""

    def __init__(self):
        from conftest import StubClassifier

        self.calls, self.stub = 0, StubClassifier()

    def predict_proba(self, rows):
        self.calls += 1
        return self.stub.predict_proba(rows)


@pytest.fixture
def counting(stub_model, monkeypatch):
    import ocr.recognition.model_files as model_files

    classifier = Counting()
    monkeypatch.setattr(model_files, "load_classifier", lambda spec, inference=False: classifier)
    return classifier


@pytest.fixture
def page(tmp_path):
    return page_png(tmp_path / "in" / "page.png", [["THE", "LIFT"], ["FEZ"]])


@contextlib.contextmanager
def unwritable(folder):
    """``folder`` made unwritable, also for root (immutable attribute), then restored."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        try:
            yield
        finally:
            os.chmod(folder, 0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a folder immutable here (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def expected_json(page):
    res = run([page, "--format", "json"])
    assert res.exit_code == 0
    return res.stdout


def test_o_writes_through_a_fifo(stub_model, page, tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)      # a reader waits, as `cat out.json` would
    try:
        res = run([page, "-o", fifo])
        received = b""
        while chunk := os.read(reader, 1 << 16):
            received += chunk
    finally:
        os.close(reader)
    assert res.exit_code == 0, res.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received.decode() == expected_json(page)


def test_o_follows_a_symlink(stub_model, page, tmp_path):
    target = tmp_path / "real" / "target.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    res = run([page, "-o", link])
    assert res.exit_code == 0, res.output
    assert os.path.islink(link) and os.readlink(link) == str(target)
    assert target.read_text() == expected_json(page)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "new.json")
    assert run([page, "-o", dangling]).exit_code == 0
    assert os.path.islink(dangling) and (tmp_path / "real" / "new.json").read_text() == expected_json(page)


def test_o_writes_through_a_device_node(stub_model, page, tmp_path):
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))     # the same device as /dev/null
    except PermissionError:
        pytest.skip("cannot make a device node here (needs root)")
    res = run([page, "-o", null, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.makedev(1, 3)
    assert sorted(os.listdir(tmp_path)) == ["in", "null"]          # no temporary file left beside it


def test_o_dash_is_stdout(stub_model, page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run([page, "-o", "-", "--format", "json"])
    assert res.exit_code == 0 and res.stdout == expected_json(page)
    res = run([page, "-o", "-"])
    assert res.exit_code == 0 and res.stdout == "EEE EEEE\nEEE\n"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("umask, new_mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_honour_the_umask_and_existing_files_keep_their_mode(stub_model, page, tmp_path, umask, new_mode):
    existing = tmp_path / "existing.json"
    existing.write_text("old")
    os.chmod(existing, 0o640)
    old = os.umask(umask)
    try:
        assert run([page, "-o", tmp_path / "new.json"]).exit_code == 0
        assert run([page, "-o", existing]).exit_code == 0
        assert run([page, "--output-dir", tmp_path / "dir", "--overlay", tmp_path / "o.png"]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == new_mode
    assert stat.S_IMODE(os.stat(tmp_path / "dir" / "page.txt").st_mode) == new_mode
    assert stat.S_IMODE(os.stat(tmp_path / "o.png").st_mode) == new_mode
    assert stat.S_IMODE(os.stat(existing).st_mode) == 0o640 and existing.read_text() == expected_json(page)


def test_o_into_a_missing_folder_is_refused_before_any_page_is_read(counting, page, tmp_path):
    target = tmp_path / "no" / "such" / "out.json"
    res = run([page, "-o", target])
    assert res.exit_code == 1 and res.stdout == "" and counting.calls == 0
    assert res.stderr == f"Error: {target}: cannot write (no folder {target.parent})\n"
    res = run([page, "-o", tmp_path, "--format", "json"])
    assert res.exit_code == 1 and counting.calls == 0
    assert res.stderr == f"Error: {tmp_path}: is a folder; give a file name\n"


def test_o_into_an_unwritable_folder_is_refused_before_any_page_is_read(counting, page, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with unwritable(folder):
        res = run([page, "-o", folder / "out.json"])
        pdf = run([page, "--format", "pdf", "--output-dir", folder])
        overlay = run([page, "--overlay", folder / "o.png"])
    assert counting.calls == 0 and list(folder.iterdir()) == []
    assert res.exit_code == 1 and res.stderr.startswith(f"Error: {folder / 'out.json'}: cannot write (")
    assert pdf.exit_code == 1 and pdf.stderr.startswith(f"Error: --output-dir {folder}: cannot write (")
    assert overlay.exit_code == 1 and overlay.stderr.startswith(f"Error: {folder / 'o.png'}: cannot write (")
    assert [len(r.stderr.splitlines()) for r in (res, pdf, overlay)] == [1, 1, 1]


def test_a_pdf_that_cannot_be_saved_is_one_failure_and_the_batch_goes_on(stub_model, tmp_path):
    first = page_png(tmp_path / "in" / "first.png", [["THE"]])
    second = page_png(tmp_path / "in" / "second.png", [["FEZ"]])
    out = tmp_path / "out"
    (out / "first.pdf").mkdir(parents=True)               # its name is taken by a folder
    res = run([first, second, "--format", "pdf", "--output-dir", out])
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert res.exit_code == 1
    assert res.stderr.startswith(f"Error: {first}: ") and len(res.stderr.splitlines()) == 1
    assert (out / "second.pdf").read_bytes().startswith(b"%PDF")


def test_every_page_and_overlay_gets_its_own_name(stub_model, tmp_path):
    folder = tmp_path / "in"
    pages = [Image.open(page_png(tmp_path / f"p{k}.png", [["THE"] * k])) for k in (1, 2, 3)]
    folder.mkdir()
    pages[0].save(folder / "doc.tif", save_all=True, append_images=pages[1:])   # doc-p1 .. doc-p3
    page_png(folder / "doc-p2.png", [["FEZ", "FEZ", "FEZ", "FEZ"]])
    out, overlays = tmp_path / "out", tmp_path / "ov"
    overlays.mkdir()
    res = run([folder, "--format", "json", "--output-dir", out, "--overlay", overlays / "o.png"])
    assert res.exit_code == 0, res.output
    written = {p.name: json.loads(p.read_text())[0] for p in out.iterdir()}
    assert len(written) == 4
    assert sorted((w["file"], w["page"], w["text"]) for w in written.values()) == [
        (str(folder / "doc-p2.png"), 1, "EEE EEE EEE EEE"),
        (str(folder / "doc.tif"), 1, "EEE"), (str(folder / "doc.tif"), 2, "EEE EEE"),
        (str(folder / "doc.tif"), 3, "EEE EEE EEE")]
    assert sorted(p.stem for p in overlays.iterdir()) == sorted(f"o-{p.stem}" for p in out.iterdir())


def test_write_output_leaves_a_regular_file_whole_when_writing_fails(tmp_path, monkeypatch):
    from ocr.writers.output import write_output

    target = tmp_path / "out.txt"
    target.write_text("before")

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        write_output(target, "after")
    assert target.read_text() == "before" and os.listdir(tmp_path) == ["out.txt"]


def test_check_output_refuses_only_what_cannot_be_written(tmp_path):
    from ocr.writers.output import check_output

    check_output("-")
    check_output(tmp_path / "new.txt")
    os.mkfifo(tmp_path / "fifo")
    check_output(tmp_path / "fifo")
    assert os.listdir(tmp_path) == ["fifo"]
    with pytest.raises(OSError, match="is a folder"):
        check_output(tmp_path)
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError, match=r"out.txt: cannot write \(Not a directory\)"):
        check_output(tmp_path / "file" / "out.txt")
    with pytest.raises(OSError, match=r"out.txt: cannot write \(no folder "):
        check_output(tmp_path / "missing" / "out.txt")


def test_odd_file_names_give_well_formed_xml_and_their_own_bytes_in_text(stub_model, tmp_path):
    import xml.etree.ElementTree as ET

    folder = tmp_path / "in"
    names = [b"ctl\x01name.png", b"caf\xe9.png", b'q"uote.png']
    for name in names:
        page_png(folder / os.fsdecode(name), [["THE"]])
    res = run([folder, "--format", "text"])
    assert res.exit_code == 0, res.output
    assert res.stdout_bytes == b"".join(b"==> " + os.fsencode(folder) + b"/" + name + b" <==\nEEE\n"
                                        for name in sorted(names, key=os.fsdecode))
    for fmt in ("hocr", "alto", "page"):
        out = tmp_path / fmt
        res = run([folder, "--format", fmt, "--output-dir", out])
        assert res.exit_code == 0, res.output
        assert len(list(out.iterdir())) == 3
        for path in out.iterdir():
            ET.parse(path)
