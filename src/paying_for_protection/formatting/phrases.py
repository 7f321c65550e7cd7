"""Numbers as whole phrases, so that a chapter never writes an operator, a sign or a unit itself.

A chapter glues what these functions return and writes only the words around it: "the payment
{glue:text}`sma_change`" with ``sma_change = change(8.3, percent)`` reads "the payment rose by
8.3 %"; "wild bootstrap {glue:text}`wales_p_boot`" with ``wales_p_boot = p_value(0.067)`` reads "wild
bootstrap p = 0.067". A formatter that returns a whole phrase cannot be garbled by the sentence
around it ("p = = 0.080", "fell by -2.00"), and the same quantity reads the same way everywhere.

House rules the functions apply:

* thousands separators; a no-break space between a number and its unit or percent sign;
* a true minus sign (U+2212) where a signed number is wanted, an en dash in ranges (1990–2024);
* counts from zero to ten in words, larger ones in figures, one style for both numbers of a
  "k of n" phrase ("seven of the ten years", "3 of the 33 allies");
* p-values to three decimals, "p < 0.001" below that.

Every function returns a :class:`Phrase`: a ``str`` that also remembers the number it prints and
its unit, which the glue helper records in ``numbers.json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

#: Between a number and its unit: a no-break space, so "2.6 %" never breaks across lines.
NBSP = "\u00a0"
MINUS = "\u2212"
EN_DASH = "\u2013"

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_ORDINAL_WORDS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
]


class Phrase(str):
    """Text the book prints, remembering the number behind it (``value``) and its ``unit``."""

    value: float | None
    unit: str | None

    def __new__(cls, text: str, value: float | None = None, unit: str | None = None) -> Phrase:
        phrase = super().__new__(cls, text)
        phrase.value = None if value is None else float(value)
        phrase.unit = unit
        return phrase


def _check(value: float, what: str) -> float:
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        # A missing value must never print as "nan": the chapter asked for a number that is not there.
        raise ValueError(f"cannot format {what}: the value is {value!r}")
    return value


def _digits(value: float, decimals: int, signed: bool = False) -> str:
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # never print "-0.0"
        return text
    if value < 0:
        return MINUS + text
    return ("+" + text) if signed else text


# --- plain quantities -------------------------------------------------------------------------------


def number(value: float, decimals: int = 0, unit: str | None = None) -> Phrase:
    """28500 -> '28,500'; -0.4215 -> '−0.42' (decimals=2)."""
    value = _check(value, "a number")
    return Phrase(_digits(value, decimals), value, unit)


def signed(value: float, decimals: int = 2, unit: str | None = None) -> Phrase:
    """A number whose sign is the point, e.g. a coefficient in a table: 0.33 -> '+0.33'."""
    value = _check(value, "a signed number")
    return Phrase(_digits(value, decimals, signed=True), value, unit)


def percent(value: float, decimals: int = 1) -> Phrase:
    """2.562 -> '2.6 %'."""
    value = _check(value, "a percentage")
    return Phrase(f"{_digits(value, decimals)}{NBSP}%", value, "percent")


def signed_percent(value: float, decimals: int = 1) -> Phrase:
    """For tables of changes: 8.3 -> '+8.3 %', -16.5 -> '−16.5 %'."""
    value = _check(value, "a percentage")
    return Phrase(f"{_digits(value, decimals, signed=True)}{NBSP}%", value, "percent")


def points(value: float, decimals: int = 2, unit: str = "percentage points") -> Phrase:
    """A difference of percentages: 0.42 -> '0.42 percentage points' ('1 percentage point')."""
    value = _check(value, "a difference in points")
    text = _digits(value, decimals)
    singular = unit.removesuffix("s") if unit.endswith("points") else unit
    return Phrase(f"{text} {singular if text in ('1', MINUS + '1') else unit}", value, unit)


def multiple(ratio: float, decimals: int = 1) -> Phrase:
    """4.62 -> '4.6 times'."""
    ratio = _check(ratio, "a multiple")
    return Phrase(f"{_digits(ratio, decimals)} times", ratio, "ratio")


def krw_billion(value: float, decimals: int = 1) -> Phrase:
    """1519.2 -> '1,519.2 billion won'."""
    value = _check(value, "an amount in won")
    return Phrase(f"{_digits(value, decimals)} billion won", value, "KRW billion")


def krw_trillion(value: float, decimals: int = 2) -> Phrase:
    """61.2469 -> '61.25 trillion won'."""
    value = _check(value, "an amount in won")
    return Phrase(f"{_digits(value, decimals)} trillion won", value, "KRW trillion")


def krw(value: float, decimals: int = 0) -> Phrase:
    """An amount in won itself, e.g. a monthly wage: 405700 -> '405,700 won'."""
    value = _check(value, "an amount in won")
    return Phrase(f"{_digits(value, decimals)} won", value, "KRW")


def krw_per_usd(value: float, decimals: int = 2) -> Phrase:
    """An exchange rate: 1421.97 -> '1,421.97 won to the dollar'."""
    value = _check(value, "an exchange rate")
    if value <= 0:
        raise ValueError(f"{value} is not an exchange rate")
    return Phrase(f"{_digits(value, decimals)} won to the dollar", value, "KRW per USD")


def usd(value: float, decimals: int = 0) -> Phrase:
    """Dollars themselves, e.g. spending per person: 919.47 -> '$919'."""
    value = _check(value, "an amount in dollars")
    sign = MINUS if value < 0 and float(f"{abs(value):.{decimals}f}") != 0 else ""
    return Phrase(f"{sign}${abs(value):,.{decimals}f}", value, "USD")


def usd_million(value: float, decimals: int = 0) -> Phrase:
    """150 -> '$150 million'."""
    value = _check(value, "an amount in dollars")
    sign = MINUS if value < 0 and float(f"{abs(value):.{decimals}f}") != 0 else ""
    return Phrase(f"{sign}${abs(value):,.{decimals}f} million", value, "USD million")


def usd_billion(value: float, decimals: int = 2) -> Phrase:
    """1.1316 -> '$1.13 billion'."""
    value = _check(value, "an amount in dollars")
    sign = MINUS if value < 0 and float(f"{abs(value):.{decimals}f}") != 0 else ""
    return Phrase(f"{sign}${abs(value):,.{decimals}f} billion", value, "USD billion")


def year(value: float) -> Phrase:
    """2024.0 -> '2024' (no thousands separator)."""
    value = _check(value, "a year")
    if value != int(value):
        raise ValueError(f"{value} is not a whole year")
    return Phrase(str(int(value)), value, "year")


# --- changes and tests --------------------------------------------------------------------------------


def change(
    value: float,
    magnitude: Callable[[float], str] = percent,
    *,
    up: str = "rose by",
    down: str = "fell by",
    flat: str = "was unchanged",
) -> Phrase:
    """A change as a verb and a magnitude: change(8.3) -> 'rose by 8.3 %'; change(-2, ...) -> 'fell by 2 ...'.

    The sign is carried by the verb, never by the number; a change that rounds to zero is 'unchanged'.
    """
    value = _check(value, "a change")
    shown = magnitude(abs(value))
    digits = "".join(ch for ch in shown if ch.isdigit())
    if not digits.strip("0"):
        return Phrase(flat, value, getattr(shown, "unit", None))
    return Phrase(f"{up if value > 0 else down} {shown}", value, getattr(shown, "unit", None))


def p_value(p: float, decimals: int = 3) -> Phrase:
    """0.0801 -> 'p = 0.080'; 0.0004 -> 'p < 0.001'."""
    p = _check(p, "a p-value")
    if not 0 <= p <= 1:
        raise ValueError(f"{p} is not a probability")
    floor = 10**-decimals
    text = f"p < {floor:.{decimals}f}" if p < floor else f"p = {p:.{decimals}f}"
    return Phrase(text, p, "probability")


def f_test(statistic: float, df_num: int, df_denom: int, p: float) -> Phrase:
    """A joint test as one phrase: (2.654, 8, 33, 0.0229) -> 'F(8, 33) = 2.65, p = 0.023'."""
    statistic = _check(statistic, "an F statistic")
    return Phrase(f"F({int(df_num)}, {int(df_denom)}) = {_digits(statistic, 2)}, {p_value(p)}", p, "probability")


# --- counts, ranks and lists ---------------------------------------------------------------------------


def count_word(n: int) -> str:
    """0..10 in words, larger counts in figures: 7 -> 'seven', 33 -> '33'."""
    n = int(n)
    return _WORDS[n] if 0 <= n <= 10 else f"{n:,}"


def count(n: int, singular: str, plural: str | None = None) -> Phrase:
    """count(1, 'check') -> 'one check'; count(3, 'check') -> 'three checks'; count(0, ...) -> 'no checks'."""
    n = int(n)
    noun = singular if n == 1 else (plural or singular + "s")
    return Phrase("no " + noun if n == 0 else f"{count_word(n)} {noun}", n, "count")


def count_of(k: int, n: int, noun: str, plural: str | None = None) -> Phrase:
    """A part of a whole: (0, 8, 'interval') -> 'none of the eight intervals'; (8, 8) -> 'all eight intervals';
    (7, 10, 'year') -> 'seven of the ten years'; (3, 27, 'member') -> '3 of the 27 members';
    (1, 1) -> 'the only interval'.
    """
    k, n = int(k), int(n)
    if not 0 <= k <= n:
        raise ValueError(f"{k} of {n} is not a part of a whole")
    nouns = noun if n == 1 else (plural or noun + "s")
    if n == 1:
        return Phrase(f"the only {noun}" if k == 1 else f"not the only {noun}", k, "count")
    if k == 0:
        text = f"none of the {count_word(n)} {nouns}"
    elif k == n:
        text = f"all {count_word(n)} {nouns}" if n > 2 else f"both {nouns}"
    elif n > 10:
        # One style within one count: "3 of the 27 members", not "three of the 27 members".
        text = f"{k:,} of the {n:,} {nouns}"
    else:
        text = f"{count_word(k)} of the {count_word(n)} {nouns}"
    return Phrase(text, k, "count")


def ordinal(n: int) -> Phrase:
    """1 -> 'first', 5 -> 'fifth', 11 -> '11th', 22 -> '22nd'."""
    n = int(n)
    if 0 < n <= 10:
        return Phrase(_ORDINAL_WORDS[n], n, "rank")
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return Phrase(f"{n}{suffix}", n, "rank")


#: Country names that take the definite article in running text.
_WITH_ARTICLE = {"United States", "United Kingdom", "Netherlands", "Philippines", "Czech Republic"}


def country(name: str) -> Phrase:
    """A country's name as it reads in a sentence: 'United Kingdom' -> 'the United Kingdom'."""
    return Phrase(f"the {name}" if name in _WITH_ARTICLE else name)


