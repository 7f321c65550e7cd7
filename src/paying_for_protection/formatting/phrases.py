"""Numbers as the chapters print them, so that the same quantity reads the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable


def fmt_number(value: float, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals: 28500 -> '28,500'; 2.562 -> '2.6' (decimals=1)."""
    return f"{value:,.{decimals}f}"


def fmt_pct(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A percentage: 2.562 -> '2.6 %'; with signed=True, 8.3 -> '+8.3 %'."""
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value:,.{decimals}f} %"


def fmt_p(value: float) -> str:
    """A p-value with its relation, for text such as 'p = 0.028' or 'p < 0.001'."""
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """'1 check', '3 checks'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def fmt_krw_billion(value: float, decimals: int = 1) -> str:
    """Won amounts given in billions: 1519.2 -> '1,519.2 billion won'."""
    return f"{value:,.{decimals}f} billion won"


def fmt_krw_trillion(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f} trillion won"


def fmt_usd_million(value: float, decimals: int = 0) -> str:
    return f"${value:,.{decimals}f} million"


def fmt_usd_billion(value: float, decimals: int = 2) -> str:
    return f"${value:,.{decimals}f} billion"


def join_words(items: Iterable[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
