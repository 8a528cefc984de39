"""Random text for mixed-case handwritten lines: notes, sentences, lists, dates, sums, addresses.

Words come from ``wordfreq``'s English list (lower-case, most frequent first,
contractions such as ``don't`` kept); capitalisation is put back the way people
write it: sentence case, ``I`` and ``I'm``, proper nouns (:data:`PROPER_NOUNS`,
capitalised wherever they occur), Title Case names and headings, and a share of
lines in block capitals. Numbers, dates, times, sums, prices, e-mail addresses,
handles, hashtags, quotes and parentheses are mixed in so that every character
of :data:`MIXED_ALPHABET` occurs (see :func:`char_frequency`).
"""
from collections import Counter
from functools import lru_cache

import numpy as np

from ocr.recognition.line_image import MIXED_ALPHABET, NOTE_PUNCTUATION

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
PUNCTUATION = NOTE_PUNCTUATION

WORD_COUNT = 30000

MONTHS = ("January February March April May June July August September October November December").split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
FIRST_NAMES = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew Anthony Mark Paul "
    "Steven Andrew Kevin Brian George Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric "
    "Jonathan Stephen Larry Justin Scott Brandon Frank Benjamin Gregory Samuel Raymond Patrick Alexander "
    "Jack Dennis Jerry Tyler Aaron Jose Henry Adam Douglas Nathan Peter Zachary Kyle Walter Harold Jeremy "
    "Ethan Carl Keith Roger Gerald Christian Terry Sean Arthur Austin Noah Lawrence Jesse Joe Bryan Billy "
    "Jordan Albert Dylan Bruce Willie Gabriel Alan Juan Logan Wayne Ralph Roy Eugene Randy Vincent Russell "
    "Louis Philip Bobby Johnny Bradley Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah "
    "Karen Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda "
    "Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda "
    "Pamela Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather "
    "Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl "
    "Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison Doris "
    "Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany "
    "Natalie Isabella Charlotte Rose Alexis Kayla Zoe Zara Zack Zoltan Xavier Xena Quentin Quinn Yusuf Yara "
    "Kofi Ama Ainan Celia Jaidyn Rudy Ivan Olga Priya Ravi Wei Mei Hiro Yuki Fatima Omar Ali Leila Pedro "
    "Lucia Javier Sofia Hugo Lena Felix Oscar Max Ben Tom Tim Sam Pat Jo Kim Liz Meg Kate Jim Bob Ed Al "
    "Dan Ted Ned Joy Eve Ivy Amy Ray Val Viv Gus Vic Fred Greg Jeff Jake Luke Mike Nick Pete Phil Rob Steve"
).split()
SURNAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
    "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Patel Khan Singh Kowalski Novak Quigley "
    "Zimmerman Young Xu Zhang Okafor Mensah Ampah Dudani Holt Jenkins Fox Frost Vaughan Quinlan Yates"
).split()
PLACES = (
    "London Paris Berlin Madrid Rome Dublin Oslo Vienna Prague Warsaw Zurich Geneva Quebec Toronto Ottawa "
    "Boston Chicago Denver Dallas Houston Seattle Austin Phoenix Miami Atlanta Detroit Portland Brooklyn "
    "Manchester Leeds Bristol Glasgow Edinburgh Cardiff Oxford Cambridge York Bath Kyoto Tokyo Seoul Delhi "
    "Mumbai Lagos Accra Nairobi Cairo Sydney Melbourne Auckland Lima Quito Bogota Zagreb Kiev Yukon Texas "
    "Ohio Utah Iowa Maine Oregon Nevada Kansas Florida Kent Devon Surrey Essex Wales Scotland England "
    "Ireland France Germany Spain Italy Japan China India Canada Mexico Brazil Kenya Ghana Egypt Norway "
    "Sweden Poland Greece Peru Chile Cuba Qatar Oman Yemen Zambia Europe Africa Asia America"
).split()
BRANDS = "Google Amazon Apple Tesco Ikea Lego Xbox Zoom Visa Nike Ford Honda Netflix Uber Lidl Aldi Boots".split()
OTHER_PROPER = (
    "English French German Spanish Italian Chinese Japanese British American Canadian Irish Scottish "
    "Christmas Easter Halloween Mum Dad Grandma Grandpa Sr Jr Mr Mrs Ms Dr St Rd Ave TV PE DIY BBC NHS UK "
    "USA EU PDF USB ID PIN OK"
).split()
PROPER_NOUNS = frozenset(MONTHS + DAYS + FIRST_NAMES + SURNAMES + PLACES + BRANDS + OTHER_PROPER)
"""Words written with their capitals wherever they stand (``OK``, ``TV`` all capitals). A
word-list word equal to one of these, lower-cased, is written like it (``london`` -> ``London``)."""

