"""Inspecting fitted models: which features their predictions depend on."""

from ._permutation_importance import permutation_importance

__all__ = ["permutation_importance"]
