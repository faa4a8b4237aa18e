"""Every write of the citizen side: one transaction per action.

Dossiers change only through dossiers' services (`dossier_submit_online`); the portal owns the votes,
the feedback, the uploaded papers and the throttle rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, NotFound, StaleAction
from phucvu.core.localtime import at_or_now, local_day
from phucvu.dossiers.codes import new_secret
from phucvu.dossiers.models import Dossier
from phucvu.dossiers.services import dossier_submit_online
from phucvu.organization.models import Agency, Staff
from phucvu.organization.selectors import ensure_visible
from phucvu.portal import selectors
from phucvu.portal.models import (
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackEventKind,
    FeedbackKind,
    FeedbackStatus,
    Satisfaction,
    SatisfactionVote,
    SubmissionPaper,
    VoteChannel,
)
from phucvu.workcalendar.selectors import calendar_for

# Decree 20/2008/NĐ-CP on feedback and recommendations about administrative regulations (amended by
# Decree 92/2017/NĐ-CP): an answer within 10 working days of receipt. See docs/portal.md.
FEEDBACK_WORKING_DAYS = 10
FEEDBACK_MAX_FILES = 5
# The rows that keep a citizen's uploaded file (`_store_upload`).
UploadRecord = TypeVar("UploadRecord", SubmissionPaper, FeedbackAttachment)


# --- satisfaction ----------------------------------------------------------------------------------

@transaction.atomic
def satisfaction_vote_cast(*, dossier_id: int, level: str, comment: str = "", clerk_level: str = "",
                           channel: str = VoteChannel.ONLINE, at: dt.datetime | None = None) -> SatisfactionVote:
    """Record the citizen's vote on a returned dossier. A later vote replaces the current one: the old
    row is kept (current=False), so the history stays and counts read one vote per dossier."""
    now = at_or_now(at)
    if level not in Satisfaction.values:
        raise InvalidInput("Mức độ hài lòng không hợp lệ.")
    if clerk_level and clerk_level not in Satisfaction.values:
        raise InvalidInput("Mức đánh giá công chức không hợp lệ.")
    if channel not in VoteChannel.values:
        raise InvalidInput("Kênh đánh giá không hợp lệ.")
    # The dossier row lock serialises two votes on one dossier (one current row at a time).
    dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    if not selectors.can_vote(dossier):
        raise InvalidTransition("Chỉ đánh giá được khi hồ sơ đã trả kết quả.")
    comment = comment.strip()
    if len(comment) > 2000:
        raise InvalidInput("Ý kiến tối đa 2000 ký tự.")
    clerk = selectors.served_by(dossier) if clerk_level else None
    SatisfactionVote.objects.filter(dossier_id=dossier.pk, current=True).update(current=False)
    return SatisfactionVote.objects.create(
        dossier=dossier, agency_id=dossier.agency_id, level=level, comment=comment, clerk=clerk,
        clerk_level=clerk_level if clerk else "", channel=channel, at=now, current=True)


# --- feedback --------------------------------------------------------------------------------------

def _contact(name: str, phone: str, email: str, address: str) -> tuple[str, str, str, str]:
    name = " ".join((name or "").split())
    phone, email, address = (phone or "").strip(), (email or "").strip(), (address or "").strip()
    if not name:
        raise InvalidInput("Cần ghi họ và tên người phản ánh.")
    # The decree does not handle anonymous feedback: the agency must be able to answer someone.
    if not (phone or email or address):
        raise InvalidInput("Cần ghi ít nhất một cách liên lạc: điện thoại, thư điện tử hoặc địa chỉ.")
    if email and "@" not in email:
        raise InvalidInput("Địa chỉ thư điện tử không hợp lệ.")
    return name[:120], phone[:40], email[:254], address[:255]


@transaction.atomic
def feedback_submit(*, name: str, subject: str, content: str, agency_id: int | None = None,
                    dossier_id: int | None = None, kind: str = FeedbackKind.FEEDBACK, phone: str = "",
                    email: str = "", address: str = "", uploads: list[Upload] | None = None,
                    at: dt.datetime | None = None) -> Feedback:
    """A citizen's feedback or recommendation. About a dossier (opened with its code and secret), it goes
    to the dossier's receiving agency; otherwise to the agency the citizen chose. The due moment is
    FEEDBACK_WORKING_DAYS working days on that agency's calendar."""

    now = at_or_now(at)
    if kind not in FeedbackKind.values:
        raise InvalidInput("Loại phản ánh, kiến nghị không hợp lệ.")
    name, phone, email, address = _contact(name, phone, email, address)
    subject, content = " ".join((subject or "").split()), (content or "").strip()
    if not subject:
        raise InvalidInput("Cần ghi tiêu đề phản ánh, kiến nghị.")
    if len(content) < 10:
        raise InvalidInput("Nội dung phản ánh, kiến nghị quá ngắn.")
    if len(content) > 5000:
        raise InvalidInput("Nội dung tối đa 5000 ký tự.")
    if dossier_id is not None:
        agency_id = Dossier.objects.filter(pk=dossier_id).values_list("agency_id", flat=True).first()
        if agency_id is None:
            raise NotFound("Không tìm thấy hồ sơ.")
    if agency_id is None or not Agency.objects.filter(pk=agency_id, valid_to__isnull=True).exists():
        raise InvalidInput("Cần chọn cơ quan nhận phản ánh, kiến nghị.")
    if len(uploads or []) > FEEDBACK_MAX_FILES:
        raise InvalidInput(f"Tối đa {FEEDBACK_MAX_FILES} tệp kèm một phản ánh.")
    checked = check_uploads(list(uploads or []))  # like the papers of a submission: type by content, size
    _start, due = calendar_for(agency_id).due(now, FEEDBACK_WORKING_DAYS, "working_days")
    feedback = Feedback.objects.create(
        code=f"TMP-{secrets.token_hex(8)}", secret=new_secret(), kind=kind, agency_id=agency_id,
        dossier_id=dossier_id, name=name, phone=phone, email=email, address=address, subject=subject[:255],
        content=content, received_at=now, due_at=due)
    # A readable code from the row id: unique without a counter table.
    feedback.code = f"PA-{local_day(now):%y%m%d}-{feedback.pk:06d}"
    feedback.save(update_fields=["code", "search_key"])
    FeedbackEvent.objects.create(feedback=feedback, kind=FeedbackEventKind.RECEIVED, at=now)
    for upload, ext, content_type in checked:
        _store_upload(FeedbackAttachment(feedback=feedback), upload, ext, content_type, now)
    return feedback


