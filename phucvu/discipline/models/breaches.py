"""Breaches recorded against cadres, their evidence, explanation and decision, and the review of the signals
computed from the dossiers (docs/discipline.md §3.2 and docs/discipline.md §3.3)."""

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
    ONE_STOP_RULES = "one_stop_rules", _("Vi phạm quy chế một cửa")


class SourceKind(models.TextChoices):
    LEADER = "leader", _("Lãnh đạo phát hiện")
    INSPECTION = "inspection", _("Thanh tra, kiểm tra")
    COMPLAINT = "complaint", _("Phản ánh, khiếu nại của công dân")
    SIGNAL = "signal", _("Dấu hiệu từ dữ liệu hồ sơ")


class BreachDecision(models.TextChoices):
    PENDING = "", _("Chưa kết luận")
    NO_BREACH = "no_breach", _("Không vi phạm")
    REMINDER = "reminder", _("Nhắc nhở, rút kinh nghiệm")
    DISCIPLINE = "discipline", _("Đề nghị xem xét kỷ luật")


class Violation(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="violations")
    kind = models.CharField(_("loại vi phạm"), max_length=30, choices=ViolationKind.choices)
    occurred_on = models.DateField(_("ngày vi phạm"), db_index=True)
    description = models.TextField(_("mô tả"))
    source = models.CharField(_("nguồn phát hiện"), max_length=120, blank=True,
                              help_text=_("Cuộc kiểm tra, phản ánh của công dân, chấm công…"))
    source_kind = models.CharField(_("loại nguồn"), max_length=12, choices=SourceKind.choices,
                                   default=SourceKind.LEADER)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    explanation = models.TextField(_("giải trình của cán bộ"), blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(_("kết luận"), max_length=12, choices=BreachDecision.choices, blank=True,
                                default=BreachDecision.PENDING)
    decision_note = models.TextField(_("nội dung kết luận"), blank=True)
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("vi phạm")
        verbose_name_plural = _("vi phạm")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_kind_display()} ({self.occurred_on:%d/%m/%Y})"


class ViolationEvent(models.Model):
    """Append-only: what happened to a breach (recorded, evidence added, explained, decided)."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("việc"), max_length=20)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("diễn biến vi phạm")
        verbose_name_plural = _("diễn biến vi phạm")
        ordering = ["violation", "at", "id"]

    def __str__(self) -> str:
        return f"{self.violation_id} {self.kind}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("ViolationEvent is append-only")
        super().save(*args, **kwargs)


class ViolationEvidence(models.Model):
    """A file of evidence (PDF, JPG or PNG, checked by its first bytes), stored under a random name outside
    any served folder and sent only to those who may read the breach, as a download."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to="discipline/evidence/%Y/%m/", max_length=255)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bằng chứng vi phạm")
        verbose_name_plural = _("bằng chứng vi phạm")
        ordering = ["violation", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class SignalOutcome(models.TextChoices):
    DISMISSED = "dismissed", _("Đã xem, bỏ qua")
    BREACH = "breach", _("Đã ghi nhận vi phạm")


class SignalReview(models.Model):
    """A leader's or inspector's answer to one computed signal: dismissed with a reason, or turned into a breach.
    The signal itself is computed from the dossiers each time; its key names it (kind, cadre, month…)."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(_("loại dấu hiệu"), max_length=24)
    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("tháng"), max_length=7)
    outcome = models.CharField(_("xử lý"), max_length=10, choices=SignalOutcome.choices)
    reason = models.TextField(_("lý do"), blank=True)
    violation = models.ForeignKey(Violation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("xử lý dấu hiệu")
        verbose_name_plural = _("xử lý dấu hiệu")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.key