SHOPPING = (
    "milk eggs bread butter cheese apples bananas rice pasta flour sugar tea coffee juice onions potatoes "
    "carrots tomatoes beans soap shampoo batteries bin bags chicken fish yogurt oats honey jam lemons "
    "garlic peppers crisps biscuits cereal nappies stamps foil pizza salad spinach kiwis grapes"
).split()
DOMAINS = "gmail.com yahoo.com mail.com outlook.com icloud.com hotmail.co.uk uni.edu work.org".split()
AM_PM = ("am", "pm", " am", " pm", "AM", "PM", "a.m.", "p.m.")
NUMBERED = ("No.", "no.", "Room", "Flat", "Apt", "room", "ticket", "order")
STREETS = ("St", "St.", "Rd", "Road", "Ave", "Lane", "Way", "Close", "Drive")
SIGN_OFFS = ("Thanks", "Thank you", "Love", "Cheers", "Best wishes", "See you", "Bye", "Regards", "P.S.", "NB:",
             "TODO:", "Note:", "Q:", "A:")
EVENTS = ("Meeting", "Dentist", "Party", "Lunch", "Gym", "Pick up", "Exam", "Flight")


@lru_cache(maxsize=1)
def english_words(n=WORD_COUNT):
    """``wordfreq``'s ``n`` most frequent English words that are letters or letters with one apostrophe.

    Returns
    -------
    words : tuple of str
        Lower-case, most frequent first; ``i``, ``i'm`` ... included (written ``I``, ``I'm``).
    """
    import re

    from wordfreq import top_n_list

    keep = re.compile(r"[a-z]+('[a-z]{1,2})?")
    seen, words = set(), []
    for w in top_n_list("en", n):
        if keep.fullmatch(w) and w not in seen:
            seen.add(w)
            words.append(w)
    return tuple(words)


@lru_cache(maxsize=1)
def _proper_lookup():
    return {p.lower(): p for p in PROPER_NOUNS}


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _written(word):
    """A word as written in running text: ``i`` -> ``I``, proper nouns capitalised."""
    head, sep, tail = word.partition("'")
    if head == "i":
        return "I" + sep + tail
    proper = _proper_lookup().get(head)
    if proper is not None:
        return proper + sep + tail
    return word


@lru_cache(maxsize=1)
def _rare_letter_words():
    return tuple(w for w in english_words()[:15000] if any(c in w for c in "qzjxkv"))


RARE_CAPITAL_NAMES = tuple(p for p in PROPER_NOUNS if p[0] in "QZXJVKY" and p[1:].islower())


def _word(rng, common_share=0.55, common=2500, rare_share=0.08):
    """A word-list word as written: ``common_share`` of draws from the ``common`` most frequent,
    ``rare_share`` from words with q, z, j, x, k or v (rare letters otherwise seen too seldom)."""
    words = english_words()
    r = rng.random()
    if r < rare_share:
        return _written(_pick(rng, _rare_letter_words()))
    pool = words[:common] if r < rare_share + common_share else words
    return _written(_pick(rng, pool))


def _name(rng):
    r = rng.random()
    if r < 0.5:
        return _pick(rng, FIRST_NAMES)
    if r < 0.8:
        return _pick(rng, FIRST_NAMES) + " " + _pick(rng, SURNAMES)
    title = _pick(rng, ["Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Dr."])
    return title + " " + _pick(rng, SURNAMES)


def _number(rng):
    r = rng.random()
    if r < 0.45:
        return str(int(rng.integers(0, 20)))
    if r < 0.8:
        return str(int(rng.integers(0, 1000)))
    if r < 0.9:
        return str(int(rng.integers(1000, 100000)))
    return f"{rng.integers(0, 100)}.{rng.integers(0, 100):02d}"


def _sentence(rng, n_words):
    words = []
    for k in range(n_words):
        r = rng.random()
        if r < 0.05:
            words.append(_number(rng))
        elif r < 0.08:
            words.append(_pick(rng, FIRST_NAMES + PLACES + DAYS + MONTHS))
        elif r < 0.1:
            words.append(_pick(rng, RARE_CAPITAL_NAMES))
        else:
            words.append(_word(rng))
        if k < n_words - 1:
            p = rng.random()
            if p < 0.07:
                words[-1] += ","
            elif p < 0.09:
                words[-1] += _pick(rng, [";", ";", ":", " -"])
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    end = rng.random()
    if end < 0.55:
        text += "."
    elif end < 0.67:
        text += "?"
    elif end < 0.77:
        text += "!"
    elif end < 0.8:
        text += _pick(rng, ["...", "!!", "?!", ":", ";"])
    if rng.random() < 0.1:
        q = _pick(rng, ['"', '"', "'"])
        text = q + text + q
        if rng.random() < 0.5:
            who = _pick(rng, FIRST_NAMES)
            text += _pick(rng, [" she said.", " he said.", ", " + who + " said.", " - " + who])
    return text


