"""Text features (xpml.feature_extraction.text) against scikit-learn: the same vocabulary_, the same
matrices (counts exactly, TF-IDF weights to 1e-12), idf_, feature names and inverse transforms, over
a grid of options on a small corpus; and the same signatures.

The vectorizers work on the host (string work) and return scipy.sparse CSR matrices, as scikit-learn
does, so there is no `xp` fixture here, except where a backend's array is given to TfidfTransformer.
"""

import sys
import warnings

import numpy as np
import pytest
from sklearn.feature_extraction import text as sk

from tests.helpers import assert_allclose
from tests.test_signatures import signature_differences
from xpml.exceptions import NotFittedError
from xpml.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
    strip_accents_ascii,
    strip_accents_unicode,
)
from xpml.utils.discovery import TEXT_MODULES, all_estimators

sp = pytest.importorskip("scipy.sparse")  # the vectorizers return scipy.sparse matrices

DOCS = [
    "The quick brown fox jumps over the lazy dog.",
    "A lazy dog sleeps; the dog dreams of the fox!",
    "Café crème and a naïve façade: Ærøskøbing in the rain",
    "Numbers like 42 and 3.14, e-mail addresses and CamelCase words",
    "the the the fox fox",
    b"Bytes in UTF-8: \xc3\xa9t\xc3\xa9 and hiver",
    "Tabs\tand  double  spaces\n\nand new lines between the words",
]
NEW = ["an unseen word with the fox", "", "DOG dog Dog", "fox\tlazy  café"]

OPTIONS = [
    {},
    {"ngram_range": (1, 3)},
    {"ngram_range": (2, 2), "lowercase": False},
    {"analyzer": "char", "ngram_range": (1, 3)},
    {"analyzer": "char_wb", "ngram_range": (2, 5)},
    {"analyzer": "char_wb", "ngram_range": (4, 4), "strip_accents": "ascii"},
    {"strip_accents": "unicode", "binary": True},
    {"min_df": 2},
    {"max_df": 0.5, "min_df": 0.2},
    {"max_df": 3},
    {"max_features": 3},  # the top 3 have no ties (the 6, fox 5, and 4); ties at the cutoff: see below
    {"token_pattern": r"(?u)\b(\w)\w*\b"},  # one group: the token is each word's first letter
    {"vocabulary": ["fox", "dog", "lazy", "café", "absent"]},
    {"vocabulary": {"dog": 1, "fox": 0, "the quick": 2}, "ngram_range": (1, 2)},
    {"stop_words": ["the", "and", "a", "in"], "ngram_range": (1, 2)},
    {"dtype": np.float32, "sublinear_tf": True, "norm": "l1"},
    {"use_idf": False, "norm": None},
    {"smooth_idf": False, "sublinear_tf": True},
]
COUNT_ONLY = {"norm", "use_idf", "smooth_idf", "sublinear_tf"}


def assert_same_matrix(ours, theirs, rtol=0.0):
    assert sp.issparse(ours) and ours.format == "csr" and isinstance(ours, sp.csr_matrix)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_vectorizers_match_sklearn(options):
    count_options = {k: v for k, v in options.items() if k not in COUNT_ONLY}
    if "dtype" in count_options:
        count_options["dtype"] = np.int32
    pairs = [(CountVectorizer(**count_options), sk.CountVectorizer(**count_options), 0.0),
             (TfidfVectorizer(**options), sk.TfidfVectorizer(**options), 1e-12 if "dtype" not in options else 1e-6)]
    for ours, theirs, rtol in pairs:
        assert_same_matrix(ours.fit_transform(DOCS), theirs.fit_transform(DOCS), rtol)
        assert ours.vocabulary_ == theirs.vocabulary_ and ours.fixed_vocabulary_ == theirs.fixed_vocabulary_
        assert_same_matrix(ours.transform(NEW), theirs.transform(NEW), rtol)
        assert_same_matrix(ours.fit(DOCS).transform(DOCS), theirs.transform(DOCS), rtol)
        names = ours.get_feature_names_out()
        assert names.dtype == object and names.tolist() == theirs.get_feature_names_out().tolist()
        X = theirs.transform(DOCS[:3])
        for mine, want in zip(ours.inverse_transform(X), theirs.inverse_transform(X)):
            np.testing.assert_array_equal(mine, want)
        if hasattr(theirs, "idf_"):
            assert ours.idf_.dtype == theirs.idf_.dtype
            np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=rtol)


