"""Loops of tiny operations on numpy views (`xpml.utils._host_loop`), against the same loop on the backend.

Where a library has the capability "host_loops" (torch on a CPU), SGD's per-sample steps run on numpy
views of its arrays. Both branches apply the same IEEE operations to the same numbers, so a fit must be
the same whichever runs it (to rounding: a dot product of a few terms may sum them in another order).
"""

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml._backend import capability
from xpml.datasets import load_iris
from xpml.linear_model import SGDClassifier
from xpml.linear_model import _sgd_solver
from xpml.utils._host_loop import loop_backend, moved

X, Y = load_iris(return_X_y=True)
X = (X - X.mean(axis=0)) / X.std(axis=0)


def test_loop_backend_is_numpy_only_where_the_library_says_so(backend):
    loop = loop_backend(backend)
    assert loop.name == ("numpy" if capability(backend, "host_loops") else backend.name)
    a = backend.xp.asarray([1.0, 2.0], device=backend.device)
    there, none, number = moved(loop, a, None, 0.5)
    assert none is None and number == 0.5
    np.testing.assert_array_equal(to_numpy(there), [1.0, 2.0])


def test_sgd_is_the_same_on_numpy_views(backend, monkeypatch):
    if not capability(backend, "host_loops"):
        pytest.skip("the backend runs its own loop: nothing to compare")
    params = dict(loss="log_loss", penalty="elasticnet", average=5, early_stopping=True, n_iter_no_change=1,
                  random_state=0, backend=backend)
    hosted = SGDClassifier(**params).fit(X[::3], Y[::3])
    monkeypatch.setattr(_sgd_solver, "loop_backend", lambda b: b)  # the loop on the backend's own arrays
    own = SGDClassifier(**params).fit(X[::3], Y[::3])
    assert_on_backend(hosted.coef_, backend)
    assert hosted.n_iter_ == own.n_iter_ and hosted.t_ == own.t_
    assert_allclose(hosted.coef_, own.coef_, rtol=1e-12, atol=1e-12)
    assert_allclose(hosted.intercept_, own.intercept_, rtol=1e-12, atol=1e-12)
