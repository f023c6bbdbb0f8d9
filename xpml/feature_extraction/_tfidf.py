"""TF-IDF: term counts weighted by how rare each term is across the documents (TfidfTransformer), and the
vectorizer that counts and weighs in one step (TfidfVectorizer).

A term that occurs in every document tells the documents apart no better than a stop word; a term in
few documents tells a lot. With n documents, of which df(t) contain the term t,

    idf(t) = ln((1 + n) / (1 + df(t))) + 1     (smooth_idf=True: as if one more document held every term)
    idf(t) = ln(n / df(t)) + 1                 (smooth_idf=False)

and a document's weights are tf(t, d) · idf(t), with tf the count (or 1 + ln(count), `sublinear_tf`),
then each row divided by its l2 (or l1) norm, so that long and short documents compare. The "+ 1"
keeps a term found in every document from being zeroed outright.

Reference: K. Spärck Jones, A statistical interpretation of term specificity and its application in
retrieval, Journal of Documentation 28 (1972) 11-21; G. Salton and C. Buckley, Term-weighting
approaches in automatic text retrieval, Information Processing & Management 24 (1988) 513-523.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._backend import resolve_backend
from ..base import BaseEstimator, check_is_fitted
from ..exceptions import not_fitted_error
from ..utils._feature_names import check_feature_names_in
from ..utils._param_validation import Options
from ..utils._sparse_input import scipy_output
from ..utils.validation import check_n_features
from ._analyzer import DEFAULT_TOKEN_PATTERN
from ._count import CountVectorizer
from ._csr import as_csr, document_frequency, normalize_rows

__all__ = ["TfidfTransformer", "TfidfVectorizer"]

_TFIDF_CONSTRAINTS = {"norm": [Options({"l1", "l2"}), None], "use_idf": ["boolean"], "smooth_idf": ["boolean"],
                      "sublinear_tf": ["boolean"]}


class TfidfTransformer(BaseEstimator):
    """Transform a count matrix to TF-IDF weights (scipy.sparse CSR in, or any 2-D array; CSR out).

    Parameters
    ----------
    norm : {"l1", "l2"} or None, default="l2"
        Divide each row by its norm; None leaves the rows as they are.
    use_idf : bool, default=True
        Weigh each term by its inverse document frequency; False: the (normalized) term frequencies only.
    smooth_idf : bool, default=True
        Count one more document, holding every term, in the idf (no division by zero for unseen terms).
    sublinear_tf : bool, default=False
        Use 1 + ln(count) instead of the count.

    Attributes
    ----------
    idf_ : numpy array of shape (n_features,)
        The inverse document frequency of each term (use_idf=True only).
    n_features_in_ : int
    """

    _parameter_constraints = _TFIDF_CONSTRAINTS

    def __init__(self, *, norm: str | None = "l2", use_idf: bool = True, smooth_idf: bool = True,
                 sublinear_tf: bool = False):
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def __sklearn_tags__(self):
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.input_tags.sparse, tags.transformer_tags = True, TransformerTags(preserves_dtype=["float64", "float32"])
        return tags

    def fit(self, X: Any, y: Any = None) -> TfidfTransformer:
        """Learn idf_ from the counts X of shape (n_samples, n_features). Returns self."""
        self._validate_params()
        X = as_csr(X, type(self).__name__)
        dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        self.n_features_in_ = X.shape[1]
        if self.use_idf:
            smooth = int(self.smooth_idf)
            df = document_frequency(X).astype(dtype) + smooth  # (p,) documents holding each term
            self.idf_ = np.log(np.asarray(X.shape[0] + smooth, dtype=dtype) / df) + dtype.type(1)  # (p,)
        elif "idf_" in vars(self):
            del self.idf_
        return self

    def transform(self, X: Any, copy: bool = True):
        """TF-IDF weights of the counts X (n_samples, n_features): a new CSR matrix of the same shape, in float64
        (float32 input stays float32), or the backend's own under set_config(output="backend"). `copy` is accepted
        for scikit-learn's signature: X is never changed."""
        return scipy_output(self._weights(X), resolve_backend(None))

    def _weights(self, X: Any):
        """The TF-IDF weights of the counts X as scipy's CSR matrix."""
        check_is_fitted(self)
        X = as_csr(X, type(self).__name__, float_dtype=True)
        check_n_features(self, X.shape[1])
        data = X.data  # (nnz,) the stored counts
        if self.sublinear_tf:
            data = np.log(data) + 1
        if self.use_idf:
            data = data * self.idf_[X.indices]
        X = type(X)((data.astype(X.dtype, copy=False), X.indices, X.indptr), shape=X.shape)
        return normalize_rows(X, self.norm)

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any):
        """Fit to the counts X, then transform them (`fit_params` go to `fit`)."""
        return self.fit(X, y, **fit_params).transform(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output column names: the input's (x0, x1, ... unless `input_features` are given), one for one."""
        return check_feature_names_in(self, input_features)


class TfidfVectorizer(CountVectorizer):
    """Convert a collection of text documents to a matrix of TF-IDF features: CountVectorizer, then
    TfidfTransformer.

    Parameters
    ----------
    input, encoding, decode_error, strip_accents, lowercase, preprocessor, tokenizer, analyzer, stop_words, \
token_pattern, ngram_range, max_df, min_df, max_features, vocabulary, binary
        As in CountVectorizer.
    dtype : dtype, default=np.float64
        The dtype of the matrix (float64 or float32).
    norm, use_idf, smooth_idf, sublinear_tf
        As in TfidfTransformer.

    Attributes
    ----------
    vocabulary_ : dict
        term -> column.
    fixed_vocabulary_ : bool
    idf_ : numpy array of shape (n_features,)
        The inverse document frequency of each term (use_idf=True only).

    Examples
    --------
    >>> from xpml.feature_extraction.text import TfidfVectorizer
    >>> X = TfidfVectorizer().fit_transform(["the cat sat", "the cat saw the dog"])
    >>> X.shape, round(float(X[0, 2]), 4)
    ((2, 5), 0.7049)
    """

    _parameter_constraints = {**CountVectorizer._parameter_constraints, **_TFIDF_CONSTRAINTS}

    def __init__(self, *, input: str = "content", encoding: str = "utf-8", decode_error: str = "strict",
                 strip_accents: Any = None, lowercase: bool = True, preprocessor: Any = None, tokenizer: Any = None,
                 analyzer: Any = "word", stop_words: Any = None, token_pattern: str | None = DEFAULT_TOKEN_PATTERN,
                 ngram_range: tuple = (1, 1), max_df: float = 1.0, min_df: float = 1, max_features: int | None = None,
                 vocabulary: Any = None, binary: bool = False, dtype: Any = np.float64, norm: str | None = "l2",
                 use_idf: bool = True, smooth_idf: bool = True, sublinear_tf: bool = False):
        super().__init__(input=input, encoding=encoding, decode_error=decode_error, strip_accents=strip_accents,
                         lowercase=lowercase, preprocessor=preprocessor, tokenizer=tokenizer, analyzer=analyzer,
                         stop_words=stop_words, token_pattern=token_pattern, ngram_range=ngram_range, max_df=max_df,
                         min_df=min_df, max_features=max_features, vocabulary=vocabulary, binary=binary, dtype=dtype)
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def _new_transformer(self) -> TfidfTransformer:
        if np.dtype(self.dtype) not in (np.float64, np.float32):
            warnings.warn(f"dtype={self.dtype!r} should be float64 or float32 for TF-IDF weights; they will be "
                          f"float64.", UserWarning, stacklevel=3)
        return TfidfTransformer(norm=self.norm, use_idf=self.use_idf, smooth_idf=self.smooth_idf,
                                sublinear_tf=self.sublinear_tf)

    @property
    def idf_(self) -> np.ndarray:
        """The inverse document frequency of each term, of shape (n_features,) (use_idf=True only)."""
        if "_tfidf" not in vars(self):
            raise not_fitted_error(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                                   f"appropriate arguments before using this attribute.")
        return self._tfidf.idf_

    @idf_.setter
    def idf_(self, value: Any) -> None:
        if not self.use_idf:
            raise ValueError("idf_ cannot be set when use_idf=False.")
        vocabulary = self.__dict__.get("vocabulary_") or self._fixed_vocabulary()
        if vocabulary is not None and len(vocabulary) != len(value):
            raise ValueError(f"idf_ has {len(value)} values; it should have one per term of the vocabulary "
                             f"({len(vocabulary)}).")
        if "_tfidf" not in vars(self):
            self._tfidf = self._new_transformer()
        self._tfidf.idf_, self._tfidf.n_features_in_ = np.asarray(value), len(value)

    def fit(self, raw_documents: Any, y: Any = None) -> TfidfVectorizer:
        """Learn the vocabulary and the idf of the documents. Returns self."""
        self._fit_weights(raw_documents)
        return self

    def fit_transform(self, raw_documents: Any, y: Any = None):
        """Learn the vocabulary and the idf; return the TF-IDF matrix, CSR of shape (n_documents, n_terms)."""
        return scipy_output(self._fit_weights(raw_documents), resolve_backend(None))

    def _fit_weights(self, raw_documents: Any):
        counts = self._fit_counts(raw_documents)  # validates the parameters
        self._tfidf = self._new_transformer().fit(counts)
        return self._tfidf._weights(counts)

    def transform(self, raw_documents: Any):
        """The TF-IDF matrix of the documents over the fitted vocabulary, CSR of shape (n_documents, n_terms)."""
        if "_tfidf" not in vars(self):
            raise not_fitted_error(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                                   f"appropriate arguments before using this estimator.")
        return scipy_output(self._tfidf._weights(self._counts(raw_documents)), resolve_backend(None))
