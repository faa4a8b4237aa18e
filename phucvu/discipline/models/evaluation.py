"""Staff as the province keeps them, period score sheets and the yearly grading (docs/discipline.md §6)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold
from phucvu.organization.models import Agency, Staff


class JobPosition(models.Model):
    """A job position (vị trí việc làm), named as the province's staff file names it."""

    name = models.CharField(_("vị trí việc làm"), max_length=200, unique=True)
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("vị trí việc làm")
        verbose_name_plural = _("vị trí việc làm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)


class StaffProfile(models.Model):
    """What the staff file adds to a cadre's account: the job position, a phone number, whether the cadre holds
    a leading or managing post."""

    staff = models.OneToOneField(Staff, on_delete=models.PROTECT, related_name="profile")
    job_position = models.ForeignKey(JobPosition, verbose_name=_("vị trí việc làm"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Holds a leading or managing post (lãnh đạo, quản lý): recorded from the staff file, never guessed from the
    # post title (docs/discipline.md §6.1); it decides the forms that take a post away and a leader's results.
    holds_post = models.BooleanField(_("giữ chức vụ lãnh đạo, quản lý"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")

    def __str__(self) -> str:
        return str(self.staff)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SELF_SCORED = "self_scored", _("Chờ lãnh đạo chấm")
    FINAL = "final", _("Đã chấm")


class SheetSource(models.TextChoices):
    SHEET = "sheet", _("Phiếu trên hệ thống")
    IMPORT = "import", _("Nhập từ tệp")


class ScoreSheet(models.Model):
    """One cadre's score for one month or quarter: 30 general points and 70 result points."""

    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="score_sheets")
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    period_kind = models.CharField(_("kỳ"), max_length=7, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(_("số kỳ"))  # month 1–12 or quarter 1–4
    self_items = models.JSONField(_("tự chấm"), default=dict, blank=True)  # criterion → points
    manager_items = models.JSONField(_("lãnh đạo chấm"), default=dict, blank=True)
    # The period's work items: name, coefficient, assigned, done, to_standard, on_time, failed_checks, delays,
    # and, when the manager waived an item's deductions, waiver (the reason) and waived_by (a name).
    result_items = models.JSONField(_("kết quả thực hiện nhiệm vụ"), default=list, blank=True)
    # For a leader (a cadre holding a post): the unit's results and the organising capacity that enter the
    # result points, with what they were measured from (docs/discipline.md §6.3); empty for anyone else.
    leader_results = models.JSONField(_("kết quả của đơn vị phụ trách"), default=dict, blank=True)
    general = models.DecimalField(_("tiêu chí chung"), max_digits=5, decimal_places=2, null=True, blank=True)
    results = models.DecimalField(_("kết quả nhiệm vụ"), max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    source = models.CharField(_("nguồn"), max_length=6, choices=SheetSource.choices, default=SheetSource.SHEET)
    rule_set = models.CharField(_("quy định áp dụng"), max_length=40, blank=True)
    scored_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        ordering = ["staff", "year", "period_kind", "number"]
        constraints = [models.UniqueConstraint(fields=["staff", "year", "period_kind", "number"],
                                               name="score_sheet_once_per_period")]

    def __str__(self) -> str:
        return f"{self.staff.full_name} — {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def months(self) -> int:
        return 3 if self.period_kind == PeriodKind.QUARTER else 1

    @property
    def total(self) -> Decimal | None:
        if self.general is None or self.results is None:
            return None
        return self.general + self.results


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")
    NOT_GRADED = "not_graded", _("Không xếp loại")


class UnitGrade(models.Model):
    """The grade a unit (agency) itself received for a year: it decides the quota and caps its head."""

    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    grade = models.CharField(_("xếp loại"), max_length=14, choices=Grade.choices)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("xếp loại đơn vị")
        verbose_name_plural = _("xếp loại đơn vị")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unit_grade_once")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.get_grade_display()}"


class QuotaChoice(models.Model):
    """When the quota binds: who the person deciding chose for "xuất sắc", recorded once per agency and year.

    A later choice is a new row; the latest counts (nothing is edited)."""

    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    chosen = models.ManyToManyField(Staff, verbose_name=_("được chọn xuất sắc"), related_name="+")
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lựa chọn trong chỉ tiêu xuất sắc")
        verbose_name_plural = _("lựa chọn trong chỉ tiêu xuất sắc")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
