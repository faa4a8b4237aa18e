"""Tasks (giao việc): a unit's catalogue of work items, the items assigned for a month or a quarter, and the
append-only log of what happened to each (docs/discipline.md §7)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold
from phucvu.discipline.models.evaluation import JobPosition, PeriodKind
from phucvu.discipline.tasking import TaskPeriod
from phucvu.organization.models import Agency, Staff


class ItemSource(models.TextChoices):
    MANUAL = "manual", _("Ghi nhận tiến độ")
    ONE_STOP = "one_stop", _("Tự động từ hồ sơ một cửa")


class WorkItem(models.Model):
    """One product or work item of a unit's catalogue, with its conversion coefficient to a standard product."""

    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    job_position = models.ForeignKey(JobPosition, verbose_name=_("vị trí việc làm"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("sản phẩm, công việc"), max_length=200)
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    measure = models.CharField(_("đơn vị tính"), max_length=40, default="sản phẩm")
    coefficient = models.DecimalField(_("hệ số quy đổi"), max_digits=6, decimal_places=2, default=Decimal(1))
    source = models.CharField(_("cách đo kết quả"), max_length=10, choices=ItemSource.choices,
                              default=ItemSource.MANUAL)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sản phẩm, công việc")
        verbose_name_plural = _("danh mục sản phẩm, công việc")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="work_item_once_per_agency")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)


class Task(models.Model):
    """An item assigned to a cadre or a unit for a month or a quarter, with quantity, quality criterion and
    deadline. The totals are kept from the events in the same transaction; the status is computed."""

    item = models.ForeignKey(WorkItem, verbose_name=_("sản phẩm, công việc"), on_delete=models.PROTECT,
                             related_name="tasks")
    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ được giao"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Agency, verbose_name=_("đơn vị được giao"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    period_kind = models.CharField(_("kỳ"), max_length=7, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("số kỳ"))
    quantity = models.DecimalField(_("số lượng giao"), max_digits=10, decimal_places=2)
    coefficient = models.DecimalField(_("hệ số quy đổi"), max_digits=6, decimal_places=2, default=Decimal(1))
    criterion = models.CharField(_("tiêu chí chất lượng"), max_length=300, blank=True)
    deadline = models.DateField(_("hạn giao"))
    due_on = models.DateField(_("hạn theo lịch làm việc"), db_index=True)
    fed = models.BooleanField(_("đo từ hồ sơ một cửa"), default=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("ngày giao"))
    # Kept from the events (TaskEvent) in the transaction that appends them.
    done = models.DecimalField(_("đã hoàn thành"), max_digits=10, decimal_places=2, default=Decimal(0))
    to_standard = models.DecimalField(_("đạt chất lượng"), max_digits=10, decimal_places=2, default=Decimal(0))
    on_time = models.DecimalField(_("đúng hạn"), max_digits=10, decimal_places=2, default=Decimal(0))
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(_("lần không đạt chất lượng"), default=0)
    delays = models.PositiveSmallIntegerField(_("lần chậm tiến độ"), default=0)
    waiver = models.CharField(_("lý do miễn trừ"), max_length=300, blank=True)
    waived_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(_("ngày hủy giao"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(
            condition=(Q(staff__isnull=False, unit__isnull=True) | Q(staff__isnull=True, unit__isnull=False)),
            name="task_to_a_cadre_or_a_unit")]
        indexes = [models.Index(fields=["staff", "year", "period_kind", "number"], name="task_staff_period"),
                   models.Index(fields=["unit", "year"], name="task_unit_year")]

    def __str__(self) -> str:
        return f"{self.item.name} — {self.period_label}"

    @property
    def period(self) -> TaskPeriod:
        return TaskPeriod(self.year, self.period_kind, self.number)

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def agency_id_of_work(self) -> int:
        """Where the work is done: the cadre's agency, or the unit assigned."""
        return self.staff.agency_id if self.staff_id else self.unit_id  # type: ignore[union-attr,return-value]


class TaskEventKind(models.TextChoices):
    ASSIGNED = "assigned", _("Giao nhiệm vụ")
    PROGRESS = "progress", _("Ghi tiến độ")
    CHECK_FAILED = "check_failed", _("Đánh giá không đạt chất lượng")
    EXTENDED = "extended", _("Gia hạn (chậm tiến độ)")
    WAIVED = "waived", _("Miễn trừ khấu trừ")
    CANCELLED = "cancelled", _("Hủy giao")


class TaskEvent(models.Model):
    """What happened to a task, appended and never edited: who, when, the day it concerns and the figures."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("loại"), max_length=14, choices=TaskEventKind.choices)
    at = models.DateTimeField(_("lúc ghi"))
    on = models.DateField(_("ngày"))  # the day the progress was made, the new deadline, …
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("số lượng"), max_digits=10, decimal_places=2, null=True, blank=True)
    to_standard = models.DecimalField(_("đạt chất lượng"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("diễn biến nhiệm vụ")
        verbose_name_plural = _("diễn biến nhiệm vụ")
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.on}"
