"""Python API: load a classifier once, read many images, PDFs, byte strings or arrays."""
import os

from .decode.decoded import MAX_PIXELS, PDF_DPI
from .decode.sources import decode_pages
from .errors import ImageError
from .page import DEFAULT_ENGINE, read_page
from .params import DEFAULT
from .recognition.lexicon import DEFAULT_LEXICON, load_lexicon
from .recognition.model_files import load_classifier, resolve_model_path
from .recognition.numpy_line import load_numpy_line_model
from .result import PageFailure, PageReading, to_original_pixels


class Reader:
    """Reads pages of handwriting with one loaded classifier and line recognisers.

    Parameters
    ----------
    model : str, os.PathLike or classifier
        'cnn', 'mlp', 'torch-mlp', a model file (loaded for NumPy inference,
        without torch), or an object with ``predict_proba(rows) -> (N, 36)``.
    max_pixels : int
        Pages larger than this are read downscaled (boxes are still reported
        in the original image's pixels).
    pdf_dpi : float
        Resolution at which PDF pages are rendered.
    lexicon : str, os.PathLike, ocr.recognition.lexicon.Lexicon or None
        Word list for correcting unsure words: 'en', 'none', a file of words
        (see :func:`ocr.recognition.lexicon.load_lexicon`) or a loaded lexicon.
    engine : {'auto', 'glyph', 'line', 'mixed'}
        See :func:`ocr.page.read_page`.
    recogniser : optional
        The capitals' line recogniser for 'line' and 'auto'; by default the
        shipped one (``ocr/models/line.pt``, read in NumPy), and 'auto' reads
        capitals as 'glyph' when it is missing.
    mixed : optional
        The mixed-case line recogniser for 'mixed' and 'auto'; by default the
        shipped one (``ocr/models/line_mixed.pt``); 'auto' reads capitals only
        when it is missing.
    **read_options
        Passed to :func:`ocr.page.read_page` (``params``).

    Examples
    --------
    >>> reader = Reader("cnn")
    >>> pages = reader.read("sample_images/synth_01.png")
    >>> pages[0].text.splitlines()[0]
    'ROOM PACK MY'
    """

    def __init__(self, model="cnn", max_pixels=MAX_PIXELS, pdf_dpi=PDF_DPI, lexicon=DEFAULT_LEXICON,
                 engine=DEFAULT_ENGINE, recogniser=None, mixed=None, **read_options):
        self.classifier = model if hasattr(model, "predict_proba") else load_classifier(model)
        self.max_pixels = max_pixels
        self.pdf_dpi = pdf_dpi
        if lexicon is None or isinstance(lexicon, (str, os.PathLike)):
            lexicon = load_lexicon(lexicon)
        if recogniser is None:
            recogniser = line_recogniser(engine)
        if mixed is None:
            mixed = line_recogniser(engine, "mixed", role="mixed")
        self.read_options = {**read_options, "lexicon": lexicon, "engine": engine, "recogniser": recogniser,
                             "mixed": mixed}

    def iter_read(self, source, errors="raise"):
        """Yield a :class:`PageReading` per page of ``source`` as soon as it is read.

        Parameters
        ----------
        source : str, os.PathLike, bytes, array or PIL image
            A file (image or PDF), ``"-"`` for stdin, encoded bytes, or a decoded
            (H, W) / (H, W, C) array.
        errors : {'raise', 'yield'}
            On an unreadable input, raise :class:`ImageError` or yield a
            :class:`PageFailure` and stop.
        """
        try:
            for page in decode_pages(source, max_pixels=self.max_pixels, pdf_dpi=self.pdf_dpi,
                                     max_side=self.read_options.get("params", DEFAULT).work_side):
                result = read_page(page.image, self.classifier, **self.read_options)
                to_original_pixels(result, page.scale, page.original_shape)
                yield PageReading(result, page.source, page.page, page.page_count, page.scale, page.image)
        except ImageError as exc:
            if errors == "raise":
                raise
            yield PageFailure(_source_name(source), str(exc))

    def read(self, source):
        """All pages of ``source`` (see :meth:`iter_read`) as a list of :class:`PageReading`."""
        return list(self.iter_read(source))


SHIPPED_LINE_MODELS = ("line", "mixed")
"""The shipped line models, each named after the engine that reads with it alone."""


def line_recogniser(engine=DEFAULT_ENGINE, spec="line", role="line"):
    """A line recogniser an engine reads with, loaded for NumPy inference (no torch).

    Parameters
    ----------
    engine : {'auto', 'glyph', 'line', 'mixed'}
    spec : str or os.PathLike
        'line' (the shipped capitals' model), 'mixed' (the shipped mixed-case
        model) or a model file.
    role : {'line', 'mixed'}
        What the model is for: the capitals' recogniser (read by 'line' and
        'auto') or the mixed-case one (read by 'mixed' and 'auto').

    Returns
    -------
    ocr.recognition.numpy_line.NumpyLineRecogniser or None
        None when the engine does not read with this model ('glyph'; 'line'
        and the mixed model; 'mixed' and the capitals' model), and for 'auto'
        when the shipped model is missing.

    Raises
    ------
    FileNotFoundError
        The model the engine needs, or a file named by ``spec``, is missing.
    ocr.errors.ModelFormatError
    """
    if engine not in ("auto", role):
        return None
    try:
        return load_numpy_line_model(resolve_model_path(spec))
    except FileNotFoundError:
        if engine == role or spec not in SHIPPED_LINE_MODELS:
            raise
        return None


def _source_name(source):
    return os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<input>"
