"""The channels behind one interface: `address` (who, on this channel), `can_send` (this event here),
`send` (one message; returns the provider's id and cost or raises `ChannelError`).

- `log`: writes the message to the application log; the embedded default (nothing leaves the machine).
- `email`: Django's mail framework (SMTP in production, `EMAIL_HOST`/`EMAIL_PORT`/… from the environment).
- `sms`: eSMS.vn's brandname API (`SendMultipleMessage_V4_post_json`, customer-care type 2).
- `zalo`: Zalo ZNS template messages (`/message/template`, the phone in 84… form, a template id and its
  data), with the OA access token refreshed by OAuth (`tokens.py`).
"""

from __future__ import annotations

import json
import logging
import math
import re
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from phucvu.core.public import public_url
from phucvu.notifications import tokens
from phucvu.notifications.links import choice_url
from phucvu.notifications.models import Audience, ChannelName, Message
from phucvu.notifications.texts import unaccented

logger = logging.getLogger("phucvu.notifications")


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""
    cost: int = 0
    delivered: bool = False  # the channel knows it reached the person (the log does; SMTP only relays)


class ChannelError(Exception):
    """A failed send. `permanent`: retrying this channel cannot help (fall back to the next one)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def phone_84(phone: str) -> str | None:
    """'0912 345 678' / '+84912345678' -> '84912345678'; None if it is not a Vietnamese mobile number."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    if not digits.startswith("84") or len(digits) != 11 or digits[2] not in "35789":
        return None
    return digits


def _post(url: str, *, body: bytes, headers: dict[str, str]) -> dict:
    """POST and read a JSON answer; network failures and 5xx are transient, other HTTP errors permanent."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code} từ {url}", permanent=exc.code < 500 and exc.code != 429) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ChannelError(f"Không kết nối được {url}: {exc}") from exc
    try:
        return json.loads(raw or b"{}")
    except ValueError as exc:
        raise ChannelError(f"Trả lời không đọc được từ {url}") from exc


class Channel:
    name: str = ""

    def address(self, *, phone: str = "", email: str = "") -> str | None:
        raise NotImplementedError

    def can_send(self, event: str) -> bool:
        return True

    def send(self, message: Message) -> Sent:
        raise NotImplementedError


class LogChannel(Channel):
    name = ChannelName.LOG

    def address(self, *, phone: str = "", email: str = "") -> str | None:
        return phone_84(phone) or email or "—"

    def send(self, message: Message) -> Sent:
        logger.info("notify %s → %s: %s", message.event, message.recipient, masked(message))
        return Sent(provider_id=f"log-{message.pk}", delivered=True)


def masked(message: Message) -> str:
    """The text with the look-up secret hidden (also inside the link): a log is read by more people
    than the citizen, and the secret with the code opens the dossier's status page."""
    text = message.text
    secret = str((message.payload.get("data") or {}).get("secret") or "")
    if len(secret) >= 4:
        text = text.replace(secret, secret[:2] + "•" * (len(secret) - 2))
    return text


