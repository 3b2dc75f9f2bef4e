"""cryptocourse: the helper package behind the course "Who owns the models?".

One module per topic (``finance``, ``ledger``, ``amm`` ...). Importing the package
is fast: topic modules load when first used, so ``cryptocourse.amm`` or
``from cryptocourse import amm`` both work without paying for matplotlib or the EVM
up front.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

def _discover() -> set[str]:
    """Every public module and sub-package next to this file: a new topic module needs no list."""
    import pkgutil

    return {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")} - {"cli"}


_SUBMODULES = _discover()

__all__ = sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'cryptocourse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES)
