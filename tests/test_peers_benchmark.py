"""benchmarks/peers.py: its CER (case-insensitive and case-sensitive, pooled over characters, per category and
repo), its tables and its handling of engines that are not installed, with stand-in engines (no peer needed)."""
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "peers.py"

TRUTHS = {"a.png": "HELLO\nWORLD", "b.png": "Hi there", "c.png": "12+3"}
READS = {"a.png": "HELLO\nW0RLD", "b.png": "HI THERE", "c.png": "12 + 8"}
SOURCES = ("file\trepo\tpath\tcommit\tlicence\tpixel_size\tcategory\n"
           "a.png\towner/r1\tx.png\t0\tMIT\t8x8\tCAPS\n"
           "b.png\towner/r2\ty.png\t0\tMIT\t8x8\tMIXED_PRINT\n"
           "c.png\towner/r1\tz.png\t0\tMIT\t8x8\tDIGITS\n")


@pytest.fixture(scope="module")
def peers():
    spec = importlib.util.spec_from_file_location("peers_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def ticking(peers, monkeypatch):
    """Every clock reading 0.25 s after the previous one, so each timed read or load takes 0.25 s."""
    ticks = iter(range(10_000))
    monkeypatch.setattr(peers, "clock", lambda: 0.25 * next(ticks))


@pytest.fixture
def fixed(peers):
    class Fixed(peers.Engine):
        """Reads each page as READS says."""

        name = "fixed"

        def read(self, path):
            return READS[Path(path).name]

    return Fixed


@pytest.fixture
def blank(peers):
    class Blank(peers.Engine):
        """Reads nothing."""

        name = "blank"

        def read(self, path):
            return ""

    return Blank


@pytest.fixture
def missing(peers):
    class Missing(peers.Engine):
        """Never installed."""

        name = "missing"

        def available(self):
            self.reason = "no such thing; install: nothing"
            return False

        def load(self):
            raise AssertionError("an unavailable engine is never loaded")

    return Missing


def write_pages(folder, sources=True):
    from PIL import Image

    folder.mkdir(exist_ok=True)
    for name, truth in TRUTHS.items():
        Image.new("L", (8, 8), 255).save(folder / name)
        (folder / name).with_suffix(".txt").write_text(truth + "\n")
    (folder / "no_truth.png").write_bytes((folder / "a.png").read_bytes())
    (folder / "notes.txt").write_text("not a page\n")
    if sources:
        (folder / "sources.tsv").write_text(SOURCES)
    return folder


def test_cer_of_tiny_strings_case_insensitive_and_case_sensitive(peers):
    assert peers.page_score("HELLO", "HELLO") == {"chars": 5, "edits_ci": 0, "edits_cs": 0,
                                                  "cer_ci": 0.0, "cer_cs": 0.0}
    assert peers.page_score("HeLLo", "HELLO") == {"chars": 5, "edits_ci": 0, "edits_cs": 2,
                                                  "cer_ci": 0.0, "cer_cs": 0.4}
    assert peers.page_score("HI THERE", "Hi there") == {"chars": 7, "edits_ci": 0, "edits_cs": 6,
                                                        "cer_ci": 0.0, "cer_cs": 6 / 7}
    assert peers.page_score("CAT", "dog") == {"chars": 3, "edits_ci": 3, "edits_cs": 3, "cer_ci": 1.0, "cer_cs": 1.0}
    assert peers.page_score("", "ABCD") == {"chars": 4, "edits_ci": 4, "edits_cs": 4, "cer_ci": 1.0, "cer_cs": 1.0}
    # no truth characters: edits over 1, as ocr.evaluate counts
    assert peers.page_score("AB", " \n") == {"chars": 0, "edits_ci": 2, "edits_cs": 2, "cer_ci": 2.0, "cer_cs": 2.0}


def test_whitespace_and_line_breaks_are_ignored(peers):
    assert peers.squeeze(" A b\n\tC \n") == "AbC" and peers.squeeze(" A b\n\tC \n", case_sensitive=False) == "abc"
    assert peers.page_score("AB  C\n\nD", "A\nBCD")["edits_cs"] == 0
    assert peers.page_score("A B X", "A\nB\nC") == {"chars": 3, "edits_ci": 1, "edits_cs": 1,
                                                    "cer_ci": 1 / 3, "cer_cs": 1 / 3}


def test_pooled_cer_is_over_characters_not_a_mean_over_pages(peers):
    short = peers.page_score("A", "AB")            # 1 edit in 2 characters: 50%
    long = peers.page_score("abcdefghij", "ABCDEFGHIJ")  # 0 / 10 edits: 0% / 100%
    both = peers.pooled([{**short, "seconds": 1.0}, {**long, "seconds": 4.0}])
    assert both == {"pages": 2, "chars": 12, "edits_ci": 1, "edits_cs": 11, "cer_ci": 1 / 12, "cer_cs": 11 / 12,
                    "seconds_mean": 2.5, "seconds_median": 2.5}
    assert peers.pooled([]) == {"pages": 0, "chars": 0, "edits_ci": 0, "edits_cs": 0, "cer_ci": 0.0, "cer_cs": 0.0,
                                "seconds_mean": None, "seconds_median": None}


def test_pages_need_a_truth_and_take_their_groups_from_sources_tsv(peers, tmp_path):
    folder = write_pages(tmp_path / "real")
    (folder / "sources.tsv").write_text(SOURCES.replace("c.png\towner/r1\tz.png\t0\tMIT\t8x8\tDIGITS\n", ""))
    pages = peers.load_folder(folder)
    assert [(p["page"], p["truth"], p["category"], p["repo"]) for p in pages] == [
        ("a.png", "HELLO\nWORLD", "CAPS", "owner/r1"), ("b.png", "Hi there", "MIXED_PRINT", "owner/r2"),
        ("c.png", "12+3", "(none)", "(none)")]
    plain = write_pages(tmp_path / "plain", sources=False)
    assert [(p["page"], p["category"], p["repo"]) for p in peers.load_folder(plain)] == [
        ("a.png", None, None), ("b.png", None, None), ("c.png", None, None)]


def test_pooled_per_category_and_per_repo(peers, tmp_path, fixed, blank, ticking):
    report = peers.run_benchmark([write_pages(tmp_path / "real")], [fixed(), blank()], progress=False)
    entry = report["folders"][0]
    cers = {group: (s["fixed"]["chars"], s["fixed"]["cer_ci"], s["fixed"]["cer_cs"])
            for group, s in entry["categories"].items()}
    assert cers == {"CAPS": (10, 0.1, 0.1), "DIGITS": (4, 0.25, 0.25), "MIXED_PRINT": (7, 0.0, 6 / 7)}
    cers = {group: (s["fixed"]["chars"], s["fixed"]["cer_ci"], s["fixed"]["cer_cs"])
            for group, s in entry["repos"].items()}
    assert cers == {"owner/r1": (14, 2 / 14, 2 / 14), "owner/r2": (7, 0.0, 6 / 7)}
    assert (entry["pooled"]["fixed"]["cer_ci"], entry["pooled"]["fixed"]["cer_cs"]) == (2 / 21, 8 / 21)
    assert (entry["pooled"]["blank"]["cer_ci"], entry["pooled"]["blank"]["cer_cs"]) == (1.0, 1.0)
    assert [p["results"]["fixed"]["text"] for p in entry["pages"]] == ["HELLO\nW0RLD", "HI THERE", "12 + 8"]
    assert entry["pooled"]["fixed"]["seconds_mean"] == 0.25 and report["engines"]["fixed"]["load_seconds"] == 0.25


def test_markdown_tables_per_category_repo_and_page(peers, tmp_path, fixed, blank, ticking):
    report = peers.run_benchmark([write_pages(tmp_path / "real")], [fixed(), blank()], progress=False)
    assert peers.markdown_report(report) == "\n".join([
        "- fixed: imported and loaded in 0.25 s",
        "- blank: imported and loaded in 0.25 s",
        "",
        "### real (3 pages)",
        "",
        "CER case-insensitive / case-sensitive, whitespace ignored, pooled over all characters:",
        "",
        "| pages | fixed | blank |",
        "| --- | --- | --- |",
        "| CAPS (1 pages) | 10.0% / 10.0% | 100.0% / 100.0% |",
        "| DIGITS (1 pages) | 25.0% / 25.0% | 100.0% / 100.0% |",
        "| MIXED_PRINT (1 pages) | 0.0% / 85.7% | 100.0% / 100.0% |",
        "| pooled (3 pages) | 9.5% / 38.1% | 100.0% / 100.0% |",
        "| seconds per page, mean (median) | 0.25 (0.25) | 0.25 (0.25) |",
        "| import + model load, seconds (once) | 0.25 | 0.25 |",
        "",
        "By source (`repo`):",
        "",
        "| repo (pages) | fixed | blank |",
        "| --- | --- | --- |",
        "| owner/r1 (2) | 14.3% / 14.3% | 100.0% / 100.0% |",
        "| owner/r2 (1) | 0.0% / 85.7% | 100.0% / 100.0% |",
        "",
        "Per page (CER case-insensitive / case-sensitive, seconds):",
        "",
        "| page | category | chars | fixed | blank |",
        "| --- | --- | --- | --- | --- |",
        "| `a.png` | CAPS | 10 | 10.0% / 10.0%, 0.25 s | 100.0% / 100.0%, 0.25 s |",
        "| `b.png` | MIXED_PRINT | 7 | 0.0% / 85.7%, 0.25 s | 100.0% / 100.0%, 0.25 s |",
        "| `c.png` | DIGITS | 4 | 25.0% / 25.0%, 0.25 s | 100.0% / 100.0%, 0.25 s |",
    ]) + "\n"


def test_a_folder_without_sources_is_one_row_and_has_no_category_column(peers, tmp_path, fixed, ticking):
    report = peers.run_benchmark([write_pages(tmp_path / "wild", sources=False)], [fixed()], progress=False)
    lines = peers.markdown_report(report).splitlines()
    assert lines[lines.index("| pages | fixed |") + 2] == "| wild (3 pages) | 9.5% / 38.1% |"
    assert "By source (`repo`):" not in lines
    assert lines[lines.index("| page | chars | fixed |") + 2] == "| `a.png` | 10 | 10.0% / 10.0%, 0.25 s |"


def test_an_unavailable_engine_is_skipped_with_one_line(peers, tmp_path, fixed, missing, capsys, ticking):
    report = peers.run_benchmark([write_pages(tmp_path / "real")], [missing(), fixed()], progress=False)
    assert capsys.readouterr().err == "missing: unavailable, skipped: no such thing; install: nothing\n"
    assert report["engines"]["missing"] == {"available": False, "reason": "no such thing; install: nothing"}
    assert list(report["folders"][0]["pooled"]) == ["fixed"]
    text = peers.markdown_report(report)
    assert "- missing: unavailable (no such thing; install: nothing)\n" in text and "| pages | fixed |\n" in text


def test_a_page_an_engine_fails_on_counts_as_read_as_nothing(peers, tmp_path, fixed, capsys, ticking):
    class Flaky(fixed):
        name = "flaky"

        def read(self, path):
            if Path(path).name == "c.png":
                raise ValueError("cannot decode\nsecond line")
            return super().read(path)

    report = peers.run_benchmark([write_pages(tmp_path / "real", sources=False)], [Flaky()], progress=False)
    assert capsys.readouterr().err == "flaky: c.png: ValueError: cannot decode\n"
    page = report["folders"][0]["pages"][2]["results"]["flaky"]
    assert (page["text"], page["edits_cs"], page["error"]) == ("", 4, "ValueError: cannot decode")
    assert "| `c.png` | 4 | 100.0% / 100.0%, 0.25 s (error) |" in peers.markdown_report(report)


def test_missing_modules_and_commands_make_an_engine_unavailable(peers):
    engine = peers.EasyOcrEngine()
    engine.install = "pip install nothing"
    assert engine._modules_available("no_such_module_for_peers") is False
    assert engine.reason == ("cannot import no_such_module_for_peers (ModuleNotFoundError: No module named "
                             "'no_such_module_for_peers'); install: pip install nothing")
    tesseract = peers.TesseractEngine(command="no-such-tesseract-for-peers")
    assert tesseract.available() is False
    assert tesseract.reason == ("no no-such-tesseract-for-peers command; "
                                "install: apt-get install tesseract-ocr tesseract-ocr-eng")


def test_boxes_become_lines_top_to_bottom_and_left_to_right(peers):
    def box(x, y, w=40, h=20):
        return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]

    items = [(box(200, 92), "TEST"), (box(0, 0), "THIS"), (box(60, 6), "IS"), (box(120, 12), "A"),
             (box(180, 18), "SLANT"), (box(0, 80), "THE"), (box(100, 88), ""), (box(60, 84), "NEXT")]
    assert peers.boxes_to_lines(items) == "THIS IS A SLANT\nTHE NEXT TEST"
    # a quarter of a box's height in common is not one line; the line further up comes first though it starts right
    assert peers.boxes_to_lines([(box(100, 0), "TOP"), (box(0, 15), "LOW")]) == "TOP\nLOW"
    assert peers.boxes_to_lines([(box(100, 0), "ONE"), (box(0, 10), "LINE")]) == "LINE ONE"
    assert peers.boxes_to_lines([]) == ""


