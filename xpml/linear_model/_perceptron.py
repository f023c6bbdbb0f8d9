"""The perceptron: Rosenblatt's mistake-driven linear classifier, one-vs-rest.

For labels y = ±1 and a score p = x·w + b, the perceptron visits the samples in turn and, when a
sample is on the wrong side or on the boundary (y p <= 0), moves the separating plane towards it:

    w ← w + η y x,    b ← b + η y.

That is SGD on the loss max(0, -y p) (the hinge with its threshold at 0) at a constant rate η =
eta0, so it runs through the shared SGD machinery (`_sgd_solver`) as scikit-learn's Perceptron
runs through its SGDClassifier; an optional penalty (alpha) turns it into a regularized variant.
On linearly separable data it stops making mistakes after at most (R/γ)² of them (Novikoff),
with R the largest ‖x‖ and γ the margin of the best separating plane.

References: F. Rosenblatt, "The perceptron: a probabilistic model for information storage and
organization in the brain", Psychological Review 65(6), 1958; A. B. J. Novikoff, "On convergence
proofs on perceptrons", 1962.
"""

from __future__ import annotations

from ._sgd_classifier import SGDClassifier

__all__ = ["Perceptron"]


class Perceptron(SGDClassifier):
    """The perceptron: a linear classifier updated on its mistakes (SGD on max(0, -y·p)).

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None, default=None
        An optional penalty on the weights, as in SGDClassifier.
    alpha : float, default=1e-4
        The penalty's strength (used only with a penalty).
    l1_ratio : float in [0, 1], default=0.15
        The L1 share of the elastic-net penalty.
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        The most epochs (passes over the data).
    tol : float or None, default=1e-3
        Stop when, for n_iter_no_change epochs in a row, the mean loss has not fallen by tol below its
        best. None: run max_iter epochs.
    shuffle : bool, default=True
        Visit the samples in a new random order each epoch.
    verbose : int, default=0
    eta0 : float, default=1
        The constant step size η.
    n_jobs : int or None, default=None
        Accepted for scikit-learn compatibility; the one-vs-rest problems are solved together.
    random_state : int, numpy.random.Generator or None, default=0
        Seeds the orders of the samples and the validation split.
    early_stopping : bool, default=False
        Hold out a stratified `validation_fraction` of the data; stop on its accuracy.
    validation_fraction : float in (0, 1), default=0.1
    n_iter_no_change : int, default=5
    class_weight : dict, "balanced" or None
        Weights of the classes, as in SGDClassifier.
    warm_start : bool, default=False
        Start `fit` from the previous fit's weights.
    batch_size : int or "auto", default="auto"
        xpml's own: samples per step. 1 is the classic perceptron (scikit-learn's); "auto" gives 1 below
        800 samples and larger batches above (see SGDClassifier).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : array of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    n_iter_ : int
    t_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import Perceptron
    >>> model = Perceptron().fit([[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]], [0, 0, 1, 1])
    >>> model.predict([[0.2, 0.5], [1.8, 0.5]]).tolist()
    [0, 1]
    """

    # The SGD settings that make SGD the perceptron; not parameters (scikit-learn's Perceptron has none of them).
    loss = "perceptron"
    learning_rate = "constant"
    power_t = 0.5
    epsilon = 0.1
    average = False

    _parameter_constraints = {key: value for key, value in SGDClassifier._parameter_constraints.items()
                              if key not in ("loss", "learning_rate", "power_t", "epsilon", "average")}

    def __init__(self, *, penalty=None, alpha=0.0001, l1_ratio=0.15, fit_intercept=True, max_iter=1000, tol=1e-3,
                 shuffle=True, verbose=0, eta0=1.0, n_jobs=None, random_state=0, early_stopping=False,
                 validation_fraction=0.1, n_iter_no_change=5, class_weight=None, warm_start=False,
                 batch_size="auto", backend=None, dtype=None):
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.eta0 = eta0
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.batch_size = batch_size
        self.backend = backend
        self.dtype = dtype
