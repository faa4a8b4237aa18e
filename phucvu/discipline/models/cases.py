"""Sanctions decided on cadres (docs/domain.md §14)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.discipline.models.breaches import Violation
from phucvu.organization.models import Staff


class SanctionKind(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    SALARY_DOWN = "salary_down", _("Hạ bậc lương")
    DEMOTION = "demotion", _("Giáng chức")
    DISMISSAL_FROM_POST = "removal", _("Cách chức")
    DISMISSAL = "dismissal", _("Buộc thôi việc")


# Which sanctions the law allows per category (Law on Cadres and Civil Servants 2008, Law on Public
# Employees 2010): demotion and removal are for civil servants (CC) holding a post; cadres (CB) cannot be
# demoted in salary; public employees (VC) have no salary-step or demotion sanction.
ALLOWED_SANCTIONS = {
    "CB": {"reprimand", "warning", "removal"},
    "CC": {"reprimand", "warning", "salary_down", "demotion", "removal", "dismissal"},
    "VC": {"reprimand", "warning", "removal", "dismissal"},
    "HD": {"reprimand", "warning", "dismissal"},
}


class Sanction(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("hình thức kỷ luật"), max_length=12, choices=SanctionKind.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    violation = models.ForeignKey(Violation, verbose_name=_("vi phạm"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="sanctions")

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.decision_number}"
