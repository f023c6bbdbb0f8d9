"""Figures: decision boundaries, loss curves, reinforcement-learning curves, confusion matrices, ROC curves,
explained variance, clusters, decision trees, and the benchmark's figures (from `xpml._plot_bench`).

matplotlib is imported only when a function here is called (`pip install "xpml[plot]"`). Every
function accepts arrays of any backend, draws on the host, and returns the matplotlib Figure; pass
`ax=` to draw into an axes of your own figure instead. Figures are built without pyplot, so they
need no display: save one with `fig.savefig("name.png")`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._backend import LIBRARIES, library_of, to_numpy
from ._plot_bench import roofline, speedup

__all__ = ["clusters", "confusion_matrix", "decision_boundary", "episode_returns", "explained_variance", "loss_curve",
           "roc_curve", "roofline", "speedup", "tree"]


def _points(a: Any, name: str) -> np.ndarray:
    """The samples of a figure on the host; a library's arrays that are never gathered (dask) are refused."""
    library = library_of(a)
    if library is not None and not LIBRARIES[library].gathers:
        raise ValueError(f"{name} is a {library} array: a figure draws every sample, which would gather it into one "
                         f"process, and xpml never does so silently. Plot a sample in memory, e.g. "
                         f"{name}[:10_000].compute().")
    return to_numpy(a)


