"""Numbers as readers of the active language write them: the project's one number format.

Vietnamese groups thousands with a dot and writes decimals with a comma (30.783; 99,67%; 75.000 đ);
English the other way round (30,783; 99.67%; 75,000 VND). Every page, printed form and message formats
its counts, rates and amounts through these functions (templates through the `numbers` library:
`grouped`, `percent`, `money`); a legal form printed in Vietnamese formats under `translation.override("vi")`.

Django's `intcomma` and `floatformat:"g"` group only when the locale defines NUMBER_GROUPING, which the
Vietnamese locale does not; USE_THOUSAND_SEPARATOR for the whole site would also group ids in URLs.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, numberformat
from django.utils.translation import get_language, pgettext

NBSP = "\u00a0"  # an amount and its currency never part at a line break


def _separators() -> tuple[str, str]:
    """(decimal, thousands) of the active language, looked up once per language."""
    language = get_language() or ""
    found = _SEPARATORS.get(language)
    if found is None:
        found = _SEPARATORS[language] = (formats.get_format("DECIMAL_SEPARATOR"),
                                         formats.get_format("THOUSAND_SEPARATOR"))
    return found


_SEPARATORS: dict[str, tuple[str, str]] = {}


def grouped(value: int | float | Decimal | str | None, decimals: int = 0) -> str:
    """30783 → '30.783' (vi) / '30,783' (en); `decimals` places after the separator. '' for None or ''."""
    if value is None or value == "":
        return ""
    decimal_sep, thousand_sep = _separators()
    decimals = int(decimals)
    if isinstance(value, int) and not isinstance(value, bool) and not decimals:
        # Counts, the common case (a form 06 of a province prints thousands of them): no Decimal needed.
        return f"{value:,}".replace(",", thousand_sep)
    try:
        # Half up, as people round by hand (6,25 → 6,3), on the decimal text (no binary surprises).
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
    return numberformat.format(number, decimal_sep, decimal_pos=decimals, grouping=3, thousand_sep=thousand_sep,
                               force_grouping=True)


def percent(fraction: float | None, digits: int = 2) -> str:
    """A rate kept as a fraction: 0.9967 → '99,67%' (vi) / '99.67%' (en); '—' where there is none."""
    if fraction is None or fraction == "":
        return "—"
    return grouped(float(fraction) * 100, digits) + "%"


def money(amount: int | float | Decimal | None) -> str:
    """An amount in đồng: 75000 → '75.000 đ' (vi) / '75,000 VND' (en); '' for None."""
    if amount is None or amount == "":
        return ""
    return grouped(amount) + NBSP + pgettext("currency", "đ")
