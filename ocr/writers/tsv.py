"""Tesseract's TSV: one row per page, block, paragraph, line and word (levels 1-5); conf -1 but for words."""
from ..boxes import box_of, line_chars, ltwh, word_confidence

EXTENSION = ".tsv"
COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
           "left", "top", "width", "height", "conf", "text")


def render(pages):
    rows = ["\t".join(COLUMNS)]
    for page_num, page in enumerate(pages, start=1):
        height, width = page.shape
        rows.append(_row(1, page_num, 0, 0, 0, 0, [0, 0, height, width]))
        if not page.chars:
            continue
        rows.append(_row(2, page_num, 1, 0, 0, 0, box_of(page.chars)))
        rows.append(_row(3, page_num, 1, 1, 0, 0, box_of(page.chars)))
        for line_num, line in enumerate(page.lines, start=1):
            rows.append(_row(4, page_num, 1, 1, line_num, 0, box_of(line_chars(line))))
            for word_num, word in enumerate(line.words, start=1):
                rows.append(_row(5, page_num, 1, 1, line_num, word_num, box_of(word.chars),
                                 f"{100 * word_confidence(word):.2f}", word.text))
    return "\n".join(rows) + "\n"


def _row(level, page, block, par, line, word, box, conf="-1", text=""):
    return "\t".join(str(v) for v in (level, page, block, par, line, word, *ltwh(box), conf, text))
