import numpy as np
import pytest
from ocr_drawing import draw_dot, draw_letter, text_page

from ocr.frontend.letters import find_letters
from ocr.params import DEFAULT

LINE = [["THE", "LIFT"]]


def test_counts_letters_and_returns_binary():
    page = text_page(LINE)
    boxes, binary = find_letters(page)
    assert boxes.shape == (7, 4)
    assert boxes.dtype.kind == "i"
    assert binary.shape == page.shape
    assert set(np.unique(binary)) <= {0.0, 1.0}
    assert (binary[page < 0.5] == 0).mean() > 0.9
    assert np.all(boxes[:, 2] > boxes[:, 0]) and np.all(boxes[:, 3] > boxes[:, 1])


def test_boxes_cover_each_letter():
    h = 40
    page = np.full((200, 400), 0.9)
    draw_letter(page, "H", 60, 80, h)
    draw_letter(page, "T", 60, 200, h)
    boxes, _ = find_letters(page)
    assert len(boxes) == 2
    y1, x1, y2, x2 = boxes[np.argmin(boxes[:, 1])]
    assert abs(y1 - 60) <= 5 and abs(y2 - 100) <= 6 and abs(x1 - 80) <= 5 and abs(x2 - 108) <= 6


def test_dots_and_specks_are_ignored():
    page = text_page(LINE)
    rng = np.random.default_rng(1)
    for x in (120, 300, 500):
        draw_dot(page, 118, x, 3)
    for _ in range(30):
        y, x = rng.integers(0, page.shape[0]), rng.integers(0, page.shape[1])
        page[y, x] = 0.1
    boxes, _ = find_letters(page)
    assert len(boxes) == 7


@pytest.mark.parametrize("shape, pitch, height, gap, min_ratio", [
    ((200, 500), 80, 48, 0.12, 0.8),
    ((220, 520), 90, 60, 0.3, 0.85),
], ids=["broken", "widely-broken-merged-by-line-geometry"])
def test_broken_letter_is_merged(shape, pitch, height, gap, min_ratio):
    page = np.full(shape, 0.9)
    for k, ch in enumerate("LITE"):
        draw_letter(page, ch, 60, 60 + pitch * k, height, gap=gap if ch in "LI" else None)
    boxes, _ = find_letters(page)
    assert len(boxes) == 4
    heights = boxes[:, 2] - boxes[:, 0]
    assert heights.min() > min_ratio * heights.max()


def test_dark_desk_around_sheet_is_ignored():
    sheet = text_page([["THE", "FIX"], ["ZEN"]])
    h, w = sheet.shape
    desk = np.full((h + 200, w + 260), 0.12)
    desk += np.random.default_rng(0).normal(0, 0.02, desk.shape)
    desk[90: 90 + h, 140: 140 + w] = sheet
    boxes, _ = find_letters(np.clip(desk, 0, 1))
    assert len(boxes) == 9
    assert boxes[:, 0].min() >= 90 and boxes[:, 1].min() >= 140
    assert boxes[:, 2].max() <= 90 + h and boxes[:, 3].max() <= 140 + w


def test_uneven_light_and_rgb_uint8():
    page = text_page(LINE)
    yy, xx = np.mgrid[0:page.shape[0], 0:page.shape[1]]
    shade = 0.55 + 0.45 * xx / page.shape[1]
    rgb = (np.stack([page * shade] * 3, axis=-1) * 255).astype(np.uint8)
    boxes, binary = find_letters(rgb)
    assert len(boxes) == 7
    assert binary.shape == rgb.shape[:2]


def test_large_page_boxes_in_input_coordinates():
    small = text_page(LINE, h=40)
    big = np.kron(small, np.ones((4, 4)))
    assert max(big.shape) > 2000
    b_small, _ = find_letters(small)
    b_big, binary = find_letters(big)
    assert binary.shape == big.shape
    assert len(b_big) == len(b_small)
    by_x = lambda b: b[np.argsort(b[:, 1])]  # noqa: E731
    np.testing.assert_allclose(by_x(b_big) / 4, by_x(b_small), atol=4)


@pytest.mark.parametrize("page", [np.full((300, 400), 0.9), np.zeros((50, 60)), np.ones((10, 10, 3), np.uint8) * 200])
def test_blank_pages_give_no_boxes(page):
    boxes, binary = find_letters(page)
    assert boxes.shape == (0, 4)
    assert binary.shape == page.shape[:2]


