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
    RECALL = "recall", _("Bãi nhiệm")


# The command-line slugs of the forms (docs/discipline.md §4.1) and the kinds they are stored as.
FORM_KINDS = {
    "khien_trach": "reprimand", "canh_cao": "warning", "ha_bac_luong": "salary_down", "giang_chuc": "demotion",
    "cach_chuc": "removal", "buoc_thoi_viec": "dismissal", "bai_nhiem": "recall",
}
KIND_FORMS = {kind: form for form, kind in FORM_KINDS.items()}


# Which sanctions the law allows per category (Law on Cadres and Civil Servants 2008, Law on Public
# Employees 2010): demotion and removal are for civil servants (CC) holding a post; cadres (CB) cannot be
# demoted in salary; public employees (VC) have no salary-step or demotion sanction.
ALLOWED_SANCTIONS = {
    "CB": {"reprimand", "warning", "removal", "recall"},
    "CC": {"reprimand", "warning", "salary_down", "demotion", "removal", "dismissal"},
    "VC": {"reprimand", "warning", "removal", "dismissal"},
    "HD": {"reprimand", "warning", "dismissal"},
}


class Sanction(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("hình thức kỷ luật"), max_length=12, choices=SanctionKind.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    effective_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    imported = models.BooleanField(_("nhập từ tệp"), default=False)
    violation = models.ForeignKey(Violation, verbose_name=_("vi phạm"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="sanctions")

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.decision_number}"