def test_max_features_breaks_ties_by_alphabetical_order():
    """scikit-learn ranks the terms with numpy's default (unstable) sort, so which of two equally frequent
    terms it keeps at the cutoff is not specified; xpml keeps the one first in alphabetical order."""
    docs = ["b b a", "c c a", "d e"]  # a, b and c occur twice each; d and e once
    assert CountVectorizer(max_features=2, token_pattern=r"\w").fit(docs).vocabulary_ == {"a": 0, "b": 1}
    assert CountVectorizer(max_features=4, token_pattern=r"\w").fit(docs).vocabulary_ == {"a": 0, "b": 1, "c": 2,
                                                                                           "d": 3}


def test_english_stop_words_are_xpmls_own_list_and_removed_as_a_custom_list_is():
    words = sorted(ENGLISH_STOP_WORDS)
    assert len(words) > 200 and {"the", "and", "of", "which", "themselves"} <= ENGLISH_STOP_WORDS
    assert all(w.isalpha() and w.islower() for w in words)  # one token each for the default token_pattern
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # tokenizing the stop words gives only stop words: no warning
        ours = TfidfVectorizer(stop_words="english", ngram_range=(1, 2)).fit(DOCS)
    theirs = sk.TfidfVectorizer(stop_words=words, ngram_range=(1, 2)).fit(DOCS)
    assert ours.vocabulary_ == theirs.vocabulary_ and "the" not in ours.vocabulary_
    assert_same_matrix(ours.transform(NEW), theirs.transform(NEW), 1e-12)


def test_callables_replace_the_steps_as_in_sklearn():
    def shout(doc):
        return doc.upper()

    def split_on_spaces(doc):
        return doc.split(" ")

    def letters(doc):
        return sorted(set(doc.replace(" ", "")))

    docs = [d for d in DOCS if isinstance(d, str)]
    for options in ({"preprocessor": shout, "tokenizer": split_on_spaces, "token_pattern": None},
                    {"analyzer": letters}, {"strip_accents": strip_accents_ascii, "analyzer": "char"}):
        ours, theirs = CountVectorizer(**options), sk.CountVectorizer(**options)
        assert_same_matrix(ours.fit_transform(docs), theirs.fit_transform(docs))
        assert ours.vocabulary_ == theirs.vocabulary_
    pretokenized = [["a", "b", "a"], ["c"]]  # a callable analyzer may take documents that are not strings
    assert CountVectorizer(analyzer=lambda d: d).fit_transform(pretokenized).toarray().tolist() == [[2, 1, 0],
                                                                                                    [0, 0, 1]]


def test_strip_accents_and_input_kinds(tmp_path):
    for s in ("café naïve", "Ærøskøbing ß", "ﬁ ½", "plain"):
        assert strip_accents_unicode(s) == sk.strip_accents_unicode(s)
        assert strip_accents_ascii(s) == sk.strip_accents_ascii(s)
    paths = []
    for i, doc in enumerate(DOCS[:3]):
        paths.append(tmp_path / f"doc{i}.txt")
        paths[-1].write_bytes(doc.encode("latin-1", "replace") if i == 2 else doc.encode())
    for options in ({"input": "filename", "encoding": "latin-1"}, {"input": "filename", "decode_error": "replace"}):
        ours, theirs = CountVectorizer(**options), sk.CountVectorizer(**options)
        assert_same_matrix(ours.fit_transform(paths), theirs.fit_transform(paths))
        assert ours.vocabulary_ == theirs.vocabulary_
    with open(paths[0], "rb") as a, open(paths[1], "rb") as b:
        X = CountVectorizer(input="file").fit_transform([a, b])
    assert_same_matrix(X, sk.CountVectorizer().fit_transform(DOCS[:2]))
    with pytest.raises(UnicodeDecodeError):
        CountVectorizer(input="filename").fit(paths)


def test_tfidf_transformer_matches_sklearn_on_arrays_of_any_backend(xp, device):
    counts = sk.CountVectorizer().fit_transform(DOCS)  # (7, p) int64 CSR
    for options in ({}, {"norm": "l1", "sublinear_tf": True}, {"smooth_idf": False}):
        ours, theirs = TfidfTransformer(**options), sk.TfidfTransformer(**options)
        for X in (counts, xp.asarray(counts.toarray().astype(np.float64), device=device)):
            assert_same_matrix(ours.fit(X).transform(X), theirs.fit_transform(counts.astype(np.float64)), 1e-12)
            assert_allclose(ours.idf_, theirs.idf_, rtol=1e-12)
    f32 = TfidfTransformer().fit_transform(counts.astype(np.float32))
    assert f32.dtype == np.float32 and f32.format == "csr"
    assert TfidfTransformer().fit(counts).get_feature_names_out().tolist()[:2] == ["x0", "x1"]


