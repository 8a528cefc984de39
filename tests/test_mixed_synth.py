"""Tests of the mixed-case line generators: text, pool lines, typeface lines, paper."""
import os
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage as ndi

from training import font_lines, mixed_text, pool_lines
from training import paper_photo as paper
STILL = dict(size_jitter=0, rotation_jitter=0, letter_slant=0, slant=0, baseline_jitter=0, slope=0, breaks=0,
             pressure=0)


def dejavu():
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert path.exists()
    return str(path)


@pytest.fixture(scope="module")
def bank(pool_file):
    return pool_lines.GlyphBank.from_pool(pool_file, "train")


def ink_rows(ink, box, threshold=0.5):
    y1, x1, y2, x2 = box
    return ink[y1:y2, x1:x2] > threshold


# text


def test_random_text_stays_in_the_alphabet_and_length():
    rng = np.random.default_rng(0)
    for _ in range(2000):
        text = mixed_text.random_text(rng, max_chars=30)
        assert set(text) <= set(mixed_text.MIXED_ALPHABET)
        assert 0 < len(text) <= 30
        assert text == text.strip() and "  " not in text


def test_every_alphabet_character_occurs():
    shares = mixed_text.char_frequency(4000, seed=1)
    rare = {c: s for c, s in shares.items() if s < 0.0003}
    assert not rare, rare


def test_random_text_has_lower_case_and_capitals():
    rng = np.random.default_rng(2)
    texts = [mixed_text.random_text(rng) for _ in range(500)]
    assert sum(any(c.islower() for c in t) for t in texts) > 300
    assert sum(t[0].isupper() for t in texts if t[0].isalpha()) > 150
    assert sum(t.isupper() and len(t) > 8 for t in texts) > 20


def test_same_seed_same_text():
    a = [mixed_text.random_text(np.random.default_rng(5)) for _ in range(3)]
    assert a[0] == a[1] == a[2]


def test_alphabet_is_81_distinct_characters():
    assert len(mixed_text.MIXED_ALPHABET) == len(set(mixed_text.MIXED_ALPHABET)) == 81


# pool split


def test_valid_mask_is_fixed_and_about_a_tenth():
    mask = pool_lines.valid_mask(100000)
    assert 0.09 < mask.mean() < 0.11
    assert np.array_equal(mask[:1000], pool_lines.valid_mask(1000))
    train = pool_lines.split_indices(1000, "train")
    valid = pool_lines.split_indices(1000, "valid")
    assert not set(train) & set(valid)
    assert len(train) + len(valid) == 1000



def test_training_lines_use_no_validation_glyph(bank):
    valid = set(pool_lines.split_indices(len(bank.labels), "valid"))
    used = []
    pick = bank.pick

    def spy(char, rng, tries=8):
        index, strokes = pick(char, rng, tries)
        used.append(index)
        return index, strokes

    bank.pick = spy
    try:
        rng = np.random.default_rng(3)
        for _ in range(30):
            pool_lines.compose_line(mixed_text.random_text(rng), rng, bank)
    finally:
        del bank.pick
    assert used and not set(used) & valid
    for char in "aKXz5":
        assert not set(bank.sources(char)) & valid


# pool geometry



@pytest.mark.parametrize("seed", range(6))
def test_x_height_letters_are_half_to_two_thirds_of_capitals(bank, seed):
    rng = np.random.default_rng(seed)
    text = "Hxa Eon"
    ink, boxes = pool_lines.compose_line(text, rng, bank, cap_height=60, **STILL)
    caps = [boxes[k, 2] - boxes[k, 0] for k, c in enumerate(text) if c in "HE"]
    small = [boxes[k, 2] - boxes[k, 0] for k, c in enumerate(text) if c in "xaon"]
    for s in small:
        for c in caps:
            assert 0.5 <= s / c <= 0.65, (s, c)



@pytest.mark.parametrize("seed", range(4))
def test_descenders_drop_below_the_baseline(bank, seed):
    rng = np.random.default_rng(seed)
    text = "Hgpqyj"
    ink, boxes = pool_lines.compose_line(text, rng, bank, cap_height=50, **STILL)
    baseline = boxes[0, 2]
    for k in range(1, len(text)):
        assert boxes[k, 2] - baseline >= 0.2 * 50, (text[k], boxes[k], baseline)
        if text[k] != "j":
            assert boxes[k, 0] > boxes[0, 0] + 0.25 * 50



