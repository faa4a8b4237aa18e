"""The outbox (every message is a row), the citizens' channel choices, the Zalo OA token, the sweeps' clock.

See docs/notifications.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelName(models.TextChoices):
    ZALO = "zalo", _("Zalo (ZNS)")
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")
    LOG = "log", _("Nhật ký hệ thống")


# The order a notice tries the channels a citizen accepted (a failing channel falls back to the next).
FALLBACK_ORDER = (ChannelName.ZALO, ChannelName.SMS, ChannelName.EMAIL)


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Gửi không được")
    CANCELLED = "cancelled", _("Đã hủy (không còn đúng)")


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    STAFF = "staff", _("Cán bộ")


class Message(models.Model):
    """One message on one channel. Never deleted: a fallback to another channel is a new row."""

    # The idempotency key: the notice's key (`group`) and the channel. A retried event inserts nothing new.
    key = models.CharField(max_length=200)
    group = models.CharField(max_length=190, db_index=True)
    event = models.CharField(_("sự kiện"), max_length=40)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.CITIZEN)
    channel = models.CharField(_("kênh"), max_length=8, choices=ChannelName.choices)
    template = models.CharField(_("mẫu"), max_length=60)
    template_version = models.PositiveSmallIntegerField(_("phiên bản mẫu"), default=1)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", db_index=False)
    staff = models.ForeignKey("organization.Staff", verbose_name=_("cán bộ"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("người nhận"), max_length=254)
    # What the template is filled with, the rendered subject and text, and the channels still to try.
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=MessageStatus.choices,
                              default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # Not before this moment: quiet hours, a delayed request, or the back-off after a failed attempt.
    next_attempt_at = models.DateTimeField(_("gửi từ"))
    # A worker's claim: the row is `sending` until `lease_until`; a lost worker's rows go back to the queue.
    claim = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    cost = models.PositiveIntegerField(_("chi phí (đồng)"), default=0)
    fallback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], name="notification_message_key_unique")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["dossier", "created_at"], name="notification_dossier"),
            models.Index(fields=["channel", "provider_id"], name="notification_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient} ({self.channel}, {self.status})"

    @property
    def subject(self) -> str:
        return self.payload.get("subject", "")

    @property
    def text(self) -> str:
        return self.payload.get("text", "")


class ContactPreference(models.Model):
    """How the applicant of one dossier accepts to be told (their choice at submission, or later through
    the link in every e-mail or on the staff's panel). No row: the default channels (`NOTIFY_DEFAULT_CHANNELS`)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    channels = models.JSONField(_("kênh nhận thông báo"), default=list, blank=True)
    opted_out = models.BooleanField(_("không nhận thông báo"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {'—' if self.opted_out else ', '.join(self.channels)}"


class ProviderToken(models.Model):
    """An OAuth token pair of a provider (Zalo OA): the refresh token is single-use, so each refresh
    stores the new pair under a row lock and every worker reads the current one from here."""

    provider = models.CharField(max_length=20)
    access_token = models.TextField()
    refresh_token = models.TextField()
    expires_at = models.DateTimeField()
    rotated_at = models.DateTimeField()
    rotations = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider"], name="notification_token_provider_unique")]

    def __str__(self) -> str:
        return f"{self.provider} (→ {self.expires_at:%Y-%m-%d %H:%M})"


class SweepRun(models.Model):
    """When each periodic sweep last ran and is next due (workers claim a due sweep by a conditional update)."""

    name = models.CharField(max_length=40)
    last_run_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField()
    last_result = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name"], name="notification_sweep_name_unique")]

    def __str__(self) -> str:
        return self.name