@transaction.atomic
def feedback_transfer(*, actor: Staff, feedback_id: int, version: int, agency_id: int, reason: str,
                      at: dt.datetime | None = None) -> Feedback:
    """Send a feedback to the agency competent to handle it. That agency's time runs from now: the due
    moment becomes FEEDBACK_WORKING_DAYS working days on its calendar (docs/portal.md)."""
    now = at_or_now(at)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do chuyển (cơ quan nào có thẩm quyền, vì sao).")
    feedback = _lock_feedback(actor, feedback_id, version)
    target = Agency.objects.filter(pk=agency_id, valid_to__isnull=True).first()
    if target is None:
        raise InvalidInput("Cần chọn cơ quan nhận còn hoạt động.")
    if target.pk == feedback.agency_id:
        raise InvalidInput("Phản ánh đã ở cơ quan này.")
    origin = feedback.agency
    _start, feedback.due_at = calendar_for(target.pk).due(now, FEEDBACK_WORKING_DAYS, "working_days")
    feedback.agency, feedback.assignee = target, None
    feedback.version += 1
    feedback.save(update_fields=["agency", "assignee", "due_at", "version", "search_key"])
    FeedbackEvent.objects.create(feedback=feedback, kind=FeedbackEventKind.TRANSFERRED, actor=actor, at=now,
                                 note=f"{origin.name} → {target.name}: {reason}")
    return feedback


