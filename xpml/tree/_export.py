"""A fitted tree as text: its rules, one line per branch, as scikit-learn's `export_text` writes them."""

from __future__ import annotations

from typing import Any

from .._backend import to_numpy
from ._structure import TREE_LEAF

__all__ = ["export_text"]


def export_text(decision_tree: Any, *, feature_names=None, class_names=None, max_depth: int = 10,
                spacing: int = 3, decimals: int = 2, show_weights: bool = False) -> str:
    """The rules of a fitted decision tree, indented by depth.

    Parameters
    ----------
    decision_tree : DecisionTreeClassifier or DecisionTreeRegressor (fitted)
    feature_names : list of str, optional
        One name per feature (default "feature_0", ...).
    class_names : list of str, optional
        One name per class, in the order of `classes_` (default: the labels).
    max_depth : int, default=10
        Branches deeper than this are summarized as "truncated branch of depth d".
    spacing : int, default=3
        The width of one level of indentation.
    decimals : int, default=2
        Digits after the point of thresholds and values.
    show_weights : bool, default=False
        Classifier leaves also show the weighted count of each class.

    Returns
    -------
    report : str

    Examples
    --------
    >>> from xpml.tree import DecisionTreeClassifier, export_text
    >>> print(export_text(DecisionTreeClassifier().fit([[0.0], [1.0], [2.0]], [0, 0, 1])), end="")
    |--- feature_0 <= 1.50
    |   |--- class: 0
    |--- feature_0 >  1.50
    |   |--- class: 1
    <BLANKLINE>
    """
    tree = decision_tree.tree_
    classifier = hasattr(decision_tree, "classes_")
    if classifier:
        if class_names is None:
            class_names = decision_tree.classes_
        elif len(class_names) != len(decision_tree.classes_):
            raise ValueError(f"class_names should have {len(decision_tree.classes_)} names, one per class; "
                             f"got {len(class_names)}.")
    if max_depth < 0:
        raise ValueError(f"max_depth={max_depth} should be >= 0.")
    if feature_names is not None and len(feature_names) != decision_tree.n_features_in_:
        raise ValueError(f"feature_names should have {decision_tree.n_features_in_} names, one per feature; "
                         f"got {len(feature_names)}.")
    if spacing <= 0:
        raise ValueError(f"spacing={spacing} should be >= 1.")
    if decimals < 0:
        raise ValueError(f"decimals={decimals} should be >= 0.")
    left, right = to_numpy(tree.children_left).tolist(), to_numpy(tree.children_right).tolist()
    feature, threshold = to_numpy(tree.feature).tolist(), to_numpy(tree.threshold).tolist()
    value, weights = to_numpy(tree.value)[:, 0, :], to_numpy(tree.weighted_n_node_samples).tolist()
    name = (lambda j: str(feature_names[j])) if feature_names is not None else (lambda j: f"feature_{j}")
    lines = []

    def number(x):
        return f"{x:.{decimals}f}"

    def leaf(node, indent):
        if classifier:
            text = f" class: {class_names[int(value[node].argmax())]}"
            if show_weights:
                counts = ", ".join(number(v * weights[node]) for v in value[node])
                text = f" weights: [{counts}]{text}"
        else:
            text = f" value: [{', '.join(number(v) for v in value[node])}]"
        lines.append(f"{indent}{text}")

    def depth_below(node):
        return 1 if left[node] == TREE_LEAF else 1 + max(depth_below(left[node]), depth_below(right[node]))

    def write(node, depth):
        indent = ("|" + " " * spacing) * depth
        indent = indent[:-spacing] + "-" * spacing
        if depth > max_depth + 1:
            below = depth_below(node)
            if below == 1:
                leaf(node, indent)
            else:
                lines.append(f"{indent} truncated branch of depth {below}")
        elif left[node] == TREE_LEAF:
            leaf(node, indent)
        else:
            rule = f"{indent} {name(feature[node])}"
            lines.append(f"{rule} <= {number(threshold[node])}")
            write(left[node], depth + 1)
            lines.append(f"{rule} >  {number(threshold[node])}")
            write(right[node], depth + 1)

    write(0, 1)
    return "".join(line + "\n" for line in lines)
