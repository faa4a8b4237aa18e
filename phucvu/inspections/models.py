"""Inspections: who inspected whom, when, how, what was found and what must follow (docs/domain.md §15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
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
    DRAFT = "draft", _("Chờ ký kết luận")
    CONCLUDED = "concluded", _("Đã kết luận")


class Law(models.TextChoices):
    """The text an inspection is decided and concluded under (docs/inspections.md §1)."""

    LAW_2010 = "56/2010/QH12", _("Luật Thanh tra 2010 (56/2010/QH12)")
    LAW_2022 = "11/2022/QH15", _("Luật Thanh tra 2022 (11/2022/QH15)")
    LAW_2025 = "84/2025/QH15", _("Luật Thanh tra 2025 (84/2025/QH15)")


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
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký quyết định"), max_length=160, blank=True)
    scope = models.TextField(_("phạm vi, nội dung"), blank=True)
    period_from = models.DateField(_("thời kỳ kiểm tra từ"), null=True, blank=True)
    period_to = models.DateField(_("thời kỳ kiểm tra đến"), null=True, blank=True)
    law = models.CharField(_("căn cứ pháp lý"), max_length=16, choices=Law.choices, default=Law.LAW_2022)
    started_on = models.DateField(_("ngày bắt đầu"), db_index=True)
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    draft_received_on = models.DateField(_("ngày nhận dự thảo kết luận"), null=True, blank=True)
    conclusion_due_on = models.DateField(_("hạn ký kết luận"), null=True, blank=True)
    concluded_on = models.DateField(_("ngày ký kết luận"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    published_on = models.DateField(_("ngày công khai"), null=True, blank=True)
    published_until = models.DateField(_("công khai đến"), null=True, blank=True)
    public_summary = models.TextField(_("nội dung công khai (đã lược bỏ thông tin mật)"), blank=True)
    head = models.ForeignKey(Staff, verbose_name=_("trưởng đoàn"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspections_led")
    members = models.ManyToManyField(Staff, verbose_name=_("thành viên đoàn"), blank=True,
                                     related_name="inspections_joined")
    ends_by = models.DateField(_("thời hạn tiến hành đến"), null=True, blank=True)
    # The inspected body's head issues the implementing directive within 15 days of the conclusion.
    directive_due_on = models.DateField(_("hạn ban hành văn bản chỉ đạo thực hiện"), null=True, blank=True)
    directive_on = models.DateField(_("ngày ban hành văn bản chỉ đạo thực hiện"), null=True, blank=True)
    directive_number = models.CharField(_("số văn bản chỉ đạo thực hiện"), max_length=60, blank=True)
    redacted_by = models.ForeignKey(Staff, verbose_name=_("người lược bỏ thông tin mật"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # The cadre inspected, when the inspection is of a person (docs/inspections.md §20).
    person = models.ForeignKey(Staff, verbose_name=_("người được kiểm tra"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="inspections_of")
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


# Every field of an inspection is public (shown on the public portal once the conclusion is published) or
# internal (docs/inspections.md §12). A test checks that each concrete field is in exactly one of them.
PUBLIC_FIELDS = ("code", "organizer", "target", "topic", "kind", "decision_number", "decision_date",
                 "started_on", "ended_on", "concluded_on", "public_summary", "published_on", "published_until")
INTERNAL_FIELDS = ("id", "search_key", "reason", "decision_signer", "scope", "period_from", "period_to", "law",
                   "status", "draft_received_on", "conclusion_due_on", "conclusion", "head", "members", "ends_by",
                   "redacted_by", "created_at", "directive_due_on", "directive_on", "directive_number", "person")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    text = models.TextField(_("nội dung phát hiện"))
    is_violation = models.BooleanField(_("là vi phạm"), default=False)
    cadre = models.ForeignKey(Staff, verbose_name=_("cán bộ liên quan"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inspection_findings")
    # Where a finding about a person went in discipline (docs/inspections.md §15).
    violation = models.ForeignKey("discipline.Violation", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    case = models.ForeignKey("discipline.DisciplineCase", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        verbose_name = _("phát hiện")
        verbose_name_plural = _("phát hiện")

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(models.Model):
    """A recommendation of a conclusion, followed until the inspector verifies it (docs/inspections.md §7)."""

    class State(models.TextChoices):
        OPEN = "open", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã thực hiện, chờ xác nhận")
        VERIFIED = "verified", _("Đã xác nhận, kết thúc")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(_("kiến nghị"))
    # The text folded (no accents, lower case), for the list's search.
    search_key = models.TextField(editable=False, default="")
    owner = models.ForeignKey(Agency, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT,
                              related_name="+")
    owner_person = models.ForeignKey(Staff, verbose_name=_("người thực hiện"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="inspection_recommendations")
    due_on = models.DateField(_("hạn thực hiện"))
    state = models.CharField(_("tình trạng"), max_length=12, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("ngày thực hiện xong"), null=True, blank=True)
    evidence = models.TextField(_("kết quả, bằng chứng thực hiện"), blank=True)
    evidence_file = models.FileField(_("tệp bằng chứng"), upload_to="inspections/evidence/%Y/%m/", max_length=255,
                                     blank=True)
    evidence_type = models.CharField(max_length=60, blank=True)
    verified_on = models.DateField(_("ngày xác nhận"), null=True, blank=True)
    verified_by = models.ForeignKey(Staff, verbose_name=_("người xác nhận"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:recommendation", args=[self.pk])

    @property
    def closed(self) -> bool:
        return self.state == self.State.VERIFIED

    def overdue_on(self, today) -> bool:
        """Past its deadline and not carried out (done or verified) — computed, never stored."""
        return self.state in (self.State.OPEN, self.State.IN_PROGRESS) and today > self.due_on


EVENT_LABELS = {
    "record": _("Ghi hồ sơ"), "extended": _("Gia hạn"), "redacted": _("Lược bỏ thông tin mật"),
    "check": _("Kiểm tra công vụ"), "directive": _("Ban hành văn bản chỉ đạo thực hiện"),
    "breach": _("Chuyển vi phạm sang kỷ luật"),
    "opened": _("Ra quyết định"), "team": _("Thay đổi đoàn"), "draft_received": _("Nhận dự thảo kết luận"),
    "finding": _("Ghi phát hiện"), "recommendation": _("Ghi kiến nghị"), "concluded": _("Ký kết luận"),
    "published": _("Công khai kết luận"), "recommendation_done": _("Kiến nghị đã thực hiện"),
    "recommendation_started": _("Bắt đầu thực hiện kiến nghị"),
    "recommendation_verified": _("Xác nhận kiến nghị đã thực hiện"),
    "recommendation_returned": _("Trả lại báo cáo thực hiện kiến nghị"),
    "recommendation_extended": _("Gia hạn kiến nghị"),
}


class InspectionEvent(models.Model):
    """Append-only history of each inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")
    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d}"

    def get_kind_label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))


