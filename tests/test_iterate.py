"""Steps checked every few iterations (xpml.utils._iterate) against a loop that checks every step."""

import pytest

from xpml import to_numpy
from xpml.utils._iterate import checked_steps


def plain_loop(max_steps, fix_at, tol):
    """The oracle on the host: x ← x/2 + 1, checked after each step, with a correction at step `fix_at`."""
    x, seen = 0.0, []
    for i in range(max_steps):
        new = x / 2 + 1
        if i == fix_at:
            new += 10
        seen.append((i, x, new))
        if abs(new - x) <= tol:
            return new, i + 1, True, seen
        x = new
    return x, max_steps, False, seen


@pytest.mark.parametrize("check_every", [4, 50])
@pytest.mark.parametrize("max_steps, fix_at, tol", [(40, 5, 1e-3), (40, 100, 1e-3), (9, 2, 0.0), (12, 11, 0.0)])
def test_checked_steps_decide_as_if_checking_every_step(xp, device, check_every, max_steps, fix_at, tol):
    seen = []

    def step(x):
        new = x / 2 + 1  # ()
        return new, (xp.abs(new - x), new > 100)  # a floating and a bool flag, read once per check

    def check(i, before, after, flags):
        moved, huge = flags
        assert huge == 0.0
        if i == fix_at:  # redo this step differently: the steps computed after it must be dropped
            after = after + 10
            moved = float(xp.abs(after - before))
        seen.append((i, float(before), float(after)))
        return after, moved <= tol

    x0 = xp.asarray(0.0, dtype=xp.float64, device=device)
    x, n, stopped = checked_steps(step, x0, check, max_steps=max_steps, check_every=check_every, xp=xp)
    expected_x, expected_n, expected_stopped, expected_seen = plain_loop(max_steps, fix_at, tol)
    assert (float(to_numpy(x)), n, stopped) == (expected_x, expected_n, expected_stopped)
    assert seen == expected_seen
