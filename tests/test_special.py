"""The stable sigmoid and softmax against scipy.special, including arguments where exp overflows."""

import numpy as np
import pytest

from tests.helpers import assert_allclose
from xpml.utils._special import log_sigmoid, log_softmax, sigmoid, softmax

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.special")

Z = np.array([-1000.0, -40.0, -1.5, 0.0, 1e-9, 2.0, 40.0, 1000.0])
ZZ = np.array([[0.0, 1.0, 2.0], [1000.0, 0.0, -1000.0], [-800.0, -801.0, -799.0], [5.0, 5.0, 5.0]])


@pytest.mark.parametrize("ours, ref", [(sigmoid, scipy.special.expit), (log_sigmoid, scipy.special.log_expit)])
def test_sigmoid(xp, device, ours, ref):
    assert_allclose(ours(xp.asarray(Z, device=device)), ref(Z), rtol=1e-15)


@pytest.mark.parametrize("ours, ref", [(softmax, scipy.special.softmax), (log_softmax, scipy.special.log_softmax)])
def test_softmax(xp, device, ours, ref):
    assert_allclose(ours(xp.asarray(ZZ, device=device)), ref(ZZ, axis=1), rtol=1e-15, atol=1e-300)