def _date(rng):
    d, m, y = int(rng.integers(1, 32)), int(rng.integers(1, 13)), int(rng.integers(1960, 2040))
    month = MONTHS[m - 1]
    r = rng.random()
    if r < 0.3:
        return f"{d:02d}/{m:02d}/{y}" if rng.random() < 0.6 else f"{d}/{m}/{y % 100:02d}"
    if r < 0.5:
        return f"{d} {month if rng.random() < 0.5 else month[:3]}" + (f" {y}" if rng.random() < 0.5 else "")
    if r < 0.65:
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d, "th")
        return f"{month} {d}{suffix}" + (f", {y}" if rng.random() < 0.4 else "")
    if r < 0.8:
        return f"{_pick(rng, DAYS)[:3 if rng.random() < 0.5 else 9]} {d}/{m}"
    if r < 0.9:
        return f"{y}-{m:02d}-{d:02d}"
    return f"{d}.{m}.{y % 100:02d}"


def _time(rng):
    h, mi = int(rng.integers(0, 24)), int(rng.integers(0, 12)) * 5
    r = rng.random()
    if r < 0.4:
        return f"{h}:{mi:02d}"
    if r < 0.7:
        minutes = f":{mi:02d}" if rng.random() < 0.6 else ""
        return f"{h % 12 or 12}{minutes}{_pick(rng, AM_PM)}"
    if r < 0.85:
        h2 = (h + int(rng.integers(1, 4))) % 24
        return f"{h}:{mi:02d}-{h2}:{mi:02d}"
    return f"at {h % 12 or 12}" + _pick(rng, ["", " o'clock", "ish", "pm"])


def _sum(rng):
    a, b = int(rng.integers(0, 100 if rng.random() < 0.5 else 13)), int(rng.integers(1, 13))
    op = _pick(rng, ["+", "-", "x", "/", "+", "x"])
    value = {"+": a + b, "-": a - b, "x": a * b, "/": a / b}[op]
    result = str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")
    r = rng.random()
    if r < 0.55:
        return f"{a} {op} {b} = {result}"
    if r < 0.7:
        return f"{a}{op}{b}={result}"
    if r < 0.8:
        return f"({a} + {b}) x {int(rng.integers(2, 10))}"
    if r < 0.9:
        return f"{a} {op} {b}"
    p = int(rng.integers(1, 20)) * 5
    return f"{p}% of {b * 20} = {p * b * 20 / 100:g}"


def _price(rng):
    value = f"{int(rng.integers(0, 60))}.{int(rng.integers(0, 100)):02d}"
    r = rng.random()
    if r < 0.4:
        return value
    if r < 0.6:
        return value + _pick(rng, [" EUR", " USD", " GBP", "p", " each", "/kg"])
    if r < 0.8:
        return f"{int(rng.integers(1, 13))} @ {value}"
    return f"{int(rng.integers(5, 80))}% off"


def _email(rng):
    first, last = _pick(rng, FIRST_NAMES), _pick(rng, SURNAMES)
    r = rng.random()
    local = [first.lower(), f"{first[0]}.{last}".lower(), f"{first}.{last}".lower(),
             f"{first.lower()}{rng.integers(1, 100)}", first + last][int(min(r * 5, 4))]
    if rng.random() < 0.6:
        return f"{local}@{_pick(rng, DOMAINS)}"
    return "@" + (local.replace(".", "") if rng.random() < 0.7 else _word(rng))


def _hashtag(rng):
    r = rng.random()
    if r < 0.5:
        tag = _word(rng).replace("'", "")
        tag = tag.capitalize() if rng.random() < 0.3 else tag
        more = "" if rng.random() < 0.7 else _word(rng).replace("'", "").capitalize()
        return "#" + tag + more
    if r < 0.75:
        return f"#{int(rng.integers(1, 100))}"
    return _pick(rng, NUMBERED) + f" #{int(rng.integers(1, 999))}"


