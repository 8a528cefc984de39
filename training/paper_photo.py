"""A line's ink put on photographed paper: paper and ink colours, rulings, light, camera.

:func:`on_paper` turns the float ink of :func:`pool_lines.compose_line` or
:func:`font_lines.render_line` into an RGB photograph-like image of the same size:
paper of a colour and texture, ink of a pen (ballpoint, pencil, marker),
ruled / grid / dotted paper whose lines cross the letters, parts of the lines
written above and below, uneven light and shadows, blur, low resolution,
sensor noise, low contrast and JPEG compression. Every condition not given is
drawn from ``rng`` (:func:`sample_conditions`).
"""
import io

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage as ndi

from ocr.recognition.line_image import ASCENDERS, DESCENDERS, X_HEIGHT_LETTERS

PAPERS = {
    "white": ((236, 236, 232), 0.35), "grey": ((200, 203, 203), 0.15), "cream": ((238, 228, 200), 0.15),
    "kraft": ((196, 160, 118), 0.08), "turquoise": ((120, 214, 200), 0.07), "yellow": ((245, 232, 140), 0.1),
    "pink": ((245, 200, 210), 0.05), "blue": ((190, 215, 240), 0.05),
}
"""Paper colours (RGB as photographed in daylight) and their odds."""

INKS = {
    "blue": ((30, 50, 150), 0.3), "black": ((25, 25, 30), 0.3), "pencil": ((90, 90, 95), 0.15),
    "marker": ((15, 15, 20), 0.1), "blue_marker": ((20, 40, 170), 0.05), "red": ((180, 30, 35), 0.04),
    "green": ((20, 110, 50), 0.03), "teal": ((30, 90, 100), 0.03),
}
"""Ink colours (RGB of full ink on white paper) and their odds; ``pencil`` is grainy and
lighter, the markers bleed a little."""

RULINGS = {"none": 0.45, "ruled": 0.3, "grid": 0.15, "dotted": 0.1}
"""Paper rulings and their odds."""

RULE_COLOURS = ((120, 160, 220), (150, 180, 220), (170, 170, 170), (120, 200, 210), (220, 120, 120))