class Rotation(models.Model):
    """A year's cross-inspection rotation among the peer agencies under one parent (docs/inspections.md §6)."""

    parent = models.ForeignKey(Agency, verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="+")
    peer_kind = models.CharField(_("loại đơn vị ngang cấp"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm"))
    rounds = models.PositiveSmallIntegerField(_("số đợt"))
    seed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lịch kiểm tra chéo")
        verbose_name_plural = _("lịch kiểm tra chéo")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.parent} {self.year}"

    @property
    def round_numbers(self) -> range:
        return range(1, self.rounds + 1)


class RotationPair(models.Model):
    rotation = models.ForeignKey(Rotation, on_delete=models.PROTECT, related_name="pairs")
    round = models.PositiveSmallIntegerField(_("đợt"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    inspecting = models.ForeignKey(Agency, verbose_name=_("đơn vị kiểm tra"), on_delete=models.PROTECT,
                                   related_name="+")
    inspected = models.ForeignKey(Agency, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT,
                                  related_name="+")
    # The inspection decided for this pair (docs/inspections.md §19); once set, the pair no longer changes.
    inspection = models.OneToOneField(Inspection, verbose_name=_("cuộc kiểm tra"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="rotation_pair")

    class Meta:
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["rotation", "round", "inspecting"], name="rotation_one_per_round")]

    def __str__(self) -> str:
        return f"{self.round}: {self.inspecting_id} → {self.inspected_id}"


class Method(models.TextChoices):
    ON_SITE = "on_site", _("Trực tiếp tại đơn vị")
    DOCUMENTS = "documents", _("Qua hồ sơ, báo cáo")
    COMBINED = "combined", _("Kết hợp")


class Plan(models.Model):
    """An inspecting agency's yearly plan: drafted, approved, amended and approved again — every approved
    version kept as a snapshot (docs/inspections.md §10)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã phê duyệt")
        AMENDING = "amending", _("Đang điều chỉnh")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan tiến hành"), on_delete=models.PROTECT,
                               related_name="inspection_plans")
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The number of the latest approved version (0: never approved).
    approved_version = models.PositiveSmallIntegerField(_("phiên bản đã phê duyệt"), default=0)
    amendment_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("kế hoạch thanh tra, kiểm tra")
        verbose_name_plural = _("kế hoạch thanh tra, kiểm tra")
        ordering = ["-year", "agency__path"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="inspection_plan_one_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.AMENDING)


class PlanItem(models.Model):
    """One planned inspection. Withdrawn in an amendment, it stays (nothing is deleted)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="items")
    topic = models.CharField(_("nội dung"), max_length=255)
    target = models.ForeignKey(Agency, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT,
                               related_name="+")
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    method = models.CharField(_("phương thức"), max_length=10, choices=Method.choices, default=Method.ON_SITE)
    reason = models.CharField(_("căn cứ"), max_length=10, choices=Reason.choices, default=Reason.PERIODIC)
    # For a risk-based item: the signals that proposed it, as the proposal stated them.
    basis = models.TextField(_("cơ sở đề xuất"), blank=True)
    withdrawn = models.BooleanField(_("đã rút khỏi kế hoạch"), default=False)
    inspection = models.OneToOneField(Inspection, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="plan_item")

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = _("nội dung kế hoạch")
        ordering = ["quarter", "month", "id"]

    def __str__(self) -> str:
        return self.topic

    @property
    def start_month(self) -> int:
        """The first month it may take place in: its month, or its quarter's first."""
        return self.month or 3 * (self.quarter or 1) - 2

    @property
    def when(self) -> str:
        if self.month:
            return f"{_('Tháng')} {self.month}"
        return f"{_('Quý')} {self.quarter}" if self.quarter else ""

    def snapshot(self) -> dict:
        return {"id": self.pk, "topic": self.topic, "target": self.target.code, "target_name": self.target.name,
                "month": self.month, "quarter": self.quarter, "kind": self.kind, "method": self.method,
                "reason": self.reason, "basis": self.basis}


class PlanVersion(models.Model):
    """An approved version of a plan: the items as approved, frozen."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    approved_on = models.DateField(_("ngày phê duyệt"))
    approved_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=60)
    reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    items = models.JSONField(default=list)
    at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="inspection_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


PLAN_EVENT_LABELS = {
    "created": _("Lập dự thảo kế hoạch"), "item_added": _("Thêm nội dung"), "item_changed": _("Sửa nội dung"),
    "item_withdrawn": _("Rút nội dung khỏi kế hoạch"), "approved": _("Phê duyệt"),
    "amending": _("Bắt đầu điều chỉnh"), "item_opened": _("Ra quyết định theo kế hoạch"),
}


class PlanEvent(models.Model):
    """Append-only history of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d}"

    def get_kind_label(self) -> str:
        return str(PLAN_EVENT_LABELS.get(self.kind, self.kind))



