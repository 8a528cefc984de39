"""The page reader: everything ``read`` runs, stage by stage; it never imports the trainers or torch.

1. ``decode`` - files, PDFs, stdin and arrays to upright 8-bit pages;
2. ``frontend`` - ink, the sheet of paper, ruled lines, letter boxes;
3. ``layout`` - orientation, split and joined letters, lines, words, punctuation;
4. ``recognition`` - crops, the glyph classifiers, the line recogniser, the lexicon;
5. ``writers`` - text, JSON, TSV, hOCR, ALTO, PAGE, searchable PDF, pictures.

``page.read_page`` runs stages 2-4 on one decoded page; ``api.Reader`` reads
files with it; ``batch`` reads many inputs in worker processes or on Dask;
``params`` holds every front-end and layout tunable; ``models/`` the shipped weights.
"""
__version__ = "0.2.0"