def join_words(items: Iterable[str], conjunction: str = "and") -> Phrase:
    """['a', 'b', 'c'] -> 'a, b and c'. An empty list is an error, not an empty string."""
    items = [str(item) for item in items]
    if not items:
        raise ValueError("nothing to list: a sentence that lists items needs at least one")
    if len(items) == 1:
        return Phrase(items[0])
    return Phrase(", ".join(items[:-1]) + f" {conjunction} " + items[-1])


def qualified(phrase: Phrase, qualifier: str | None) -> Phrase:
    """A value with what the data say about it: (2.54 %, 'provisional') -> '2.54 % (provisional)'.

    With no qualifier the phrase is returned as it is, so a chapter can pass the data's status
    through without an if in the sentence."""
    if not qualifier:
        return phrase
    return Phrase(f"{phrase} ({qualifier})", getattr(phrase, "value", None), getattr(phrase, "unit", None))


def more_and_less(
    more: Sequence[str], less: Sequence[str], *, above: str = "more than", below: str = "less than"
) -> Phrase:
    """A comparison generated from the data: (['Japan', 'France'], ['Poland']) ->
    'more than Japan and France, and less than Poland'; either list may be empty, not both."""
    more, less = [str(m) for m in more], [str(x) for x in less]
    if not more and not less:
        raise ValueError("nothing to compare with")
    parts = []
    if more:
        parts.append(f"{above} {join_words(more)}")
    if less:
        parts.append(f"{below} {join_words(less)}")
    return Phrase(", and ".join(parts) if len(more) > 1 else " and ".join(parts))


