"""The shortcuts that make page reading fast must give what the long way gives."""
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from ocr_drawing import draw_letter, text_page
from PIL import Image
from scipy import ndimage as ndi

from ocr.decode.sources import decode_pages
from ocr.errors import ModelFormatError
from ocr.frontend.letters import locate, pale_boxes
from ocr.frontend.rules import _crossings, _long_runs
from ocr.layout.orientation import detect_orientation, rotate_boxes, sample_letters, turn_rows
from ocr.layout.split import CropCache, split_touching
from ocr.page import read_page
from ocr.params import DEFAULT
from ocr.recognition.crops import normalise_crops
from ocr.recognition.torch_file import read_torch_file

ROOT = Path(__file__).resolve().parents[1]


class Counting:
    """A classifier that reads everything as T and records every batch it is given."""

    def __init__(self):
        self.batches = []

    def predict_proba(self, rows):
        self.batches.append(np.asarray(rows).copy())
        probs = np.full((len(rows), 36), 0.1 / 35)
        probs[:, 19] = 0.9
        return probs


def test_crop_cache_classifies_each_box_once_in_one_batch():
    page = text_page([["TT", "T"]])
    found = locate(page)
    reader = Counting()
    known = found.boxes[:1]
    rows = normalise_crops(found.binary, known)
    cache = CropCache(found.binary, reader, 0.0, known, rows, reader.predict_proba(rows))
    reader.batches.clear()
    cache.add(found.boxes)
    cache.add(found.boxes[::-1])
    cache.run()
    assert len(reader.batches) == 1 and len(reader.batches[0]) == len(found.boxes) - 1
    got_rows, _ = cache.get(found.boxes)
    np.testing.assert_array_equal(got_rows, normalise_crops(found.binary, found.boxes))


def test_split_search_classifies_the_pieces_of_all_wide_boxes_together():
    page = np.full((160, 900), 0.9)
    for start in (20, 460):
        for k in range(4):
            draw_letter(page, "HTEL"[k], 50, start + 48 * k, 60, width=44)
    found = locate(page)
    rows = normalise_crops(found.binary, found.boxes)
    reader = Counting()
    boxes, _, _ = split_touching(found.binary, found.boxes, rows, reader.predict_proba(rows), reader)
    assert len(boxes) > len(found.boxes)
    assert len(reader.batches) <= 3
    seen = np.concatenate(reader.batches)
    assert len(np.unique(seen, axis=0)) == len(seen)


def test_turned_rows_are_the_rows_of_the_turned_page():
    page = text_page([["HELT", "FEZ"]])
    found = locate(page)
    upright = normalise_crops(found.binary, found.boxes)
    for k in (1, 2, 3):
        turned = normalise_crops(np.rot90(found.binary, k), rotate_boxes(found.boxes, found.binary.shape, k))
        dist = np.abs(turn_rows(upright, k)[:, None] - turned[None]).mean(axis=2)
        off_diagonal = dist[~np.eye(len(dist), dtype=bool)]
        assert dist.diagonal().max() < 0.1 < np.median(off_diagonal)


class Refusing:
    def predict_proba(self, rows):
        raise AssertionError("the turned readings were computed")


def test_a_confident_upright_reading_skips_the_other_turns():
    page = text_page([["HELT", "FEZ"]])
    found = locate(page)
    sure = np.full((len(found.boxes), 36), 0.01 / 35)
    sure[:, 7] = 0.99
    assert detect_orientation(found.binary, found.boxes, Refusing(), reading=sure) == 0
    unsure = np.full((len(found.boxes), 36), 1 / 36)
    rows = normalise_crops(found.binary, found.boxes)
    reader = Counting()
    detect_orientation(found.binary, found.boxes, reader, upright=(rows, unsure), reading=unsure)
    assert len(reader.batches) == 1 and len(reader.batches[0]) == 3 * len(found.boxes)
    reader = Counting()
    detect_orientation(found.binary, found.boxes, reader, reading=unsure)
    assert len(reader.batches) == 1 and len(reader.batches[0]) == 4 * len(found.boxes)



class ReadsOnlyUpright(Counting):
    """Reads the page's own upright crops as a fairly sure X, anything else (a turned crop) as noise."""

    def __init__(self, upright_rows):
        super().__init__()
        self.upright = {row.tobytes() for row in np.asarray(upright_rows)}

    def predict_proba(self, rows):
        self.batches.append(np.asarray(rows).copy())
        probs = np.full((len(rows), 36), 1 / 36)
        known = np.array([row.tobytes() in self.upright for row in np.asarray(rows)], bool)
        probs[known] = 0.2 / 35
        probs[known, 23] = 0.8
        return probs


