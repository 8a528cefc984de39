"""Every dev page turned a quarter, half or three quarters, or stored turned with an EXIF flag, reads as upright."""
import io

import numpy as np
import pytest
from PIL import Image

from ocr.api import Reader
from ocr.decode.sources import decode_pages
from ocr.params import DEFAULT

KNOWN_FAILURES = set()      # (page name, turns) pairs that read differently turned; none today


@pytest.fixture(scope="module")
def reader(shipped_cnn):
    return Reader("cnn")


@pytest.fixture(scope="module")
def upright(reader, pages_dir, wild_dir):
    """Decoded upright pixels and text of every dev page, by name."""
    out = {}
    for path in sorted(p for folder in (pages_dir, wild_dir) for p in folder.iterdir()
                       if p.suffix.lower() in (".jpg", ".jpeg", ".png")):
        image = next(iter(decode_pages(path, max_side=DEFAULT.work_side))).image
        out[path.name] = (image, reader.read(image)[0].text)
    return out


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_turned_pages_read_as_upright(reader, upright, turns):
    wrong = []
    for name, (image, text) in upright.items():
        page = reader.read(np.ascontiguousarray(np.rot90(image, turns)))[0]
        if page.text != text or page.result.rotation != (360 - 90 * turns) % 360:
            wrong.append(name)
    known = sorted(name for name, k in KNOWN_FAILURES if k == turns)
    assert len(upright) == 8
    assert sorted(wrong) == known


def test_exif_rotated_copies_decode_to_the_upright_pixels(upright):
    """Same pixels as the upright page, so the same text."""
    for name, (image, _) in upright.items():
        stored = Image.fromarray(np.ascontiguousarray(np.rot90(image, 1)))   # turned 90 degrees counter-clockwise
        exif = Image.Exif()
        exif[0x0112] = 6                                                    # "rotate 90 clockwise to view"
        buffer = io.BytesIO()
        stored.save(buffer, format="PNG", exif=exif)
        decoded = next(iter(decode_pages(buffer.getvalue()))).image
        assert np.array_equal(decoded, image), name
