"""Stage 1, decode: input files, images (every TIFF frame), PDFs, stdin and arrays to upright 8-bit pages.

``sources.decode_pages`` is the stage's entry; ``inputs`` expands command-line
paths and names the outputs.
"""