def test_turns_are_read_on_a_first_few_letters_and_the_rest_only_when_upright_does_not_lead():
    page = text_page([["HELT", "FEZ", "LIFT"], ["THE", "FELT", "HILT"], ["LEFT", "ZEF", "TILE"]])
    found = locate(page)
    rows = normalise_crops(found.binary, found.boxes)
    n, first = len(found.boxes), DEFAULT.orientation_first
    assert n > first
    reader = ReadsOnlyUpright(rows)
    fairly_sure = reader.predict_proba(rows)
    reader.batches.clear()
    assert detect_orientation(found.binary, found.boxes, reader, upright=(rows, fairly_sure), reading=fairly_sure) == 0
    assert [len(b) for b in reader.batches] == [3 * first]
    unsure = np.full((n, 36), 1 / 36)
    reader = Unsure()
    assert detect_orientation(found.binary, found.boxes, reader, upright=(rows, unsure), reading=unsure) == 0
    rest = set(sample_letters(found.boxes, DEFAULT.orientation_sample)) - set(sample_letters(found.boxes, first))
    assert len(rest) < n
    assert [len(b) for b in reader.batches] == [3 * first, 3 * len(rest)]              # no letter read twice


class ReadsBestInTurn(Counting):
    """Reads the page's crops fairly surely upright, surely in turn ``k``, not at all in the other turns."""

    def __init__(self, upright_rows, k):
        super().__init__()
        self.upright = {row.tobytes() for row in np.asarray(upright_rows, np.float32)}
        self.turned = {row.tobytes() for row in np.asarray(turn_rows(upright_rows, k), np.float32)}

    def predict_proba(self, rows):
        self.batches.append(np.asarray(rows).copy())
        probs = np.full((len(rows), 36), 1 / 36)
        for i, row in enumerate(np.asarray(rows, np.float32)):
            sure = 0.99 if row.tobytes() in self.turned else 0.8 if row.tobytes() in self.upright else None
            if sure is not None:
                probs[i] = (1 - sure) / 35
                probs[i, 23] = sure
        return probs


@pytest.mark.parametrize("k", [1, 2, 3])
def test_a_turn_that_reads_better_than_upright_on_the_first_letters_is_read_on_the_whole_sample(k):
    page = text_page([["LEFT", "FELT", "VET"], ["LET", "KEEL", "FELT"], ["LEFT", "VEE", "TEK"]])
    found = locate(page)
    rows = normalise_crops(found.binary, found.boxes)
    assert len(found.boxes) > DEFAULT.orientation_first
    reader = ReadsBestInTurn(rows, k)
    fairly_sure = reader.predict_proba(rows)
    reader.batches.clear()
    reading_only = DEFAULT.with_(orientation_layout=0.0)    # the letters' rows argue against a quarter turn
    assert detect_orientation(found.binary, found.boxes, reader, reading_only, upright=(rows, fairly_sure),
                              reading=fairly_sure) == k
    first = sample_letters(found.boxes, DEFAULT.orientation_first)
    rest = set(sample_letters(found.boxes, DEFAULT.orientation_sample)) - set(first)
    assert [len(b) for b in reader.batches] == [3 * len(first), 3 * len(rest)]

def _long_runs_everywhere(ink, length, span, fill):
    """The rule search over every row and the whole page (the reference for the banded search)."""
    h, w = ink.shape
    length = int(max(3, length))
    thick = ndi.maximum_filter1d(ink, size=3, axis=0)
    full = ndi.uniform_filter1d(thick.astype(np.float32), size=length, axis=1) > fill
    covered = ndi.maximum_filter1d(full, size=length, axis=1)
    labels, _ = ndi.label(covered, structure=np.ones((3, 3)))
    labels[~(thick & ink)] = 0
    mask = np.zeros_like(ink)
    for k, sl in enumerate(ndi.find_objects(labels), start=1):
        if sl is not None and sl[1].stop - sl[1].start >= span * w:
            mask[sl] |= labels[sl] == k
    return mask