def test_command_line_writes_markdown_and_json(peers, tmp_path, fixed, missing, monkeypatch, capsys, ticking):
    monkeypatch.setitem(peers.ENGINES, "fixed", fixed)
    monkeypatch.setitem(peers.ENGINES, "missing", missing)
    folder = write_pages(tmp_path / "real")
    out, data = tmp_path / "peers.md", tmp_path / "peers.json"
    peers.main([str(folder), "--engines", "missing,fixed", "--no-progress", "-o", str(out), "--json", str(data)])
    assert capsys.readouterr() == ("", "missing: unavailable, skipped: no such thing; install: nothing\n")
    assert "| pooled (3 pages) | 9.5% / 38.1% |\n" in out.read_text()
    report = json.loads(data.read_text())
    assert report["folders"][0]["pooled"]["fixed"]["edits_cs"] == 8 and report["folders"][0]["folder"] == str(folder)
    peers.main([str(folder), "--engines", "fixed", "--no-progress", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["folders"][0]["categories"]["CAPS"]["fixed"]["edits_ci"] == 1


def test_command_line_refuses_unknown_engines_missing_folders_and_no_engine(peers, tmp_path, missing, monkeypatch,
                                                                           capsys):
    with pytest.raises(SystemExit) as stop:
        peers.main([str(tmp_path), "--engines", "handocr,nope"])
    assert stop.value.code == 2 and "unknown engine nope; choose from handocr,tesseract,rapidocr,easyocr" in \
        capsys.readouterr().err
    with pytest.raises(SystemExit, match="no_such_folder: no such directory"):
        peers.main([str(tmp_path / "no_such_folder")])
    with pytest.raises(SystemExit, match=re.escape(f"{tmp_path}: no NAME.jpg|jpeg|png pages with NAME.txt truth")):
        peers.main([str(tmp_path)])
    monkeypatch.setitem(peers.ENGINES, "missing", missing)
    with pytest.raises(SystemExit, match="none of the engines is available"):
        peers.main([str(write_pages(tmp_path / "real")), "--engines", "missing", "--no-progress"])


def test_a_reused_report_s_other_engines_are_scored_again_not_read_again(peers, tmp_path, fixed, blank, ticking):
    folder = write_pages(tmp_path / "real")
    first = json.loads(json.dumps(peers.run_benchmark([folder], [fixed(), blank()], progress=False)))

    again = peers.run_benchmark([folder], [blank()], progress=False, previous=first)
    assert again["engines"]["fixed"]["reused"] and not again["engines"]["blank"].get("reused")
    assert again["folders"][0]["pooled"] == first["folders"][0]["pooled"]
    assert again["folders"][0]["categories"] == first["folders"][0]["categories"]
    del first["folders"][0]["pages"][1]
    with pytest.raises(SystemExit, match="b.png: not in the reused report"):
        peers.run_benchmark([folder], [blank()], progress=False, previous=first)
