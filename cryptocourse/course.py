"""The course manifest: the one place that states the course order.

The README's course map, the start page (notebook 00), the exercise tools and the
tests all read :data:`LESSONS`. Adding a notebook means adding one ``Lesson`` here
(and regenerating the README map with ``python -m cryptocourse.course --write-readme``).

>>> [lesson.number for lesson in LESSONS][:3]
[0, 1, 2]
>>> lesson("07").slug
'amms'
"""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

#: The repository root when the package is used from a clone (editable install).
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course, with its exercise set."""

    number: int
    slug: str
    title: str
    minutes: int
    part: str
    learns: str
    has_exercises: bool = True
    #: Minutes the stated learner (basic Python, no finance) needs for the exercise set.
    exercise_minutes: int = 0
    #: A letter for a lesson placed between two numbers (``"b"`` makes lesson ``"09b"``).
    suffix: str = ""

    @property
    def code(self) -> str:
        """Two-digit number as used in file names and exercise ids, e.g. ``"07"``."""
        return f"{self.number:02d}{self.suffix}"

    @property
    def stem(self) -> str:
        return f"{self.code}_{self.slug}"

    @property
    def notebook(self) -> str:
        """Path of the lesson, relative to the repository root."""
        return f"notebooks/{self.stem}.ipynb"

    @property
    def exercise(self) -> str | None:
        """Path of the learner's exercise copy (generated), or None."""
        return f"exercises/{self.stem}.ipynb" if self.has_exercises else None

    @property
    def solution(self) -> str | None:
        """Path of the solution notebook (the source of the learner's copy), or None."""
        return f"exercises/solutions/{self.stem}.ipynb" if self.has_exercises else None


LESSONS: tuple[Lesson, ...] = (
    Lesson(0, "start_here", "Start here", 15, "Start",
           "navigate the course, use widgets, run self-checks, find solutions, check your set-up",
           has_exercises=False),
    Lesson(1, "money_math", "Money math for crypto cash flow", 55, "Start",
           "convert APR and APY, separate nominal from real yield, find a break-even position size, "
           "simple vs log returns and volatility",
           exercise_minutes=50),
    Lesson(2, "ledgers_and_provenance", "Ledgers and provenance", 70, "Part I",
           "why a hash-chained ledger is tamper-evident; a model's life on a ledger; Merkle proofs of "
           "data contributions; a model's versions on an EVM contract",
           exercise_minutes=65),
    Lesson(3, "smart_contracts_for_models", "Smart contracts for models", 75, "Part I",
           "a model-licence contract: pay-per-use fees split among owners, usage rules enforced by "
           "reverts, a slashable provider bond with a notice period and a dispute path, events as the "
           "audit trail, gas",
           exercise_minutes=75),
    Lesson(4, "dao_governance", "DAO governance", 95, "Part I",
           "one-person-one-vote, token, quadratic (one issue and several) and conviction voting; delegation; "
           "turnout and quorum; a proposal's life on a Governor, and votes borrowed before the snapshot; "
           "capture (Gini, Nakamoto); sybils; quadratic funding",
           exercise_minutes=60),
    Lesson(5, "who_owns_the_model", "Who owns the model?", 90, "Part I",
           "federated averaging and who it serves (per-group accuracy), Shapley values, leave-one-out and "
           "the core, ownership shares and revenue, poisoning and robust aggregation, accountability",
           exercise_minutes=80),
    Lesson(6, "staking", "Staking", 80, "Part II",
           "Ethereum's issuance curve, compounding, pools and commission, lock-up, slashing, real yield "
           "after inflation, a Monte Carlo with its standard errors",
           exercise_minutes=50),
    Lesson(7, "amms", "Automated market makers", 95, "Part II",
           "Uniswap V2 swaps to the wei, price impact, LP shares, arbitrage, StableSwap and who holds a "
           "depegged coin, concentrated liquidity and V3 ticks with token decimals",
           exercise_minutes=60),
    Lesson(8, "yield_farming_and_impermanent_loss", "Yield farming and impermanent loss", 65, "Part II",
           "impermanent loss (full range and concentrated), fee and incentive APR, dilution, LP vs HODL "
           "over many price paths, how often losses are large, standard errors",
           exercise_minutes=55),
    Lesson(9, "lending_and_borrowing", "Lending and borrowing", 80, "Part II",
           "utilisation rate curves (Aave, Compound), supply vs borrow APY, health factor, liquidation under "
           "Aave's rule before and since v3.3, stablecoin lending's risks and what spreading over protocols does",
           exercise_minutes=50),
    Lesson(9, "stablecoins_and_maker_vaults", "Stablecoins and MakerDAO vaults", 75, "Part II",
           "how a peg holds (USDC, DAI, the PSM), a MakerDAO vault to the last unit: stability fee in ray "
           "arithmetic, DSR, Liquidation 2.0's Dutch auction; the USDC depeg of March 2023",
           exercise_minutes=60, suffix="b"),
    Lesson(10, "leveraged_yield_farming", "Leveraged yield farming", 90, "Part II",
           "the 2x example, looping and its health factor, net APY, liquidation price, amplified IL, ETH "
           "collateral farming a stable pool, Monte-Carlo liquidation probability with its uncertainty",
           exercise_minutes=60),
    Lesson(11, "arbitrage", "Arbitrage", 100, "Part II",
           "two exchanges with every fee, capital and transfer risk; the profit-maximising trade (to the wei), "
           "fees and gas; a flash-loan arbitrage on the EVM; competing bots; LVR versus impermanent loss",
           exercise_minutes=90),
    Lesson(12, "governance_tokens", "Governance tokens", 60, "Part II",
           "fee switch, buyback vs dividend, discounted cash flow with dilution, vote-escrow (and the bribe "
           "markets and liquid lockers around it), borrowed-vote attacks and defences",
           exercise_minutes=55),
    Lesson(13, "dollar_cost_averaging", "Dollar-cost averaging", 65, "Part II",
           "DCA vs lump sum over many seeded paths, the harmonic-mean average cost, DCA against a static mix "
           "of the same average exposure, reinvesting cash flow",
           exercise_minutes=60),
    Lesson(14, "risk_management", "Risk management (capstone)", 120, "Part II",
           "the risk catalogue, a Monte-Carlo portfolio of the course's strategies (and a Part I model "
           "share) with shared crashes and exploits, VaR and CVaR, diversification, stop-loss and hedging; "
           "build and stress-test your own portfolio; where to go next",
           exercise_minutes=65),
)