def test_ruled_lines_are_not_letters():
    lines = [["THE", "LIFT"], ["HEL", "TIE"]]
    page = text_page(lines)
    expected = len(find_letters(page)[0])
    ruled = page.copy()
    for y in range(15, ruled.shape[0], 60):
        ruled[y:y + 3] = 0.3
    ruled[:, 10:13] = 0.3
    boxes, _ = find_letters(ruled)
    assert len(boxes) == expected == 13


def test_gradual_shadow_is_paper_not_desk():
    page = text_page([["THE", "LIFT"], ["HEL", "TIE"]])
    shade = np.linspace(0.45, 1.0, page.shape[1])[None, :]
    boxes, _ = find_letters(page * shade)
    assert len(boxes) == 13


def test_noisy_page():
    page = text_page([["THE", "LIFT"], ["HEL", "TIE"]])
    noisy = np.clip(page + np.random.default_rng(2).normal(0, 0.12, page.shape), 0, 1)
    boxes, _ = find_letters(noisy)
    assert len(boxes) == 13


def test_letter_cut_by_the_image_border_is_dropped():
    page = text_page(LINE)
    draw_letter(page, "T", 70, -6, 40)
    boxes, _ = find_letters(page)
    assert len(boxes) == 7
    assert boxes[:, 1].min() > 20


def test_dense_specks_do_not_set_the_letter_size():
    page = text_page(LINE)
    rng = np.random.default_rng(3)
    for _ in range(300):
        y, x = rng.integers(5, page.shape[0] - 5), rng.integers(5, page.shape[1] - 5)
        page[y, x] = 0.15
    boxes, _ = find_letters(page)
    assert len(boxes) == 7


def test_faint_pen_and_hard_shadow_on_one_page():
    page = np.full((260, 900), 0.92)
    for k, ch in enumerate("HELT"):
        draw_letter(page, ch, 100, 60 + 90 * k, 48, ink=0.72, width=3)
    page[:, 450:] *= 0.75
    for k, ch in enumerate("FIZK"):
        draw_letter(page, ch, 100, 500 + 90 * k, 48, ink=0.3, width=3)
    boxes, _ = find_letters(page)
    assert len(boxes) == 8
    heights = boxes[:, 2] - boxes[:, 0]
    assert heights.min() > 0.8 * heights.max()


def test_blue_ink_under_a_blue_cast_differs_only_in_chroma():
    page = text_page(LINE)
    ink = page < 0.5
    rgb = np.empty(page.shape + (3,))
    rgb[...] = (0.35, 0.6, 0.95)
    rgb[ink] = (0.35, 0.35, 0.6)
    rgb += np.random.default_rng(0).normal(0, 0.01, rgb.shape)
    boxes, _ = find_letters((np.clip(rgb, 0, 1) * 255).astype(np.uint8))
    assert len(boxes) == 7


def test_rules_through_every_letter_leave_the_letters_whole():
    h = 90
    page = np.full((300, 900), 0.9)
    for k, ch in enumerate("HKTLEF"):
        draw_letter(page, ch, 100, 80 + 120 * k, h, width=4)
    for y in range(10, 300, 28):
        page[y:y + 2] = np.minimum(page[y:y + 2], 0.55)
    boxes, _ = find_letters(page)
    assert len(boxes) == 6
    heights = boxes[:, 2] - boxes[:, 0]
    assert heights.min() > 0.9 * h and heights.max() < 1.15 * h


def _ruled_at(angle, h=60, spacing=26):
    """Six letters on paper ruled at ``angle`` degrees (two-pixel rules every ``spacing`` px through every letter)."""
    from skimage import draw

    page = np.full((400, 900), 0.9)
    for k, ch in enumerate("HKTLEF"):
        draw_letter(page, ch, 150, 80 + 120 * k, h, width=4)
    t = np.deg2rad(angle)
    along, across = np.array([np.sin(t), np.cos(t)]), np.array([np.cos(t), -np.sin(t)])
    for k in range(-40, 41):
        middle = np.array([200, 450]) + across * k * spacing
        a, b = middle - along * 1200, middle + along * 1200
        rr, cc = draw.line(int(a[0]), int(a[1]), int(b[0]), int(b[1]))
        ok = (rr >= 0) & (rr < 399) & (cc >= 0) & (cc < 900)
        for dy in (0, 1):
            page[rr[ok] + dy, cc[ok]] = np.minimum(page[rr[ok] + dy, cc[ok]], 0.55)
    return page