def _axes(ax: Any = None, figsize: tuple = (6.0, 4.5)):
    """(figure, axes): the given axes and its figure, or a new figure with one axes."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError('xpml.plot needs matplotlib: pip install "xpml[plot]"') from None
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def decision_boundary(estimator: Any, X: Any, y: Any = None, *, resolution: int = 200, ax: Any = None,
                      title: str | None = None):
    """The regions a fitted classifier assigns to each class, over 2-D data, with the points on top.

    Parameters
    ----------
    estimator : a fitted classifier with `predict`, trained on 2 features
    X : array of shape (n_samples, 2)
    y : array of shape (n_samples,), optional; colours the points (default: the predictions)
    resolution : int
        Grid points along each axis.
    """
    X, y = _points(X, "X"), None if y is None else _points(y, "y")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X should have shape (n_samples, 2) to draw a decision boundary; got {X.shape}.")
    fig, ax = _axes(ax)
    pad = 0.05 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(X.dtype)  # (resolution², 2)
    predicted = to_numpy(estimator.predict(grid))
    classes = np.unique(predicted if y is None else np.concatenate([predicted, to_numpy(y)]))
    region = np.searchsorted(classes, predicted).reshape(gx.shape)  # (resolution, resolution)
    cmap = "tab10" if len(classes) <= 10 else "tab20"
    ax.contourf(gx, gy, region, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=0.25,
                vmin=-0.5, vmax=(10 if len(classes) <= 10 else 20) - 0.5)
    colour = np.searchsorted(classes, to_numpy(estimator.predict(X)) if y is None else to_numpy(y))
    points = ax.scatter(X[:, 0], X[:, 1], c=colour, cmap=cmap, vmin=-0.5, vmax=(10 if len(classes) <= 10 else 20) - 0.5,
                        s=14, edgecolors="k", linewidths=0.3)
    handles = [ax.scatter([], [], color=points.cmap(points.norm(i)), edgecolors="k", linewidths=0.3, label=str(c))
               for i, c in enumerate(classes)]
    ax.legend(handles=handles, title="class", fontsize="small", loc="best")
    ax.set_xlabel("feature 0")
    ax.set_ylabel("feature 1")
    ax.set_title(title or f"{type(estimator).__name__}: decision regions")
    return fig


def loss_curve(model_or_losses: Any, *, ax: Any = None, label: str | None = None, title: str | None = None):
    """Training loss per epoch (a fitted model's `loss_curve_`, or a sequence of losses).

    A model with `validation_scores_` (early stopping) gets them on a second y axis.
    """
    losses = getattr(model_or_losses, "loss_curve_", model_or_losses)
    losses = np.asarray([float(v) for v in losses])
    if losses.ndim != 1 or len(losses) == 0:
        raise ValueError("loss_curve needs a non-empty sequence of losses, or a model with loss_curve_.")
    fig, ax = _axes(ax)
    epochs = np.arange(1, len(losses) + 1)
    ax.plot(epochs, losses, marker="." if len(losses) < 50 else None, label=label or "training loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if np.all(losses > 0) and losses.max() / losses.min() > 20:
        ax.set_yscale("log")
    scores = getattr(model_or_losses, "validation_scores_", None)
    if scores is not None and len(scores):
        twin = ax.twinx()
        twin.plot(np.arange(1, len(scores) + 1), [float(s) for s in scores], color="tab:orange", label="validation score")
        twin.set_ylabel("validation score")
        twin.legend(loc="center right", fontsize="small")
    ax.legend(loc="upper right", fontsize="small")
    ax.grid(alpha=0.3)
    ax.set_title(title or "Loss curve")
    return fig


def episode_returns(agent_or_returns: Any, *, window: int | None = None, ax: Any = None, label: str | None = None,
                    title: str | None = None):
    """A reinforcement-learning curve: the return of each training episode (a fitted agent's
    `episode_returns_`, or a sequence of returns) as faint dots, with its moving average over `window`
    episodes on top (None: about a fiftieth of the episodes, at least 10).
    """
    returns = np.asarray([float(v) for v in getattr(agent_or_returns, "episode_returns_", agent_or_returns)])
    if returns.ndim != 1 or len(returns) == 0:
        raise ValueError("episode_returns needs a non-empty sequence of returns, or an agent with episode_returns_.")
    window = max(10, len(returns) // 50) if window is None else int(window)
    if window < 1:
        raise ValueError(f"window={window} should be >= 1.")
    fig, ax = _axes(ax)
    episodes = np.arange(1, len(returns) + 1)
    line, = ax.plot(episodes, returns, ".", alpha=0.3, markersize=2)  # each episode, as a dot
    if len(returns) >= window:
        mean = np.convolve(returns, np.ones(window) / window, mode="valid")  # (n_episodes - window + 1,)
        ax.plot(episodes[window - 1:], mean, color=line.get_color(),
                label=f"{label or 'return'}, mean of {window} episodes")
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel("training episode")
    ax.set_ylabel("return (sum of rewards)")
    ax.grid(alpha=0.3)
    ax.set_title(title or "Learning curve")
    return fig


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None, normalize: str | None = None,
                     ax: Any = None, title: str | None = None):
    """The confusion matrix as a heat map: rows are true labels, columns predicted ones.

    normalize : {None, "true", "pred", "all"}, as in `xpml.metrics.confusion_matrix`.
    """
    from .metrics import confusion_matrix as compute

    y_true, y_pred = _points(y_true, "y_true"), _points(y_pred, "y_pred")
    matrix = to_numpy(compute(y_true, y_pred, labels=labels, normalize=normalize))
    names = np.unique(np.concatenate([to_numpy(y_true), to_numpy(y_pred)])) if labels is None else to_numpy(labels)
    k = len(names)
    fig, ax = _axes(ax, figsize=(1.2 + 0.55 * k, 1.0 + 0.5 * k) if k > 6 else (5.0, 4.2))
    image = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(image, ax=ax, shrink=0.8, label="fraction" if normalize else "count")
    threshold = matrix.max() / 2
    for i in range(k):
        for j in range(k):
            text = f"{matrix[i, j]:.2f}" if normalize else f"{int(matrix[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize="small",
                    color="white" if matrix[i, j] > threshold else "black")
    ax.set_xticks(range(k), [str(n) for n in names], rotation=45 if k > 6 else 0)
    ax.set_yticks(range(k), [str(n) for n in names])
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.set_title(title or "Confusion matrix")
    return fig


def roc_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, ax: Any = None, label: str | None = None,
              title: str | None = None):
    """The ROC curve of a binary classifier's scores, with its area under the curve in the legend."""
    from .metrics import roc_auc_score
    from .metrics import roc_curve as compute

    fpr, tpr, _ = compute(y_true, y_score, pos_label=pos_label)
    auc = roc_auc_score(y_true, y_score) if pos_label is None else None
    fig, ax = _axes(ax, figsize=(5.0, 4.5))
    name = label or "classifier"
    ax.plot(to_numpy(fpr), to_numpy(tpr), label=f"{name} (AUC = {auc:.3f})" if auc is not None else name)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(alpha=0.3)
    ax.set_title(title or "ROC curve")
    return fig


def explained_variance(pca: Any, *, ax: Any = None, title: str | None = None):
    """A fitted PCA's explained-variance ratio per component (bars) and cumulated (line)."""
    ratio = to_numpy(pca.explained_variance_ratio_)
    fig, ax = _axes(ax)
    components = np.arange(1, len(ratio) + 1)
    ax.bar(components, ratio, label="per component")
    ax.plot(components, np.cumsum(ratio), color="tab:red", marker=".", label="cumulative")
    ax.set_xlabel("principal component")
    ax.set_ylabel("fraction of variance explained")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="center right", fontsize="small")
    ax.grid(alpha=0.3, axis="y")
    ax.set_title(title or "PCA: explained variance")
    return fig


