"""Inspections: who inspected whom, when, how, what was found and what must follow (docs/domain.md §15)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold
from phucvu.organization.models import Agency, Staff


class Kind(models.TextChoices):
    SCHEDULED = "scheduled", _("Theo kế hoạch")
    SURPRISE = "surprise", _("Đột xuất")
    CROSS = "cross", _("Kiểm tra chéo")
    CIVIL_SERVICE = "civil_service", _("Kiểm tra công vụ")


class Reason(models.TextChoices):
    PERIODIC = "periodic", _("Định kỳ")
    RISK = "risk", _("Theo rủi ro")
    COMPLAINT = "complaint", _("Theo phản ánh, khiếu nại")


class Status(models.TextChoices):
    ONGOING = "ongoing", _("Đang tiến hành")
    CONCLUDED = "concluded", _("Đã kết luận")


class Inspection(models.Model):
    code = models.CharField(_("số hiệu"), max_length=40, unique=True)
    organizer = models.ForeignKey(Agency, verbose_name=_("cơ quan tiến hành"), on_delete=models.PROTECT,
                                  related_name="inspections_organized")
    target = models.ForeignKey(Agency, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT,
                               related_name="inspections_received")
    topic = models.CharField(_("nội dung"), max_length=255)
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("căn cứ"), max_length=10, choices=Reason.choices, default=Reason.PERIODIC)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    started_on = models.DateField(_("ngày bắt đầu"), db_index=True)
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    conclusion = models.TextField(_("kết luận"), blank=True)
    head = models.ForeignKey(Staff, verbose_name=_("trưởng đoàn"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspections_led")
    members = models.ManyToManyField(Staff, verbose_name=_("thành viên đoàn"), blank=True,
                                     related_name="inspections_joined")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc thanh tra, kiểm tra")
        verbose_name_plural = _("cuộc thanh tra, kiểm tra")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.code} — {self.topic}"

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(f"{self.code} {self.topic} {self.decision_number}")
        super().save(*args, **kwargs)


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    text = models.TextField(_("nội dung phát hiện"))
    is_violation = models.BooleanField(_("là vi phạm"), default=False)
    cadre = models.ForeignKey(Staff, verbose_name=_("cán bộ liên quan"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inspection_findings")

    class Meta:
        verbose_name = _("phát hiện")
        verbose_name_plural = _("phát hiện")

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Đang theo dõi")
        DONE = "done", _("Đã thực hiện")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(_("kiến nghị"))
    owner = models.ForeignKey(Agency, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField(_("hạn thực hiện"))
    state = models.CharField(_("tình trạng"), max_length=5, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")

    def __str__(self) -> str:
        return self.text[:80]


class InspectionEvent(models.Model):
    """Append-only history of each inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d}"