@pytest.mark.parametrize("char", ["i", "j"])
@pytest.mark.parametrize("seed", range(4))
def test_dot_of_i_and_j_is_apart_and_above(bank, char, seed):
    rng = np.random.default_rng(seed)
    text = "H" + char
    ink, boxes = pool_lines.compose_line(text, rng, bank, cap_height=60, **STILL)
    baseline = boxes[0, 2]
    crop = ink_rows(ink, boxes[1])
    labels, n = ndi.label(crop, structure=np.ones((3, 3)))
    assert n >= 2
    parts = sorted(ndi.find_objects(labels), key=lambda sl: sl[0].start)
    dot, body = parts[0], max(parts[1:], key=lambda sl: sl[0].stop - sl[0].start)
    assert dot[0].stop <= body[0].start
    assert boxes[1, 0] + dot[0].stop < baseline - 0.5 * 60



def test_pool_boxes_are_inside_the_image_and_spaces_empty(bank):
    rng = np.random.default_rng(7)
    for _ in range(25):
        text = mixed_text.random_text(rng)
        ink, boxes = pool_lines.compose_line(text, rng, bank)
        assert ink.dtype == np.float32 and ink.min() >= 0 and ink.max() <= 1
        assert boxes.shape == (len(text), 4)
        h, w = ink.shape
        assert (boxes[:, 0] >= 0).all() and (boxes[:, 2] <= h).all()
        assert (boxes[:, 1] >= 0).all() and (boxes[:, 3] <= w).all()
        for c, b in zip(text, boxes):
            if c == " ":
                assert b[0] == b[2] and b[1] == b[3]
            else:
                assert b[2] > b[0] and b[3] > b[1]
                assert ink[b[0]:b[2], b[1]:b[3]].max() > 0.5



def test_cap_height_range_is_kept(bank):
    rng = np.random.default_rng(8)
    for _ in range(10):
        ink, boxes = pool_lines.compose_line("HELLO", rng, bank, **STILL)
        height = np.median(boxes[:, 2] - boxes[:, 0])
        assert 23 <= height <= 66



def test_pool_same_seed_same_image(bank):
    a = pool_lines.compose_line("Go, lazy fat vixen; be shrewd!", np.random.default_rng(11), bank)
    b = pool_lines.compose_line("Go, lazy fat vixen; be shrewd!", np.random.default_rng(11), bank)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_every_punctuation_mark_has_a_pen_path():
    rng = np.random.default_rng(0)
    for c in mixed_text.PUNCTUATION:
        paths = pool_lines.mark_strokes(c, rng)
        ys = np.concatenate([p[:, 0] for p in paths])
        if c in ",;()":
            assert ys.max() > 0.1, c
        elif c in "'\"":
            assert ys.max() < -0.6, c
        else:
            assert ys.max() <= 0.1, c


# typefaces


def test_dejavu_has_every_character_and_renders():
    path = dejavu()
    assert font_lines.missing_chars(path) == ""
    assert font_lines.font_info(path)[2] == "mixed"
    rng = np.random.default_rng(0)
    text = "Go, lazy fat vixen; (8 + 3 = 11) #7 @ 50% & 'q' \"Z\"!?"
    ink, boxes = font_lines.render_line(text, path, rng)
    h, w = ink.shape
    assert ink.dtype == np.float32
    assert (boxes[:, [0, 2]] >= 0).all() and (boxes[:, [0, 2]] <= h).all()
    assert (boxes[:, [1, 3]] >= 0).all() and (boxes[:, [1, 3]] <= w).all()
    for c, b in zip(text, boxes):
        if c == " ":
            assert b[0] == b[2] and b[1] == b[3]
        else:
            assert b[2] > b[0] and b[3] > b[1], c


def test_font_geometry_follows_the_typeface():
    path = dejavu()
    text = "Hxg"
    ink, boxes = font_lines.render_line(text, path, np.random.default_rng(1), cap_height=50, size_jitter=0,
                                        rotation_jitter=0, slant=0, baseline_jitter=0, slope=0, elastic=0,
                                        pen_change=0, breaks=0, ink_noise=0)
    heights = boxes[:, 2] - boxes[:, 0]
    assert abs(heights[0] - 50) <= 2
    assert 0.6 < heights[1] / heights[0] < 0.85
    assert boxes[2, 2] > boxes[0, 2] + 5


