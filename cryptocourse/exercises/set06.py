"""Exercise set 06 (staking): the checks behind exercises/06_staking.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.staking`, so the
checks agree with the lesson (and with the Ethereum consensus specs, to the Gwei).
"""
import numpy as np

from .. import staking
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact

GWEI = 10**9


def _net_real_yield(apr, commission, inflation):
    """Reference for 06.2: the delegator's APR after commission, then real after inflation."""
    return staking.real_staking_yield(staking.delegator_apr(apr, commission), inflation)


def _lone_electra_slashing_gwei():
    """Reference for 06.4: initial + correlation penalty, 32 ETH, 1 % of 34M ETH slashed, Electra."""
    total = 34_000_000 * GWEI
    return (staking.eth_slashing_initial_penalty(32 * GWEI, "electra")
            + staking.eth_slashing_correlation_penalty(32 * GWEI, total // 100, total, "electra"))


EXERCISES = [
    FunctionExercise(
        id="06.1", title="Base reward per increment, to the Gwei", points=2,
        name="base_reward_per_increment",
        reference=staking.eth_base_reward_per_increment,
        hint="Integer math only: 10**9 * 64 // math.isqrt(total_active_balance_gwei). A float square "
             "root (x ** 0.5) can be off by one for large totals, and / gives a float.",
        cases=[
            case(1_000_000 * GWEI, note="1M ETH staked: 2023"), case(10_000_000 * GWEI, note="10M ETH: 640"),
            case(32_000_000 * GWEI, note="32M ETH: 357"), case(34_123_456 * GWEI),
            case(120_000_000 * GWEI, note="every ETH staked"), case(32 * GWEI, note="one validator"),
            case(GWEI, note="the smallest total the spec allows"),
            case(999_999_999_999_999_999, note="not a whole number of ETH"),
            case(100_000_001**2, note="a perfect square"),
            case(100_000_001**2 - 1, note="just below it: a float square root rounds up here"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="06.2", title="Net real yield after commission and inflation", points=2,
        name="net_real_yield",
        reference=_net_real_yield,
        hint="First the pool's cut: apr * (1 - commission). Then the dilution: "
             "(1 + net) / (1 + inflation) - 1 (not net - inflation).",
        cases=[
            case(0.04, 0.10, 0.03), case(0.05, 0.0, 0.0, note="solo, no inflation"),
            case(0.12, 0.10, 0.08, note="Polkadot-like"), case(0.065, 0.07, 0.045, note="Solana-like"),
            case(0.03, 1.0, 0.01, note="100 % commission: you only get diluted"),
            case(0.02, 0.25, 0.05, note="negative real yield"),
            case(np.array([0.03, 0.05, 0.08]), 0.10, 0.02, note="an array of APRs"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    ValueExercise(
        id="06.3", title="Expected loss from slashing", points=2, name="expected_loss_tokens",
        expected_value=lambda: staking.expected_slashing_loss(5_000, 0.03, 0.05),
        hint="Probability times size: tokens staked x chance of a slashing x share of the stake it takes.",
        compare=close(rel=1e-6),
    ),
    ValueExercise(
        id="06.4", title="An Electra slashing, to the Gwei", points=2, name="penalty_gwei",
        expected_value=_lone_electra_slashing_gwei,
        hint="Initial: 32 * 10**9 // 4096. Correlation (Electra): adjusted = min(3 * slashed, total); "
             "adjusted // (total // 10**9) per ETH, times 32. Use // everywhere: the answer is an int.",
        compare=exact(),
    ),
    FreeTextExercise(
        id="06.5", title="Why the APR falls as more is staked", points=2,
        rubric="Full marks: says the protocol's total issuance grows only like the square root of the total "
               "stake (base reward per ETH ~ 1/sqrt(N)), so more stakers share a pot that grows more slowly "
               "than they do; a bonus for the reason (pay for security when it is scarce, limit issuance "
               "when it is plentiful).",
    ),
]
