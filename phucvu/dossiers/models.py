"""Dossiers, their steps and their immutable event log (docs/domain.md §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")
    TRANSFERRED = "transferred", _("Liên thông")


# The national public service portal's status codes, kept beside ours for data exchange.
PORTAL_CODES: dict[str, int] = {
    Status.SUBMITTED: 1, Status.RECEIVED: 2, Status.REFUSED: 3, Status.PROCESSING: 4,
    Status.AWAITING_SUPPLEMENT: 5, Status.AWAITING_PAYMENT: 6, Status.WITHDRAWN: 7, Status.STOPPED: 8,
    Status.RESOLVED: 9, Status.RETURNED: 10, Status.TRANSFERRED: 0,
}

# Accepted and not finished: the clock is (or may be) running.
OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT)
PAUSED_STATUSES = (Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT)
CLOSED_STATUSES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED, Status.TRANSFERRED)


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    POSTAL = "postal", _("Bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class Result(models.TextChoices):
    GRANTED = "granted", _("Giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    # Unique through Meta.constraints, not unique=True: on PostgreSQL the latter adds a second, pattern-ops
    # index for LIKE 'prefix%' that nothing here queries, and every imported row pays for it.
    code = models.CharField(_("mã hồ sơ"), max_length=60)
    # Indexes are few on purpose (history is bulk-loaded): the composites below lead with agency.
    agency = models.ForeignKey("organization.Agency", verbose_name=_("đơn vị tiếp nhận"),
                               on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    # The agency that decides (holds the signing step, or the last step where none signs apart): set at
    # intake from the resolved workflow, moved with that step (a transfer to a successor). Reports count a
    # dossier both where it was received and here (docs/desk.md "Step kinds").
    competent_agency = models.ForeignKey("organization.Agency", verbose_name=_("cơ quan có thẩm quyền"),
                                         null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                         db_index=False)
    procedure = models.ForeignKey("catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT,
                                          related_name="dossiers", db_index=False)
    # Copied from the procedure so that reports group by field without a join.
    field = models.ForeignKey("catalog.Field", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices)
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số giấy tờ tùy thân"), max_length=40, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    applicant_email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # Searched with `contains` (no B-tree helps), so not indexed.
    search_key = models.CharField(max_length=400, editable=False, default="")
    papers = models.JSONField(_("giấy tờ đã nhận"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("nộp trực tuyến lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    start_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    # The appointment: pauses move it, an apology does not (the dossier still counts late).
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True)
    legal_minutes = models.PositiveIntegerField(_("thời hạn (phút làm việc)"), default=0)
    reappointed_at = models.DateTimeField(_("hẹn lại"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("giải quyết xong lúc"), null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=10, choices=Result.choices, blank=True)
    result_note = models.TextField(_("lý do, ghi chú kết quả"), blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    refused_at = models.DateTimeField(_("từ chối tiếp nhận lúc"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("rút hồ sơ lúc"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("dừng xử lý lúc"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    # The status a pause came from, restored on resume.
    paused_from = models.CharField(max_length=24, choices=Status.choices, blank=True)
    # Every supplement / financial-obligation wait: [[start ISO, end ISO or null], …] — reports read them.
    pauses = models.JSONField(default=list, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    current_step = models.ForeignKey("DossierStep", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    # Optimistic concurrency: every transition checks and increments it.
    version = models.PositiveIntegerField(default=1)
    secret = models.CharField(_("mã tra cứu"), max_length=16)
    rule_set = models.CharField(_("quy định áp dụng"), max_length=20)
    received_by = models.ForeignKey("organization.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    imported = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_status_due"),
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received"),
            # Exact look-ups by citizen ID; a Meta index, not db_index=True (no pattern-ops twin, as for code).
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
        ]
        constraints = [models.UniqueConstraint(fields=["code"], name="dossier_code_unique")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.search_key = dossier_search_key(self.code, self.applicant_name, self.applicant_id_number)
        super().save(*args, **kwargs)

    @property
    def portal_code(self) -> int:
        return PORTAL_CODES[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status in PAUSED_STATUSES


def dossier_search_key(code: str, applicant_name: str, id_number: str) -> str:
    return fold(f"{code} {applicant_name} {id_number}")[:400]


class DossierStep(models.Model):
    """One step of a dossier's workflow, with its own clock (its share of the legal time)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("bước"), max_length=255)
    agency = models.ForeignKey("organization.Agency", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT,
                               related_name="dossier_steps")
    role = models.CharField(_("vai trò"), max_length=20, blank=True)
    assignee = models.ForeignKey("organization.Staff", verbose_name=_("người xử lý"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="dossier_steps")
    share = models.PositiveSmallIntegerField(_("tỷ lệ thời gian (%)"), default=0)
    minutes = models.PositiveIntegerField(_("thời hạn bước (phút làm việc)"), default=0)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)
    outcome = models.CharField(_("kết quả bước"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["dossier", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_unique_order"),
        ]
        indexes = [models.Index(fields=["agency", "finished_at"], name="dossier_step_agency_open")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp trực tuyến")
    RECEIVED = "received", _("Tiếp nhận")
    ACCEPTED = "accepted", _("Tiếp nhận hồ sơ trực tuyến")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    ASSIGNED = "assigned", _("Phân công xử lý")
    FORWARDED = "forwarded", _("Chuyển bước")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nghĩa vụ tài chính")
    RESUMED = "resumed", _("Tiếp tục xử lý")
    APOLOGIZED = "apologized", _("Xin lỗi và hẹn lại")
    APPROVED = "approved", _("Phê duyệt")
    RESOLVED = "resolved", _("Có kết quả")
    RETURNED = "returned", _("Trả kết quả")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    TRANSFERRED = "transferred", _("Chuyển đơn vị kế thừa")
    IMPORTED = "imported", _("Nhập từ hệ thống cũ")


class DossierEvent(models.Model):
    """Append-only: one row per thing that happened to a dossier. Never updated, never deleted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events",
                                db_index=False)  # the (dossier, at) index serves
    kind = models.CharField(_("việc"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey("organization.Staff", verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    step = models.ForeignKey(DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    note = models.TextField(_("ghi chú"), blank=True)
    due_at_then = models.DateTimeField(_("hạn lúc đó"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The chain (docs/audit.md, `chain.py`): the previous event's hash ("" for a dossier's first) and this
    # event's, over its fields and `prev_hash`. Written with the row, under the dossier's row lock.
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # When the row was written (not when the thing happened: `at`), which day's record (`EventDay`) covers it.
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_timeline"),
                   models.Index(fields=["kind", "at"], name="dossier_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("DossierEvent is append-only")
        super().save(*args, **kwargs)


class EventDay(models.Model):
    """One day's record of the event chain: the hash of the previous day's record and of the head (last
    event's hash) of every dossier with an event recorded that local day. Written once the day is over
    (`audit.seal_days`), never changed: a later edit of that day's events shows against it."""

    day = models.DateField(_("ngày"))
    prev_hash = models.CharField(max_length=64, blank=True)
    chain_hash = models.CharField(max_length=64)
    dossiers = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bản ghi chuỗi sự kiện trong ngày")
        verbose_name_plural = _("bản ghi chuỗi sự kiện trong ngày")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["day"], name="event_day_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.chain_hash[:12]}"


class Collector(models.TextChoices):
    """Who took the result away (Decree 61/2018 art. 20: to the applicant, to a person they authorised in
    writing, or by public postal service)."""

    APPLICANT = "applicant", _("Người nộp hồ sơ")
    AUTHORISED = "authorised", _("Người được ủy quyền (có giấy ủy quyền)")
    POST = "post", _("Gửi qua bưu chính")


class ResultRecord(models.Model):
    """The result of one dossier as recorded: the decision (or permit, or written refusal) with its number,
    date and signer and the signed document (a PDF kept under MEDIA_ROOT/results/, never served publicly);
    then how it was handed back — fees collected with their receipt, who took it. Written by
    `dossier_resolve` and completed by `dossier_return_result`; each step is also in its event's data."""

    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.PROTECT, related_name="result_record")
    number = models.CharField(_("số quyết định, giấy phép"), max_length=60, blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=255, blank=True)
    signer = models.ForeignKey("organization.Staff", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    document = models.FileField(_("văn bản kết quả"), upload_to="results/%Y/%m/", max_length=255, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    document_sha256 = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("ghi kết quả lúc"), null=True, blank=True)
    recorded_by = models.ForeignKey("organization.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # Returning the result.
    fee_amount = models.PositiveBigIntegerField(_("phí, lệ phí đã thu (đồng)"), null=True, blank=True)
    fee_receipt_number = models.CharField(_("số biên lai thu phí, lệ phí"), max_length=60, blank=True)
    collector = models.CharField(_("người nhận kết quả"), max_length=12, choices=Collector.choices, blank=True)
    collector_name = models.CharField(_("họ tên người nhận"), max_length=255, blank=True)
    collector_id_number = models.CharField(_("số giấy tờ tùy thân người nhận"), max_length=40, blank=True)
    authorisation = models.CharField(_("giấy ủy quyền (số, ngày)"), max_length=255, blank=True)
    tracking_number = models.CharField(_("mã bưu gửi"), max_length=60, blank=True)
    returned_by = models.ForeignKey("organization.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.number}"


class DossierCounter(models.Model):
    """The last sequence number used for codes of one agency on one local day (gap-free, never reused)."""

    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_unique_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} #{self.last}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Xem")
    PRINT = "print", _("In")
    EXPORT = "export", _("Xuất danh sách")
    DOWNLOAD = "download", _("Tải tệp")


class PersonalDataAccess(models.Model):
    """One reading of a dossier's personal data by a signed-in user: who, when, from where, which dossier,
    how (a page, a printed form, an export, a file, the API). Written by
    `services.personal_data_accessed` only, never changed; read by inspectors (docs/security.md §3)."""

    at = models.DateTimeField(_("lúc"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xem"), on_delete=models.PROTECT,
                             related_name="+")
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    # Copied from the dossier (its receiving agency) so that the visibility rule filters without a join.
    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    action = models.CharField(_("thao tác"), max_length=10, choices=AccessAction.choices)
    via_api = models.BooleanField(_("qua API"), default=False)
    # What exactly: the printed form's kind, the export's name, the file's name.
    detail = models.CharField(_("chi tiết"), max_length=120, blank=True)
    address = models.CharField(_("địa chỉ IP"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        indexes = [models.Index(fields=["agency", "at"], name="pd_access_agency_at"),
                   models.Index(fields=["dossier", "at"], name="pd_access_dossier_at"),
                   models.Index(fields=["user", "at"], name="pd_access_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.dossier_id} {self.at:%Y-%m-%d %H:%M}"