@pytest.mark.parametrize("angle", [30, 45, 60])
def test_rules_at_any_angle_are_removed_and_the_letters_stay_whole(angle):
    """A pad held aslant: its rules run through the letters at 30-60 degrees. Searched only 15 degrees off the
    axes (the former reach), the rules swallow the writing."""
    boxes, _ = find_letters(_ruled_at(angle))
    assert len(boxes) == 6
    heights = boxes[:, 2] - boxes[:, 0]
    assert heights.min() > 0.95 * 60 and heights.max() < 1.2 * 60
    assert len(find_letters(_ruled_at(angle), DEFAULT.with_(rule_max_tilt=15.0))[0]) != 6


def test_a_tight_crop_of_a_marker_word_keeps_its_stems():
    """Stems and bars a third of the crop long are straight, full and span the page like rules; a rule is also
    many stroke widths long (rule_min_strokes), which a letter in marker is not."""
    page = np.full((300, 900), 0.9)
    for k, ch in enumerate("TLHE"):
        draw_letter(page, ch, 40, 30 + 215 * k, 220, width=18)
    boxes, _ = find_letters(page)
    assert len(boxes) == 4 and np.all(boxes[:, 2] - boxes[:, 0] > 230)
    boxes, _ = find_letters(page, DEFAULT.with_(rule_min_strokes=0.0))
    assert np.all(boxes[:, 2] - boxes[:, 0] < 30)


def test_row_neighbours_count_boxes_side_by_side_of_similar_height():
    from ocr.frontend.letters import row_neighbours

    row = [[100, 50 + 60 * k, 150, 90 + 60 * k] for k in range(3)]    # three letters in a row
    column = [[300 + 60 * k, 10, 340, 60] for k in range(3)]           # rings of a binding, one under another
    tiny = [[120, 300, 130, 310]]                                      # a speck beside the row
    counts = row_neighbours(np.array(row + column + tiny))
    assert counts.tolist() == [1, 2, 1, 0, 0, 0, 0]


def test_letter_height_comes_from_the_row_not_from_many_binding_rings():
    page = np.full((700, 900), 0.9)
    for k in range(22):                                  # columns of small dark rings down both edges
        for x in (30, 870):
            draw_dot(page, 30 + 30 * k, x, 10)
    for k, ch in enumerate("HELT"):                      # one word of letters six times taller
        draw_letter(page, ch, 250, 200 + 150 * k, 120, width=6)
    for params, found in ((DEFAULT, 4), (DEFAULT.with_(row_min_letters=10 ** 6), 0)):
        boxes, _ = find_letters(page, params)
        word = boxes[(boxes[:, 1] > 150) & (boxes[:, 3] < 800)]
        assert len(word) == found
        assert np.all(np.abs(word[:, 0] - 250) <= 6) and np.all(np.abs(word[:, 2] - 370) <= 8)


def test_marks_stacked_in_a_column_are_a_broken_line_not_punctuation():
    from ocr.frontend.letters import in_columns

    edge = [[100 + 30 * k, 500, 115 + 30 * k, 505] for k in range(5)]  # five dashes of a sheet's edge
    colon = [[100, 300, 106, 306], [125, 300, 131, 306]]
    comma = [[140, 200, 152, 204]]
    stacked = in_columns(np.array(edge + colon + comma), ref=40.0)
    assert stacked.tolist() == [True] * 5 + [False, False, False]


def test_pen_lying_along_a_rule_stays_and_the_rule_goes():
    from ocr.frontend.rules import remove_rules

    ink = np.zeros((200, 600), bool)
    contrast = np.zeros((200, 600), np.float32)
    ink[99:102, :] = True                  # a pale ruled line across the page
    contrast[99:102, :] = 0.2
    ink[97:104, 200:320] = True            # a dark pen bar drawn along it (an H's bar)
    contrast[97:104, 200:320] = 0.7
    kept, rules = remove_rules(ink, 5.0, contrast=contrast)
    assert kept[100, 210:310].all()
    assert not kept[100, :150].any() and not kept[100, 400:].any()
    without, _ = remove_rules(ink, 5.0)
    assert not without[100, 210:310].any()


