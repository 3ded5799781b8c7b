"""Spelling-tolerant name matching.

Names are normalised (lower case, accents and marks removed, punctuation dropped) and each word also
gets a *key*: its consonant skeleton with repeated letters collapsed, so that transliterations agree —
Mohammed, Mohamed and Muhammad all give ``mhmd``; Nguyễn and Nguyen give ``ngyn``. PostgreSQL adds
trigram similarity on top (see selectors); SQLite uses the keys and substrings alone.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_VOWELS = set("aeiouy")
_SPECIAL = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).split())


def word_key(word: str) -> str:
    """The consonant skeleton of one normalised word (first letter kept even if a vowel)."""
    if not word:
        return ""
    word = word.replace("ph", "f").replace("kh", "k").replace("q", "k").replace("c", "k").replace("w", "")
    head, tail = word[0], [ch for ch in word[1:] if ch not in _VOWELS]
    letters = [head, *tail]
    collapsed = [ch for i, ch in enumerate(letters) if i == 0 or ch != letters[i - 1]]
    return "".join(collapsed)


def keys_for(text: str) -> list[str]:
    return [word_key(word) for word in normalise(text).split() if len(word) > 1]


def index_fields(names: list[str]) -> tuple[str, str]:
    """``(search_names, name_keys)`` for a child's names and aliases. Keys are space-padded for word matching."""
    normalised = " ".join(dict.fromkeys(n for n in (normalise(x) for x in names) if n))
    keys = " ".join(dict.fromkeys(k for n in names for k in keys_for(n) if k))
    return normalised, f" {keys} " if keys else ""
