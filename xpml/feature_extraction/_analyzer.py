"""From a raw document to the list of its features: the string work of the text vectorizers, on the host.

A document goes through four steps, each one a parameter of CountVectorizer and TfidfVectorizer:

1. decode: read it (`input="filename"` or `"file"`) and decode bytes to str (`encoding`, `decode_error`);
2. preprocess: lower-case it (`lowercase`) and take the accents off (`strip_accents`), or call `preprocessor`;
3. tokenize: the words, as the matches of `token_pattern` (or its one group), or what `tokenizer` returns;
4. n-grams: with `analyzer="word"`, drop the stop words, then join each run of n consecutive words,
   n from `ngram_range[0]` to `ngram_range[1]` ("new york" is a 2-gram). With `analyzer="char"`, the
   features are the runs of n characters of the preprocessed text instead (no tokenizing), and with
   `"char_wb"` the runs of n characters inside each word padded with a space on both sides, so that
   "ab" at n=2 gives " a", "ab", "b ".

A callable `analyzer` replaces steps 2 to 4. The order of the features in the list does not matter:
the vectorizers count them.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Callable
from typing import Any

from ._stop_words import ENGLISH_STOP_WORDS

__all__ = ["build_analyzer", "build_decoder", "build_preprocessor", "build_tokenizer", "check_stop_list", "strip_accents_ascii",
           "strip_accents_unicode", "warn_unused_params"]

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_RUNS_OF_WHITESPACE = re.compile(r"\s\s+")


def strip_accents_unicode(s: str) -> str:
    """`s` without its combining marks, after Unicode's compatibility decomposition (NFKD): "café" -> "cafe",
    while letters with no decomposition ("ø", "ß") and non-Latin scripts are kept."""
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def strip_accents_ascii(s: str) -> str:
    """`s` decomposed (NFKD) with every character outside ASCII dropped: "café" -> "cafe", "ø" -> ""."""
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def check_stop_list(stop_words: Any) -> frozenset | None:
    """The stop words as a set: "english" is xpml's list (ENGLISH_STOP_WORDS), a collection is taken as given."""
    if stop_words is None:
        return None
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise ValueError(f"stop_words={stop_words!r} should be 'english', a list of words or None.")
        return ENGLISH_STOP_WORDS
    return frozenset(stop_words)


def build_decoder(vectorizer: Any) -> Callable:
    """Step 1: a document (a str, bytes, a file name or an open file, as `input` says) as a str."""
    source, encoding, errors = vectorizer.input, vectorizer.encoding, vectorizer.decode_error

    def decode(doc):
        if source == "filename":
            with open(doc, "rb") as fh:
                doc = fh.read()
        elif source == "file":
            doc = doc.read()
        if isinstance(doc, bytes):
            doc = doc.decode(encoding, errors)
        if isinstance(doc, float) and math.isnan(doc):
            raise ValueError("A document is NaN (a missing value); each document should be a str or bytes.")
        return doc

    return decode


def build_preprocessor(vectorizer: Any) -> Callable:
    """Step 2: the given `preprocessor`, or lower-casing and accent stripping as the parameters say."""
    if vectorizer.preprocessor is not None:
        return vectorizer.preprocessor
    strip = vectorizer.strip_accents
    if strip == "ascii":
        strip = strip_accents_ascii
    elif strip == "unicode":
        strip = strip_accents_unicode
    elif strip is not None and not callable(strip):
        raise ValueError(f"strip_accents={strip!r} should be 'ascii', 'unicode', a callable or None.")
    lower = vectorizer.lowercase

    def preprocess(doc):
        if not isinstance(doc, str):
            raise TypeError(f"Each document should be a str (or bytes); got {doc!r} ({type(doc).__name__}).")
        if lower:
            doc = doc.lower()
        return strip(doc) if strip else doc

    return preprocess


def build_tokenizer(vectorizer: Any) -> Callable:
    """Step 3: the given `tokenizer`, or the matches of `token_pattern` (of its group, if it has one)."""
    if vectorizer.tokenizer is not None:
        return vectorizer.tokenizer
    if vectorizer.token_pattern is None:
        raise ValueError("token_pattern=None needs a tokenizer; give one, or a token_pattern (a regular expression).")
    pattern = re.compile(vectorizer.token_pattern)
    if pattern.groups > 1:
        raise ValueError(f"token_pattern={vectorizer.token_pattern!r} has {pattern.groups} capturing groups; it "
                         f"should have at most one (the part of each match that is the token).")
    return pattern.findall