def _choice(rng, odds):
    keys = list(odds)
    p = np.array([v[1] if isinstance(v, tuple) else v for v in odds.values()], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def guides(text, boxes):
    """The baseline row and capital height of a line from its text and character boxes.

    Parameters
    ----------
    text : str
    boxes : (len(text), 4) int array
        ``[y1, x1, y2, x2]`` per character (see :func:`pool_lines.compose_line`).

    Returns
    -------
    baseline : float or None
        Median bottom of letters and digits that sit on the baseline (not ``g j p q y``, not ``Q``).
    cap_height : float or None
        Median height of capitals, digits and ``b d f h k l``.
    """
    boxes = np.asarray(boxes)
    on_line = [k for k, c in enumerate(text) if c.isalnum() and c not in DESCENDERS + "Q"]
    tall = [k for k, c in enumerate(text) if (c.isupper() or c.isdigit() or c in ASCENDERS) and c != "Q"]
    baseline = float(np.median(boxes[on_line, 2])) if on_line else None
    cap = float(np.median(boxes[tall, 2] - boxes[tall, 0])) if tall else None
    if cap is None and on_line:
        small = [k for k in on_line if text[k] in X_HEIGHT_LETTERS]
        if small:
            cap = float(np.median(boxes[small, 2] - boxes[small, 0])) / 0.58
    return baseline, cap


def estimate_guides(ink):
    """Baseline row and capital height guessed from the ink alone (row profile): ``(baseline, cap_height)``.

    The x-height band is the densest run of rows; its lower edge is the
    baseline and the capital height is taken as 1.7 x its height.
    """
    profile = (ink > 0.5).sum(1).astype(float)
    if profile.max() <= 0:
        return ink.shape[0] * 0.6, ink.shape[0] * 0.4
    dense = np.flatnonzero(profile >= 0.5 * profile.max())
    return float(dense[-1] + 1), max(float(dense[-1] - dense[0] + 1) * 1.7, 4.0)


def sample_conditions(rng, **given):
    """Every :func:`on_paper` condition: those given, the others drawn from ``rng``.

    Returns
    -------
    conditions : dict
        Keys as documented in :func:`on_paper`.
    """
    unknown = set(given) - set(CONDITION_KEYS)
    if unknown:
        raise TypeError(f"unknown conditions: {sorted(unknown)}")
    c = dict(given)
    draw = lambda key, f: c.__setitem__(key, f()) if c.get(key) is None else None  # noqa: E731
    draw("paper", lambda: _choice(rng, PAPERS))
    draw("pen", lambda: _choice(rng, INKS))
    draw("ruling", lambda: _choice(rng, RULINGS))
    draw("rule_colour", lambda: RULE_COLOURS[int(rng.integers(len(RULE_COLOURS)))])
    draw("rule_pitch", lambda: rng.uniform(0.9, 1.9) if rng.random() < 0.5 else rng.uniform(1.9, 2.6))
    draw("rule_offset", lambda: rng.normal(0, 0.08))
    draw("grid_pitch", lambda: rng.uniform(0.45, 1.1))
    draw("strength", lambda: rng.uniform(0.35, 0.75) if rng.random() < 0.2 else rng.uniform(0.75, 1.0))
    draw("neighbours", lambda: rng.random() < 0.4)
    draw("line_pitch", lambda: rng.uniform(1.35, 2.0))
    draw("light", lambda: rng.uniform(0.0, 0.35))
    draw("shadow", lambda: rng.uniform(0.2, 0.55) if rng.random() < 0.2 else 0.0)
    draw("blur", lambda: rng.uniform(0.0, 0.035) if rng.random() < 0.6 else 0.0)
    draw("downscale", lambda: rng.uniform(1.2, 3.5) if rng.random() < 0.35 else 1.0)
    draw("noise", lambda: rng.uniform(0.0, 8.0))
    draw("contrast", lambda: rng.uniform(0.45, 0.85) if rng.random() < 0.15 else 1.0)
    draw("jpeg_quality", lambda: int(rng.integers(25, 96)) if rng.random() < 0.6 else 0)
    draw("white_balance", lambda: 0.05)
    return c


CONDITION_KEYS = ("paper", "pen", "ruling", "rule_colour", "rule_pitch", "rule_offset", "grid_pitch", "strength",
                  "neighbours", "line_pitch", "light", "shadow", "blur", "downscale", "noise", "contrast",
                  "jpeg_quality", "white_balance", "baseline", "cap_height")


def _smooth_noise(rng, shape, cell):
    """Smooth noise in [0, 1] varying over about ``cell`` px."""
    gh, gw = max(int(shape[0] / cell) + 2, 2), max(int(shape[1] / cell) + 2, 2)
    small = Image.fromarray(rng.random((gh, gw), dtype=np.float32), mode="F")
    return np.asarray(small.resize((shape[1], shape[0]), Image.BILINEAR))


def _neighbour_ink(ink, rng, pitch, baseline, cap_height):
    """Ink of the lines above and below, only the parts that reach into this line's band.

    Each neighbour (present with odds 0.7) is this line's ink rolled along the
    line by a random amount and moved up or down by ``pitch`` px; of the line
    above only its descenders are kept (rows below its baseline), of the line
    below only what rises above its x-height (capitals, ascenders, i-dots), so
    no readable body of another line enters the image.
    """
    h, w = ink.shape
    out = np.zeros_like(ink)
    rows = np.arange(h)[:, None]
    for sign in (-1, 1):
        if rng.random() < 0.3:
            continue
        shift = int(round(sign * pitch))
        if abs(shift) >= h:
            continue
        other = np.zeros_like(ink)
        rolled = np.roll(ink, int(rng.integers(w)), axis=1)
        if shift < 0:
            other[: h + shift] = rolled[-shift:]
            other *= rows >= baseline + shift + 1
        else:
            other[shift:] = rolled[: h - shift]
            other *= rows <= baseline + shift - 0.68 * cap_height
        out = np.maximum(out, other)
    return out


def on_paper(ink, rng, **conditions):
    """Put a line's ink on photographed paper.

    Parameters
    ----------
    ink : (h, w) float array
        Ink strength in [0, 1] (1 = full ink), e.g. from :func:`pool_lines.compose_line`.
    rng : numpy.random.Generator
        Draws every condition not given, and the noise (same state, same image).
    **conditions
        Any of these (None or absent: drawn by :func:`sample_conditions`).
        Lengths marked *H* are in the line's capital heights.

        paper : str
            Key of :data:`PAPERS` (white, grey, cream, kraft, turquoise, yellow, pink, blue).
        pen : str
            Key of :data:`INKS`: the ink's colour and kind (blue, black, pencil, marker, ...).
        ruling : str
            ``'none'``, ``'ruled'`` (horizontal rules, one near the baseline),
            ``'grid'`` (squares) or ``'dotted'`` (dots at grid points).
        rule_colour : (3,) RGB
        rule_pitch : float, *H*
            Distance between rules (0.9-1.9: rules cross the letters; 1.9-2.6: wide ruling).
        rule_offset : float, *H*
            The baseline rule's offset from the written baseline (positive: below).
        grid_pitch : float, *H*
            Side of a grid square / dot spacing.
        strength : float
            Ink strength multiplier (below 0.75: faint, low-contrast writing).
        neighbours : bool
            Parts of the lines above and below (their descenders at the top, their
            capitals and ascenders at the bottom, never their x-height bodies), made
            from this line's ink shifted along the line (:func:`_neighbour_ink`).
        line_pitch : float, *H*
            Distance between this line's baseline and its neighbours'.
        light : float
            Depth of uneven light (a smooth gradient darkening up to this share).
        shadow : float
            Darkness of a soft-edged shadow across part of the image (0: none).
        blur : float, *H*
            Gaussian blur sigma.
        downscale : float
            The image is shrunk by this factor and enlarged back (1: no loss).
        noise : float
            Sensor noise standard deviation, in 0-255 levels (a paper grain of 1-3
            levels is always added to it).
        contrast : float
            Image contrast multiplier about its mean (1: unchanged).
        jpeg_quality : int
            JPEG quality of a compression round trip (0: none).
        white_balance : float
            Standard deviation of the per-channel colour cast.
        baseline, cap_height : float
            The line's baseline row and capital height in px (from :func:`guides`);
            estimated from the ink (:func:`estimate_guides`) when not given.

    Returns
    -------
    image : (h, w, 3) uint8 array
        RGB.
    """
    ink = np.asarray(ink, np.float32)
    h, w = ink.shape
    c = sample_conditions(rng, **conditions)
    if c.get("baseline") is None or c.get("cap_height") is None:
        b, H = estimate_guides(ink)
        c["baseline"] = b if c.get("baseline") is None else c["baseline"]
        c["cap_height"] = H if c.get("cap_height") is None else c["cap_height"]
    baseline, H = float(c["baseline"]), float(c["cap_height"])

    paper = (np.array(PAPERS[c["paper"]][0]) + rng.normal(0, 6, 3)).astype(np.float32)
    img = np.empty((h, w, 3), np.float32)
    img[:] = paper
    tex = _smooth_noise(rng, (h, w), max(H * 1.5, 8)) - 0.5
    img *= (1 + 0.04 * tex)[..., None]

    if c["ruling"] != "none":
        colour = np.array(c["rule_colour"], np.float32) / 255.0
        width = max(0.6, rng.uniform(0.02, 0.05) * H)
        tilt = np.deg2rad(rng.normal(0, 0.6))
        yy, xx = np.arange(h, dtype=np.float32)[:, None], np.arange(w, dtype=np.float32)[None, :]
        v = yy - baseline - c["rule_offset"] * H + np.tan(tilt) * (xx - w / 2)
        if c["ruling"] == "ruled":
            pitch = c["rule_pitch"] * H
            d = np.abs((v + pitch / 2) % pitch - pitch / 2)
            line = np.clip(width / 2 + 0.5 - d, 0, 1)
        else:
            pitch = c["grid_pitch"] * H
            u = xx + np.tan(tilt) * (yy - h / 2) - rng.uniform(0, pitch)
            dv = np.abs((v + pitch / 2) % pitch - pitch / 2)
            du = np.abs((u + pitch / 2) % pitch - pitch / 2)
            if c["ruling"] == "grid":
                line = np.clip(width / 2 + 0.5 - np.minimum(dv, du), 0, 1)
            else:
                line = np.clip(width * 0.9 + 0.5 - np.hypot(dv, du), 0, 1)
        alpha = (line * rng.uniform(0.35, 0.8)).astype(np.float32)[..., None]
        img *= 1 - alpha * (1 - colour)

    marks = ink
    if c["neighbours"]:
        marks = np.maximum(ink, _neighbour_ink(ink, rng, c["line_pitch"] * H, baseline, H))

    kind = c["pen"]
    colour = ((np.array(INKS[kind][0]) + rng.normal(0, 8, 3)) / 255.0).astype(np.float32)
    alpha = marks * np.float32(c["strength"])
    if kind == "pencil":
        grain = rng.random((h, w), dtype=np.float32)
        alpha = alpha * rng.uniform(0.55, 0.85) * (0.55 + 0.45 * grain)
    elif "marker" in kind:
        alpha = np.clip(ndi.gaussian_filter(alpha, 0.4 + 0.02 * H) * 1.4, 0, 1)
    else:
        alpha = alpha * (1 - 0.25 * _smooth_noise(rng, (h, w), max(H * 0.3, 3)))
    alpha = np.clip(alpha, 0, 1)[..., None]
    img *= 1 - alpha * (1 - colour)

    if c["light"]:
        gy, gx = rng.normal(0, 1, 2)
        ramp = (np.float32(gy) * (np.arange(h, dtype=np.float32) / h - 0.5))[:, None] \
            + (np.float32(gx) * (np.arange(w, dtype=np.float32) / max(w, 1) - 0.5))[None, :]
        ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
        img *= (1 - np.float32(c["light"]) * ramp)[..., None]
    if c["shadow"]:
        yy, xx = np.arange(h, dtype=np.float32)[:, None], np.arange(w, dtype=np.float32)[None, :]
        angle = rng.uniform(0, 2 * np.pi)
        side = np.cos(angle) * (xx - rng.uniform(0, w)) + np.sin(angle) * (yy - rng.uniform(0, h))
        soft = max(rng.uniform(0.2, 1.5) * H, 1.0)
        img *= (1 - np.float32(c["shadow"]) * np.clip(0.5 + side / np.float32(soft), 0, 1))[..., None]
    img *= (1 + rng.normal(0, c["white_balance"], 3)).astype(np.float32)

    if c["blur"] > 0 or c["downscale"] > 1:
        pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
        if c["blur"] > 0:
            pil = pil.filter(ImageFilter.GaussianBlur(c["blur"] * H))
        if c["downscale"] > 1:
            small = (max(int(w / c["downscale"]), 4), max(int(h / c["downscale"]), 4))
            pil = pil.resize(small, Image.BILINEAR).resize((w, h), Image.BILINEAR)
        img = np.asarray(pil, np.float32)
    if c["contrast"] != 1:
        mean = img.mean()
        img = mean + np.float32(c["contrast"]) * (img - mean)
    noise = np.float32(np.hypot(c["noise"], rng.uniform(1.0, 3.0)))
    img = img + rng.standard_normal((h, w, 3), dtype=np.float32) * noise
    out = np.clip(img, 0, 255).astype(np.uint8)
    if c["jpeg_quality"]:
        buf = io.BytesIO()
        Image.fromarray(out).save(buf, format="JPEG", quality=int(c["jpeg_quality"]))
        out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    return out
