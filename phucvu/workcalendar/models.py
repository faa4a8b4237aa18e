"""The working calendar as data: dated exceptions, working hours per agency, and their change log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold
from phucvu.workcalendar.clock import DEFAULT_PERIODS, DayKind


class Kind(models.TextChoices):
    """The clock's kinds of dated exception (`clock.DayKind`) with their labels; a test checks that every kind
    of the clock has one here."""

    HOLIDAY = DayKind.HOLIDAY.value, _("Ngày lễ, Tết")
    DAY_OFF = DayKind.DAY_OFF.value, _("Ngày nghỉ hoán đổi, nghỉ bù")
    WORKDAY = DayKind.WORKDAY.value, _("Ngày làm bù")


class Source(models.TextChoices):
    LIBRARY = "library", _("Thư viện holidays")
    OFFICIAL = "official", _("Thông báo chính thức")
    ADMIN = "admin", _("Quản trị nhập tay")
    IMPORT = "import", _("Nhập từ tệp")


class CalendarDay(models.Model):
    """One dated exception to the weekly pattern: a holiday, a swapped day off or a make-up workday.

    `jurisdiction` is empty for the national calendar; a local row (an agency) applies to that agency's
    subtree and wins over the national row of the same date. Rows are never deleted: `active=False`
    takes a row out of the calendar and the change log keeps what it was.
    """

    day = models.DateField(_("ngày"), db_index=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    search_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    jurisdiction = models.ForeignKey("organization.Agency", verbose_name=_("phạm vi áp dụng"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="calendar_days",
                                     help_text=_("Để trống: áp dụng toàn quốc."))
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày đặc biệt trong lịch")
        verbose_name_plural = _("ngày đặc biệt trong lịch")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=Q(jurisdiction__isnull=True),
                                    name="calendarday_one_national_row_per_day"),
            models.UniqueConstraint(fields=["day", "jurisdiction"], condition=Q(jurisdiction__isnull=False),
                                    name="calendarday_one_local_row_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)


def default_periods() -> list[list[str]]:
    return [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in DEFAULT_PERIODS]


def default_rest_weekdays() -> list[int]:
    return [5, 6]


class WorkingHours(models.Model):
    """The working periods and weekly rest days of an agency (empty agency: the national default).

    An agency without its own row inherits from its nearest ancestor that has one. The one national row
    (agency empty) is kept single by `services.working_hours_set`.
    """

    agency = models.OneToOneField("organization.Agency", verbose_name=_("đơn vị"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="working_hours")
    periods = models.JSONField(_("các buổi làm việc"), default=default_periods,
                               help_text=_('Ví dụ: [["07:00", "11:30"], ["13:30", "17:00"]]'))
    rest_weekdays = models.JSONField(_("ngày nghỉ hằng tuần"), default=default_rest_weekdays,
                                     help_text=_("0 = thứ Hai … 5 = thứ Bảy, 6 = Chủ nhật"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=Q(agency__isnull=False),
                                    name="workinghours_one_row_per_agency"),
        ]

    def __str__(self) -> str:
        spans = ", ".join(f"{s}–{e}" for s, e in self.periods)
        return f"{self.agency or _('Mặc định toàn quốc')}: {spans}"


class CalendarChange(models.Model):
    """Append-only log: who changed which calendar row or working hours, when, from what to what."""

    class Action(models.TextChoices):
        SEEDED = "seeded", _("Khởi tạo")
        CREATED = "created", _("Thêm")
        UPDATED = "updated", _("Sửa")
        DEACTIVATED = "deactivated", _("Bỏ áp dụng")
        IMPORTED = "imported", _("Nhập tệp")
        HOURS = "hours", _("Đổi giờ làm việc")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    day = models.DateField(null=True, blank=True)
    jurisdiction = models.ForeignKey("organization.Agency", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("lịch sử thay đổi lịch")
        verbose_name_plural = _("lịch sử thay đổi lịch")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.day or ''}"


class CalendarStamp(models.Model):
    """One row whose version changes (randomly) on every calendar change: every process rebuilds its clock."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = _("phiên bản lịch")

    def __str__(self) -> str:
        return str(self.version)
