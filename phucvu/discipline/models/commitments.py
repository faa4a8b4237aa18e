"""Commitments cadres sign each year (docs/domain.md §14)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.organization.models import Staff


class Commitment(models.Model):
    """A signed commitment (working hours, no overdue tasks, no harassment), one text version per row."""

    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("năm"))
    text_version = models.CharField(_("mẫu cam kết"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        constraints = [models.UniqueConstraint(fields=["staff", "year", "text_version"], name="commitment_once")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.year}"