def _word_ngrams(tokens: list, stop_words: frozenset | None, ngram_range: tuple) -> list:
    """Step 4 for words: the tokens that are not stop words, then every run of n of them joined by a space."""
    if stop_words is not None:
        tokens = [t for t in tokens if t not in stop_words]
    low, high = ngram_range
    if high == 1:
        return list(tokens)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_ngrams(text: str, ngram_range: tuple) -> list:
    """Step 4 for characters: every run of n characters, after each run of 2 or more whitespaces becomes one space."""
    text = _RUNS_OF_WHITESPACE.sub(" ", text)
    low, high = ngram_range
    return [text[i:i + n] for n in range(low, min(high, len(text)) + 1) for i in range(len(text) - n + 1)]


def _char_wb_ngrams(text: str, ngram_range: tuple) -> list:
    """Step 4 for characters within words: each word padded with a space on both sides, and every run of n
    characters in it; a padded word of n characters or fewer counts once, as itself, for the largest n."""
    low, high = ngram_range
    grams = []
    for word in _RUNS_OF_WHITESPACE.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:  # shorter than the window: the whole padded word, once
                grams.append(padded)
                break
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def _check_stop_words_consistency(vectorizer: Any, stop_words: frozenset | None, preprocess, tokenize) -> None:
    """Warn when preprocessing and tokenizing a stop word give tokens that are not stop words themselves
    ("don't" tokenizes to "don"): such stop words are never removed. Checked once per stop list."""
    if stop_words is None or vectorizer.__dict__.get("_stop_words_checked") is vectorizer.stop_words:
        return
    try:
        missing = sorted({t for w in stop_words for t in tokenize(preprocess(w)) if t not in stop_words})
    except Exception:  # noqa: BLE001 -- a custom preprocessor or tokenizer that fails on these words: no check
        missing = []
    vectorizer._stop_words_checked = vectorizer.stop_words
    if missing:
        warnings.warn(f"The stop_words may be inconsistent with the preprocessing: tokenizing them gives the tokens "
                      f"{missing}, which are not stop words, so those are kept.", UserWarning, stacklevel=4)


def build_analyzer(vectorizer: Any) -> Callable:
    """The function that maps one raw document to the list of its features, as `vectorizer`'s parameters say."""
    decode = build_decoder(vectorizer)
    if callable(vectorizer.analyzer):
        custom = vectorizer.analyzer
        return lambda doc: custom(decode(doc))
    preprocess = build_preprocessor(vectorizer)
    ngram_range = tuple(vectorizer.ngram_range)
    if vectorizer.analyzer == "char":
        return lambda doc: _char_ngrams(preprocess(decode(doc)), ngram_range)
    if vectorizer.analyzer == "char_wb":
        return lambda doc: _char_wb_ngrams(preprocess(decode(doc)), ngram_range)
    if vectorizer.analyzer != "word":
        raise ValueError(f"analyzer={vectorizer.analyzer!r} should be 'word', 'char', 'char_wb' or a callable.")
    stop_words = check_stop_list(vectorizer.stop_words)
    tokenize = build_tokenizer(vectorizer)
    _check_stop_words_consistency(vectorizer, stop_words, preprocess, tokenize)
    return lambda doc: _word_ngrams(tokenize(preprocess(decode(doc))), stop_words, ngram_range)


def warn_unused_params(vectorizer: Any) -> None:
    """Warn about each parameter that the others make unused (a tokenizer given with a token_pattern, ...)."""
    v, unused = vectorizer, []
    if v.tokenizer is not None and v.token_pattern is not None:
        unused.append(("token_pattern", "a tokenizer is given"))
    if callable(v.analyzer):
        unused += [(name, "the analyzer is a callable") for name, is_set in
                   (("preprocessor", v.preprocessor is not None), ("ngram_range", tuple(v.ngram_range) != (1, 1)))
                   if is_set]
    if v.analyzer != "word":
        reason = f"analyzer={v.analyzer!r} is not 'word'" if isinstance(v.analyzer, str) else "the analyzer is a callable"
        unused += [(name, reason) for name, is_set in (
            ("stop_words", v.stop_words is not None),
            ("token_pattern", v.token_pattern not in (None, DEFAULT_TOKEN_PATTERN)),
            ("tokenizer", v.tokenizer is not None)) if is_set]
    for name, reason in unused:
        warnings.warn(f"The parameter {name!r} is not used, since {reason}.", UserWarning, stacklevel=3)
