"""brier_score_loss and hinge_loss (and the neg_brier_score scorer) on every backend against scikit-learn's."""

import numpy as np
import pytest
import sklearn.metrics as sk
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from xpml import metrics
from xpml.linear_model import LogisticRegression

RNG = np.random.default_rng(2)
Y2, Y3 = RNG.integers(0, 2, 16), RNG.integers(0, 3, 16)
P1, W = RNG.random(16), RNG.random(16)
P3 = RNG.random((16, 3))
P3 /= P3.sum(axis=1, keepdims=True)
P4 = np.c_[P3 * 0.8, np.full(16, 0.2)]
D1, D3 = RNG.normal(size=16), RNG.normal(size=(16, 3))
STRINGS = np.array(["no", "yes"])[Y2]


def test_brier_and_hinge_are_sklearns(backend, xp):
    on = lambda a: xp.asarray(a, device=backend.device)  # noqa: E731
    cases = [  # (name, y_true, scores, keywords)
        ("brier_score_loss", Y2, P1, {}), ("brier_score_loss", Y2, P1, dict(sample_weight=W, scale_by_half=False)),
        ("brier_score_loss", Y2 * 2 + 3, P1, {}),  # labels {3, 5}: the greater is positive
        ("brier_score_loss", Y3, P3, dict(sample_weight=W)), ("brier_score_loss", Y3, P3, dict(scale_by_half=True)),
        ("brier_score_loss", Y3, P4, dict(labels=[0, 1, 2, 3])), ("brier_score_loss", Y2, np.c_[1 - P1, P1], {}),
        ("hinge_loss", Y2, D1, {}), ("hinge_loss", Y2 * 2 - 1, D1, dict(sample_weight=W)),
        ("hinge_loss", Y3, D3, {}), ("hinge_loss", Y3, np.c_[D3, D1], dict(labels=[0, 1, 2, 3], sample_weight=W)),
    ]
    for name, y, s, kw in cases:
        kw_b = {k: on(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        got = getattr(metrics, name)(on(y), on(s), **kw_b)
        assert isinstance(got, float)
        np.testing.assert_allclose(got, getattr(sk, name)(y, s, **kw), rtol=1e-12, atol=1e-15, err_msg=f"{name} {kw}")


def test_string_labels_pos_label_and_the_scorer():
    for pos_label in ("yes", "no"):
        assert metrics.brier_score_loss(STRINGS, P1, pos_label=pos_label) == pytest.approx(
            sk.brier_score_loss(STRINGS, P1, pos_label=pos_label), rel=1e-12)
    X = RNG.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
    ours = metrics.get_scorer("neg_brier_score")(LogisticRegression().fit(X, y), X, y)
    theirs = sk.get_scorer("neg_brier_score")(SkLogisticRegression().fit(X, y), X, y)
    assert ours == pytest.approx(theirs, rel=1e-6)  # the two fits agree to about 1e-8


def test_bad_input_is_named():
    for call, match in (
        (lambda: metrics.brier_score_loss(Y2, P1 + 1), "greater than 1"),
        (lambda: metrics.brier_score_loss(Y2, P1 - 1), "lower than 0"),
        (lambda: metrics.brier_score_loss(Y3, P1), "multiclass"),
        (lambda: metrics.brier_score_loss(STRINGS, P1), "pos_label"),
        (lambda: metrics.brier_score_loss(Y3, P4), "different numbers of classes"),
        (lambda: metrics.brier_score_loss(Y3, P1, scale_by_half="yes"), "scale_by_half='yes'"),
        (lambda: metrics.hinge_loss(Y3, D1), "shape of pred_decision"),
        (lambda: metrics.hinge_loss(Y3, np.c_[D3, D1]), "include all labels"),
    ):
        with pytest.raises(ValueError, match=match):
            call()
    with pytest.warns(UserWarning, match="sum to one"):
        metrics.brier_score_loss(Y3, P3 * 0.9)