@transaction.atomic
def feedback_assign(*, actor: Staff, feedback_id: int, version: int, assignee_id: int,
                    at: dt.datetime | None = None) -> Feedback:
    """Give a feedback to a specialist of the agency (or of a unit under it) to prepare the answer."""
    now = at_or_now(at)
    feedback = _lock_feedback(actor, feedback_id, version)
    assignee = Staff.objects.select_related("agency", "user").filter(pk=assignee_id, active=True).first()
    if assignee is None:
        raise InvalidInput("Không tìm thấy cán bộ đang làm việc.")
    if not assignee.agency.path.startswith(feedback.agency.path):
        raise InvalidInput("Chỉ giao cho cán bộ thuộc cơ quan nhận phản ánh.")
    feedback.assignee = assignee
    feedback.version += 1
    feedback.save(update_fields=["assignee", "version", "search_key"])
    FeedbackEvent.objects.create(feedback=feedback, kind=FeedbackEventKind.ASSIGNED, actor=actor, at=now,
                                 note=assignee.full_name)
    return feedback


@transaction.atomic
def feedback_publish(*, actor: Staff, feedback_id: int, version: int, publish: bool = True,
                     at: dt.datetime | None = None) -> Feedback:
    """Put an answered feedback on the public list of answers (without the sender's name or contact), or
    take it off. Only the agency that answered decides; a declined or open feedback is not published."""
    now = at_or_now(at)
    feedback = _lock_feedback(actor, feedback_id, version, open_only=False)
    if publish and feedback.status != FeedbackStatus.ANSWERED:
        raise InvalidTransition("Chỉ công khai được phản ánh đã có trả lời.")
    if publish == (feedback.published_at is not None):
        return feedback
    feedback.published_at = now if publish else None
    feedback.version += 1
    feedback.save(update_fields=["published_at", "version", "search_key"])
    FeedbackEvent.objects.create(feedback=feedback, actor=actor, at=now,
                                 kind=FeedbackEventKind.PUBLISHED if publish else FeedbackEventKind.UNPUBLISHED)
    return feedback


def _lock_feedback(actor: Staff, feedback_id: int, version: int, *, open_only: bool = True) -> Feedback:
    """The feedback locked for a change by `actor`: it exists, the actor is active and sees its agency, and
    nobody changed it since `version`; unless not `open_only`, it is still waiting for its answer."""
    feedback = Feedback.objects.select_for_update().filter(pk=feedback_id).first()
    if feedback is None:
        raise NotFound("Không tìm thấy phản ánh, kiến nghị.")
    if not actor.active:
        raise NotAllowed("Tài khoản cán bộ không còn hoạt động.")
    ensure_visible(actor.user, feedback.agency_id)
    if feedback.version != version:
        raise StaleAction("Phản ánh vừa được người khác cập nhật. Vui lòng tải lại trang.",
                          details={"expected": version, "current": feedback.version})
    if open_only and feedback.status != FeedbackStatus.RECEIVED:
        raise InvalidTransition("Phản ánh này đã được trả lời.")
    return feedback


def _close_feedback(actor: Staff, feedback_id: int, version: int, text: str, status: str, kind: str,
                    at: dt.datetime | None) -> Feedback:
    now = at_or_now(at)
    feedback = _lock_feedback(actor, feedback_id, version)
    feedback.status, feedback.answer, feedback.answered_at, feedback.answered_by = status, text, now, actor
    feedback.version += 1
    feedback.save(update_fields=["status", "answer", "answered_at", "answered_by", "version", "search_key"])
    FeedbackEvent.objects.create(feedback=feedback, kind=kind, actor=actor, at=now, note=text)
    return feedback


@transaction.atomic
def feedback_answer(*, actor: Staff, feedback_id: int, version: int, answer: str,
                    at: dt.datetime | None = None) -> Feedback:
    """The agency's answer, shown to the citizen with the feedback's code and secret."""
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise InvalidInput("Nội dung trả lời quá ngắn.")
    return _close_feedback(actor, feedback_id, version, answer, FeedbackStatus.ANSWERED,
                           FeedbackEventKind.ANSWERED, at)