def test_shapes_on_a_dark_desk_beside_the_sheet_are_not_letters():
    from ocr.frontend.letters import off_paper_boxes

    paper = np.full((300, 400), 0.8, np.float32)
    paper[:, :200] = 0.45                 # the sheet's shadowed half
    paper[250:, :] = 0.05                 # the table below the sheet
    boxes = np.array([[50, 20, 90, 50], [50, 250, 90, 280], [120, 100, 160, 130], [260, 300, 290, 330]])
    assert off_paper_boxes(boxes, paper, 0.3).tolist() == [False, False, False, True]


def test_letters_whose_surround_is_a_dark_desk_are_dropped_from_the_located_letters():
    from ocr.frontend.letters import letters_on, locate

    found = locate(text_page([["HELT", "FEZ"]]))
    assert len(found.boxes) == 7
    y1, x1, y2, x2 = found.boxes[np.argmax(found.boxes[:, 1])]
    paper = found.paper.copy()
    paper[y1 - 5:y2 + 5, x1 - 5:x2 + 5] = 0.2 * np.median(paper)
    kept = letters_on(found.ink, found.stroke, found.scale, DEFAULT, found.contrast, paper).boxes
    np.testing.assert_array_equal(kept, found.boxes[found.boxes[:, 1] < x1])
    np.testing.assert_array_equal(letters_on(found.ink, found.stroke, found.scale, DEFAULT, found.contrast).boxes,
                                  found.boxes)


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_closing_block_by_block_equals_the_whole_mask(radius):
    from scipy import ndimage as ndi
    from skimage import morphology

    from ocr.frontend.letters import close_gaps

    rng = np.random.default_rng(radius)
    ink = ndi.binary_dilation(rng.random((150, 200)) > 0.996, iterations=1)
    for gap in range(1, 2 * radius + 3):                             # pairs of strokes 1 .. 2r+2 px apart
        x = 12 * gap
        ink[140 - 2 * gap:148, x:x + 2] = True
        ink[140 - 2 * gap:148, x + 2 + gap:x + 4 + gap] = True
        ink[100 + gap:102 + gap, 180:190] = True                       # and stacked, 1 .. 2r+2 rows apart
    ink[0:3, 0:200] = True                                             # ink along the border
    pad = radius + 1
    whole = ndi.binary_closing(np.pad(ink, pad), structure=morphology.disk(radius))[pad:-pad, pad:-pad]
    assert np.array_equal(close_gaps(ink, radius), whole)
    assert (whole & ~ink).any()


def test_small_writing_is_found_again_on_an_enlarged_copy():
    from ocr.frontend.letters import locate

    small = text_page([["THE", "LIFT"]], h=16)                        # letters about 18 px tall
    found = locate(small, DEFAULT)
    assert found.scale == pytest.approx(32 / 18, rel=0.05)
    assert found.ink.shape == (round(small.shape[0] * found.scale), round(small.shape[1] * found.scale))
    assert locate(small, DEFAULT.with_(min_letter_height=0)).scale == 1.0
    assert locate(text_page([["THE", "LIFT"]], h=40), DEFAULT).scale == 1.0   # 44 px: as it is


def test_small_writing_is_enlarged_at_most_to_the_working_side_and_a_blank_page_not_at_all():
    from ocr.frontend.letters import locate

    found = locate(text_page([["HELT", "FEZ"], ["LIFT", "THE"]], h=12, shape=(600, 1800)))
    assert found.scale == pytest.approx(DEFAULT.work_side / 1800)
    assert found.ink.shape == (667, DEFAULT.work_side)
    small = locate(text_page([["HELT", "FEZ"]], h=12))                # 69 x 187 px: enlarged until letters are 32 px
    assert small.scale == pytest.approx(2.13, abs=0.01) and small.ink.shape == (147, 399)
    blank = locate(np.full((300, 400), 0.9))
    assert blank.scale == 1.0 and blank.ink.shape == (300, 400) and len(blank.boxes) == 0


def test_a_small_dark_corner_is_not_a_desk_and_a_bright_patch_beside_the_sheet_is_not_paper():
    from ocr.frontend.letters import paper_mask

    page = np.full((400, 600), 0.9, np.float32)
    page[:40, :40] = 0.1                                               # 0.7% of the page: a shadow, a tab
    assert paper_mask(page).all()
    desk = np.full((400, 600), 0.1, np.float32)
    desk[40:360, 40:400] = 0.9                                         # the sheet
    desk[150:250, 470:560] = 0.9                                       # a bright envelope beside it
    mask = paper_mask(desk)
    assert mask[200, 220] and not mask[200, 515] and not mask[20, 20]