def _phone(rng):
    r = rng.random()
    digits = lambda n: "".join(str(int(d)) for d in rng.integers(0, 10, n))  # noqa: E731
    if r < 0.4:
        return f"0{digits(4)} {digits(6)}"
    if r < 0.7:
        return f"+{int(rng.integers(1, 99))} {digits(2)} {digits(4)} {digits(4)}"
    return f"{digits(3)}-{digits(4)}"


def _list_item(rng):
    item = _pick(rng, SHOPPING) if rng.random() < 0.6 else _word(rng)
    r = rng.random()
    if r < 0.25:
        item = f"{int(rng.integers(1, 13))} {item}"
    elif r < 0.4:
        item = f"{int(rng.integers(1, 6))} x {item}"
    elif r < 0.5:
        item = f"{item} ({int(rng.integers(2, 13))})"
    elif r < 0.6:
        item = f"{item} - {_price(rng)}"
    elif r < 0.65:
        item = f"{item} & {_pick(rng, SHOPPING)}"
    if rng.random() < 0.5:
        item = item[0].upper() + item[1:]
    bullet = rng.random()
    if bullet < 0.2:
        item = "- " + item
    elif bullet < 0.35:
        item = f"{int(rng.integers(1, 10))}{_pick(rng, ['.', ')', ':'])} {item}"
    elif bullet < 0.4:
        item = "+ " + item
    return item


def _note(rng):
    """A short note: reminders, labels, headings, addresses."""
    r = rng.random()
    if r < 0.12:
        who, link = _name(rng), _pick(rng, ["at", "on", "re:", "before", "-"])
        return f"Call {who} {link} {_time(rng) if rng.random() < 0.5 else _phone(rng)}"
    if r < 0.22:
        number, name = int(rng.integers(1, 300)), _pick(rng, SURNAMES + PLACES)
        return f"{number} {name} {_pick(rng, STREETS)}"
    if r < 0.32:
        return f"Dear {_name(rng)}" + _pick(rng, [",", "!", ""])
    if r < 0.42:
        return " ".join(w.capitalize() if len(w) > 3 or rng.random() < 0.5 else w
                        for w in (_word(rng).replace("'", "") for _ in range(int(rng.integers(1, 5)))))
    if r < 0.5:
        return f"{_name(rng)} & {_pick(rng, FIRST_NAMES)}"
    if r < 0.58:
        return f"Re: {_word(rng)} {_word(rng)}" + _pick(rng, ["", "?", " (again)", "!"])
    if r < 0.66:
        text = _pick(rng, SIGN_OFFS) + _pick(rng, ["", "!", ",", " -", "..."])
        return text + (" " + _pick(rng, FIRST_NAMES) if rng.random() < 0.5 else "")
    if r < 0.74:
        what, link = _pick(rng, EVENTS), _pick(rng, ["on", "at", "-", "@", ":"])
        return f"{what} {link} {_date(rng) if rng.random() < 0.5 else _time(rng)}"
    if r < 0.82:
        return f"{_word(rng)} ({_word(rng)} {_number(rng) if rng.random() < 0.5 else _word(rng)})"
    if r < 0.9:
        what, number = _pick(rng, ["Page", "p.", "Ex.", "Q", "Task", "Unit", "Ch."]), int(rng.integers(1, 200))
        return f"{what} {number}{_pick(rng, ['', ':', ')', '/' + str(int(rng.integers(2, 12))), '.'])}"
    return f"{_word(rng).capitalize()}: {_word(rng)}, {_word(rng)} & {_word(rng)}"


def _code(rng):
    """Arbitrary characters of the alphabet: codes, references, passwords, so every character
    appears in every context."""
    n = int(rng.integers(2, 9))
    chars = LETTERS + DIGITS + DIGITS + PUNCTUATION
    return "".join(_pick(rng, chars) for _ in range(n))


PANGRAMS = (
    "The quick brown fox jumps over the lazy dog.", "Pack my box with five dozen liquor jugs.",
    "Sphinx of black quartz, judge my vow!", "How vexingly quick daft zebras jump!",
    "Go, lazy fat vixen; be shrewd, jump quick.", "Jackdaws love my big sphinx of quartz.",
    "Quick zephyrs blow, vexing daft Jim.", "Waltz, bad nymph, for quick jigs vex.",
    "Bright vixens jump; dozy fowl quack.", "Jinxed wizards pluck ivy from the big quilt.",
    "Zelda quickly fixed Jo's grey van.", "Quiz: Why jog? Vex Kim!", "Judge Pat faxed Quinn's zany VW work.",
)