@transaction.atomic
def feedback_decline(*, actor: Staff, feedback_id: int, version: int, reason: str,
                     at: dt.datetime | None = None) -> Feedback:
    """Not for this agency to handle (not about an administrative regulation or procedure), with why."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do không xử lý.")
    return _close_feedback(actor, feedback_id, version, reason, FeedbackStatus.DECLINED,
                           FeedbackEventKind.DECLINED, at)


# --- online submission -----------------------------------------------------------------------------

# What a paper may be: sniffed from the first bytes, never trusted from the browser's content type.
FILE_SIGNATURES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}


def upload_limits() -> tuple[int, int, int]:
    """(bytes per file, bytes per submission, files per submission)."""
    return (int(getattr(settings, "PORTAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)),
            int(getattr(settings, "PORTAL_UPLOAD_MAX_TOTAL_BYTES", 50 * 1024 * 1024)),
            int(getattr(settings, "PORTAL_UPLOAD_MAX_FILES", 20)))


@dataclass
class Upload:
    label: str  # the paper of the procedure it stands for
    name: str  # the file name on the citizen's device
    content: bytes


def upload_problem(name: str, content: bytes) -> str | None:
    """What is wrong with one file (empty, too big, not a PDF/JPG/PNG by its first bytes), or None."""
    per_file = upload_limits()[0]
    ext = PurePath(name).suffix.lower().lstrip(".")
    signature = FILE_SIGNATURES.get(ext)
    if not content:
        return "Tệp rỗng."
    if len(content) > per_file:
        return f"Tệp vượt quá {per_file // (1024 * 1024)} MB."
    if signature is None or not content.startswith(signature[0]):
        return "Chỉ nhận tệp PDF, JPG hoặc PNG."
    return None


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    """(upload, extension, content type) for each, or InvalidInput listing every bad file."""
    _per_file, total, count = upload_limits()
    if len(uploads) > count:
        raise InvalidInput(f"Tối đa {count} tệp cho một hồ sơ.")
    if sum(len(u.content) for u in uploads) > total:
        raise InvalidInput(f"Tổng dung lượng các tệp vượt quá {total // (1024 * 1024)} MB.")
    errors, checked = [], []
    for upload in uploads:
        problem = upload_problem(upload.name, upload.content)
        if problem:
            errors.append(f"{upload.label}: {problem[0].lower()}{problem[1:]}")
        else:
            ext = PurePath(upload.name).suffix.lower().lstrip(".")
            checked.append((upload, ext, FILE_SIGNATURES[ext][1]))
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    return checked


# --- files kept between two tries of a form ------------------------------------------------------------
# A browser cannot refill a file input: when another field is wrong, the papers already chosen are kept
# under MEDIA_ROOT/portal/pending/ and named in the citizen's session, so they need not be chosen again.

PENDING_DIR = "portal/pending"
_PENDING_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|png|jpg|jpeg)")


def pending_keep(*, name: str, content: bytes) -> str:
    """Store a checked file until the form is sent again; returns its stored name (random)."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if upload_problem(name, content):
        raise InvalidInput("Tệp không hợp lệ.")
    return default_storage.save(f"{PENDING_DIR}/{secrets.token_hex(16)}.{ext}", ContentFile(content))


def pending_read(stored: str) -> bytes:
    if not _PENDING_NAME.fullmatch(PurePath(stored).name) or not stored.startswith(PENDING_DIR + "/"):
        raise NotFound("Tệp đã chọn không còn, vui lòng chọn lại.")
    try:
        with default_storage.open(stored, "rb") as handle:
            return handle.read()
    except OSError:
        raise NotFound("Tệp đã chọn không còn, vui lòng chọn lại.") from None


def pending_discard(stored_names: list[str]) -> None:
    """Remove kept copies once the dossier holds the papers (the copies are not records)."""
    for stored in stored_names:
        if _PENDING_NAME.fullmatch(PurePath(stored).name) and stored.startswith(PENDING_DIR + "/"):
            default_storage.delete(stored)


