"""Whole-phrase formatters, the glue helper and claim guards: what a chapter's sentences are made of."""

from __future__ import annotations

import math

import pytest

from paying_for_protection.formatting import glue as glue_module
from paying_for_protection.formatting import phrases as ph
from paying_for_protection.formatting.guards import UnsupportedClaim, require

NBSP, MINUS = ph.NBSP, ph.MINUS


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        (ph.number(28500), "28,500"),
        (ph.number(-0.4215, 2), f"{MINUS}0.42"),
        (ph.number(-0.001, 2), "0.00"),  # never "-0.00"
        (ph.signed(0.334), "+0.33"),
        (ph.signed(-0.334), f"{MINUS}0.33"),
        (ph.percent(2.562), f"2.6{NBSP}%"),
        (ph.signed_percent(-16.5), f"{MINUS}16.5{NBSP}%"),
        (ph.points(0.42), "0.42 percentage points"),
        (ph.points(1, 0), "1 percentage point"),
        (ph.multiple(4.62), "4.6 times"),
        (ph.krw_billion(1519.2), "1,519.2 billion won"),
        (ph.krw_trillion(61.2469), "61.25 trillion won"),
        (ph.usd_million(150), "$150 million"),
        (ph.usd_billion(1.1316), "$1.13 billion"),
        (ph.usd_billion(-2.5, 1), f"{MINUS}$2.5 billion"),
        (ph.year(2024.0), "2024"),
    ],
)
def test_quantities_read_the_house_way(phrase, expected):
    assert phrase == expected


def test_a_phrase_remembers_its_number_and_unit():
    phrase = ph.usd_million(150.4)
    assert (phrase.value, phrase.unit) == (150.4, "USD million")
    assert isinstance(phrase, str) and phrase.upper() == "$150 MILLION"


@pytest.mark.parametrize("bad", [math.nan, math.inf, float("-inf")])
def test_a_missing_value_is_an_error_not_nan_in_the_text(bad):
    for formatter in (ph.number, ph.percent, ph.usd_billion, ph.krw_billion, ph.multiple):
        with pytest.raises(ValueError, match="cannot format"):
            formatter(bad)


def test_a_change_carries_its_sign_in_the_verb():
    assert ph.change(8.3) == f"rose by 8.3{NBSP}%"
    assert ph.change(-2.0, lambda v: ph.number(v, 2) + " log points") == "fell by 2.00 log points"
    assert ph.change(0.01) == "was unchanged"  # rounds to 0.0 %
    assert ph.change(-0.42, ph.points, up="grew by", down="shrank by") == "shrank by 0.42 percentage points"
    assert MINUS not in ph.change(-5) and "-" not in ph.change(-5)


def test_p_values_are_whole_phrases():
    assert ph.p_value(0.0801) == "p = 0.080"
    assert ph.p_value(0.0004) == "p < 0.001"
    assert ph.p_value(0.001) == "p = 0.001"
    with pytest.raises(ValueError):
        ph.p_value(1.2)


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (0, 8, "none of the eight intervals"),
        (8, 8, "all eight intervals"),
        (7, 10, "seven of the ten intervals"),
        (12, 33, "12 of the 33 intervals"),
        (2, 2, "both intervals"),
        (1, 1, "the only interval"),
    ],
)
def test_parts_of_a_whole_use_one_rule_for_both_numbers(k, n, expected):
    assert ph.count_of(k, n, "interval") == expected


def test_counts_ordinals_and_lists():
    assert ph.count(0, "check") == "no checks"
    assert ph.count(1, "check") == "one check"
    assert ph.count(11, "ally", "allies") == "11 allies"
    assert [ph.ordinal(n) for n in (1, 5, 11, 22, 103)] == ["first", "fifth", "11th", "22nd", "103rd"]
    assert ph.join_words(["a", "b", "c"]) == "a, b and c"
    assert ph.join_words(["a"]) == "a"
    with pytest.raises(ValueError):
        ph.join_words([])
    assert ph.years([2022, 1998, 1999]) == "1998–1999 and 2022"
    assert ph.year_span(1990, 2024) == "1990–2024"


def test_guards_raise_naming_the_claim():
    require(True, "anything")
    with pytest.raises(UnsupportedClaim, match="Korea's burden was lowest in 2000"):
        require(False, "Korea's burden was lowest in 2000")


def test_glue_prefix_is_myst_nbs():
    from myst_nb.ext.glue import GLUE_PREFIX

    assert glue_module.GLUE_PREFIX == GLUE_PREFIX


def test_glued_values_carry_their_number_unit_and_source(monkeypatch: pytest.MonkeyPatch):
    shown = []
    monkeypatch.setattr(
        "IPython.display.display", lambda data, raw=False, metadata=None: shown.append((data, metadata))
    )
    glue_module.glue_values({"payment": ph.usd_million(150), "label": "plain text"}, source="data/x.csv")
    (payment_data, payment_meta), (_, label_meta) = shown
    assert payment_meta["scrapbook"] == {"name": "payment", "mime_prefix": glue_module.GLUE_PREFIX}
    assert payment_data[glue_module.GLUE_PREFIX + "text/plain"] == "'$150 million'"
    assert payment_meta[glue_module.NUMBER_METADATA_KEY] == {
        "value": 150.0,
        "unit": "USD million",
        "source": "data/x.csv",
    }
    assert label_meta[glue_module.NUMBER_METADATA_KEY] == {"source": "data/x.csv"}
