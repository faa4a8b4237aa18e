"""Sanctions decided on cadres (docs/domain.md §14)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.discipline.clocks import Period, add_period, salary_delay_months
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
SANCTION_MONTHS = 12  # how long a sanction has effect (docs/discipline.md §4.5)


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

    @property
    def form(self) -> str:
        return KIND_FORMS.get(self.kind, "")

    @property
    def salary_delay(self) -> int | None:
        """Months the next regular salary step is delayed (docs/discipline.md §4.5); None for a sanction that
        ends the service or was revoked."""
        if hasattr(self, "revocation"):
            return None
        return salary_delay_months(self.staff.category, self.form, self.decided_on)

    @property
    def lapses_on(self) -> dt.date | None:
        """The day the sanction stops having effect: 12 months from its effective date (docs/discipline.md §4.5);
        None for a sanction that ends the service (dismissal, recall)."""
        if self.kind in (SanctionKind.DISMISSAL, SanctionKind.RECALL):
            return None
        return add_period(self.effective_from or self.decided_on, Period(SANCTION_MONTHS, "months"))


class SanctionRevocation(models.Model):
    """A sanction found wrongful is revoked by a new decision, never edited or deleted (docs/discipline.md §4.5);
    the revocation is published within 10 working days."""

    sanction = models.OneToOneField(Sanction, on_delete=models.PROTECT, related_name="revocation")
    decision_number = models.CharField(_("số quyết định hủy"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định hủy"))
    reason = models.TextField(_("lý do"))
    publish_by = models.DateField(_("hạn công bố"))
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("quyết định hủy kỷ luật")
        verbose_name_plural = _("quyết định hủy kỷ luật")

    def __str__(self) -> str:
        return self.decision_number


class CaseBasis(models.TextChoices):
    """What a straight-through case rests on (docs/discipline.md §4.3)."""

    INSPECTION = "inspection", _("Kết luận thanh tra, kiểm tra")
    PARTY = "party", _("Kỷ luật Đảng")
    JUDGMENT = "judgment", _("Bản án có hiệu lực pháp luật")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    DECIDED = "decided", _("Đã quyết định kỷ luật")
    NO_DISCIPLINE = "no_discipline", _("Không kỷ luật")


class StepKind(models.TextChoices):
    REVIEW_MEETING = "review_meeting", _("Họp kiểm điểm")
    COUNCIL_FORMED = "council_formed", _("Thành lập Hội đồng kỷ luật")
    SUMMONS = "summons", _("Giấy triệu tập họp Hội đồng")
    COUNCIL_MEETING = "council_meeting", _("Họp Hội đồng, bỏ phiếu kín")
    RECOMMENDATION = "recommendation", _("Kiến nghị hình thức kỷ luật")
    DECISION = "decision", _("Quyết định kỷ luật")
    NO_DISCIPLINE = "no_discipline", _("Kết thúc, không kỷ luật")
    EXTENSION = "extension", _("Gia hạn (vụ việc phức tạp)")
    PAUSE = "pause", _("Thời gian không tính vào thời hiệu, thời hạn")


class DisciplineCase(models.Model):
    """One discipline case: the person, the violation, both legal clocks' inputs and the rule set it runs under.

    What happens to it is `CaseStep` rows, appended, never edited (docs/discipline.md §4)."""

    staff = models.ForeignKey(Staff, verbose_name=_("người bị xem xét"), on_delete=models.PROTECT,
                              related_name="discipline_cases")
    violation = models.ForeignKey(Violation, verbose_name=_("vi phạm"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases")
    category = models.CharField(_("ngạch"), max_length=2)
    proposed_form = models.CharField(_("hình thức dự kiến"), max_length=20)
    violation_ended = models.DateField(_("ngày kết thúc vi phạm"))
    discovered = models.DateField(_("ngày phát hiện"))
    complex_case = models.BooleanField(_("vụ việc phức tạp"), default=False)
    straight_through = models.BooleanField(
        _("đã có kết luận đề xuất hình thức"), default=False,
        help_text=_("Kết luận thanh tra, kỷ luật Đảng hoặc bản án đã đề xuất hình thức: không họp kiểm điểm, "
                    "không lập Hội đồng."))
    basis = models.CharField(_("loại căn cứ"), max_length=12, choices=CaseBasis.choices, blank=True)
    source = models.CharField(_("căn cứ phát hiện"), max_length=255, blank=True)
    rule_set = models.CharField(_("quy định áp dụng"), max_length=40)
    decision_maker = models.ForeignKey(Staff, verbose_name=_("người có thẩm quyền quyết định"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    council = models.ManyToManyField(Staff, verbose_name=_("Hội đồng kỷ luật"), blank=True, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=14, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    sanction = models.OneToOneField(Sanction, null=True, blank=True, on_delete=models.PROTECT, related_name="case")
    opened_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        verbose_name = _("vụ việc kỷ luật")
        verbose_name_plural = _("vụ việc kỷ luật")
        ordering = ["-discovered", "-id"]

    def __str__(self) -> str:
        return f"{self.staff.full_name} — {self.discovered:%d/%m/%Y}"


class CaseStep(models.Model):
    """Append-only: one row per step of a case, with the day it happened."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("bước"), max_length=20, choices=StepKind.choices)
    on = models.DateField(_("ngày"))
    until = models.DateField(_("đến ngày"), null=True, blank=True)  # the last day of a pause
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("bước xử lý kỷ luật")
        verbose_name_plural = _("bước xử lý kỷ luật")
        ordering = ["case", "on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("CaseStep is append-only")
        super().save(*args, **kwargs)


class CaseRead(models.Model):
    """Every read of a case file: who, when."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("lượt xem hồ sơ kỷ luật")
        verbose_name_plural = _("lượt xem hồ sơ kỷ luật")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.reader_id} {self.at:%Y-%m-%d %H:%M}"