class RecordKind(models.TextChoices):
    TEAM_PLAN = "team_plan", _("Kế hoạch tiến hành của đoàn")
    OUTLINE = "outline", _("Đề cương yêu cầu báo cáo")
    ANNOUNCEMENT = "announcement", _("Công bố quyết định")
    DIARY = "diary", _("Nhật ký đoàn")
    MINUTES = "minutes", _("Biên bản làm việc")
    EVIDENCE = "evidence", _("Tài liệu, chứng cứ")
    EXTENSION = "extension", _("Gia hạn thời hạn tiến hành")
    REPORT = "report", _("Báo cáo kết quả")
    APPRAISAL = "appraisal", _("Thẩm định dự thảo kết luận")


# Records the inspected agency sees too (it receives or signs them); the others are the team's own.
SHARED_RECORDS = (RecordKind.OUTLINE, RecordKind.ANNOUNCEMENT, RecordKind.MINUTES, RecordKind.EXTENSION)


class InspectionRecord(models.Model):
    """One paper of the inspection's file: the team's plan, the announcement, a diary entry, minutes,
    evidence, an extension, the results report, the appraisal. Append-only."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("loại"), max_length=14, choices=RecordKind.choices)
    on = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung"))
    file = models.FileField(_("tệp"), upload_to="inspections/records/%Y/%m/", max_length=255, blank=True)
    file_type = models.CharField(max_length=60, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    extends_to = models.DateField(_("gia hạn đến"), null=True, blank=True)
    author = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("hồ sơ cuộc thanh tra")
        verbose_name_plural = _("hồ sơ cuộc thanh tra")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"

    @property
    def shared(self) -> bool:
        return self.kind in SHARED_RECORDS


class CheckItem(models.TextChoices):
    """What a civil-service check (kiểm tra công vụ) looks at, at the desk (docs/inspections.md §13)."""

    WORKING_HOURS = "working_hours", _("Thời giờ làm việc")
    UNIFORM_BADGE = "uniform_badge", _("Trang phục, đeo thẻ công chức")
    DISCLOSURE = "disclosure", _("Niêm yết công khai thủ tục hành chính tại nơi tiếp nhận")
    REGISTERS = "registers", _("Giấy tiếp nhận, hẹn trả và sổ theo dõi hồ sơ")
    FEE_RECEIPTS = "fee_receipts", _("Biên lai thu phí, lệ phí")
    DIRECTIVES = "directives", _("Thực hiện chỉ đạo, văn bản của cấp trên")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Không đạt")
    NOT_APPLICABLE = "na", _("Không áp dụng")


class CheckEntry(models.Model):
    """One mark of one checklist item; a later mark of the same item supersedes it (both kept)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="checks")
    item = models.CharField(_("nội dung kiểm tra"), max_length=16, choices=CheckItem.choices)
    result = models.CharField(_("kết quả"), max_length=4, choices=CheckResult.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    cadre = models.ForeignKey(Staff, verbose_name=_("cán bộ liên quan"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    photo = models.FileField(_("ảnh"), upload_to="inspections/checks/%Y/%m/", max_length=255, blank=True)
    photo_type = models.CharField(max_length=60, blank=True)
    checked_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("mục kiểm tra công vụ")
        verbose_name_plural = _("mục kiểm tra công vụ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.result}"


class RotationChange(models.Model):
    """An inspector's adjustment of a rotation: in one round, two pairs swapped what they inspect."""

    rotation = models.ForeignKey(Rotation, on_delete=models.PROTECT, related_name="changes")
    round = models.PositiveSmallIntegerField()
    note = models.TextField()
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.note[:80]


class RelationKind(models.TextChoices):
    """The relations that keep a cadre off an inspection team (docs/inspections.md §20)."""

    SPOUSE = "spouse", _("Vợ, chồng")
    PARENT = "parent", _("Cha, mẹ (đẻ, nuôi)")
    PARENT_IN_LAW = "parent_in_law", _("Cha, mẹ của vợ hoặc chồng")
    CHILD = "child", _("Con (đẻ, nuôi), con dâu, con rể")
    SIBLING = "sibling", _("Anh, chị, em ruột")
    SIBLING_IN_LAW = "sibling_in_law", _("Anh, chị, em ruột của vợ hoặc chồng; vợ, chồng của anh, chị, em ruột")
    INTEREST = "interest", _("Quan hệ lợi ích (góp vốn, kinh doanh, vay mượn, lợi ích khác)")


class StaffRelation(models.Model):
    """A relation a cadre declared with another cadre or with an agency (docs/inspections.md §20). Never deleted:
    an ended relation keeps its end day, and every change appends a `RelationEvent`."""

    staff = models.ForeignKey(Staff, verbose_name=_("cán bộ kê khai"), on_delete=models.PROTECT,
                              related_name="declared_relations")
    relative = models.ForeignKey(Staff, verbose_name=_("người có quan hệ"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    # An interest tie with an agency (capital, a business, a loan) rather than with one of its cadres.
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan, đơn vị có quan hệ"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("quan hệ"), max_length=16, choices=RelationKind.choices)
    note = models.TextField(_("căn cứ, ghi chú"), blank=True)
    declared_on = models.DateField(_("ngày kê khai"))
    ended_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("quan hệ đã kê khai")
        verbose_name_plural = _("quan hệ đã kê khai")
        ordering = ["-declared_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(relative__isnull=False, agency__isnull=True)
            | models.Q(relative__isnull=True, agency__isnull=False), name="relation_with_one_party")]

    def __str__(self) -> str:
        return f"{self.staff_id} ~ {self.relative_id or self.agency_id}: {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:relation", args=[self.pk])

    @property
    def other_name(self) -> str:
        """The other party: the cadre, or the agency."""
        if self.relative_id is not None:
            return self.relative.full_name
        return self.agency.name if self.agency_id is not None else ""

    def active_on(self, day) -> bool:
        return self.ended_on is None or self.ended_on > day


RELATION_EVENT_LABELS = {"declared": _("Ghi quan hệ đã kê khai"), "ended": _("Chấm dứt quan hệ")}


class RelationEvent(models.Model):
    """Append-only history of a declared relation: recorded, ended."""

    relation = models.ForeignKey(StaffRelation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d}"

    def get_kind_label(self) -> str:
        return str(RELATION_EVENT_LABELS.get(self.kind, self.kind))


class RelationAccess(models.Model):
    """One reading of a declared relation (personal data: a family or interest tie) by a signed-in user: who,
    when, from where, how. Written by `services.relation_read` only, never changed (docs/inspections.md §20,
    as docs/security.md §3 logs the reading of a dossier's personal data)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Xem")
        EXPORT = "export", _("Xuất tệp")

    at = models.DateTimeField(_("lúc"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xem"), on_delete=models.PROTECT,
                             related_name="+")
    relation = models.ForeignKey(StaffRelation, verbose_name=_("quan hệ"), on_delete=models.PROTECT,
                                 related_name="reads")
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    address = models.CharField(_("địa chỉ IP"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("lượt xem quan hệ đã kê khai")
        verbose_name_plural = _("lượt xem quan hệ đã kê khai")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.relation_id}"
