"""Stage 2, front end: ink against the paper, the sheet on a desk, ruled lines, and the letter boxes.

``letters.locate`` is the stage's entry: a page image in, a ``Located`` (ink
mask, letter and mark boxes, stroke width) out.
"""
