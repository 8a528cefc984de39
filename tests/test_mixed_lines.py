"""Mixed-case training lines are framed by the reader's own code, reproducibly, and stored losslessly."""
from pathlib import Path

import numpy as np
import pytest

from ocr.frontend.letters import locate
from ocr.page import read_page
from ocr.recognition.line_image import SPREAD, SPREAD_HEIGHT
from training import mixed_lines
from training.font_lines import render_line
from training.mixed_lines import (LineSet, LineSources, for_model, load_line_set, make_line_set, reader_strip,
                                  save_line_set)


def dejavu():
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


class Spy:
    """A mixed-case recogniser that records the strips it is shown and reads nothing."""

    framing, strip_height, spread, strip_scale, alphabet = "spread", 32, SPREAD, 2 / 3, " abc"

    def __init__(self):
        self.strips = []

    def posteriors(self, strips):
        self.strips += strips
        return [np.tile([1.0, 0, 0, 0], (max(1, s.shape[1] // 4), 1)) for s in strips]


def test_a_training_strip_is_the_strip_read_gives_the_recogniser():
    text = "Hello there, Bob!"
    ink, boxes = render_line(text, dejavu(), np.random.default_rng(0), cap_height=40, elastic=0.0)
    page = np.pad(np.round(255 * (1 - ink)).astype(np.uint8), 40, constant_values=255)
    spy = Spy()
    read_page(page, None, engine="mixed", mixed=spy)
    strip = reader_strip(locate(page), boxes + 40, text)
    assert len(spy.strips) == 1 and strip.shape[0] == SPREAD_HEIGHT
    np.testing.assert_array_equal(for_model([strip], 2 / 3)[0], spy.strips[0] > 0.5)
    assert spy.strips[0].shape[0] == 32


def test_a_line_the_layout_misses_is_left_out():
    text = "Hello there"
    ink, boxes = render_line(text, dejavu(), np.random.default_rng(1), cap_height=40)
    page = np.pad(np.round(255 * (1 - ink)).astype(np.uint8), 40, constant_values=255)
    found = locate(page)
    assert reader_strip(found, boxes + 40, text) is not None
    wider = boxes + 40
    wider[-1, 3] += 400                                  # the written line reaches far past what the reader found
    assert reader_strip(found, wider, text) is None


def test_line_sets_are_the_same_for_a_seed_whatever_the_chunks_and_jobs(monkeypatch):
    sources = LineSources("train", None, [dejavu()])
    monkeypatch.setattr(mixed_lines, "CHUNK", 3)
    one = make_line_set(6, sources, seed=5, jobs=1, progress=False)
    two = make_line_set(6, sources, seed=5, jobs=2, progress=False)
    other = make_line_set(6, LineSources("valid", None, [dejavu()]), seed=5, jobs=1, progress=False)
    assert one[1] == two[1] and len(one[1]) == 6
    assert all(np.array_equal(a, b) for a, b in zip(one[0], two[0]))
    assert other[1] != one[1]                            # each split draws its own texts


def test_a_line_set_file_gives_back_its_strips_and_texts(tmp_path):
    rng = np.random.default_rng(0)
    strips = [(rng.random((48, w)) > 0.7).astype(np.float32) for w in (9, 50, 123)]
    path = save_line_set(tmp_path / "set.npz", strips, ["a", "Bc d", "#9"], split="test")
    back, texts, settings = load_line_set(path)
    assert texts == ["a", "Bc d", "#9"] and settings["split"] == "test"
    assert all(np.array_equal(a, b) for a, b in zip(strips, back))


def test_a_batch_is_drawn_from_neighbours_in_width_and_jittered():
    widths = list(range(20, 420, 4))
    strips = [np.ones((48, w), np.float32) for w in widths]
    lines = LineSet(strips, [str(w) for w in widths], window=2, stretch=0.1, shift=2)
    batch, texts = lines.batch(5, np.random.default_rng(3))
    sizes = sorted(int(t) for t in texts)
    assert len(batch) == 5 and sizes[-1] - sizes[0] <= 4 * 2 * 5
    for strip, text in zip(batch, texts):
        assert strip.shape[0] == 48 and abs(strip.shape[1] - int(text)) <= 0.1 * int(text) + 1
    assert any(strip.sum() < strip.size for strip in batch)              # moved up or down: zero rows came in
    assert any(strip.shape[1] != int(text) for strip, text in zip(batch, texts))