def test_font_same_seed_same_image():
    path = dejavu()
    a = font_lines.render_line("Same seed, same line 42.", path, np.random.default_rng(3))
    b = font_lines.render_line("Same seed, same line 42.", path, np.random.default_rng(3))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_missing_punctuation_is_drawn_with_the_pen(monkeypatch):
    path = dejavu()
    monkeypatch.setattr(font_lines, "missing_chars", lambda p: "&@#")
    ink, boxes = font_lines.render_line("a & b @ c #", path, np.random.default_rng(0))
    for k in (2, 6, 10):
        assert ink[boxes[k, 0]:boxes[k, 2], boxes[k, 1]:boxes[k, 3]].max() > 0.5


def test_caps_only_typefaces_refuse_lower_case(monkeypatch):
    path = dejavu()
    monkeypatch.setattr(font_lines, "font_info", lambda p: ("x", "x", "caps"))
    assert font_lines.can_render("HELLO 42!", path)
    assert not font_lines.can_render("Hello", path)
    with pytest.raises(ValueError):
        font_lines.render_line("Hello", path, np.random.default_rng(0))


def test_validation_typefaces_are_never_training_ones():
    names = [f"/x/{n}-latin-400-normal.woff" for n in font_lines.NPM_FAMILIES] + [f"/y/{n}" for n in font_lines.FONTS]
    train, valid = font_lines.font_split(names)
    assert valid and train
    assert not set(train) & set(valid)
    assert set(train) | set(valid) == set(names)
    valid_families = {font_lines.family(p) for p in valid}
    assert not valid_families & {font_lines.family(p) for p in train}
    again, _ = font_lines.font_split(list(reversed(names))[5:])
    assert set(again) <= set(train)
    same = font_lines.is_valid_font("/a/b/caveat-latin-400-normal.woff")
    assert same == font_lines.is_valid_font("/c/caveat-latin-700-normal.woff")


def test_find_fonts_finds_only_listed_files(tmp_path):
    src = dejavu()
    (tmp_path / "npm").mkdir()
    os.symlink(src, tmp_path / "npm" / "kalam-latin-400-normal.woff")
    os.symlink(src, tmp_path / "npm" / "kalam-latin-700-normal.woff")
    os.symlink(src, tmp_path / "femkeklaver.ttf")
    found = font_lines.find_fonts([tmp_path])
    assert [os.path.basename(p) for p in found] == ["kalam-latin-400-normal.woff"]
    assert font_lines.find_fonts([tmp_path / "none"]) == []


def test_fonts_help_gives_the_install_commands():
    text = font_lines.fonts_help()
    assert "apt-get install -y fonts-dkg-handwriting" in text
    assert "npm install" in text and "@fontsource/kalam" in text


# paper


def test_on_paper_is_rgb_uint8_of_the_same_size_and_reproducible():
    ink = np.zeros((90, 300), np.float32)
    ink[40:60, 20:280:7] = 1.0
    a = paper.on_paper(ink, np.random.default_rng(4))
    b = paper.on_paper(ink, np.random.default_rng(4))
    assert a.shape == (90, 300, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)


@pytest.mark.parametrize("ruling", list(paper.RULINGS))
@pytest.mark.parametrize("kind", ["blue", "pencil", "marker"])
def test_ink_is_darker_than_paper_in_every_condition(ruling, kind):
    ink = np.zeros((90, 300), np.float32)
    ink[30:60, 40:260] = 1.0
    for seed in range(3):
        img = paper.on_paper(ink, np.random.default_rng(seed), ruling=ruling, pen=kind, baseline=60, cap_height=30,
                             strength=1.0, contrast=1.0, neighbours=False, shadow=0.0, light=0.0).astype(float)
        assert img[35:55, 60:240].mean() < img[:, :20].mean() - 20


def test_guides_read_baseline_and_cap_height_from_boxes():
    text = "Hgx"
    boxes = np.array([[10, 0, 50, 20], [25, 22, 62, 40], [26, 42, 50, 60]])
    assert paper.guides(text, boxes) == (50.0, 40.0)
