"""One number format for the whole project, following the active language."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

import phucvu
from phucvu.core.numbers import grouped, money, percent


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", ["30.783", "1.234.567", "0", "99,67", "6,3", "99,67%", "—", "75.000\u00a0đ", "1.500.000\u00a0đ"]),
    ("en", ["30,783", "1,234,567", "0", "99.67", "6.3", "99.67%", "—", "75,000\u00a0VND", "1,500,000\u00a0VND"]),
])
def test_numbers_follow_the_active_language(lang, expected):
    with translation.override(lang):
        assert [grouped(30783), grouped(1234567), grouped(0), grouped(99.671, 2), grouped(6.25, 1),
                percent(0.99671), percent(None), money(75000), money(Decimal("1500000"))] == expected


def test_empty_values_print_nothing_and_text_passes_through():
    assert grouped(None) == grouped("") == money(None) == ""
    assert grouped("n/a") == "n/a"


@pytest.mark.parametrize(("lang", "expected"), [("vi", "30.783 · 99,67% · 75.000\u00a0đ"),
                                                ("en", "30,783 · 99.67% · 75,000\u00a0VND")])
def test_the_template_filters_are_the_same_functions(lang, expected):
    template = Template("{% load numbers %}{{ n|grouped }} · {{ r|percent }} · {{ fee|money }}")
    with translation.override(lang):
        assert template.render(Context({"n": 30783, "r": 0.99671, "fee": 75000})) == expected


def test_no_template_formats_numbers_its_own_way():
    """Reports had their own Vietnamese-only filters (vn_int, vn_pct) and fees printed as '75000 đ'."""
    own_way = re.compile(r"\|\s*(vn_int|vn_pct|intcomma)\b|\}\}\s*(đ|đồng|VND)\b")
    offenders = [str(path) for path in Path(phucvu.__file__).parent.rglob("templates/**/*.html")
                 if own_way.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
