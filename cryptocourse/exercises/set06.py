"""Exercise set 06 (staking): the checks behind exercises/06_staking.ipynb.

Each exercise carries its checks, the wrong answers learners plausibly write (each proven rejected
by tests/test_exercises.py), a nudge (shown with a failed check) and a hint (shown on request,
``hint("06.K")``, or after repeated failures). The reference answers are the package's own
functions in :mod:`cryptocourse.staking`, so the checks agree with the lesson (and with the
Ethereum consensus specs, to the Gwei).
"""
import math

import numpy as np

from .. import staking
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake, rounded

GWEI = 10**9
_TOTAL = 34_000_000 * GWEI      # 06.4: total active stake (Gwei)
_EFFECTIVE = 32 * GWEI          # 06.4: the validator's effective balance (Gwei)
_SLASHED = 341_000 * GWEI       # 06.4: stake slashed in the window (about 1 %: not a round share, so the
                                #       order of the integer divisions shows in the last Gwei)


def _net_real_yield(apr, commission, inflation):
    """Reference for 06.2: the delegator's APR after commission, then real after inflation."""
    return staking.real_staking_yield(staking.delegator_apr(apr, commission), inflation)


def _lone_electra_slashing_gwei():
    """Reference for 06.4: initial + correlation penalty, 32 ETH, 341,000 of 34M ETH slashed, Electra."""
    return (staking.eth_slashing_initial_penalty(_EFFECTIVE, "electra")
            + staking.eth_slashing_correlation_penalty(_EFFECTIVE, _SLASHED, _TOTAL, "electra"))


# -- plausible wrong answers (each must fail its check) -------------------------------------------
def _base_float_sqrt(total):
    return 10**9 * 64 // int(total ** 0.5)                      # a float square root


def _base_true_division(total):
    return 10**9 * 64 / math.isqrt(total)                       # a float, not whole Gwei


def _base_eth_not_gwei(total):
    return 64 * 10**9 // math.isqrt(total // 10**9)             # square root of the ETH count


def _base_rounded(total):
    return round(64 * 10**9 / math.sqrt(total))                 # rounds to nearest instead of down


def _float_penalty():
    return _EFFECTIVE / 4096 + 3 * _SLASHED / _TOTAL * _EFFECTIVE  # / everywhere: not whole Gwei


def _correlation(multiplier, slashed=_SLASHED):
    adjusted = min(slashed * multiplier, _TOTAL)
    return adjusted // (_TOTAL // GWEI) * (_EFFECTIVE // GWEI)


