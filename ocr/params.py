"""Tunables of the page front end, in one documented place.

Every length is relative to a quantity measured on the page itself: the
working copy's longer side (``page``), the median stroke width of the ink
(``stroke``), or the page's reference letter height (``letter``), so that no
number is fitted to one image.
"""
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class FrontEndParams:
    """Parameters of ink finding, letter finding, orientation and layout.

    Parameters
    ----------
    work_side : int
        Pages are processed on a copy whose longer side is at most this (px).
    min_letter_height : float
        A page whose letters (the reference letter height of a first pass) are
        shorter than this (px) is read again on a copy enlarged so they are this
        tall, its longer side at most ``work_side``: small writing (a thumbnail,
        a screenshot) has strokes a pixel wide, which the background and
        hysteresis passes break.
    pre_blur : float
        Gaussian sigma (px of the working copy) before binarisation.
    background_strokes : float
        Local paper background is the brightness after removing dark details
        up to this many ``stroke`` widths: it follows shadows and colour casts
        at that scale.
    seed_noise : float
        Ink seeds: contrast above paper of at least this many robust noise
        deviations of the paper's contrast.
    seed_min_contrast : float
        ... and at least this fraction darker than the local paper.
    statistics_step : int
        The paper's contrast statistics are measured on every this-many-th
        pixel along each axis (a regular sample; the median of millions of
        pixels does not need them all).
    grow_ratio : float
        Ink grows from the seeds over pixels whose contrast exceeds this
        fraction of the seed level (hysteresis), so faint parts of a thin pen
        stroke stay joined to its dark parts.
    rule_length : float
        A ruled or grid line is a straight thin run at least this fraction of
        the ``page`` long ...
    rule_min_strokes : float
        ... and at least this many ``stroke`` widths long (on a tight crop of
        a word in marker, a letter's stem or bar is an eighth of the page:
        10-15 strokes long; a rule crosses the page, 60 or more);
    rule_span : float
        ... whose straight run spans at least this fraction of the page.
    rule_fill : float
        ... of which at least this fraction is ink (a nearly continuous run in
        the loose ink mask; a row of letter tops has gaps) ...
    rule_max_tilt : float
        Ruled lines are searched up to this many degrees off horizontal and
        off vertical: 45 is every angle (a sheet photographed by hand easily
        lies 8 degrees off, a pad held sideways or aslant has its rules
        running down or across the letters at any angle; the rules of a page
        searched too narrowly stay and swallow its writing).
    rule_tilt_spread : float
        Rules are also searched this many degrees either side of the page's
        main rule tilt (perspective fans the rules out) ...
    rule_tilt_step : float
        ... at tilts at most this many degrees apart (a rule is found at a
        tilt within about its thickness over ``rule_length`` of its own).
        Webcam frames of torn pads fan their rules 2-5 degrees across the
        sheet: searched 1 degree either side, their pieces stay as lines of
        ``1``; 2 degrees removes them with no change on the dev pages.
    rule_bridge_strokes : float
        Rule pixels with ink within this many ``stroke`` widths both above and
        below (across the rule) are kept: there a letter crosses the rule.
    rule_pen_contrast : float
        Rule pixels darker than this many times the median darkness of the
        page's rule pixels are pen lying along the rule and stay (pen measured
        at 2x or more of the rules on the ruled dev pages).
    sheet_texture : float
        A frame less than ``sheet_max_share`` of which is smooth (local paper
        brightness roughness in a window of ``sheet_scale`` of the page under
        this) shows a sheet held up in a scene; the sheet is the smooth region
        holding the most ink (:func:`ocr.frontend.paper.held_sheet`). Paper
        measures under 0.01 (camera noise, gradual shadows: the roughness is
        taken about the local mean, over that mean's height above the frame's
        black level, so haze or halved contrast leaves it as it is), scenes
        0.03-0.35 (cloth, foliage, faces).
    sheet_black : float
        The frame's black level is this percentile of its brightness.
    sheet_scale : float
        See ``sheet_texture`` (fraction of the page's longer side).
    sheet_block : float
        The roughness is measured on paper whose dark details are removed at
        a cell of at least this fraction of the page's longer side (the
        stroke width measured on a whole frame of scene can be too small to
        remove the writing).
    sheet_max_share, sheet_min_share : float
        See ``sheet_texture``: fractions of the frame. Pages filling the frame
        are smooth over 0.87 of it and more (their spiral and edges rough, or
        a hard shadow's edge across them); sheets held up in a room over 0.52
        and less. A sheet is a smooth region of at least ``sheet_min_share``.
    min_box : float
        Boxes with a longer side below this fraction of the ``page`` are
        specks.
    row_height_ratio, row_centre, row_gap : float
        The reference ``letter`` height is measured on boxes that stand in a
        row beside a box of similar height (height ratio under
        ``row_height_ratio``, centres within ``row_centre`` and a gap under
        ``row_gap`` of the taller one's height; :func:`ocr.frontend.letters.row_neighbours`),
        so that a binding's rings or specks cannot set it ...
    row_min_letters : int
        ... when at least this many boxes do (else on all of them).
    tall_ratio, wide_ratio : float
        Before merging, components taller than ``tall_ratio`` or wider than
        ``wide_ratio`` ``letter`` heights are not letters (pens, sheet edges)
        unless they look like a run of touching letters.
    merge_overlap : float
        Fragments merge when their horizontal overlap is at least this fraction
        of the narrower one ...
    merge_gap : float
        ... their vertical gap is under this many ``letter`` heights ...
    merge_height : float
        ... and the merged box is under this many ``letter`` heights tall.
    min_height, max_height : float
        After merging, letters are ``min_height``..``max_height`` ``letter``
        heights tall.
    min_peak_ratio : float
        A letter's darkest ink is at least this fraction of the median over the
        page's letters (writing measured at 0.8 or more of it on every dev
        page; a shadow's edge at 0.34).
    min_paper_ratio : float
        A letter whose surround is darker than this fraction of the median
        paper brightness around the page's letters lies on the desk, not on
        the sheet (on the dev pages: a dark table 0.17; letters 0.67 or more,
        in a hard shadow or beside a binding).
    sliver_ratio, sliver_height : float
        A box more than ``sliver_ratio`` times taller than wide and taller than
        ``sliver_height`` ``letter`` heights is a sheet's edge or a pen, not a
        letter (a written I or 1 stands as tall as the other letters).
    run_min, run_max, run_width : float
        A box ``run_min``..``run_max`` ``letter`` heights tall and at most
        ``run_width`` wide may hold touching letters (split later).
    join_unsure : float
        Side-by-side neighbours on a line, one of them read with less than this
        confidence, may be pieces of one letter (``ocr.layout.merge``) ...
    join_max_width, join_max_gap : float
        ... when together they are at most ``join_max_width`` ``letter``
        heights wide with a gap of at most ``join_max_gap`` of them ...
    join_min_confidence : float
        ... and they are joined when the joined box reads with at least this
        confidence, better than either piece.
    max_tilt : float
        Text lines are searched up to this many degrees of tilt.
    orientation_sample : int
        Number of letter boxes classified in each of the four quarter turns to
        choose the page's orientation.
    orientation_first : int
        The turns are read first on this many of those letters (spread over
        the page); when the upright reading leads every other turn there by
        ``orientation_lead``, the page stays upright and the other letters are
        not read (the full sample would need a turn to beat it by
        ``orientation_margin``).
    orientation_lead : float
        See ``orientation_first`` (mean log-confidence). On 20 letters the
        upright reading of the dev and sample pages leads by 0.18 to 0.56, and
        on the same pages turned by 90, 180 or 270 degrees it trails by 0.18
        or more.
    orientation_margin : float
        A quarter turn is applied only when its mean log-confidence beats the
        upright reading by at least this much (the right turn of every dev
        page turned by 90, 180 or 270 degrees: 0.147 or more) ...
    orientation_trim : float
        ... and when, leaving out this least confident fraction of the sample
        (specks, fragments, a binding's rings: they read poorly in every
        turn) ...
    orientation_confidence : float
        ... the rest read in that turn with a geometric-mean confidence of at
        least this (twins counted together). The right turn of every dev page
        reads at 0.91 or more so; pages of touching letters, blobs to the
        classifier, read at 0.80 or less in every turn and are no evidence of
        a turn.
    orientation_prior : float
        A quarter turn is taken only when its evidence against the page as it
        stands (log-odds: the sampled letters' summed log-likelihood ratios,
        plus ``orientation_layout`` per letter lined up in a column rather
        than a row, :func:`ocr.layout.orientation.turn_evidence`) is at least
        this: an upright page is about 4.5 times likelier than a turned one,
        and three glyphs read slightly more surely sideways (0.15 nats each)
        do not turn a short sum. The right turn of every dev page turned by
        90, 180 or 270 degrees has 2.0 or more (the one word of
        ``photo_ruled_bigcaps`` upside down, 11 letters).
    orientation_layout : float
        Log-odds for a quarter turn per letter that stands in a column of
        letters and in no row (against per letter in a row and no column):
        writing runs along its lines.
    half_turn_prior : float
        With ``engine='auto'`` and a mixed-case recogniser, the upright page
        is turned by 180 degrees when that recogniser reads it so with log-odds
        of at least this: its mean log-confidence per character gained, times
        the page's letters (:func:`ocr.recognition.half_turn.settle_half_turn`;
        a line recogniser reads context, which single glyphs lack: ``o s x z l``
        and ``2/Z`` read alike upside down). Odds of about 400 to 1: on every
        dev page as the glyphs stand it upright, the evidence for the wrong
        half turn is at most 3.4.
    lone_max_letters : int
        A text line of at most this many letters ...
    lone_min_confidence : float
        ... none of them read with at least this confidence, is not writing
        (a sheet edge, desk texture) and is left out (written letters read at
        0.8 or more on the dev pages, such leftovers at 0.13-0.40) ...
    lone_blob_strokes : float
        ... nor is one whose ink holds a disc of radius above this many
        ``stroke`` widths (a punch hole, a blot: 2.5-2.7; a pen-written
        letter's stroke is about 0.5 and at most 1.3 on the dev pages; a
        marker's filled loop up to 2.2).
    only_writing : bool
        Lines and small marks are read only when the writing model
        (``ocr/models/writing.npz``, :mod:`ocr.layout.writing`) judges them
        writing, not a sheet's edge, punch holes, spiral rings, pieces of
        rules, creases, specks or the scene around a held-up sheet.
    auto_margin : float
        ``engine='auto'`` keeps the line engine's reading of a line where the
        glyph engine cut touching letters, or where its mean log-confidence
        per character beats the glyph engine's by this much (chosen on
        ``make-samples --seed 11`` pages and the dev pages).
    mixed_share : float
        ``engine='auto'`` with a mixed-case recogniser keeps its reading of a
        line when at least this share of the letters it reads are lowercase
        letters whose capitals look different (``a b d e f g h i j l m n q r t
        y``; ``c o s u v w x z k p`` are not evidence): a line of block
        capitals stays with the capitals' engines.
    case_height : float
        Where the mixed-case reading of a line differs from the capitals'
        reading in case alone, it is kept only when its x-height letters are
        at most this share of its tall letters' height
        (:func:`ocr.recognition.engines.case_by_size`; x-height letters are
        0.5-0.65 of the capitals, a line of block capitals is alike).
    sum_confidence : float
        A mixed-case reading is a sum when a ``+`` or ``=`` stands between
        digits, read with at least this confidence
        (:func:`ocr.recognition.engines.is_sum`): the ``+`` of a sum in
        pages-real reads at 0.999, the signs misread between the digits of
        ``scan_digits`` (pages-wild) at 0.81 or less.
    mixed_margin : float
        ... and when its mean log-confidence per character beats the capitals'
        reading of the line by more than this
        (:func:`ocr.recognition.engines.keeps_mixed_reading`).
    line_join : float
        A box joins the current text line when its centre is within this many
        line heights of the line's centre.
    stray_max_boxes : int
        A line of at most this many boxes that lies within another line's
        rows and between its first and last letters is put into it (a
        descender of mixed-case print starting a line of its own,
        :func:`ocr.layout.lines.absorb_strays`).
    stray_overlap : float
        ... when at least this share of its height lies within the other line's rows,
    stray_min_height : float
        ... and its boxes are at least this many of that line's median box
        heights tall (a descender letter is 1.2-1.6 x-heights tall; a big
        comma hanging from its line is under 0.75 of its height),
    stray_reach : float
        ... and it stands within this many of those heights beyond the line's
        first or last letter (a first letter written apart, ``p lease``).
    line_bend : float
        A line's centre follows the line's own slope, up to this many degrees
        off the page's skew (handwritten lines drift: 1.2 degrees between two
        lines of one scan on the dev pages).
    word_gap_ratio : float
        Within a line, gaps split into letter and word spaces only when the
        mean wide gap is at least this many times the mean narrow gap.
    word_gap_floor : float
        No gap narrower than this many ``letter`` heights separates words.
    word_gap_fallback : float
        Word-space limit (``letter`` heights) for lines with too few gaps to
        measure their own.
    mark_max_height : float
        Punctuation marks are at most this many ``letter`` heights tall (and
        twice that wide) ...
    mark_min_strokes : float
        ... and at least this many ``stroke`` widths on their longer side.
    mark_column, mark_column_reach : float
        Marks stacked in a column of at least ``mark_column`` (each overlapping
        the next horizontally, centres within ``mark_column_reach`` ``letter``
        heights) are pieces of a broken line (a sheet's edge), not punctuation
        (a colon stacks two).
    comma_max_height : float
        A comma is at most this many line heights tall.
    hanging_max_height : float
        A text line of one box shorter than this many heights of the line
        above, whose top lies in that line, is a mark of that line (a big
        comma: 0.67 of its line on the dev pages).
    marks : str
        Which punctuation marks are read (of ``. , - '``). A lone dot or tick
        is left out by default: alone it is as likely a speck, or the dot of a
        list number ("2.") that readers do not write down.
    """

    work_side: int = 2000
    min_letter_height: float = 32.0
    pre_blur: float = 1.0
    background_strokes: float = 3.0
    seed_noise: float = 6.0
    seed_min_contrast: float = 0.08
    statistics_step: int = 3
    grow_ratio: float = 0.5
    edge_fraction: float = 0.5
    peak_strokes: float = 2.0
    rule_length: float = 0.125
    rule_min_strokes: float = 30.0
    rule_span: float = 0.35
    rule_fill: float = 0.95
    rule_max_tilt: float = 45.0
    rule_tilt_spread: float = 2.0
    rule_tilt_step: float = 1.0
    rule_bridge_strokes: float = 2.0
    rule_pen_contrast: float = 1.8
    sheet_texture: float = 0.03
    sheet_scale: float = 1 / 60
    sheet_black: float = 0.5
    sheet_block: float = 1 / 250
    sheet_max_share: float = 0.67
    sheet_min_share: float = 0.03
    min_box: float = 0.004
    row_height_ratio: float = 1.6
    row_centre: float = 0.35
    row_gap: float = 1.0
    row_min_letters: int = 3
    tall_ratio: float = 3.0
    wide_ratio: float = 3.0
    merge_overlap: float = 0.5
    merge_gap: float = 0.35
    merge_height: float = 1.6
    min_height: float = 0.4
    max_height: float = 2.5
    min_peak_ratio: float = 0.5
    min_paper_ratio: float = 0.3
    sliver_ratio: float = 4.0
    sliver_height: float = 1.4
    run_min: float = 0.6
    run_max: float = 1.8
    run_width: float = 15.0
    join_unsure: float = 0.5
    join_max_width: float = 1.3
    join_max_gap: float = 0.3
    join_min_confidence: float = 0.8
    max_tilt: float = 30.0
    orientation_sample: int = 60
    orientation_first: int = 20
    orientation_lead: float = 0.25
    orientation_margin: float = 0.1
    orientation_trim: float = 0.25
    orientation_confidence: float = 0.85
    orientation_prior: float = 1.5
    orientation_layout: float = 1.5
    half_turn_prior: float = 6.0
    lone_max_letters: int = 1
    lone_min_confidence: float = 0.5
    lone_blob_strokes: float = 2.0
    only_writing: bool = True
    auto_margin: float = 0.5
    mixed_share: float = 0.25
    mixed_margin: float = 0.0
    sum_confidence: float = 0.9
    case_height: float = 0.8
    line_join: float = 0.5
    line_bend: float = 5.0
    stray_max_boxes: int = 2
    stray_overlap: float = 0.4
    stray_min_height: float = 0.8
    stray_reach: float = 3.0
    word_gap_ratio: float = 2.0
    word_gap_floor: float = 0.5
    word_gap_fallback: float = 1.0
    mark_max_height: float = 0.45
    mark_min_strokes: float = 0.6
    mark_column: int = 3
    mark_column_reach: float = 1.0
    comma_max_height: float = 0.75
    hanging_max_height: float = 0.75
    marks: str = ",-"

    def with_(self, **changes):
        """A copy with some parameters changed."""
        return replace(self, **changes)


DEFAULT = FrontEndParams()
