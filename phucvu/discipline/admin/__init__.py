"""The admin of discipline, one module per part; Django loads this package, which loads them."""

from phucvu.discipline.admin import breaches, cases, commitments  # noqa: F401