def span(low: float, high: float, magnitude: Callable[[float], str]) -> Phrase:
    """A range in one unit, the unit written once: span(2.17, 3.63, multiple) -> '2.2–3.6 times';
    span(40, 45, lambda v: percent(v, 0)) -> '40–45 %'; span(1.1, 3.3, usd_billion) -> '$1.10–$3.30 billion'.

    The unit is whatever follows the last digit of each formatted end; the ends must share it.
    """
    low_text, high_text = magnitude(_check(low, "a range")), magnitude(_check(high, "a range"))
    parts = []
    for text in (low_text, high_text):
        last_digit = max(i for i, ch in enumerate(text) if ch.isdigit())
        parts.append((text[: last_digit + 1], text[last_digit + 1 :]))
    (low_number, low_unit), (high_number, high_unit) = parts
    if low_unit != high_unit:
        raise ValueError(f"the ends of a range have different units: {low_text!r} and {high_text!r}")
    unit = getattr(low_text, "unit", None)
    return Phrase(f"{low_number}{EN_DASH}{high_number}{low_unit}", None, unit)


def year_span(first: int, last: int) -> Phrase:
    """(1990, 2024) -> '1990–2024'; (2024, 2024) -> '2024'."""
    first, last = int(first), int(last)
    return Phrase(str(first) if first == last else f"{first}{EN_DASH}{last}")


def years(values: Sequence[int]) -> Phrase:
    """A list of years, consecutive runs joined: [1998, 1999, 2022] -> '1998–1999 and 2022'."""
    values = sorted({int(v) for v in values})
    if not values:
        raise ValueError("no years to list")
    runs: list[list[int]] = [[values[0], values[0]]]
    for value in values[1:]:
        if value == runs[-1][1] + 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return join_words(year_span(a, b) for a, b in runs)
