"""Text helpers shared by matching and parsing: folding, positioned tokens, similarity."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

_APOSTROPHES = re.compile(r"['’`]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_SENTENCE_END = ".!?\n:;|-–—(["



def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


# Words that never identify a company or a person on their own.
STOPWORDS = word_set(
    "a an and the of for at in on to by with from or is are was be it its this that our we you "
    "your my me i us they them he she his her our there here de la le"
)
# Legal suffixes carry no identity: "Litware Accounting, LLC" is "Litware Accounting".
LEGAL_SUFFIXES = word_set("llc inc co corp ltd pllc pa pc lp llp plc incorporated limited gmbh")
# Business words shared by many customers: they count, but much less than a distinctive word.
GENERIC_WORDS = word_set(
    "group company services service solutions partners associates holdings enterprises "
    "international systems consulting corporation industries global management center centre "
    "office offices inc team agency studio studios works llp firm"
)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text; apostrophes vanish and ``&`` is ``and``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain.casefold()).replace("&", " and ")
    return _NON_ALNUM.sub(" ", plain).strip()


def fold_words(text: str) -> list[str]:
    return fold(text).split()


def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name that identify it: no stop words, no legal suffixes."""
    return tuple(
        w for w in fold_words(name) if w not in STOPWORDS and w not in LEGAL_SUFFIXES
    )


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text with what matching needs to know about how it was written."""

    word: str          # folded
    start: int         # offset in the source text
    capital: bool      # written with a capital first letter
    initial: bool      # first word of a sentence, a line or a clause
    index: int         # position among the text's tokens


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` in order, folded, with their capitalisation and position."""
    result: list[Token] = []
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if not word:
            continue
        for part in word.split():
            result.append(Token(
                word=part, start=match.start(), capital=match.group()[0].isupper(),
                initial=_is_initial(text, match.start()), index=len(result),
            ))
    return result


def _is_initial(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in " \t\"'*>":
        position -= 1
    return position < 0 or text[position] in _SENTENCE_END


def similarity(a: str, b: str) -> float:
    """Edit similarity in [0, 1] (difflib's ratio), 1 for equal strings."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if flat[len(cut)] != " " and space > limit // 2:
        cut = cut[:space]  # do not end on half a word
    return cut.rstrip(" ,;:-–") + "…"