KINDS = {
    "sentence": 0.34, "note": 0.14, "list": 0.09, "date": 0.05, "time": 0.04, "sum": 0.07, "price": 0.04,
    "email": 0.04, "hashtag": 0.03, "phone": 0.03, "name": 0.04, "mixed": 0.06, "code": 0.03,
}
"""Odds of the kinds of line :func:`random_text` writes (before the ALL-CAPS share)."""


def _piece(kind, rng, room):
    if kind == "sentence":
        if rng.random() < 0.04:
            return _pick(rng, PANGRAMS)
        return _sentence(rng, max(1, int(round(room / 6.5 * rng.uniform(0.4, 1.1)))))
    if kind == "note":
        return _note(rng)
    if kind == "list":
        return _list_item(rng)
    if kind == "date":
        d = _date(rng)
        return d if rng.random() < 0.5 else _pick(rng, ["Date: ", "due ", "on ", "DOB ", "Mon ", "until "]) + d
    if kind == "time":
        return _time(rng)
    if kind == "sum":
        return _sum(rng)
    if kind == "price":
        return _pick(rng, SHOPPING).capitalize() + " " + _price(rng) if rng.random() < 0.5 else _price(rng)
    if kind == "email":
        e = _email(rng)
        return e if rng.random() < 0.5 else _pick(rng, ["email: ", "Email ", "e: ", "contact ", "(", "Follow "]) + e
    if kind == "hashtag":
        return _hashtag(rng)
    if kind == "phone":
        return _pick(rng, ["", "Tel: ", "Phone ", "Mob. ", "call "]) + _phone(rng)
    if kind == "name":
        return _name(rng)
    if kind == "code":
        return _code(rng)
    parts = [_piece(k, rng, room) for k in rng.choice(list(KINDS)[:-2], 2, p=_odds(-2))]
    return _pick(rng, [" ", ", ", " - ", "; ", " / ", ": "]).join(parts)


@lru_cache(maxsize=4)
def _odds_cached(drop):
    p = np.array(list(KINDS.values())[: len(KINDS) + drop] if drop else list(KINDS.values()))
    return p / p.sum()


def _odds(drop=0):
    return _odds_cached(drop)


def _balance_brackets(text, rng):
    if text.count("(") > text.count(")"):
        text += ")"
    if text.count('"') % 2 and rng.random() < 0.8:
        text += '"'
    return text


def random_text(rng, max_chars=48, min_chars=3, caps_share=0.12, title_share=0.05):
    """One line of hand-written-note text with real words, capitals, numbers and punctuation.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness (same state, same text).
    max_chars : int
        Longest line; a longer draw is cut at a space (or hard-cut if it has none).
        Line length is drawn first, uniformly between ``min_chars`` and this.
    min_chars : int
        Shortest target length (a single word or number may be shorter).
    caps_share : float
        Share of lines written in block capitals (``THE QUICK BROWN FOX``).
    title_share : float
        Share of lines in Title Case (every word capitalised, as headings are).

    Returns
    -------
    text : str
        Characters of :data:`MIXED_ALPHABET` only, no leading, trailing or double spaces.
    """
    target = int(rng.integers(min_chars, max(min_chars, max_chars) + 1))
    kinds = list(KINDS)
    parts = []
    length = 0
    while True:
        kind = kinds[int(rng.choice(len(kinds), p=_odds()))]
        piece = _balance_brackets(_piece(kind, rng, max(target - length, 4)), rng)
        if parts and length + 1 + len(piece) > target:
            break
        parts.append(piece)
        length += len(piece) + (len(parts) > 1)
        if length >= target or rng.random() < 0.35:
            break
    text = " ".join(parts)
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        text = text[:cut] if cut > 0 else text[:max_chars]
    style = rng.random()
    if style < caps_share:
        text = text.upper()
    elif style < caps_share + title_share:
        text = " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    text = " ".join(text.split()).replace(",,", ",").replace(" ,", ",")
    bad = set(text) - set(MIXED_ALPHABET)
    if bad:
        raise AssertionError(f"random_text made characters outside the alphabet: {sorted(bad)}")
    return text


def char_frequency(n=20000, seed=0, **kwargs):
    """Share of each :data:`MIXED_ALPHABET` character in ``n`` lines of :func:`random_text`.

    Returns
    -------
    shares : dict
        Character -> share of all characters (sums to 1), in alphabet order.
    """
    rng = np.random.default_rng(seed)
    counts = Counter()
    for _ in range(n):
        counts.update(random_text(rng, **kwargs))
    total = sum(counts.values())
    return {c: counts.get(c, 0) / total for c in MIXED_ALPHABET}
