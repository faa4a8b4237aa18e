"""The procedure catalogue: fields, procedures, their versions and workflow templates.

A procedure is the stable identity (national code); everything the law can change about it — time,
unit, cut-off, pause rule, fee, papers, steps — lives in a `ProcedureVersion`. Changing a procedure
makes a new version; a dossier keeps the version it was received under.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold
from phucvu.workcalendar import clock


class TimeUnit(models.TextChoices):
    """The clock's units (`workcalendar.clock.TimeUnit`, the clock contract) with their labels; a test checks
    that every unit of the clock has one here."""

    WORKING_DAYS = clock.TimeUnit.WORKING_DAYS.value, _("ngày làm việc")
    WORKING_HOURS = clock.TimeUnit.WORKING_HOURS.value, _("giờ làm việc")
    CALENDAR_DAYS = clock.TimeUnit.CALENDAR_DAYS.value, _("ngày")
    SAME_DAY = clock.TimeUnit.SAME_DAY.value, _("trong ngày")


class PauseRule(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng, tính tiếp khi bổ sung xong")
    RESTART = "restart", _("Tính lại từ đầu khi bổ sung đầy đủ")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class RuleSet(models.TextChoices):
    # The one-stop rules in force: Decree 61/2018 (+107/2021) until 30/6/2025, Decree 118/2025 after.
    ND61_2018 = "nd61_2018", _("Nghị định 61/2018/NĐ-CP, Thông tư 01/2018/TT-VPCP")
    ND118_2025 = "nd118_2025", _("Nghị định 118/2025/NĐ-CP, Thông tư 03/2025/TT-VPCP")


RULE_SET_2025_FROM = dt.date(2025, 7, 1)


def rule_set_on(day: dt.date) -> str:
    """The rule set in force on a local date: a dossier keeps the one of the day it was received."""
    return RuleSet.ND118_2025 if day >= RULE_SET_2025_FROM else RuleSet.ND61_2018


LEVELS = ("province", "district", "commune")


class PaperKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực hoặc bản sao kèm bản chính để đối chiếu")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")
    SHOW = "show", _("Xuất trình bản chính")


class Field(models.Model):
    """A field (lĩnh vực): land, civil status, construction…"""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    search_key = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class Procedure(models.Model):
    """An administrative procedure of the national catalogue (code like `1.001612`)."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    search_key = models.CharField(max_length=600, db_index=True, editable=False, default="")
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT,
                              related_name="procedures")
    # `|`-separated subset of province, district, commune: where the procedure is carried out.
    levels = models.CharField(_("cấp thực hiện"), max_length=40, default="province")
    current_version = models.ForeignKey("ProcedureVersion", verbose_name=_("phiên bản hiện hành"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    @property
    def level_list(self) -> list[str]:
        return [p for p in self.levels.split("|") if p]


class ProcedureVersion(models.Model):
    """What the law says about a procedure from `valid_from`: never edited once a dossier uses it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    amount = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=2)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices,
                                 default=TimeUnit.WORKING_DAYS)
    cutoff = models.TimeField(_("giờ chốt nhận trong ngày"), null=True, blank=True,
                              help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo."))
    pause_rule = models.CharField(_("khi bổ sung hồ sơ"), max_length=10, choices=PauseRule.choices,
                                  default=PauseRule.PAUSE)
    fee = models.DecimalField(_("phí, lệ phí (đồng)"), max_digits=14, decimal_places=0, default=0)
    fee_note = models.CharField(_("ghi chú phí"), max_length=255, blank=True)
    papers = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    result_type = models.CharField(_("kết quả"), max_length=255, blank=True)
    online_level = models.CharField(_("mức trực tuyến"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    rule_set = models.CharField(_("quy định áp dụng"), max_length=20, choices=RuleSet.choices,
                                default=RuleSet.ND61_2018)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    # What the public catalogue shows (docs/portal.md "Public catalogue"), from the published procedure:
    # per paper {"name", "copies", "kind" (PaperKind), "form" (a form's title or address)}, by name.
    paper_specs = models.JSONField(_("chi tiết thành phần hồ sơ"), default=list, blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    result_delivery = models.TextField(_("cách thức nhận kết quả"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    def paper_rows(self) -> list[dict]:
        """Each paper with its copies, kind (label) and form; papers without details get one copy."""
        specs = {str(s.get("name", "")): s for s in (self.paper_specs or []) if isinstance(s, dict)}
        rows = []
        for name in self.papers or []:
            spec = specs.get(name, {})
            kind = spec.get("kind") or ""
            rows.append({"name": name, "copies": int(spec.get("copies") or 1), "kind": kind,
                         "kind_label": PaperKind(kind).label if kind in PaperKind.values else "",
                         "form": spec.get("form") or ""})
        return rows

    @property
    def legal_time_label(self) -> str:
        if self.time_unit == TimeUnit.SAME_DAY:
            return str(_("Trong ngày"))
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount.normalize()
        return f"{amount} {TimeUnit(self.time_unit).label}"


class StepUnit(models.TextChoices):
    """The kind of unit responsible for a workflow step; `dossiers.routing` resolves it to an agency."""

    DESK = "desk", _("Bộ phận Một cửa nơi tiếp nhận")
    OFFICE = "office", _("Phòng chuyên môn của cơ quan có thẩm quyền")
    AGENCY = "agency", _("Cơ quan khác (liên thông)")
    LEADER = "leader", _("Lãnh đạo cơ quan có thẩm quyền")


# The role a step of each kind is done in, when the step does not name one.
UNIT_ROLE = {StepUnit.DESK: "desk_clerk", StepUnit.OFFICE: "specialist", StepUnit.AGENCY: "specialist",
             StepUnit.LEADER: "unit_leader"}


def unit_of(role: str, agency_id: int | None) -> str:
    """The kind of a step recorded without one: a fixed agency is another agency's step; otherwise the role
    tells (the desk's clerk, the leader; anyone else examines at the specialist office)."""
    if agency_id:
        return StepUnit.AGENCY
    return {"desk_clerk": StepUnit.DESK, "unit_leader": StepUnit.LEADER}.get(role, StepUnit.OFFICE)


class WorkflowStep(models.Model):
    """One step of a version's workflow: the kind of unit responsible, its role and its share (percent) of
    the legal time.

    `unit` names the kind of unit (receiving desk, specialist office of the competent agency, another agency,
    the competent agency's leader); intake resolves it to an agency from where the dossier was received
    (`dossiers.routing`). `agency` is the other agency of an inter-connected step.
    """

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    unit = models.CharField(_("đơn vị chịu trách nhiệm"), max_length=10, choices=StepUnit.choices, blank=True)
    agency = models.ForeignKey("organization.Agency", verbose_name=_("đơn vị xử lý cố định"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò xử lý"), max_length=20, blank=True)
    share = models.PositiveSmallIntegerField(_("tỷ lệ thời gian (%)"))

    class Meta:
        verbose_name = _("bước quy trình")
        verbose_name_plural = _("bước quy trình")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="workflow_step_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name} ({self.share}%)"


class ProcedureOffering(models.Model):
    """Per-agency configuration: this agency receives dossiers for this procedure."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="offerings")
    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="offerings")
    active = models.BooleanField(_("đang nhận hồ sơ"), default=True)
    online = models.BooleanField(_("nhận trực tuyến"), default=True)
    # Overrides of `dossiers.routing` for dossiers received here (empty: found from the tree and the field).
    competent_agency = models.ForeignKey("organization.Agency", verbose_name=_("cơ quan có thẩm quyền"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("organization.Agency", verbose_name=_("phòng chuyên môn thẩm định"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("thủ tục tại đơn vị")
        verbose_name_plural = _("thủ tục tại đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency"], name="procedure_offering_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.agency}"
