"""Breaches recorded against cadres (docs/domain.md §14)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.organization.models import Staff


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