def _crossings_everywhere(ink, rule, reach):
    rest = np.pad((ink & ~rule).astype(np.int32), ((1, 0), (0, 0))).cumsum(axis=0)
    rows = np.arange(ink.shape[0])
    reach = int(max(1, np.ceil(reach)))
    above = rest[rows] - rest[np.maximum(rows - reach, 0)]
    below = rest[np.minimum(rows + reach + 1, len(rows))] - rest[np.minimum(rows + 1, len(rows))]
    return rule & (above > 0) & (below > 0)


def test_banded_rule_search_equals_the_whole_page_search():
    rng = np.random.default_rng(3)
    ink = rng.random((300, 400)) < 0.03
    ink[40:43, :] = True
    ink[120:122, 30:390] = True
    ink[200:203, :70] = True
    ink[230:232, :60] = True
    ink[299, 100:380] = True
    ink[250:280, 150:152] = True
    for length, span in ((100, 0.35), (60, 0.1), (50, 0.05), (100, 0.05)):
        expected = _long_runs_everywhere(ink, length, span, 0.95)
        assert expected.any()
        np.testing.assert_array_equal(_long_runs(ink, length, span, 0.95), expected)
    rule = _long_runs_everywhere(ink, 100, 0.35, 0.95)
    for reach in (2, 7.5):
        np.testing.assert_array_equal(_crossings(ink, rule, reach), _crossings_everywhere(ink, rule, reach))


@pytest.mark.parametrize("reach", [1, 2, 3, 7.5])
def test_ink_exactly_reach_rows_from_a_rule_crosses_it_in_the_banded_search(reach):
    """The bands searched reach ``reach`` rows past each rule: strokes exactly that far above and below cross it."""
    r = int(np.ceil(reach))
    ink = np.zeros((60, 80), bool)
    rule = np.zeros_like(ink)
    ink[30, :] = rule[30, :] = True
    ink[30 - r, 40] = ink[30 + r, 40] = True
    ink[30 - r - 1, 60] = ink[30 + r, 60] = True                      # one row too far above
    ink[30 - r, 70] = ink[30 + r + 1, 70] = True                      # one row too far below
    expected = _crossings_everywhere(ink, rule, reach)
    assert np.argwhere(expected).tolist() == [[30, 40]]
    np.testing.assert_array_equal(_crossings(ink, rule, reach), expected)


def test_a_pale_blob_the_size_of_a_letter_is_not_a_letter():
    page = text_page([["HELT", "FEZ"]])
    draw_letter(page, "H", 10, page.shape[1] - 60, 40, ink=0.8)
    found = locate(page)
    assert pale_boxes(found.boxes, found.ink, found.contrast).sum() == 0
    kept = locate(page, DEFAULT.with_(min_peak_ratio=0.0)).boxes
    assert len(found.boxes) == 7 and len(kept) == 8


def test_pages_are_decoded_at_the_working_size_and_boxes_map_back(tmp_path):
    page = (text_page([["HELT", "FEZ"]], h=60) * 255).astype(np.uint8)
    big = np.kron(page, np.ones((6, 6), np.uint8))
    Image.fromarray(big).save(tmp_path / "big.jpg", quality=92)
    decoded = next(iter(decode_pages(tmp_path / "big.jpg", max_side=1000)))
    assert max(decoded.image.shape) <= 1000 and decoded.original_shape == big.shape
    from ocr.api import Reader

    reading = Reader(Counting()).read(tmp_path / "big.jpg")[0]
    small = read_page(page, Counting())
    got = np.array(sorted((c.box for c in reading.chars), key=lambda b: b[1]), float)
    want = np.array(sorted((c.box for c in small.chars), key=lambda b: b[1]), float) * 6
    assert reading.shape == big.shape and got.shape == want.shape
    assert np.abs(got - want).max() <= 12