def test_setting_idf_as_in_sklearn():
    fitted = TfidfVectorizer().fit(DOCS)
    vec = TfidfVectorizer(vocabulary=fitted.vocabulary_)
    vec.idf_ = fitted.idf_
    assert_same_matrix(vec.transform(NEW), fitted.transform(NEW))
    with pytest.raises(ValueError, match=r"idf_ has 2 values; it should have one per term of the vocabulary"):
        TfidfVectorizer(vocabulary=["a", "b", "c"]).idf_ = [1.0, 2.0]


BAD = [
    ({"ngram_range": (2, 1)}, ValueError, r"ngram_range=\(2, 1\) should be a pair \(min_n, max_n\) of ints with 1"),
    ({"ngram_range": (0, 1)}, ValueError, r"ngram_range=\(0, 1\) should be"),
    ({"min_df": 0}, ValueError, r"min_df=0 should be >= 1"),
    ({"max_df": 1.5}, ValueError, r"max_df=1.5 should be >= 0.0 and <= 1.0"),
    ({"max_features": 0}, ValueError, r"max_features=0 should be >= 1"),
    ({"analyzer": "letters"}, ValueError, r"analyzer='letters' should be one of 'char', 'char_wb', 'word'"),
    ({"stop_words": "french"}, ValueError, r"stop_words='french' should be one of 'english'"),
    ({"stop_words": ("a",)}, TypeError, r"stop_words should be one of 'english' or a list or None"),
    ({"input": "url"}, ValueError, r"input='url' should be one of 'content', 'file', 'filename'"),
    ({"lowercase": "yes"}, TypeError, r"lowercase should be a bool"),
    ({"token_pattern": r"(a)(b)"}, ValueError, r"token_pattern='\(a\)\(b\)' has 2 capturing groups"),
    ({"max_df": 1, "min_df": 2}, ValueError, r"max_df=1 allows fewer documents \(1\) than min_df=2 asks for"),
    ({"min_df": 2}, ValueError, r"After pruning, no terms remain \(min_df=2"),
    ({"stop_words": ["only", "stop", "words"]}, ValueError, r"The vocabulary is empty"),
    ({"vocabulary": ["a", "b", "a"]}, ValueError, r"vocabulary has the term 'a' twice"),
    ({"vocabulary": {"a": 0, "b": 2}}, ValueError, r"vocabulary should map its 2 terms to the columns 0 to 1"),
    ({"vocabulary": []}, ValueError, r"vocabulary is empty"),
    ({"norm": "l3"}, ValueError, r"norm='l3' should be one of 'l1', 'l2'"),
    ({"token_pattern": None}, ValueError, r"token_pattern=None needs a tokenizer"),
    ({"dtype": "bogus"}, TypeError, r"dtype='bogus' should be a numpy dtype"),
]


@pytest.mark.parametrize("params, error, message", BAD, ids=[str(p) for p, _, _ in BAD])
def test_bad_parameters_are_refused_with_a_message(params, error, message):
    docs = ["only stop words", "stop words only"] if "stop_words" in params else DOCS
    if "min_df" in params or "max_df" in params:
        docs = ["a1 b1", "c1 d1"]
    with pytest.raises(error, match=message):
        TfidfVectorizer(**params).fit(docs)