def lesson(code: str | int) -> Lesson:
    """Find a lesson by number (``7``), code (``"07"``) or slug (``"amms"``).

    >>> lesson(1).title
    'Money math for crypto cash flow'
    """
    for item in LESSONS:
        if code in (item.code, item.slug, item.stem) or (code == item.number and not item.suffix):
            return item
    known = ", ".join(item.code for item in LESSONS)
    raise ValueError(f"lesson must be one of {known} (got {code!r})")


def next_lesson(current: Lesson) -> Lesson | None:
    """The lesson after ``current`` in course order, or None after the last.

    >>> next_lesson(lesson("01")).code
    '02'
    """
    index = LESSONS.index(current)
    return LESSONS[index + 1] if index + 1 < len(LESSONS) else None


def course_map_markdown(link_prefix: str = "") -> str:
    """The course map as a Markdown table (README and the start page show it).

    ``link_prefix`` is prepended to paths, e.g. ``"../"`` from inside ``notebooks/``.
    """
    rows = [
        "| # | notebook | you will be able to | lesson | exercises |",
        "|---|---|---|---|---|",
    ]
    for item in LESSONS:
        nb = f"[{item.title}]({link_prefix}{item.notebook})"
        ex = (f"[set {item.code}]({link_prefix}{item.exercise}), {item.exercise_minutes} min"
              if item.has_exercises else "-")
        rows.append(f"| {item.code} | {nb} | {item.learns} | {item.minutes} min | {ex} |")
    total = sum(item.minutes for item in LESSONS)
    total_ex = sum(item.exercise_minutes for item in LESSONS)
    rows.append(f"\nTotal: about {total // 60} h {total % 60:02d} min of lessons and "
                f"{total_ex // 60} h {total_ex % 60:02d} min of exercises, times for a learner who knows "
                "basic Python and no finance.")
    return "\n".join(rows)


def show_course_map() -> None:
    """Display the course map with working links (used by notebook 00)."""
    from IPython.display import Markdown, display

    display(Markdown(course_map_markdown(link_prefix="../")))


MAP_START = "<!-- course-map:start (generated by `python -m cryptocourse.course --write-readme`) -->"
MAP_END = "<!-- course-map:end -->"


def readme_with_map(readme_text: str) -> str:
    """Return the README text with its course-map block regenerated from the manifest."""
    pattern = re.compile(re.escape(MAP_START) + r".*?" + re.escape(MAP_END), re.S)
    if not pattern.search(readme_text):
        raise ValueError("README.md has no course-map block: add the MAP_START/MAP_END markers")
    block = f"{MAP_START}\n{course_map_markdown()}\n{MAP_END}"
    return pattern.sub(lambda _: block, readme_text)


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the course map, or rewrite README.md's map.")
    parser.add_argument("--write-readme", action="store_true", help="regenerate the map in README.md")
    args = parser.parse_args(argv)
    if args.write_readme:
        path = REPO_ROOT / "README.md"
        path.write_text(readme_with_map(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated the course map in {path}")
    else:
        print(course_map_markdown())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
