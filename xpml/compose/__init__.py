"""Composite transformers: ColumnTransformer (a transformer per group of columns, their outputs side by
side), make_column_transformer (one named after its transformers) and make_column_selector (columns chosen
by dtype and by name)."""

from ._column_transformer import ColumnTransformer
from ._make import make_column_transformer
from ._columns import make_column_selector

__all__ = ["ColumnTransformer", "make_column_selector", "make_column_transformer"]
