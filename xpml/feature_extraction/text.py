"""Text features: documents (strings) to document-term matrices, as scikit-learn's
`sklearn.feature_extraction.text` makes them.

- `CountVectorizer`: the counts of each term (word, n-gram of words, or n-gram of characters);
- `TfidfTransformer`: counts to TF-IDF weights; `TfidfVectorizer`: both in one step.

Tokenizing is string work, done on the host in plain Python; the matrices are scipy.sparse CSR
matrices on the host, as scikit-learn returns them (scipy is needed). An xpml estimator fitted on one
moves it to its backend.
"""

from ._analyzer import strip_accents_ascii, strip_accents_unicode
from ._count import CountVectorizer
from ._stop_words import ENGLISH_STOP_WORDS
from ._tfidf import TfidfTransformer, TfidfVectorizer

__all__ = ["ENGLISH_STOP_WORDS", "CountVectorizer", "TfidfTransformer", "TfidfVectorizer", "strip_accents_ascii",
           "strip_accents_unicode"]
