"""The citizen side: satisfaction votes, feedback (phản ánh, kiến nghị), uploaded papers, look-up throttle.

The portal owns these rows; it reads and changes dossiers only through dossiers' services and selectors,
and dossiers never import the portal.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phucvu.core.text import fold


class Satisfaction(models.TextChoices):
    # The three levels of docs/domain.md §13 (rất hài lòng / hài lòng / không hài lòng).
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class VoteChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại quầy")
    KIOSK = "kiosk", _("Máy đánh giá tại chỗ")


class SatisfactionVote(models.Model):
    """One citizen's vote on one dossier. A later vote replaces the earlier one as a new row: the old row
    stays with `current=False`, so counts read only current rows and the history is kept."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="+")
    # Copied from the dossier so that counts per agency need no join.
    agency = models.ForeignKey("organization.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices)
    # Optional vote on the clerk who received and returned the dossier (attitude, docs/domain.md §13).
    clerk = models.ForeignKey("organization.Staff", verbose_name=_("công chức được đánh giá"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    clerk_level = models.CharField(_("đánh giá công chức"), max_length=16, choices=Satisfaction.choices,
                                   blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=VoteChannel.choices, default=VoteChannel.ONLINE)
    at = models.DateTimeField(_("lúc"))
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=models.Q(current=True),
                                    name="satisfaction_one_current_vote"),
        ]
        indexes = [models.Index(fields=["agency", "current", "at"], name="satisfaction_agency_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.level} {self.at:%Y-%m-%d}"


class FeedbackKind(models.TextChoices):
    FEEDBACK = "feedback", _("Phản ánh")
    RECOMMENDATION = "recommendation", _("Kiến nghị")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    DECLINED = "declined", _("Không thuộc phạm vi xử lý")


class Feedback(models.Model):
    """A citizen's feedback or recommendation, with its legal deadline and the agency's answer."""

    code = models.CharField(_("mã phản ánh"), max_length=40, unique=True)
    secret = models.CharField(_("mã tra cứu"), max_length=16)
    kind = models.CharField(_("loại"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.FEEDBACK)
    agency = models.ForeignKey("organization.Agency", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT,
                               related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ liên quan"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.RECEIVED)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey("organization.Staff", verbose_name=_("người trả lời"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    search_key = models.CharField(max_length=500, editable=False, default="")
    version = models.PositiveIntegerField(default=1)
    # The specialist the agency gave it to (the answer may still come from anyone of the agency).
    assignee = models.ForeignKey("organization.Staff", verbose_name=_("người được giao xử lý"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    # The agency chose to publish the answer on the public list (without the sender's name or contact).
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "due_at"], name="feedback_agency_status_due")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(f"{self.code} {self.name} {self.subject}")[:500]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == FeedbackStatus.RECEIVED

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


class FeedbackEventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận")
    ANSWERED = "answered", _("Trả lời")
    DECLINED = "declined", _("Không xử lý")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    ASSIGNED = "assigned", _("Giao chuyên viên xử lý")
    PUBLISHED = "published", _("Công khai trả lời")
    UNPUBLISHED = "unpublished", _("Thôi công khai")


class FeedbackEvent(models.Model):
    """Append-only history of a feedback: who did what, when."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=FeedbackEventKind.choices)
    actor = models.ForeignKey("organization.Staff", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["feedback", "at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("FeedbackEvent is append-only")
        super().save(*args, **kwargs)


class FeedbackAttachment(models.Model):
    """A file the citizen sent with a feedback, checked like an online paper, under MEDIA_ROOT/portal/."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="portal/feedback/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tệp kèm phản ánh")
        verbose_name_plural = _("tệp kèm phản ánh")
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.original_name}"


class SubmissionPaper(models.Model):
    """A file the citizen uploaded with an online submission, stored under MEDIA_ROOT/portal/."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("giấy tờ"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="portal/papers/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    # Set for a paper sent online in answer to a supplement request (that request's event).
    request_event = models.ForeignKey("dossiers.DossierEvent", verbose_name=_("yêu cầu bổ sung"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("giấy tờ nộp trực tuyến")
        verbose_name_plural = _("giấy tờ nộp trực tuyến")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.label}"


class PortalAttempt(models.Model):
    """One throttled public action from an address (a failed look-up, a submission): rows, not cache,
    so the throttle holds across processes and restarts."""

    class Kind(models.TextChoices):
        LOOKUP_FAILED = "lookup_failed", _("Tra cứu sai")
        SUBMISSION = "submission", _("Nộp hồ sơ, phản ánh")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    address = models.CharField(max_length=64)
    # A look-up's code as typed (normalised): failures are counted per code as well as per address.
    code = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "address", "at"], name="portal_attempt_window"),
                   models.Index(fields=["kind", "code", "at"], name="portal_attempt_code_window")]

    def __str__(self) -> str:
        return f"{self.kind} {self.address} {self.at:%Y-%m-%d %H:%M}"
