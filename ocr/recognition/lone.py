"""Lines that are a lone shape read as no letter in particular, or a blot: not writing."""
import numpy as np
from scipy import ndimage as ndi

from ..params import DEFAULT


def lone_guesses(structure, conf, thickness, params=DEFAULT):
    """Lines that are a lone shape that is not writing.

    A sheet's edge, a punch hole or a desk's texture left over by the filters
    stands alone on its line and either reads as no letter in particular or is
    a blot far thicker than the page's strokes, while a written line holds
    several letters or one pen-thin letter read with confidence.

    Parameters
    ----------
    structure : list of lines, each a list of words, each a list of box indices
    conf : (N,) array
        Confidence of each box's label.
    thickness : (N,) array
        Each box's :func:`blob_radius` in page stroke widths (only read for
        the boxes of lines of at most ``lone_max_letters``).
    params : FrontEndParams
        ``lone_max_letters``, ``lone_min_confidence`` and ``lone_blob_strokes``.

    Returns
    -------
    drop : list of bool, one per line
    """
    drop = []
    for line in structure:
        members = [i for word in line for i in word]
        drop.append(len(members) <= params.lone_max_letters
                    and (max(float(conf[i]) for i in members) < params.lone_min_confidence
                         or min(float(thickness[i]) for i in members) > params.lone_blob_strokes))
    return drop


def blob_radius(ink, boxes):
    """Radius in px of the largest disc that fits in the ink of each box.

    Parameters
    ----------
    ink : (H, W) bool array
    boxes : (K, 4) int array

    Returns
    -------
    (K,) float array
    """
    radius = np.zeros(len(boxes))
    for k, (y1, x1, y2, x2) in enumerate(np.asarray(boxes, int).reshape(-1, 4)):
        inside = ink[max(y1, 0):y2, max(x1, 0):x2]
        if inside.any():
            radius[k] = ndi.distance_transform_edt(np.pad(inside, 1)).max()
    return radius


def drop_lone_guesses(lines, structure, conf, ink, boxes, stroke, params=DEFAULT):
    """``lines`` without the lines :func:`lone_guesses` finds, and without empty lines.

    Parameters
    ----------
    lines : list of Line
        The reading of each line of ``structure``.
    structure : list of lines of words of box indices
    conf : (K,) array
        Confidence of each box's glyph reading.
    ink : (H, W) bool array
    boxes : (K, 4) int array
    stroke : float
        The page's stroke width in px.
    params : FrontEndParams

    Returns
    -------
    list of Line
    """
    lone = [i for line in structure if sum(map(len, line)) <= params.lone_max_letters for word in line for i in word]
    thickness = np.zeros(len(boxes))
    thickness[lone] = blob_radius(ink, boxes[lone]) / stroke
    unsure = lone_guesses(structure, conf, thickness, params)
    return [line for line, drop in zip(lines, unsure) if not drop and line.words]
