"""Feature extraction: turning raw data into numeric features. `xpml.feature_extraction.text` turns text
documents into document-term matrices (bags of words, TF-IDF)."""

from . import text

__all__ = ["text"]
