"""Interactive dashboards: thin ipywidgets views over the pure functions of each topic module.

Each topic has its own module here (``finance``, ``amm`` ...); the pattern is in ``_base``.
Import what a notebook needs, e.g. ``from cryptocourse.dashboards.finance import MoneyMathDashboard``.
"""