def test_bad_documents_and_unfitted_use_are_refused():
    with pytest.raises(ValueError, match=r"raw_documents should be an iterable of documents .* got one str"):
        CountVectorizer().fit("one document")
    with pytest.raises(ValueError, match=r"A document is NaN"):
        CountVectorizer().fit(["a document", np.nan])
    with pytest.raises(TypeError, match=r"Each document should be a str \(or bytes\); got 3 \(int\)"):
        CountVectorizer().fit(["a document", 3])
    for vec in (CountVectorizer(), TfidfVectorizer()):
        with pytest.raises(NotFittedError, match="not fitted"):
            vec.transform(["a document"])
    assert CountVectorizer(vocabulary=["a1", "b1"]).transform(["b1 b1 c1"]).toarray().tolist() == [[0, 2]]
    with pytest.raises(ValueError, match=r"X has 3 features, but TfidfTransformer is expecting 2"):
        TfidfTransformer().fit([[1, 2]]).transform([[1, 2, 3]])
    with pytest.warns(UserWarning, match=r"'token_pattern' is not used, since analyzer='char'"):
        CountVectorizer(analyzer="char", token_pattern=r"\w").fit(["ab"])
    with pytest.warns(UserWarning, match=r"upper-case letters while lowercase=True"):
        CountVectorizer(vocabulary=["Dog"]).fit(["dog"])
    with pytest.warns(UserWarning, match=r"stop_words may be inconsistent .* \['don'\]"):
        CountVectorizer(stop_words=["don't"]).fit(["don't stop"])


def test_without_scipy_the_message_says_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with pytest.raises(ImportError, match=r"CountVectorizer returns a scipy.sparse matrix.*pip install scipy"):
        CountVectorizer().fit(DOCS)


ESTIMATORS = all_estimators(TEXT_MODULES)


def test_the_text_estimators_are_found():
    assert [name for name, _ in ESTIMATORS] == ["CountVectorizer", "TfidfTransformer", "TfidfVectorizer"]


@pytest.mark.parametrize("name, cls", ESTIMATORS, ids=[name for name, _ in ESTIMATORS])
def test_signatures_and_fitted_attributes_are_sklearns(name, cls):
    theirs = getattr(sk, name)
    for method in ("__init__", "fit", "transform", "fit_transform", "inverse_transform", "get_feature_names_out"):
        if hasattr(theirs, method):
            assert not signature_differences(f"{name}.{method}", getattr(cls, method), getattr(theirs, method))
    data = DOCS if name != "TfidfTransformer" else sk.CountVectorizer().fit_transform(DOCS)
    mine, skl = cls().fit(data), theirs().fit(data)
    public = {k for k in vars(skl) if k.endswith("_") and not k.startswith("_")} | {"idf_"} - {"n_features_in_"}
    assert {k for k in public if hasattr(skl, k)} == {k for k in public if hasattr(mine, k)}


def test_sklearn_pipelines_clone_and_save_load(tmp_path):
    from sklearn.base import clone
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    from xpml.io import load, save

    labels = [0, 0, 1, 1, 0, 1, 1]
    vec = clone(TfidfVectorizer(ngram_range=(1, 2), stop_words="english"))
    pipe = make_pipeline(vec, MultinomialNB()).fit(DOCS, labels)
    ref = make_pipeline(sk.TfidfVectorizer(ngram_range=(1, 2), stop_words=sorted(ENGLISH_STOP_WORDS)),
                        MultinomialNB()).fit(DOCS, labels)
    np.testing.assert_allclose(pipe.predict_proba(NEW), ref.predict_proba(NEW), rtol=1e-12)
    save(pipe[0], tmp_path / "tfidf.xpml")
    assert_same_matrix(load(tmp_path / "tfidf.xpml").transform(NEW), pipe[0].transform(NEW))


@pytest.mark.parametrize("params", [{"strip_accents": "unicode"}, {"lowercase": False, "strip_accents": "ascii"},
                                    {"token_pattern": r"(?u)\b\w+\b"}, {"tokenizer": str.split, "token_pattern": None}])
def test_the_analyzers_steps_are_sklearns(params):
    """decode, build_preprocessor and build_tokenizer: the steps of build_analyzer, as scikit-learn's; and
    get_stop_words (for "english", xpml's own list, ENGLISH_STOP_WORDS)."""
    for ours, ref in ((CountVectorizer(**params), sk.CountVectorizer(**params)),
                      (TfidfVectorizer(**params), sk.TfidfVectorizer(**params))):
        for doc in ("Héllo Wörld, the CAFÉ is 1 km away!", "caf\u00e9 na\u00efve".encode(), b"plain bytes"):
            text = ours.decode(doc)
            assert text == ref.decode(doc)
            assert ours.build_preprocessor()(text) == ref.build_preprocessor()(text)
            assert ours.build_tokenizer()(text) == ref.build_tokenizer()(text)
    assert CountVectorizer().get_stop_words() is None
    assert CountVectorizer(stop_words=["the", "a"]).get_stop_words() == frozenset({"the", "a"})
    assert CountVectorizer(stop_words="english").get_stop_words() == ENGLISH_STOP_WORDS