EXERCISES = [
    FunctionExercise(
        id="06.1", title="Base reward per increment, to the Gwei", points=2,
        name="base_reward_per_increment",
        reference=staking.eth_base_reward_per_increment,
        nudge="The spec works in whole Gwei only: look at how you take the square root and how you "
              "divide. Your answer must be an int.",
        hint="A float square root of a number this large can come out one too high just below a perfect "
             "square: Python's math module has a function that returns the exact whole-number square root. "
             "And which division operator keeps the result a whole number of Gwei?",
        cases=[
            case(1_000_000 * GWEI, note="1M ETH staked: 2023"), case(10_000_000 * GWEI, note="10M ETH: 640"),
            case(32_000_000 * GWEI, note="32M ETH: 357"), case(34_123_456 * GWEI),
            case(120_000_000 * GWEI, note="every ETH staked"), case(32 * GWEI, note="one validator"),
            case(GWEI, note="the smallest total the spec allows"),
            case(999_999_999_999_999_999, note="not a whole number of ETH"),
            case(100_000_001**2, note="a perfect square"),
            case(100_000_001**2 - 1, note="just below it: a float square root rounds up here"),
        ],
        mistakes=[
            mistake("float square root (total ** 0.5)", _base_float_sqrt),
            mistake("/ instead of // (a float, not whole Gwei)", _base_true_division),
            mistake("square root of the stake in ETH, not Gwei", _base_eth_not_gwei),
            mistake("rounded to nearest instead of down", _base_rounded),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="06.2", title="Net real yield after commission and inflation", points=2,
        name="net_real_yield",
        reference=_net_real_yield,
        nudge="Two steps in order: first what the pool leaves you, then what inflation leaves of it. "
              "Compare growth factors (1 + rate), not rates.",
        hint="Work in growth factors over one year: what does 1 staked token become after the pool's "
             "commission, and what does the whole supply become with inflation? Your real yield is how much "
             "your share of the supply grows.",
        cases=[
            case(0.04, 0.10, 0.03), case(0.05, 0.0, 0.0, note="solo, no inflation"),
            case(0.12, 0.10, 0.08, note="Polkadot-like"), case(0.065, 0.07, 0.045, note="Solana-like"),
            case(0.03, 1.0, 0.01, note="100 % commission: you only get diluted"),
            case(0.02, 0.25, 0.05, note="negative real yield"),
            case(np.array([0.03, 0.05, 0.08]), 0.10, 0.02, note="an array of APRs"),
        ],
        mistakes=[
            mistake("net - inflation (subtracted the rates)", lambda a, c, i: a * (1 - c) - i),
            mistake("forgot the commission", lambda a, c, i: (1 + a) / (1 + i) - 1),
            mistake("commission as points (apr - commission)", lambda a, c, i: (1 + a - c) / (1 + i) - 1),
            mistake("forgot the - 1 (a growth factor)", lambda a, c, i: (1 + a * (1 - c)) / (1 + i)),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    ValueExercise(
        id="06.3", title="Expected loss from slashing", points=2, name="expected_loss_tokens",
        expected_value=lambda: staking.expected_slashing_loss(5_000, 0.03, 0.05),
        nudge="An expected loss weighs the loss by how likely it is: which two percentages does it "
              "use, and are they fractions?",
        hint="An expected value weighs each outcome by its chance: how many tokens do you lose if you are "
             "not slashed this year, and how many if you are?",
        mistakes=[
            mistake("the loss if slashed (forgot the probability)", lambda: 5_000 * 0.05),
            mistake("percentages as whole numbers", lambda: 5_000 * 3 * 5),
            mistake("the tokens kept, not lost", lambda: 5_000 - 5_000 * 0.03 * 0.05),
            mistake("probability times stake (forgot the share lost)", lambda: 5_000 * 0.03),
        ],
        # tokens to the hundredth, as the lesson prints token amounts
        compare=rounded(2),
    ),
    ValueExercise(
        id="06.4", title="An Electra slashing, to the Gwei", points=2, name="penalty_gwei",
        expected_value=_lone_electra_slashing_gwei,
        nudge="Two penalties, both in whole Gwei with rounding down at every division: check the "
              "Electra quotient, the multiplier of the slashed stake, the cap, and the order (divide the "
              "capped amount by the total in whole ETH first, then multiply by 32).",
        hint="The traps are in the units and the order: is your total in Gwei or in whole ETH when you "
             "divide? Do you divide before you multiply, as the spec does? Is every step a floor division?",
        mistakes=[
            mistake("initial penalty with the Bellatrix quotient (32)", lambda: _EFFECTIVE // 32 + _correlation(3)),
            mistake("forgot the correlation penalty", lambda: _EFFECTIVE // 4096),
            mistake("multiplier 1 instead of 3", lambda: _EFFECTIVE // 4096 + _correlation(1)),
            mistake("float arithmetic (/), not whole Gwei", lambda: _float_penalty()),
            mistake("float arithmetic, then int()", lambda: int(_float_penalty())),
            mistake("one division: effective x adjusted // total (skips the per-ETH step)",
                    lambda: _EFFECTIVE // 4096 + _EFFECTIVE * min(3 * _SLASHED, _TOTAL) // _TOTAL),
            mistake("Bellatrix's order: whole ETH x adjusted // total, in whole ETH",
                    lambda: _EFFECTIVE // 4096 + (_EFFECTIVE // GWEI) * min(3 * _SLASHED, _TOTAL) // _TOTAL * GWEI),
            mistake("in ETH, not Gwei", lambda: (_EFFECTIVE // 4096 + _correlation(3)) // GWEI),
        ],
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
