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
    """Reads pages of hand-printed capitals with one loaded classifier.

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
    engine : {'auto', 'glyph', 'line'}
        See :func:`ocr.page.read_page`.
    recogniser : optional
        Line recogniser for 'line' and 'auto'; by default the shipped one
        (``models/line.pt``, read in NumPy), and 'auto' is 'glyph' when it is missing.
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
                 engine=DEFAULT_ENGINE, recogniser=None, **read_options):
        self.classifier = model if hasattr(model, "predict_proba") else load_classifier(model)
        self.max_pixels = max_pixels
        self.pdf_dpi = pdf_dpi
        if lexicon is None or isinstance(lexicon, (str, os.PathLike)):
            lexicon = load_lexicon(lexicon)
        if recogniser is None:
            recogniser = line_recogniser(engine)
        self.read_options = {**read_options, "lexicon": lexicon, "engine": engine, "recogniser": recogniser}

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


def line_recogniser(engine=DEFAULT_ENGINE, spec="line"):
    """The line recogniser an engine reads with, loaded for NumPy inference (no torch).

    Parameters
    ----------
    engine : {'auto', 'glyph', 'line'}
    spec : str or os.PathLike
        'line' (the shipped model) or a model file.

    Returns
    -------
    ocr.recognition.numpy_line.NumpyLineRecogniser or None
        None for 'glyph', and for 'auto' when the shipped model is missing
        ('auto' then reads as 'glyph').

    Raises
    ------
    FileNotFoundError
        The model 'line' needs, or a file named by ``spec``, is missing.
    ocr.errors.ModelFormatError
    """
    if engine == "glyph":
        return None
    try:
        return load_numpy_line_model(resolve_model_path(spec))
    except FileNotFoundError:
        if engine == "line" or spec != "line":
            raise
        return None


def _source_name(source):
    return os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<input>"
