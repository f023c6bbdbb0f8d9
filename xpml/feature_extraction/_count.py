"""CountVectorizer: a bag of words. Each document becomes a row of counts, one column per term of the
vocabulary (a term is a word, a run of n words, or a run of n characters; see `_analyzer`).

`fit` reads every document, gives each new term the next column, then keeps the terms that occur in
at least `min_df` and at most `max_df` documents (a count, or a fraction of the documents), and of
those the `max_features` most frequent over the corpus (ties go to the term first in alphabetical
order). The kept terms are numbered in alphabetical order: `vocabulary_` maps each to its column.
The matrix is a scipy.sparse CSR matrix on the host, as scikit-learn returns it; a classifier moves it
to its backend. Under `set_config(output="backend")` it is the sparse matrix of the backend in force
instead (torch's sparse CSR tensor, jax's BCOO, ...: the rule of OneHotEncoder, `scipy_output`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from numbers import Integral
from typing import Any

import numpy as np

from .._backend import resolve_backend
from ..base import BaseEstimator
from ..exceptions import not_fitted_error
from ..utils._param_validation import Interval, Options
from ..utils._sparse_input import scipy_output
from ._analyzer import (DEFAULT_TOKEN_PATTERN, build_analyzer, build_decoder, build_preprocessor, build_tokenizer,
                        check_stop_list, warn_unused_params)
from ._csr import as_csr, build_csr, document_frequency

__all__ = ["CountVectorizer"]


def _check_documents(raw_documents: Any) -> None:
    if isinstance(raw_documents, (str, bytes)):  # scikit-learn's error type: a ValueError
        raise ValueError(  # noqa: TRY004
            f"raw_documents should be an iterable of documents (a list of str, say); got one "
            f"{type(raw_documents).__name__} object. Wrap a single document in a list: [doc].")


class CountVectorizer(BaseEstimator):
    """Convert a collection of text documents to a matrix of token counts (scipy.sparse CSR).

    Parameters
    ----------
    input : {"content", "filename", "file"}, default="content"
        What each document is: the text itself (str or bytes), a file name to read, or an open file.
    encoding : str, default="utf-8"
        The encoding of documents given as bytes.
    decode_error : {"strict", "ignore", "replace"}, default="strict"
        What to do with bytes that are not valid in `encoding`.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Remove accents during preprocessing ("ascii" also drops characters without an ASCII form).
    lowercase : bool, default=True
        Lower-case the text before tokenizing.
    preprocessor : callable, default=None
        Replaces the preprocessing (lower-casing and accent stripping); str -> str.
    tokenizer : callable, default=None
        Replaces the tokenizing (analyzer="word" only); str -> list of tokens.
    stop_words : {"english"}, list, default=None
        Words removed after tokenizing (analyzer="word" only); "english" is xpml's list, ENGLISH_STOP_WORDS.
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        The regular expression of a token (words of 2 or more letters or digits); with one capturing group,
        the group is the token.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The lengths of the n-grams taken (in words or characters, as `analyzer` says).
    analyzer : {"word", "char", "char_wb"} or callable, default="word"
        Features made of words, of characters, or of characters inside words; a callable replaces
        preprocessing, tokenizing and n-grams (document -> list of features).
    max_df, min_df : float in [0, 1] or int, default=1.0 and 1
        Keep the terms found in at most `max_df` (at least `min_df`) documents: a fraction if a float,
        a count if an int. Ignored when `vocabulary` is given.
    max_features : int, default=None
        Keep only the `max_features` terms most frequent over the corpus.
    vocabulary : Mapping or iterable, default=None
        A fixed vocabulary: {term: column}, or the terms in column order. None: learned by `fit`.
    binary : bool, default=False
        Count 1 for each term present, however often it occurs.
    dtype : dtype, default=np.int64
        The dtype of the matrix.

    Attributes
    ----------
    vocabulary_ : dict
        term -> column.
    fixed_vocabulary_ : bool
        Whether the vocabulary was given.

    Examples
    --------
    >>> from xpml.feature_extraction.text import CountVectorizer
    >>> cv = CountVectorizer()
    >>> cv.fit_transform(["the cat sat", "the cat saw the dog"]).toarray().tolist()
    [[1, 0, 1, 0, 1], [1, 1, 0, 1, 2]]
    >>> cv.get_feature_names_out().tolist()
    ['cat', 'dog', 'sat', 'saw', 'the']
    """

    _parameter_constraints = {
        "input": [Options({"content", "filename", "file"})],
        "encoding": ["str"],
        "decode_error": [Options({"strict", "ignore", "replace"})],
        "strip_accents": [Options({"ascii", "unicode"}), None, "callable"],
        "lowercase": ["boolean"],
        "preprocessor": ["callable", None],
        "tokenizer": ["callable", None],
        "stop_words": [Options({"english"}), list, None],
        "token_pattern": ["str", None],
        "ngram_range": [tuple],
        "analyzer": [Options({"word", "char", "char_wb"}), "callable"],
        "max_df": [Interval(Integral, 1, None), Interval(float, 0.0, 1.0)],
        "min_df": [Interval(Integral, 1, None), Interval(float, 0.0, 1.0)],
        "max_features": [Interval(Integral, 1, None), None],
        "vocabulary": [Mapping, Iterable, None],
        "binary": ["boolean"],
    }

    def __init__(self, *, input: str = "content", encoding: str = "utf-8", decode_error: str = "strict",
                 strip_accents: Any = None, lowercase: bool = True, preprocessor: Any = None, tokenizer: Any = None,
                 stop_words: Any = None, token_pattern: str | None = DEFAULT_TOKEN_PATTERN,
                 ngram_range: tuple = (1, 1), analyzer: Any = "word", max_df: float = 1.0, min_df: float = 1,
                 max_features: int | None = None, vocabulary: Any = None, binary: bool = False,
                 dtype: Any = np.int64):
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.strip_accents = strip_accents
        self.lowercase = lowercase
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string, tags.input_tags.two_d_array = True, False
        return tags

    def build_analyzer(self):
        """The function from one raw document to the list of its features (terms)."""
        return build_analyzer(self)

    def build_preprocessor(self):
        """The function that prepares a document's text before tokenizing: `preprocessor`, or lower-casing and
        accent stripping as `lowercase` and `strip_accents` say."""
        return build_preprocessor(self)

    def build_tokenizer(self):
        """The function from a preprocessed text to its tokens: `tokenizer`, or the matches of `token_pattern`."""
        return build_tokenizer(self)

    def get_stop_words(self):
        """The stop words the word analyzer leaves out: a frozenset (ENGLISH_STOP_WORDS for "english"), or None."""
        return check_stop_list(self.stop_words)

    def decode(self, doc: Any) -> str:
        """One document as a str: read (input="filename" or "file") and decoded from bytes as `encoding` says."""
        return build_decoder(self)(doc)

    def _check_params(self) -> None:
        self._validate_params()
        try:
            np.dtype(self.dtype)
        except TypeError:
            raise TypeError(f"dtype={self.dtype!r} should be a numpy dtype (np.int64, np.float32, ...).") from None
        low, high = (tuple(self.ngram_range) + (None, None))[:2]
        if len(self.ngram_range) != 2 or not all(isinstance(n, Integral) and not isinstance(n, bool) for n in (low, high)) \
                or not 1 <= low <= high:
            raise ValueError(f"ngram_range={self.ngram_range!r} should be a pair (min_n, max_n) of ints with "
                             f"1 <= min_n <= max_n.")

    def _fixed_vocabulary(self) -> dict | None:
        """The `vocabulary` parameter checked, as {term: column}; None if it is None."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        if isinstance(vocabulary, Mapping):
            columns = sorted(vocabulary.values())
            if columns != list(range(len(vocabulary))):
                raise ValueError(f"vocabulary should map its {len(vocabulary)} terms to the columns 0 to "
                                 f"{len(vocabulary) - 1}, each once; got the columns {columns[:10]}.")
            fixed = dict(vocabulary)
        else:
            terms = sorted(vocabulary) if isinstance(vocabulary, (set, frozenset)) else list(vocabulary)
            fixed = {}
            for column, term in enumerate(terms):
                if fixed.setdefault(term, column) != column:
                    raise ValueError(f"vocabulary has the term {term!r} twice; each term should occur once.")
        if not fixed:
            raise ValueError("vocabulary is empty; it should hold at least one term (or be None).")
        return fixed

    def _count(self, raw_documents: Any, vocabulary: dict | None):
        """(vocabulary, CSR counts) of the documents; a new term gets the next column unless `vocabulary`
        is fixed, when terms outside it are dropped."""
        analyze = self.build_analyzer()
        learn = vocabulary is None
        vocabulary = {} if learn else vocabulary
        rows = []
        for doc in raw_documents:
            counts: dict = {}
            for term in analyze(doc):
                column = vocabulary.get(term)
                if column is None:
                    if not learn:
                        continue
                    column = vocabulary[term] = len(vocabulary)
                counts[column] = counts.get(column, 0) + 1
            rows.append(counts)
        if learn and not vocabulary:
            raise ValueError("The vocabulary is empty: no document has a term (perhaps they hold only stop "
                             "words, or tokens the token_pattern does not match).")
        X = build_csr(rows, len(vocabulary), self.dtype, type(self).__name__)
        if self.binary:
            X.data = np.ones_like(X.data)
        return vocabulary, X

    def fit(self, raw_documents: Any, y: Any = None) -> CountVectorizer:
        """Learn the vocabulary of the documents (an iterable of str, bytes, file names or files). Returns self."""
        self._fit_counts(raw_documents)
        return self

    def fit_transform(self, raw_documents: Any, y: Any = None):
        """Learn the vocabulary and return the document-term counts, a CSR matrix of shape (n_documents, n_terms)."""
        return scipy_output(self._fit_counts(raw_documents), resolve_backend(None))

    def _fit_counts(self, raw_documents: Any):
        """Learn the vocabulary; the counts as scipy's CSR matrix."""
        _check_documents(raw_documents)
        self._check_params()
        warn_unused_params(self)
        fixed = self._fixed_vocabulary()
        if fixed is not None and self.lowercase and any(any(c.isupper() for c in str(t)) for t in fixed):
            warnings.warn("The vocabulary has terms with upper-case letters while lowercase=True: they will never "
                          "match a document.", UserWarning, stacklevel=2)
        vocabulary, X = self._count(raw_documents, fixed)
        if fixed is None:
            vocabulary, X = self._prune(vocabulary, X)
        self.vocabulary_, self.fixed_vocabulary_ = vocabulary, fixed is not None
        return X

    def _prune(self, vocabulary: dict, X):
        """Keep the terms within max_df and min_df, and the max_features most frequent; number them in
        alphabetical order. Returns the new (vocabulary, X)."""
        n = X.shape[0]
        high = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n
        if high < low:
            raise ValueError(f"max_df={self.max_df!r} allows fewer documents ({high}) than min_df={self.min_df!r} "
                             f"asks for ({low}); max_df should allow at least as many.")
        terms = sorted(vocabulary)  # the alphabetical order
        old = np.array([vocabulary[t] for t in terms], dtype=np.int64)  # (n_terms,) column of each sorted term
        df = document_frequency(X)[old]  # (n_terms,)
        keep = (df <= high) & (df >= low)
        if self.max_features is not None and keep.sum() > self.max_features:
            total = np.asarray(X.sum(axis=0)).ravel()[old]  # (n_terms,) occurrences over the corpus
            candidates = np.flatnonzero(keep)
            best = candidates[np.argsort(-total[candidates], kind="stable")[:self.max_features]]
            keep = np.zeros_like(keep)
            keep[best] = True
        if not keep.any():
            raise ValueError(f"After pruning, no terms remain (min_df={self.min_df!r}, max_df={self.max_df!r}). "
                             f"Try a lower min_df or a higher max_df.")
        kept = np.flatnonzero(keep)
        return {terms[i]: column for column, i in enumerate(kept)}, X[:, old[kept]]

    def _check_vocabulary(self) -> dict:
        """vocabulary_, or the `vocabulary` parameter where transform comes before any fit."""
        if "vocabulary_" not in vars(self):
            fixed = self._fixed_vocabulary()
            if fixed is None:
                raise not_fitted_error(f"This {type(self).__name__} instance is not fitted yet: its vocabulary is "
                                       f"neither fitted nor given. Call 'fit' first, or pass vocabulary=.")
            self.vocabulary_, self.fixed_vocabulary_ = fixed, True
        return self.vocabulary_

    def transform(self, raw_documents: Any):
        """The document-term counts of the documents over the fitted vocabulary (other terms are dropped):
        a CSR matrix of shape (n_documents, n_terms)."""
        return scipy_output(self._counts(raw_documents), resolve_backend(None))

    def _counts(self, raw_documents: Any):
        """The counts over the fitted vocabulary, as scipy's CSR matrix."""
        _check_documents(raw_documents)
        return self._count(raw_documents, self._check_vocabulary())[1]

    def inverse_transform(self, X: Any) -> list:
        """For each row of X (n_documents, n_terms), the array of terms with a non-zero value there."""
        vocabulary = self._check_vocabulary()
        X = as_csr(X, type(self).__name__)
        terms = np.array(list(vocabulary))[np.argsort(list(vocabulary.values()))]  # (n_terms,) in column order
        rows = np.split(np.where(X.data != 0, X.indices, -1), X.indptr[1:-1])
        return [terms[row[row >= 0]] for row in rows]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The terms in column order, an array of str objects of shape (n_terms,)."""
        vocabulary = self._check_vocabulary()
        return np.asarray(sorted(vocabulary, key=vocabulary.__getitem__), dtype=object)
