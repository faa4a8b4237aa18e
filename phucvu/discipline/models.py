"""Discipline: commitments cadres sign, breaches recorded, sanctions decided (docs/domain.md §14)."""

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


class ViolationKind(models.TextChoices):
    WORKING_HOURS = "working_hours", _("Vi phạm giờ giấc làm việc")
    BEHAVIOUR = "behaviour", _("Thái độ, ứng xử với công dân")
    HARASSMENT = "harassment", _("Nhũng nhiễu, gây phiền hà")
    LATE_DOSSIER = "late_dossier", _("Để hồ sơ quá hạn không xin lỗi")
    REPEATED_SUPPLEMENT = "repeated_supplement", _("Yêu cầu bổ sung hồ sơ nhiều lần")
    TASK_MISSED = "task_missed", _("Không hoàn thành nhiệm vụ được giao")


class Violation(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="violations")
    kind = models.CharField(_("loại vi phạm"), max_length=30, choices=ViolationKind.choices)
    occurred_on = models.DateField(_("ngày vi phạm"), db_index=True)
    description = models.TextField(_("mô tả"))
    source = models.CharField(_("nguồn phát hiện"), max_length=120, blank=True,
                              help_text=_("Cuộc kiểm tra, phản ánh của công dân, chấm công…"))
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("vi phạm")
        verbose_name_plural = _("vi phạm")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_kind_display()} ({self.occurred_on:%d/%m/%Y})"


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