def test_a_mark_inside_a_letter_box_is_part_of_the_letter_not_punctuation():
    from ocr.frontend.letters import small_marks

    boxes = np.array([[100, 100, 140, 130], [100, 140, 140, 170], [100, 180, 140, 210]], float)
    raw = np.vstack([boxes, [[110, 110, 116, 116], [132, 215, 138, 221]]])       # a dot in a letter, one after
    np.testing.assert_array_equal(small_marks(raw, boxes, 3.0), [[132, 215, 138, 221]])


def test_a_speck_under_0_6_stroke_widths_is_not_a_mark():
    from ocr.frontend.letters import small_marks

    boxes = np.array([[100, 100, 140, 130], [100, 140, 140, 170], [100, 180, 140, 210]], float)
    dot, speck = [132, 215, 137, 220], [132, 230, 136, 234]                      # 5 and 4 px across
    raw = np.vstack([boxes, [dot, speck]])
    np.testing.assert_array_equal(small_marks(raw, boxes, 8.0), [dot])            # marks from 0.6 x 8 = 4.8 px
    np.testing.assert_array_equal(small_marks(raw, boxes, 6.0), [dot, speck])     # from 3.6 px


def _held_sheet_frame(seed=0):
    """A 640x480 frame of a rough scene (cloth, foliage: noise at three scales) with a sheet holding HELT."""
    from scipy import ndimage as ndi

    rng = np.random.default_rng(seed)
    h, w = 480, 640
    scene = np.zeros((h, w))
    for cell in (6, 20, 60):
        scene += 0.15 * np.kron(rng.normal(0, 1, (h // cell + 2, w // cell + 2)), np.ones((cell, cell)))[:h, :w]
    page = np.clip(0.45 + ndi.gaussian_filter(scene, 1.5), 0, 1)
    page[140:340, 160:480] = 0.88
    for k, ch in enumerate("HELT"):
        draw_letter(page, ch, 210, 200 + 70 * k, 50, ink=0.2, width=4)
    return (np.clip(page + rng.normal(0, 0.01, page.shape), 0, 1) * 255).astype(np.uint8)


def test_a_sheet_held_up_in_a_scene_is_the_paper_and_its_noise_sets_the_ink():
    """The scene's noise is not the paper's: measured over the whole frame, the scene is inked everywhere as
    letters (and on real frames the seed level rises above any pen); measured on the sheet, the four letters stand
    alone (two slivers of the sheet's edges beside them are left to the writing model)."""
    from ocr.frontend.letters import locate

    frame = _held_sheet_frame()
    found = locate(frame)
    assert found.sheet is not None and 0.1 < found.sheet.mean() < 0.25
    assert len(found.boxes) <= 6
    assert np.all((found.boxes[:, 0] >= 130) & (found.boxes[:, 2] <= 350) & (found.boxes[:, 1] >= 145)
                  & (found.boxes[:, 3] <= 495))
    letters = found.boxes[(found.boxes[:, 2] - found.boxes[:, 0] > 40) & (found.boxes[:, 3] - found.boxes[:, 1] > 20)]
    assert len(letters) == 4
    whole_frame = locate(frame, DEFAULT.with_(sheet_max_share=0.0))
    assert whole_frame.sheet is None and len(whole_frame.boxes) > 20
    hazy = (frame * 0.5 + 100).astype(np.uint8)                      # half the contrast, black lifted
    found = locate(hazy)
    assert found.sheet is not None
    tall, wide = found.boxes[:, 2] - found.boxes[:, 0] > 40, found.boxes[:, 3] - found.boxes[:, 1] > 20
    assert len(found.boxes[tall & wide]) == 4


def test_paper_roughness_ignores_a_gradual_shadow_and_sees_a_scene():
    from ocr.frontend.paper import texture

    ramp = np.tile(np.linspace(0.4, 0.95, 600), (400, 1)).astype(np.float32)
    assert texture(ramp, 10).max() < 0.01 < DEFAULT.sheet_texture
    rough = np.clip(0.6 + 0.15 * np.random.default_rng(1).normal(0, 1, (400, 600)), 0, 1).astype(np.float32)
    assert np.median(texture(rough, 10)) > 0.1
    hazy = rough * 0.5 + 0.4                                          # the same scene, half the contrast
    np.testing.assert_allclose(texture(hazy, 10, black=0.4), texture(rough, 10), rtol=1e-3, atol=1e-5)
    assert np.median(texture(hazy, 10)) < 0.5 * np.median(texture(rough, 10))
