"""Fair shares: feasible, within each cap, and max-min fair."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hanport.ev.sharing import Claim, share

D = Decimal
TOLERANCE = D("1e-6")
PHASE_SETS = [(1, 2, 3), (1,), (2,), (3,), (2, 3, 1)]

claims_strategy = st.lists(
    st.tuples(st.sampled_from(PHASE_SETS), st.integers(0, 32)), min_size=1, max_size=5
)


@settings(max_examples=300, deadline=None)
@given(
    requests=claims_strategy,
    rooms=st.lists(st.decimals(-5, 40, places=1), min_size=3, max_size=3),
    power=st.one_of(st.none(), st.integers(-2000, 30000)),
)
def test_shares_are_feasible_capped_and_max_min_fair(
    requests: list[tuple[tuple[int, ...], int]], rooms: list[Decimal], power: int | None
) -> None:
    claims = [Claim(str(i), phases, D(cap)) for i, (phases, cap) in enumerate(requests)]
    room = {p + 1: r for p, r in enumerate(rooms)}
    power_w = None if power is None else D(power)
    got = share(claims, room, power_w)
    for claim in claims:
        assert D(0) <= got[claim.key].current_a <= claim.cap_a + TOLERANCE
    for phase, limit in room.items():
        used = sum(got[c.key].current_a for c in claims if phase in c.phases)
        assert used <= max(limit, D(0)) + TOLERANCE or all(
            got[c.key].current_a == 0 for c in claims if phase in c.phases
        )
    if power_w is not None:
        watts = sum(got[c.key].current_a * len(c.phases) * 230 for c in claims)
        assert watts <= max(power_w, D(0)) + TOLERANCE
    for claim in claims:  # below its cap, a claim is stopped by a limit that is used up ...
        mine = got[claim.key]
        if mine.current_a >= claim.cap_a - TOLERANCE:
            continue
        assert mine.bound in ("phase", "power")
        if mine.bound == "phase":  # ... where no one on that phase has more than it
            assert mine.phase is not None
            others = [got[c.key].current_a for c in claims if mine.phase in c.phases]
            assert max(others) <= mine.current_a + TOLERANCE


def test_a_charger_on_a_busy_phase_leaves_the_rest_to_the_other() -> None:
    got = share(
        [Claim("a", (1, 2, 3), D(16)), Claim("b", (2,), D(32))], {1: D(20), 2: D(20), 3: D(5)}
    )
    assert (got["a"].current_a, got["a"].bound, got["a"].phase) == (D(5), "phase", 3)
    assert (got["b"].current_a, got["b"].bound, got["b"].phase) == (D(15), "phase", 2)


def test_a_power_budget_is_shared_in_amperes_per_phase() -> None:
    got = share(
        [Claim("a", (1, 2, 3), D(16)), Claim("b", (1,), D(32))],
        {1: D(20), 2: D(20), 3: D(20)},
        D(6900),
    )
    assert got["a"].current_a == got["b"].current_a == D("7.5")  # 920 W per ampere in all
    assert got["a"].bound == got["b"].bound == "power"