def tree(model: Any, *, feature_names: Any = None, max_depth: int = 4, ax: Any = None, title: str | None = None):
    """A fitted decision tree, root on top: each split's rule, each node's sample count and prediction."""
    t = model.tree_
    left, right, feature = (to_numpy(a).tolist() for a in (t.children_left, t.children_right, t.feature))
    threshold, n, value = to_numpy(t.threshold), to_numpy(t.n_node_samples), to_numpy(t.value)[:, 0, :]
    classes = getattr(model, "classes_", None)
    name = (lambda j: str(feature_names[j])) if feature_names is not None else (lambda j: f"x[{j}]")
    place, next_x = {}, [0.0]

    def lay_out(node, depth):  # leaves left to right; a parent above the middle of its children
        if left[node] == -1 or depth == max_depth:
            place[node] = (next_x[0], -depth)
            next_x[0] += 1
        else:
            lay_out(left[node], depth + 1)
            lay_out(right[node], depth + 1)
            place[node] = ((place[left[node]][0] + place[right[node]][0]) / 2, -depth)

    lay_out(0, 0)
    fig, ax = _axes(ax, figsize=(max(6.0, 1.6 * next_x[0]), 1.4 * (1 + max(-y for _, y in place.values()))))
    for node, (x, y) in place.items():
        predicted = f"class {classes[value[node].argmax()]}" if classes is not None else f"value {value[node][0]:.3g}"
        text = f"n={n[node]}\n{predicted}"
        if left[node] != -1 and left[node] in place:  # a split drawn with its children
            text = f"{name(feature[node])} <= {threshold[node]:.3g}\n" + text
            for child in (left[node], right[node]):
                ax.plot([x, place[child][0]], [y, place[child][1]], color="0.6", zorder=1)
        ax.text(x, y, text, ha="center", va="center", fontsize="small", zorder=2,
                bbox=dict(boxstyle="round", facecolor="white" if left[node] != -1 else "tab:olive", alpha=0.9))
    ax.set_axis_off()
    ax.set_title(title or f"{type(model).__name__}: depth {model.get_depth()}, {model.get_n_leaves()} leaves")
    return fig


def clusters(X: Any, labels: Any, *, centers: Any = None, ax: Any = None, title: str | None = None):
    """Points coloured by cluster, in 2-D: the data itself, or its first two principal components."""
    X, labels = _points(X, "X"), _points(labels, "labels")
    mean = X.mean(axis=0)
    if X.shape[1] > 2:  # project onto the two directions of largest variance (an SVD of the centred data)
        _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
        project = lambda A: (A - mean) @ vt[:2].T  # noqa: E731
        axis_names = ("principal component 1", "principal component 2")
    else:
        project = lambda A: A  # noqa: E731
        axis_names = ("feature 0", "feature 1")
    fig, ax = _axes(ax)
    P = project(X)  # (n_samples, 2)
    ax.scatter(P[:, 0], P[:, 1], c=labels, cmap="tab10" if labels.max() < 10 else "tab20", s=10, alpha=0.7)
    if centers is not None:
        C = project(to_numpy(centers))
        ax.scatter(C[:, 0], C[:, 1], marker="X", s=140, c="black", edgecolors="white", label="centres")
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel(axis_names[0])
    ax.set_ylabel(axis_names[1])
    ax.set_title(title or f"{len(np.unique(labels))} clusters")
    return fig
