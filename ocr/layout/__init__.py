"""Stage 3, layout: the page's quarter turn, touching letters split and broken ones joined, lines, words, punctuation.

The letter boxes of the front end are stood upright (``orientation``), cut
where letters touch (``split``) and joined where one letter broke (``merge``),
grouped into lines and words (``lines``), and the small marks placed in them
as punctuation (``punctuation``).
"""