def test_a_big_jpeg_is_decoded_reduced_by_the_decoder_itself(tmp_path, monkeypatch):
    """JPEG DCT scaling: the decoder produces 1/2, 1/4 or 1/8 of the pixels, never the full-size array first."""
    from PIL import JpegImagePlugin

    page = (text_page([["HELT", "FEZ"]], h=60) * 255).astype(np.uint8)
    big = np.kron(page, np.ones((6, 6), np.uint8))
    Image.fromarray(big).save(tmp_path / "big.jpg", quality=92)
    decoded_sizes, draft = [], JpegImagePlugin.JpegImageFile.draft

    def recording(self, mode, size):
        result = draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording)
    decoded = next(iter(decode_pages(tmp_path / "big.jpg", max_side=1000)))
    assert max(decoded.image.shape) == 1000
    (width, height), = decoded_sizes
    assert (height, width) == (-(-big.shape[0] // 4), -(-big.shape[1] // 4))     # 1/4: the least not under 1000 px
    decoded_sizes.clear()
    next(iter(decode_pages(tmp_path / "big.jpg", max_side=big.shape[1])))
    assert decoded_sizes == []


def test_numpy_forward_matches_torch_on_the_shipped_models(shipped_cnn):
    from training.classifier import load_classifier
    from training.data import load_split

    try:
        rows = load_split("test").x[::9]
    except Exception:
        rows = np.random.default_rng(0).random((200, 1024))
    for name in ("cnn", "torch-mlp"):
        exact, fast = load_classifier(name), load_classifier(name, inference=True)
        assert type(fast).__name__ == "NumpyClassifier"
        a, b = exact.predict_proba(rows), fast.predict_proba(rows)
        assert np.abs(a - b).max() < 1e-5
        np.testing.assert_array_equal(a.argmax(1), b.argmax(1))


@pytest.mark.parametrize("name", ["line", "mixed"])
def test_numpy_line_recogniser_matches_torch_on_the_shipped_model(name):
    from ocr.recognition.numpy_line import load_numpy_line_model
    from training.classifier import resolve_model_path
    from training.line_model import load_line_model

    path = resolve_model_path(name)
    exact, fast = load_line_model(path), load_numpy_line_model(path)
    rng = np.random.default_rng(0)
    rows = exact.strip_height
    strips = [(rng.random((rows, w)) > 0.8).astype(np.float32) for w in (3, 40, 123, 811)] * 10   # two batches
    for a, b in zip(exact.posteriors(strips), fast.posteriors(strips)):
        assert a.shape == b.shape and np.abs(a - b).max() < 1e-5
    assert fast.alphabet == exact.alphabet
    with pytest.raises(ModelFormatError, match="expected 'line-ctc'"):
        load_numpy_line_model(resolve_model_path("cnn"))


def test_weights_only_reader_refuses_other_objects(tmp_path):
    path = tmp_path / "evil.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil/data.pkl", pickle.dumps(subprocess.Popen, protocol=2))
        archive.writestr("evil/byteorder", "little")
    with pytest.raises(ModelFormatError, match="not a readable PyTorch model file"):
        read_torch_file(path)
    (tmp_path / "junk.pt").write_bytes(b"not a zip")
    with pytest.raises(ModelFormatError):
        read_torch_file(tmp_path / "junk.pt")


@pytest.mark.slow
def test_read_command_never_imports_torch_nor_the_pdf_writer(tmp_path):
    page = tmp_path / "page.png"
    Image.fromarray((text_page([["HELT"]]) * 255).astype(np.uint8)).save(page)
    code = ("import runpy, sys\n"
            "sys.argv = ['cli.py', 'read', sys.argv[1]]\n"
            "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "assert 'torch' not in sys.modules, 'torch was imported'\n"
            "assert 'reportlab' not in sys.modules, 'reportlab was imported'\n")
    done = subprocess.run([sys.executable, "-c", code, str(page)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip()


class ThreadRecording(Counting):
    """Records how many BLAS threads each library allows while pages are classified."""

    def __init__(self):
        super().__init__()
        self.threads = set()

    def predict_proba(self, rows):
        from threadpoolctl import threadpool_info

        self.threads |= {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}
        return super().predict_proba(rows)


def test_read_command_classifies_with_one_blas_thread_and_restores_the_limit(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from threadpoolctl import threadpool_info

    import ocr.recognition.model_files as model_files
    from handocr.commands.read import read

    recording = ThreadRecording()
    monkeypatch.setattr(model_files, "load_classifier", lambda spec, inference=False: recording)
    page = tmp_path / "page.png"
    Image.fromarray((text_page([["HELT"]]) * 255).astype(np.uint8)).save(page)
    before = {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()}
    result = CliRunner().invoke(read, [str(page)])
    assert result.exit_code == 0 and result.stdout.strip() == "TTTT"
    assert recording.threads == {1}
    assert {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()} == before


class Unsure(Counting):
    def predict_proba(self, rows):
        self.batches.append(np.asarray(rows).copy())
        return np.full((len(rows), 36), 1 / 36)


def test_turns_are_compared_on_crops_that_are_not_deskewed():
    page = text_page([["HELT", "FEZ"], ["LIFT", "THE"]], rotate=6.0)
    reader = Unsure()
    result = read_page(page, reader)
    assert abs(result.skew) >= 1
    found = locate(page)
    upright = normalise_crops(found.binary, found.boxes)
    batches = [b for b in reader.batches if len(b) == 4 * len(found.boxes)]
    assert len(batches) == 1
    np.testing.assert_array_equal(batches[0][:len(found.boxes)], upright)
    np.testing.assert_array_equal(batches[0][len(found.boxes):2 * len(found.boxes)], turn_rows(upright, 1))


@pytest.mark.parametrize("shape", [(5, 7), (60, 45), (400, 360)])
def test_disk_closing_by_rows_equals_scipys_grey_closing(shape):
    from skimage import morphology

    from ocr.frontend.ink import disk_grey_closing

    rng = np.random.default_rng(sum(shape))
    image = rng.random(shape).astype(np.float32)
    image[: shape[0] // 3] *= 0.2                                      # a dark band reaching the edge
    for radius in (1, 2, 3, 7, 9):
        expected = ndi.grey_closing(image, footprint=morphology.disk(radius))
        got = disk_grey_closing(image, radius)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("chunk_bytes", [1, 3 * 6 * 5 * 9 * 4 * 4, 1e12])                  # one image, three, all
def test_convolution_in_chunks_equals_the_whole_batch_and_a_direct_sum(chunk_bytes):
    from ocr.recognition.numpy_classifier import conv3x3

    rng = np.random.default_rng(3)
    x = rng.standard_normal((7, 6, 5, 4)).astype(np.float32)
    weight = rng.standard_normal((3, 4, 3, 3)).astype(np.float32)
    bias = rng.standard_normal(3).astype(np.float32)
    padded = np.pad(x.astype(np.float64), ((0, 0), (1, 1), (1, 1), (0, 0)))
    direct = sum(np.einsum("nhwc,oc->nhwo", padded[:, dy:dy + 6, dx:dx + 5], weight[:, :, dy, dx])
                 for dy in range(3) for dx in range(3)) + bias
    got = conv3x3(x, weight, bias, chunk_bytes=chunk_bytes)
    assert got.shape == (7, 6, 5, 3) and got.dtype == np.float32
    np.testing.assert_allclose(got, direct, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(got, conv3x3(x, weight, bias, chunk_bytes=np.inf), rtol=1e-6, atol=1e-6)


def test_a_batch_whose_im2col_outgrows_the_chunk_is_convolved_a_few_images_at_a_time(monkeypatch):
    import ocr.recognition.numpy_classifier as numpy_inference

    sizes, convolve = [], numpy_inference.conv3x3

    def spy(x, *args, **kwargs):
        sizes.append(len(x))
        return convolve(x, *args, **kwargs)

    monkeypatch.setattr(numpy_inference, "conv3x3", spy)
    x = np.zeros((16, 32, 32, 32), np.float32)
    numpy_inference.conv3x3(x, np.zeros((8, 32, 3, 3), np.float32), np.zeros(8, np.float32))
    per_image = 32 * 32 * 9 * 32 * 4
    assert sizes[0] == 16 and max(sizes[1:]) == numpy_inference.CHUNK_BYTES // per_image
    assert sum(sizes[1:]) == 16


@pytest.mark.parametrize("shape", [(3, 7, 5), (3, 120, 90), (1, 40, 30)])
def test_channel_mean_plane_by_plane_equals_numpys_mean(shape):
    from ocr.frontend.ink import channel_mean

    planes = np.random.default_rng(shape[1]).random(shape).astype(np.float32)
    got = channel_mean(planes)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, planes.mean(axis=0))


@pytest.mark.parametrize("sigma", [0.7, 1.0, 2.5])
def test_blurring_plane_by_plane_in_place_equals_the_interleaved_blur(sigma):
    from ocr.frontend.ink import blur_planes, to_planes

    image = np.random.default_rng(3).integers(0, 256, (64, 90, 3), dtype=np.uint8)
    interleaved = ndi.gaussian_filter(image.astype(np.float32) / np.float32(255), sigma=(sigma, sigma, 0),
                                      mode="nearest")
    planes = to_planes(image)
    assert blur_planes(planes, sigma) is planes
    np.testing.assert_array_equal(planes, interleaved.transpose(2, 0, 1))


def test_maximum_filter_in_the_ink_blocks_equals_the_whole_page_filter_there():
    from ocr.frontend.ink import maximum_filter_at

    rng = np.random.default_rng(5)
    image = rng.random((300, 260)).astype(np.float32)
    where = np.zeros(image.shape, bool)
    where[:3, :4] = True                                              # a corner: windows reflected at the edge
    where[150, 20:240] = True                                         # a rule
    where[-5:, 100:104] = True
    where |= rng.random(image.shape) > 0.997
    for size in (1, 3, 9, 25):
        full = ndi.maximum_filter(image, size=size)
        got = maximum_filter_at(image, where, size)
        np.testing.assert_array_equal(got[where], full[where])
        assert np.isinf(got[~where]).any()


@pytest.mark.parametrize("mode", ["RGB", "L"])
@pytest.mark.parametrize("shape", [(900, 1300), (1300, 900)])
def test_a_file_is_downscaled_as_its_decoded_array_would_be(tmp_path, mode, shape):
    rng = np.random.default_rng(11)
    pixels = rng.integers(0, 256, shape + ((3,) if mode == "RGB" else ()), dtype=np.uint8)
    path = tmp_path / "page.png"
    Image.fromarray(pixels, mode).save(path)
    from_file = next(iter(decode_pages(path, max_side=300)))                # over 4x: Pillow reduces first
    from_array = next(iter(decode_pages(pixels, max_side=300)))
    size = (300, 207) if shape[1] > shape[0] else (207, 300)
    expected = np.asarray(Image.fromarray(pixels, mode).resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0))
    np.testing.assert_array_equal(from_file.image, expected)
    np.testing.assert_array_equal(from_array.image, expected)
    assert from_file.scale == from_array.scale and from_file.original_shape == from_array.original_shape == shape


@pytest.mark.parametrize("mode", ["P", "1", "RGBA"])
def test_files_outside_the_fast_path_decode_to_their_converted_pixels(tmp_path, mode):
    rng = np.random.default_rng(12)
    image = Image.fromarray(rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)).convert(mode)
    image.save(tmp_path / "page.png")
    expected = {"P": image.convert("RGB"), "1": image.convert("L"), "RGBA": image.convert("RGB")}[mode]
    np.testing.assert_array_equal(next(iter(decode_pages(tmp_path / "page.png"))).image, np.asarray(expected))


@pytest.mark.parametrize("size", [(50, 1), (1, 50), (3000, 1)])
def test_a_file_one_pixel_wide_or_tall_is_refused(tmp_path, size):
    from ocr.errors import ImageError

    Image.new("L", size, 200).save(tmp_path / "sliver.png")
    with pytest.raises(ImageError, match="not a readable image"):
        list(decode_pages(tmp_path / "sliver.png", max_side=2000))



def test_to_planes_scales_every_integer_type_and_clips_signed_ones():
    from ocr.frontend.ink import to_planes

    np.testing.assert_array_equal(to_planes(np.array([[0, 255]], np.uint8))[0], [[0.0, 1.0]])
    np.testing.assert_array_equal(to_planes(np.array([[0, 65535]], np.uint16))[0], [[0.0, 1.0]])
    signed = to_planes(np.array([[-5, 0, 32767]], np.int16))[0]
    np.testing.assert_array_equal(signed, [[0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(to_planes(np.array([[True, False]]))[0], [[1.0, 0.0]])
    rgba = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(to_planes(rgba), rgba[..., :3].transpose(2, 0, 1) / np.float32(255))
    grey_alpha = np.arange(12, dtype=np.uint8).reshape(2, 3, 2)                # the alpha channel is dropped
    np.testing.assert_array_equal(to_planes(grey_alpha), grey_alpha[..., :1].transpose(2, 0, 1) / np.float32(255))
    for planes in (to_planes(np.zeros((2, 3, 3), np.uint8)), to_planes(np.zeros((2, 3), np.int32)),
                   to_planes(np.zeros((2, 3, 3), np.float64))):
        assert planes.dtype == np.float32 and planes.flags.c_contiguous


def _rule_angle_reference(ink, max_tilt, step=0.25):
    ys, xs = np.nonzero(ink[::2, ::2])
    best, best_score = 0.0, -np.inf
    for deg in np.arange(-max_tilt, max_tilt + step / 2, step):
        t = np.deg2rad(deg)
        proj = np.round(ys * np.cos(t) + xs * np.sin(t)).astype(int)
        counts = np.bincount(proj - proj.min())
        score = float(np.sum(counts.astype(float) ** 2))
        if score > best_score:
            best, best_score = float(deg), score
    return best


@pytest.mark.parametrize("tilt", [-4.5, -1.25, 0.0, 2.0, 7.75])
def test_rule_angle_finds_the_tilt_of_long_lines_as_the_plain_projection_search_does(tilt):
    from ocr.frontend.rules import rule_angle

    rng = np.random.default_rng(int(tilt * 4) + 40)
    ink = rng.random((400, 600)) > 0.985                              # specks
    x = np.arange(600)
    for y0 in (60, 180, 300):
        y = np.round(y0 - x * np.tan(np.deg2rad(tilt))).astype(int)
        inside = (y >= 0) & (y < 400)
        ink[y[inside], x[inside]] = True
        ink[np.minimum(y[inside] + 1, 399), x[inside]] = True
    got = rule_angle(ink, 10.0)
    assert got == _rule_angle_reference(ink, 10.0)
    assert abs(got - tilt) <= 0.25
    assert rule_angle(np.zeros((50, 50), bool), 10.0) == 0.0


@pytest.mark.parametrize("block", [1, 2, 3, 5, 7])
@pytest.mark.parametrize("shape", [(60, 45), (61, 47), (4, 9)])
def test_block_max_equals_max_pooling_the_edge_padded_image(block, shape):
    from ocr.frontend.ink import block_max

    image = np.random.default_rng(block).random(shape).astype(np.float32)
    cells = (-(-shape[0] // block), -(-shape[1] // block))
    padded = np.pad(image, ((0, cells[0] * block - shape[0]), (0, cells[1] * block - shape[1])), mode="edge")
    expected = padded.reshape(cells[0], block, cells[1], block).max(axis=(1, 3))
    np.testing.assert_array_equal(block_max(image, block), expected)


def _rule_page(tilt, length, left, seed, every=0):
    """A 400 x 600 mask of specks and one straight line ``length`` px long at ``tilt`` degrees from column ``left``.

    With ``every``, the line has a one-pixel gap every ``every`` columns.
    """
    rng = np.random.default_rng(seed)
    ink = rng.random((400, 600)) > 0.999
    x = np.arange(left, min(600, left + length))
    x = x[(x % every != 0)] if every else x
    y = np.round(200 - (x - left) * np.tan(np.deg2rad(tilt))).astype(int)
    ink[y, x] = True
    return ink


@pytest.mark.parametrize("tilt", [-16.0, -9.5, 0.0, 4.0, 15.5])
def test_a_direction_is_skipped_only_where_the_full_rule_search_finds_nothing(monkeypatch, tilt):
    import ocr.frontend.rules as rules

    found_any = 0
    for k, (length, left, every) in enumerate([(215, 0, 0), (220, 190, 0), (215, 385, 0), (600, 0, 0), (200, 100, 0),
                                               (600, 0, 25)]):
        ink = _rule_page(tilt, length, left, k, every)
        got = rules.remove_rules(ink, 1.0)
        with monkeypatch.context() as m:
            m.setattr(rules, "may_hold_rules", lambda where, tilts, params=DEFAULT: [True] * len(tilts))
            full = rules.remove_rules(ink, 1.0)
        np.testing.assert_array_equal(got[1], full[1])
        found_any += bool(full[1].any())
        if full[1].any():
            assert any(rules.may_hold_rules(ink, [tilt - 1, tilt, tilt + 1]))
    assert found_any >= 4


def test_pages_of_writing_skip_the_rule_search_at_every_tilt_in_both_directions(monkeypatch):
    import ocr.frontend.rules as rules
    from ocr.frontend.rules import may_hold_rules

    tilts = [-16.0, -1.0, 0.0, 1.0, 16.0]
    found = locate(text_page([["HELL", "THE", "FEZ"], ["LIFT", "ZEE"]]))
    assert not any(may_hold_rules(found.ink, tilts)) and not any(may_hold_rules(np.ascontiguousarray(found.ink.T), tilts))
    ruled = found.ink.copy()
    ruled[ruled.shape[0] // 2, :] = True
    assert all(may_hold_rules(ruled, tilts)) and not any(may_hold_rules(np.ascontiguousarray(ruled.T), tilts))
    searched, search = [], rules._rules_horizontal

    def counting(page, *args, **kwargs):
        searched.append(page.shape)
        return search(page, *args, **kwargs)

    monkeypatch.setattr(rules, "_rules_horizontal", counting)
    rules.remove_rules(found.ink, found.stroke)
    assert searched == []
    rules.remove_rules(ruled, found.stroke)
    tilts_searched = 2 * round(DEFAULT.rule_tilt_spread / DEFAULT.rule_tilt_step) + 1      # the main tilt's fan
    assert len(searched) == tilts_searched == 5 and all(shape[1] == ruled.shape[1] for shape in searched)


def test_grey_saved_as_colour_is_binarised_on_one_plane_with_the_same_result(monkeypatch):
    import ocr.frontend.ink as ink
    import ocr.frontend.letters as find_letters

    page = (text_page([["HELL", "THE"], ["FEZ"]]) * 255).astype(np.uint8)
    rgb = np.repeat(page[..., None], 3, axis=2)
    seen, contrast = [], ink.ink_contrast

    def counting(planes, *args, **kwargs):
        seen.append(len(planes))
        return contrast(planes, *args, **kwargs)

    monkeypatch.setattr(ink, "ink_contrast", counting)
    one = locate(rgb)
    assert seen and set(seen) == {1}
    seen.clear()
    with monkeypatch.context() as m:
        m.setattr(find_letters, "distinct_planes", lambda planes: planes)
        three = locate(rgb)
    assert set(seen) == {3}
    for a, b in zip((one.boxes, one.marks, one.ink, one.contrast, one.paper),
                    (three.boxes, three.marks, three.ink, three.contrast, three.paper)):
        np.testing.assert_array_equal(a, b)
    tinted = rgb.copy()
    tinted[0, 0, 2] += 1
    seen.clear()
    locate(tinted)
    assert set(seen) == {3}


@pytest.mark.parametrize("shape", [(300, 600), (600, 300)])
@pytest.mark.parametrize("tilt", [-16.0, -7.5, 0.0, 4.0, 16.0])
def test_a_window_just_filled_along_the_searched_tilt_is_always_seen(tilt, shape):
    """A piece of line exactly one search window long, starting at every row of a band, is never skipped.

    On a tall page the search's window is a share of the sheared page's height, taller by the shear. A line
    jittered a row up and down, just over ``rule_fill`` full, fills the search's 3-row-thick window: the check's
    bands reach those rows too (at 16 degrees on a wide page a band only as tall as the shear's rise misses it).
    """
    from ocr.frontend.rules import _dilate_rows, may_hold_rules, shear_columns, shear_offsets

    (h, w), left = shape, shape[1] // 3
    offsets = shear_offsets(w, tilt)
    length = int(DEFAULT.rule_length * max(h + offsets.max(), w))
    x = np.arange(left, left + length)
    gap = length - int(np.ceil(0.955 * length))
    x_dense = np.delete(x, np.arange(length // 2, length // 2 + gap))
    for row in range(120, 180):
        mask = np.zeros((h, w), bool)
        mask[row - offsets[x], x] = True
        assert may_hold_rules(mask, [tilt]) == [True], row
        short = mask.copy()
        short[:, x[int(DEFAULT.rule_fill * length):]] = False         # at most rule_fill of a window
        assert may_hold_rules(short, [tilt]) == [False], row
        jagged = np.zeros((h, w), bool)                                # one row off, up and down, 95.5% full:
        jagged[row - offsets[x_dense] + np.where(x_dense % 2, 1, -1), x_dense] = True  # the search's 3-row
        sheared, _ = shear_columns(jagged, tilt)                       # thickening fills the row between
        thick = _dilate_rows(sheared).astype(np.float32)
        assert (ndi.uniform_filter1d(thick, size=length, axis=1) > DEFAULT.rule_fill).any(), row
        assert may_hold_rules(jagged, [tilt]) == [True], row


def test_hysteresis_grows_ink_along_diagonal_one_pixel_strokes():
    from ocr.frontend.ink import hysteresis_ink

    contrast = np.zeros((40, 40), np.float32)
    rows = np.arange(5, 35)
    contrast[rows, rows] = 0.06                                        # above the growth level, under the seed
    contrast[5, 5] = 0.2                                               # one dark seed at the end
    ink, loose = hysteresis_ink(contrast, np.ones((40, 40), bool))
    np.testing.assert_array_equal(ink, contrast > 0)
    contrast[5, 5] = 0.06
    assert not hysteresis_ink(contrast, np.ones((40, 40), bool))[0].any()
