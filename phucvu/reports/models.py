"""Rollups: signed day and month counts per (agency, procedure) that every report sums.

A report never reads the dossier table or its events. Each dossier contributes flows (received, resolved,
withdrawn, stopped) on the local day they happen, and stocks (open, within deadline, paused) as +1/−1 deltas,
so a stock at the end of day T is the sum of deltas over the days up to T. The same counts are kept per day
and per month, and once with `procedure_id = 0` for all procedures of the agency, so that a whole-province
year is a few thousand month rows however many dossiers there are.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The counter columns, in the order the upsert writes them.
COUNTERS = (
    "received_online",
    "received_direct",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "stopped",
    "open_delta",
    "within_delta",
    "paused_delta",
)

ALL_PROCEDURES = 0  # procedure_id of the rows that sum every procedure of an agency


class Counters(models.Model):
    agency_id = models.IntegerField()
    # A plain integer, not a foreign key: rollups are written inside dossier transactions in bulk and must
    # not depend on the catalog app's tables; 0 means "all procedures of the agency".
    procedure_id = models.IntegerField()
    field_id = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    open_delta = models.IntegerField(default=0)
    within_delta = models.IntegerField(default=0)
    paused_delta = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DayRollup(Counters):
    day = models.DateField()  # local day, Asia/Ho_Chi_Minh

    class Meta:
        verbose_name = _("tổng hợp theo ngày")
        verbose_name_plural = _("tổng hợp theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "procedure_id", "day"], name="reports_day_key"),
        ]
        indexes = [models.Index(fields=["procedure_id", "day"], name="reports_day_proc_day")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id} {self.day}"


class MonthRollup(Counters):
    month = models.DateField()  # first local day of the month

    class Meta:
        verbose_name = _("tổng hợp theo tháng")
        verbose_name_plural = _("tổng hợp theo tháng")
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "procedure_id", "month"], name="reports_month_key"),
        ]
        indexes = [models.Index(fields=["procedure_id", "month"], name="reports_month_proc_month")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id} {self.month:%m/%Y}"


class CompetentDayRollup(Counters):
    """The same counts by the agency that DECIDES the dossiers (`Dossier.competent_agency`) instead of the one
    that received them: `agency_id` is the competent agency; only the all-procedures rows (`procedure_id` 0)."""

    day = models.DateField()

    class Meta:
        verbose_name = _("tổng hợp theo ngày, theo cơ quan có thẩm quyền")
        verbose_name_plural = _("tổng hợp theo ngày, theo cơ quan có thẩm quyền")
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "procedure_id", "day"], name="reports_competent_day_key"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"


class CompetentMonthRollup(Counters):
    month = models.DateField()

    class Meta:
        verbose_name = _("tổng hợp theo tháng, theo cơ quan có thẩm quyền")
        verbose_name_plural = _("tổng hợp theo tháng, theo cơ quan có thẩm quyền")
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "procedure_id", "month"], name="reports_competent_month_key"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"
