"""Writes of commitments (docs/discipline.md §3.1). One transaction each; nothing is edited or deleted: a
change of the text is a new version, a signature names the version signed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.models import Commitment, CommitmentText
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Agency, Staff
from phucvu.organization.selectors import ensure_visible

# Who publishes an agency's commitment text and records a signature given on paper.


@transaction.atomic
def commitment_text_publish(*, actor: Staff | None, agency: Agency, year: int, title: str, body: str,
                            change_note: str = "", published_on: dt.date | None = None) -> CommitmentText:
    """Publish the agency's text for the year: version 1, or the next version of it. The earlier versions stay,
    and what was signed on them stays signed on them."""
    if actor is not None:
        ensure_visible(actor.user, agency.pk)
        ensure_may(actor, "commitment_text", agency_id=agency.pk)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one version number at a time
    if not 2000 <= year <= 2100:
        raise InvalidInput("Năm không hợp lệ.")
    title, body = title.strip(), body.strip().replace("\r\n", "\n")
    if not title or not body:
        raise InvalidInput("Cần tiêu đề và nội dung bản cam kết.")
    latest = CommitmentText.objects.filter(agency=agency, year=year).order_by("-version").first()
    if latest is not None:
        if latest.body == body and latest.title == title:
            raise InvalidInput("Nội dung không thay đổi so với phiên bản hiện hành.")
        if not change_note.strip():
            raise InvalidInput("Cần nêu nội dung thay đổi của phiên bản mới.")
    now = timezone.now()
    return CommitmentText.objects.create(
        agency=agency, year=year, version=(latest.version + 1) if latest else 1, title=title[:255], body=body,
        change_note=change_note.strip()[:255], published_by=actor, published_on=published_on or timezone.localdate(),
        published_at=now)


@transaction.atomic
def commitment_sign(*, actor: Staff | None, staff: Staff, year: int | None = None, text_version: str = "",
                    signed_on: dt.date, text: CommitmentText | None = None) -> Commitment:
    """The cadre signs the current version of their commitment; the personnel office may record a signature
    given on paper, with its date. Older callers (the 2017 history) name a text version without a text row."""
    check_visible(actor, staff)
    ensure_may(actor, "commitment_sign", agency_id=staff.agency_id, assignee_id=staff.pk)
    if text is not None:
        current = CommitmentText.objects.filter(agency=text.agency_id, year=text.year).order_by("-version").first()
        if current is None or current.pk != text.pk:
            raise InvalidInput("Bản cam kết đã có phiên bản mới: hãy ký phiên bản hiện hành.")
        if not staff.agency.path.startswith(text.agency.path):
            raise InvalidInput("Bản cam kết này không thuộc đơn vị của cán bộ.")
        if signed_on < text.published_on:
            raise InvalidInput(f"Ngày ký trước ngày ban hành bản cam kết ({text.published_on:%d/%m/%Y}).")
        year, text_version = text.year, f"{text.agency.code}/v{text.version}"[:60]
    if year is None or not text_version:
        raise InvalidInput("Cần bản cam kết được ký.")
    if signed_on > timezone.localdate():
        raise InvalidInput("Ngày ký không được sau hôm nay.")
    if Commitment.objects.filter(staff=staff, year=year, text_version=text_version).exists():
        raise InvalidInput("Cán bộ đã ký bản cam kết này trong năm.")
    return Commitment.objects.create(staff=staff, year=year, text=text, text_version=text_version,
                                     signed_on=signed_on, recorded_by=actor,
                                     recorded_at=timezone.now())