@transaction.atomic
def submission_create(*, procedure_id: int, agency_id: int, applicant_name: str, applicant_id_number: str = "",
                      applicant_phone: str = "", applicant_email: str = "", applicant_address: str = "",
                      uploads: list[Upload] | None = None, contact_channels: list[str] | None = None,
                      at: dt.datetime | None = None) -> Dossier:
    """An online submission from the portal: the papers are checked and stored, the dossier is created by
    `dossier_submit_online` (status 1, no clock) and waits for the desk to accept or refuse it."""
    now = at_or_now(at)
    uploads = uploads or []
    procedure = selectors.online_procedure(procedure_id)
    if agency_id not in {pk for pk, _ in selectors.online_agencies_for(procedure)}:
        raise InvalidInput("Nơi nộp đã chọn không nhận thủ tục này trực tuyến.")
    version = procedure.current_version
    if version is None:  # online_procedure() finds only procedures with a version that takes them online
        raise InvalidInput("Thủ tục chưa có phiên bản đang hiệu lực.")
    required = list(version.papers or [])
    # Fully online procedures need every paper as a file; partly online ones may bring originals later.
    if version.online_level == "full":
        given = {u.label for u in uploads}
        lacking = [p for p in required if p not in given]
        if lacking:
            raise InvalidInput("Cần đính kèm: " + "; ".join(lacking) + ".", details=lacking)
    checked = check_uploads(uploads)
    if not applicant_phone.strip() and not applicant_email.strip():
        raise InvalidInput("Cần ghi số điện thoại hoặc thư điện tử để nhận thông báo về hồ sơ.")
    dossier = dossier_submit_online(
        agency_id=agency_id, procedure_id=procedure.pk, applicant_name=applicant_name,
        applicant_id_number=applicant_id_number, applicant_phone=applicant_phone, applicant_email=applicant_email,
        applicant_address=applicant_address, papers=[u.label for u in uploads], contact_channels=contact_channels,
        at=now)
    for upload, ext, content_type in checked:
        _store_paper(dossier, upload, ext, content_type, now)
    return dossier


# --- online supplements ----------------------------------------------------------------------------

def _store_upload(record: UploadRecord, upload: Upload, ext: str, content_type: str,
                  now: dt.datetime) -> UploadRecord:
    """Save a checked upload (`check_uploads`) on its row, a citizen's paper or a feedback's attachment:
    the name as sent, the type found from the content, size and SHA-256, the file under a random name."""
    record.original_name, record.content_type = upload.name[:255], content_type
    record.size, record.sha256, record.uploaded_at = len(upload.content), hashlib.sha256(upload.content).hexdigest(), now
    # A random stored name: nothing the citizen typed reaches the file system.
    record.file.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(upload.content), save=False)
    record.save()
    return record


def _store_paper(dossier: Dossier, upload: Upload, ext: str, content_type: str, now: dt.datetime,
                 request_event_id: int | None = None) -> SubmissionPaper:
    paper = SubmissionPaper(dossier=dossier, label=upload.label[:255], request_event_id=request_event_id)
    return _store_upload(paper, upload, ext, content_type, now)


@transaction.atomic
def supplement_upload(*, dossier_id: int, uploads: list[Upload], at: dt.datetime | None = None) -> list[SubmissionPaper]:
    """The citizen sends, online, papers the desk asked for. Only while the dossier waits for them and only
    the papers of the request; a paper sent again replaces the earlier file (both rows are kept). The
    clock stays paused: the desk checks the papers and resumes it (`dossier_resume`)."""
    now = at_or_now(at)
    # The dossier row lock: the desk's resume and the citizen's upload do not cross.
    dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    request = selectors.supplement_request(dossier)
    if request is None:
        raise InvalidTransition("Hồ sơ không ở trạng thái chờ bổ sung: không nhận giấy tờ bổ sung.")
    if not uploads:
        raise InvalidInput("Cần chọn ít nhất một tệp giấy tờ bổ sung.")
    foreign = [u.label for u in uploads if u.label not in request.missing]
    if foreign:
        raise InvalidInput("Chỉ nộp các giấy tờ được yêu cầu bổ sung: " + "; ".join(foreign) + ".")
    checked = check_uploads(uploads)
    return [_store_paper(dossier, upload, ext, content_type, now, request.event_id)
            for upload, ext, content_type in checked]
