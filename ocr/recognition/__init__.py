"""Stage 4, recognition: letter crops and the glyph classifiers, the CTC line recogniser, the lexicon.

The NumPy forward passes of every shipped model (``numpy_classifier``,
``numpy_models``, ``numpy_line``), read from their files without torch
(``torch_file``, ``model_files``); crop geometry (``glyph``, ``crops``) and the
line strip (``line_image``), which the trainers import so that training crops
are made exactly as these; decoding (``ctc``), word context (``classify``) and
the word list (``lexicon``).
"""