class EmailChannel(Channel):
    name = ChannelName.EMAIL

    def address(self, *, phone: str = "", email: str = "") -> str | None:
        email = (email or "").strip()
        return email if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) else None

    def send(self, message: Message) -> Sent:
        # A stable Message-ID: a relay that sees the same message twice can tell.
        message_id = f"<{message.key.replace(':', '.').replace('/', '.')}@phucvu>"
        body = message.text
        if message.audience == Audience.CITIZEN and message.dossier_id:
            # E-mail has room for what an SMS has not: how to change channels or stop messages.
            body += f"\n\n--\nĐổi kênh nhận thông báo hoặc ngừng nhận: {choice_url(message.dossier_id)}"
        mail = EmailMessage(subject=message.subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                            to=[message.recipient], headers={"Message-ID": message_id},
                            connection=get_connection(fail_silently=False))
        try:
            mail.send()
        except smtplib.SMTPResponseException as exc:
            raise ChannelError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=exc.smtp_code >= 500) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise ChannelError(f"SMTP từ chối người nhận: {codes}", permanent=all(c >= 500 for c in codes)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP: {exc}") from exc
        return Sent(provider_id=message_id)


# eSMS answers: 100 accepted; these mean the request itself cannot succeed (account, brandname, content,
# number), so another channel is tried at once. Anything else (99 unknown, timeouts) is retried.
ESMS_PERMANENT = {"101", "102", "103", "104", "118", "119", "131", "132", "145", "177"}


class SmsChannel(Channel):
    name = ChannelName.SMS

    def address(self, *, phone: str = "", email: str = "") -> str | None:
        return phone_84(phone)

    def send(self, message: Message) -> Sent:
        content = message.text if settings.ESMS_UNICODE else unaccented(message.text)
        body = {"ApiKey": settings.ESMS_API_KEY, "SecretKey": settings.ESMS_SECRET_KEY,
                "Phone": message.recipient, "Content": content, "Brandname": settings.ESMS_BRANDNAME,
                "SmsType": settings.ESMS_SMS_TYPE, "IsUnicode": "1" if settings.ESMS_UNICODE else "0",
                "Sandbox": "1" if settings.ESMS_SANDBOX else "0",
                # eSMS's de-duplication key: a retry after a lost answer is not sent twice.
                "RequestId": message.key[:100]}
        if settings.NOTIFY_CALLBACK_TOKEN:
            body["CallbackUrl"] = public_url(f"/notifications/hooks/esms/{settings.NOTIFY_CALLBACK_TOKEN}/")
        answer = _post(settings.ESMS_BASE_URL.rstrip("/") + "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
                       body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        code = str(answer.get("CodeResult", ""))
        if code != "100":
            raise ChannelError(f"eSMS {code}: {answer.get('ErrorMessage', '')}", permanent=code in ESMS_PERMANENT)
        per_segment = 70 if settings.ESMS_UNICODE else 160
        segments = 1 if len(content) <= per_segment else math.ceil(len(content) / (per_segment - 7))
        return Sent(provider_id=str(answer.get("SMSID", "")), cost=segments * settings.ESMS_PRICE_VND)


# Zalo's answers that mean the access token must be renewed.
ZALO_TOKEN_ERRORS = {-124, -216, -14014}


class ZaloChannel(Channel):
    name = ChannelName.ZALO

    def address(self, *, phone: str = "", email: str = "") -> str | None:
        return phone_84(phone)

    def can_send(self, event: str) -> bool:
        return bool(settings.ZALO_ZNS_TEMPLATES.get(event))

    def send(self, message: Message) -> Sent:
        template_id = settings.ZALO_ZNS_TEMPLATES.get(message.event)
        if not template_id:
            raise ChannelError(f"Chưa có mẫu ZNS cho sự kiện {message.event}.", permanent=True)
        body = json.dumps({"phone": message.recipient, "template_id": str(template_id),
                           "template_data": message.payload.get("data", {}),
                           "tracking_id": message.key[:48]}).encode()
        try:
            token = tokens.access_token()
            answer = self._call(body, token)
            if answer.get("error") in ZALO_TOKEN_ERRORS:
                answer = self._call(body, tokens.refresh(stale=token))
        except tokens.TokenError as exc:
            raise ChannelError(str(exc), permanent=True) from exc
        error = answer.get("error")
        if error != 0:
            # The recipient has no Zalo, refused ZNS, the template or the quota: another channel will do.
            raise ChannelError(f"Zalo {error}: {answer.get('message', '')}", permanent=True)
        data = answer.get("data") or {}
        return Sent(provider_id=str(data.get("msg_id", "")), cost=settings.ZALO_ZNS_PRICE_VND)

    def _call(self, body: bytes, token: str) -> dict:
        return _post(settings.ZALO_API_URL.rstrip("/") + "/message/template", body=body,
                     headers={"access_token": token, "Content-Type": "application/json"})


CHANNELS: dict[str, Channel] = {c.name: c for c in (LogChannel(), EmailChannel(), SmsChannel(), ZaloChannel())}


def enabled() -> list[str]:
    return [name for name in settings.NOTIFY_CHANNELS if name in CHANNELS]
