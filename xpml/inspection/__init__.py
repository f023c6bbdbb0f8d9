"""Inspecting fitted models: which features their predictions depend on."""

from ._partial_dependence import partial_dependence
from ._permutation_importance import permutation_importance

__all__ = ["partial_dependence", "permutation_importance"]
