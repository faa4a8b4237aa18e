"""The citizen pages (no login): status look-up from the receipt's QR, satisfaction vote, online
submission, feedback; and the staff pages that answer feedback and open uploaded papers.

Thin views: parse a form, call `access` / one service / one selector, render.
"""

from __future__ import annotations

import csv
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from phucvu.catalog.selectors import field_list, procedure_get, procedure_ranked
from phucvu.core.caching import shared
from phucvu.core.exceptions import DomainError, InvalidInput, NotAllowed, NotFound
from phucvu.core.landing import render_section
from phucvu.core.localtime import start_of_day, today
from phucvu.core.pagination import paginate
from phucvu.core.text import fold
from phucvu.core.throttle import client_address
from phucvu.core.web import download_response, query_choice, query_date, query_id
from phucvu.dossiers.models import AccessAction
from phucvu.dossiers.pdf import pdf_response
from phucvu.dossiers.selectors import dossier_actions, dossier_get
from phucvu.dossiers.services import dossier_resume, personal_data_accessed
from phucvu.organization.models import Level
from phucvu.organization.selectors import staff_of
from phucvu.portal import access, receipt, selectors, services
from phucvu.portal.forms import (
    AnswerForm,
    AssignForm,
    FeedbackForm,
    FeedbackLookupForm,
    LookupForm,
    SubmissionForm,
    SupplementForm,
    TransferForm,
    VoteForm,
)
from phucvu.portal.models import FeedbackStatus
from phucvu.portal.selectors import INDICATORS
from phucvu.portal.services import upload_limits
from phucvu.portal.throttle import Throttled

SUBMITTED_KEY = "portal_submitted"
PENDING_KEY = "portal_pending_files"
FEEDBACK_KEY = "portal_feedback"


def _lookup_url(code: str, secret: str) -> str:
    return f"{reverse('portal:lookup')}?{urlencode({'code': code, 'secret': secret})}"


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html")


# --- look-up and vote ------------------------------------------------------------------------------

@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """The page the receipt's QR opens: code and secret come prefilled in the query string."""
    form = LookupForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        try:
            dossier = access.open_dossier(code=form.cleaned_data["code"], secret=form.cleaned_data["secret"],
                                          address=client_address(request))
        except (NotFound, Throttled) as exc:
            context["error"] = exc.message
        else:
            status = selectors.public_status(dossier)  # carries the current vote: not read again for the form
            supplement = selectors.supplement_request(dossier)
            context.update(status=status, secret=dossier.secret, feedback=selectors.feedback_of_dossier(dossier.pk),
                           result_copy=selectors.result_copy(dossier),
                           vote_form=VoteForm(initial=_vote_initial(context_vote=status.vote)),
                           supplement=supplement,
                           supplement_form=SupplementForm(missing=supplement.waiting) if supplement else None)
    # The secret is in the address; the site-wide Referrer-Policy (same-origin) keeps it from other sites.
    # (no-referrer would make the browser send "Origin: null" and the vote's CSRF check fail.)
    return render(request, "portal/lookup.html", context)


def _vote_initial(*, context_vote) -> dict:
    if context_vote is None:
        return {}
    return {"level": context_vote.level, "clerk_level": context_vote.clerk_level, "comment": context_vote.comment}


@never_cache
@require_POST
def vote(request: HttpRequest) -> HttpResponse:
    code, secret = request.POST.get("code", ""), request.POST.get("secret", "")
    try:
        channel = access.vote_channel(request)  # never a signed-in cadre's
        dossier = access.open_dossier(code=code, secret=secret, address=client_address(request))
    except (NotAllowed, NotFound, Throttled) as exc:
        messages.error(request, exc.message)
        return redirect("portal:lookup")
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            services.satisfaction_vote_cast(dossier_id=dossier.pk, level=form.cleaned_data["level"],
                                            clerk_level=form.cleaned_data["clerk_level"],
                                            comment=form.cleaned_data["comment"], channel=channel)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Ý kiến đã được ghi nhận."))
    else:
        messages.error(request, _("Vui lòng chọn mức độ hài lòng."))
    return redirect(_lookup_url(dossier.code, dossier.secret) + "#danh-gia")


@require_POST
def result_copy(request: HttpRequest) -> HttpResponse:
    """The electronic copy of the signed result (Decree 45/2020), for the citizen with the code and secret
    (posted from the status page, so the secret stays out of the download's address)."""
    code, secret = request.POST.get("code", ""), request.POST.get("secret", "")
    try:
        dossier = access.open_dossier(code=code, secret=secret, address=client_address(request))
    except (NotFound, Throttled) as exc:
        messages.error(request, exc.message)
        return redirect("portal:lookup")
    record = selectors.result_copy(dossier)
    if record is None:
        raise Http404(_("Hồ sơ chưa có bản điện tử của kết quả."))
    return download_response(record.document.open("rb"), filename=record.document_name or f"{dossier.code}.pdf",
                             content_type="application/pdf")


# --- the public catalogue --------------------------------------------------------------------------

def catalogue(request: HttpRequest) -> HttpResponse:
    """Every procedure of the province, online or not, searched the way a citizen asks (no login)."""
    query = request.GET.get("q", "").strip()
    field_id = query_id(request.GET, "field")
    level = query_choice(request.GET, "level", Level.values)
    online = request.GET.get("online") == "1"
    found = shared(f"catalogue|{query}|{field_id}|{level}|{online}",
                   lambda: procedure_ranked(query=query, field_id=field_id, level=level, online_only=online))
    context = {"page": paginate(request, found, per_page=20), "query": query, "field": field_id, "level": level,
               "online": online, "fields": field_list(), "levels": Level.choices, "total": len(found)}
    if request.htmx:
        return render(request, "portal/_catalogue_rows.html", context)
    return render(request, "portal/catalogue.html", context)


def catalogue_detail(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """One procedure as the citizen needs it: papers, fee, time, conditions, where to file."""
    procedure = _public_procedure(procedure_id)
    near = query_id(request.GET, "near")
    place_query = request.GET.get("place_q", "").strip()
    # Where to file, and the communes to choose from, are the same for every visitor: shared.
    key = f"places|{procedure.pk}|{procedure.current_version_id}|{near}|{place_query}"
    context = {"procedure": procedure, "version": procedure.current_version,
               "groups": shared(key, lambda: selectors.filing_places(procedure, near=near, query=place_query)),
               "near": near, "place_query": place_query,
               "communes": shared("communes-by-district", selectors.communes_by_district),
               "online": shared(f"online|{procedure.pk}", lambda: bool(selectors.online_agencies_for(procedure)))}
    if request.htmx:
        return render(request, "portal/_places.html", context)
    return render(request, "portal/catalogue_detail.html", context)


def catalogue_form(request: HttpRequest, procedure_id: int, index: int) -> HttpResponse:
    """The blank form of a paper (a declaration to fill in by hand), as a PDF to print."""
    procedure = _public_procedure(procedure_id)
    rows = procedure.current_version.paper_rows()
    if index >= len(rows) or not rows[index]["form"] or rows[index]["form"].startswith(("http://", "https://")):
        raise Http404(_("Giấy tờ này không có mẫu để tải."))
    data = receipt.blank_form_pdf(procedure, rows[index])
    return pdf_response(data, f"mau-{procedure.code}-{index + 1}.pdf", download=True)


def _public_procedure(procedure_id: int):
    try:
        procedure = procedure_get(procedure_id)
    except NotFound:
        raise Http404(_("Không tìm thấy thủ tục.")) from None
    if not procedure.active or procedure.current_version is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    return procedure


@never_cache
@require_POST
def supplement(request: HttpRequest) -> HttpResponse:
    """The citizen uploads the papers the desk asked for, from the status page (`#bo-sung`)."""
    code, secret = request.POST.get("code", ""), request.POST.get("secret", "")
    try:
        dossier = access.open_dossier(code=code, secret=secret, address=client_address(request))
    except (NotFound, Throttled) as exc:
        messages.error(request, exc.message)
        return redirect("portal:lookup")
    wanted = selectors.supplement_request(dossier)
    form = SupplementForm(request.POST, request.FILES, missing=wanted.waiting if wanted else [])
    if wanted is None:
        messages.error(request, _("Hồ sơ không còn chờ bổ sung giấy tờ."))
    elif form.is_valid():
        try:
            access.submission_allowed(client_address(request))
            sent = services.supplement_upload(dossier_id=dossier.pk, uploads=form.uploads())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã gửi %(n)s giấy tờ bổ sung. Bộ phận Một cửa sẽ kiểm tra và tiếp tục "
                                        "giải quyết hồ sơ.") % {"n": len(sent)})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_lookup_url(dossier.code, dossier.secret) + "#bo-sung")


# --- online submission -----------------------------------------------------------------------------

def submit(request: HttpRequest) -> HttpResponse:
    """Step 1: find an online procedure (accent-insensitive)."""
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.online_procedures(query=query), per_page=20)
    context = {"page": page, "query": query}
    if request.htmx:
        return render(request, "portal/_procedure_rows.html", context)
    return render(request, "portal/submit.html", context)


def _kept(request: HttpRequest, procedure_id: int) -> dict[str, dict]:
    return dict(request.session.get(PENDING_KEY, {}).get(str(procedure_id), {}))


def _keep_files(request: HttpRequest, procedure_id: int, form: SubmissionForm) -> None:
    """Keep the good files of a failed try, so the citizen does not choose them again."""
    for name, file in form.good_files():
        file.seek(0)
        try:
            stored = services.pending_keep(name=file.name, content=file.read())
        except DomainError:
            continue
        previous = form.kept.get(name)
        if previous:
            services.pending_discard([previous["stored"]])
        form.keep(name, {"stored": stored, "name": file.name, "size": file.size})
    pending = request.session.get(PENDING_KEY, {})
    pending[str(procedure_id)] = form.kept
    request.session[PENDING_KEY] = pending


def _forget_files(request: HttpRequest, procedure_id: int) -> None:
    pending = request.session.get(PENDING_KEY, {})
    kept = pending.pop(str(procedure_id), {})
    services.pending_discard([info["stored"] for info in kept.values()])
    request.session[PENDING_KEY] = pending


def submit_procedure(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """Step 2: where to file, who files, the papers; then `submission_create`.

    Every field's problem is shown at the field in one pass; files that passed are kept when another
    field is wrong (a browser cannot refill a file input)."""
    try:
        procedure = selectors.online_procedure(procedure_id)
    except NotFound:
        raise Http404(_("Thủ tục không có hoặc không nhận hồ sơ trực tuyến.")) from None
    version = procedure.current_version
    agencies = selectors.online_agencies_for(procedure)
    kwargs = {"agencies": agencies, "papers": list(version.papers or []), "full_online": version.online_level == "full",
              "kept": _kept(request, procedure.pk)}
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                access.submission_allowed(client_address(request))
                dossier = services.submission_create(
                    procedure_id=procedure.pk, agency_id=data["agency"], applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"], applicant_phone=data["phone"],
                    applicant_email=data["email"], applicant_address=data["address"], uploads=form.uploads(),
                    contact_channels=form.contact_channels())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                _forget_files(request, procedure.pk)
                request.session[SUBMITTED_KEY] = {"code": dossier.code, "secret": dossier.secret,
                                                  "channels": form.contact_channels()}
                return redirect("portal:submit_done")
        _keep_files(request, procedure.pk, form)
    else:
        form = SubmissionForm(**kwargs)

    per_file, total, _count = upload_limits()
    return render(request, "portal/submit_form.html", {
        "procedure": procedure, "version": version, "form": form, "agencies": agencies,
        "max_file_mb": per_file // (1024 * 1024), "max_total_mb": total // (1024 * 1024)})


def _submitted(request: HttpRequest):
    """The dossier just submitted from this browser (its code and secret are in the session)."""
    done = request.session.get(SUBMITTED_KEY)
    if not done:
        return None, None
    try:
        return done, selectors.dossier_for_citizen(code=done["code"], secret=done["secret"])
    except NotFound:
        return None, None


@never_cache
def submit_done(request: HttpRequest) -> HttpResponse:
    """What was sent, the code and secret, the receipt to keep, and where the messages will go."""
    done, dossier = _submitted(request)
    if dossier is None:
        return redirect("portal:submit")
    return render(request, "portal/submit_done.html", {
        "code": dossier.code, "secret": dossier.secret, "dossier": dossier,
        "papers": selectors.submission_papers(dossier.pk),
        "channels": selectors.channel_labels(done.get("channels")),
        "lookup_url": _lookup_url(dossier.code, dossier.secret)})


@never_cache
def submit_receipt(request: HttpRequest) -> HttpResponse:
    """The PDF the citizen keeps: what was submitted, the code, the secret and the QR of the status page."""
    done, dossier = _submitted(request)
    if dossier is None:
        return redirect("portal:submit")
    data = receipt.submitted_pdf(dossier, papers=[p.label for p in selectors.submission_papers(dossier.pk)])
    return pdf_response(data, f"phieu-nop-{dossier.code}.pdf", download=True)


# --- feedback --------------------------------------------------------------------------------------

def feedback_new(request: HttpRequest) -> HttpResponse:
    """A feedback or recommendation; with a dossier's code and secret it is about that dossier."""
    dossier = None
    code, secret = request.POST.get("code") or request.GET.get("code"), request.POST.get("secret") or request.GET.get("secret")
    if code and secret:
        try:
            dossier = access.open_dossier(code=code, secret=secret, address=client_address(request))
        except (NotFound, Throttled) as exc:
            messages.error(request, exc.message)
            return redirect("portal:feedback_new")
    kwargs = {"agencies": selectors.feedback_agencies() if dossier is None else [], "about_dossier": dossier is not None}
    if request.method == "POST":
        form = FeedbackForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                access.submission_allowed(client_address(request))
                feedback = services.feedback_submit(
                    kind=data["kind"], agency_id=data.get("agency"), dossier_id=dossier.pk if dossier else None,
                    name=data["name"], phone=data["phone"], email=data["email"], address=data["address"],
                    subject=data["subject"], content=data["content"], uploads=form.uploads())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                request.session[FEEDBACK_KEY] = {"code": feedback.code, "secret": feedback.secret,
                                                 "due_at": feedback.due_at.isoformat()}
                return redirect("portal:feedback_done")
    else:
        subject = _("Hồ sơ %(code)s") % {"code": dossier.code} if dossier else ""
        initial = {"name": dossier.applicant_name, "subject": subject} if dossier else {}
        form = FeedbackForm(initial=initial, **kwargs)
    return render(request, "portal/feedback_new.html", {"form": form, "dossier": dossier,
                                                        "code": code or "", "secret": secret or ""})


@never_cache
def feedback_done(request: HttpRequest) -> HttpResponse:

    done = request.session.get(FEEDBACK_KEY)
    if not done:
        return redirect("portal:feedback_new")
    return render(request, "portal/feedback_done.html", {
        "code": done["code"], "secret": done["secret"], "due_at": dt.datetime.fromisoformat(done["due_at"]),
        "lookup_url": f"{reverse('portal:feedback_lookup')}?{urlencode({'code': done['code'], 'secret': done['secret']})}"})


@never_cache
def feedback_lookup(request: HttpRequest) -> HttpResponse:
    form = FeedbackLookupForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        try:
            context["feedback"] = access.open_feedback(code=form.cleaned_data["code"],
                                                       secret=form.cleaned_data["secret"],
                                                       address=client_address(request))
        except (NotFound, Throttled) as exc:
            context["error"] = exc.message
    return render(request, "portal/feedback_lookup.html", context)


# --- staff -----------------------------------------------------------------------------------------

@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Feedback addressed to agencies in the user's scope; open ones first, soonest due first."""
    query, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    page = paginate(request, selectors.feedback_list(request.user, query=query, status=status, overdue=overdue))
    context = {"page": page, "query": query, "status": status, "overdue": overdue,
               "statuses": FeedbackStatus.choices}
    if request.htmx:
        return render(request, "portal/_inbox_rows.html", context)
    return render(request, "portal/inbox.html", context)


@login_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One feedback: answer or decline, transfer to the competent agency, give it to a specialist, publish
    the answer. Each is one service call in one transaction, with the version check."""
    try:
        feedback = selectors.feedback_get(request.user, pk)
    except NotFound:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị hoặc bạn không có quyền xem.")) from None
    staff = staff_of(request.user)
    action = request.POST.get("action", "answer") if request.method == "POST" else ""
    initial = {"version": feedback.version}
    form = AnswerForm(request.POST if action == "answer" else None, initial=initial)
    transfer_form = TransferForm(request.POST if action == "transfer" else None, initial=initial,
                                 agencies=[(a, n) for a, n in selectors.feedback_agencies() if a != feedback.agency_id])
    assign_form = AssignForm(request.POST if action == "assign" else None, initial=initial,
                             staff=selectors.feedback_assignees(feedback))
    done = {"answer": _("Đã ghi trả lời phản ánh %(code)s."), "transfer": _("Đã chuyển phản ánh %(code)s."),
            "assign": _("Đã giao xử lý phản ánh %(code)s."), "publish": _("Đã công khai trả lời %(code)s."),
            "unpublish": _("Đã thôi công khai trả lời %(code)s.")}
    bound = {"answer": form, "transfer": transfer_form, "assign": assign_form}.get(action)
    if action and staff is None:
        (bound or form).add_error(None, _("Tài khoản chưa được gắn với cán bộ nào."))
    elif action in ("publish", "unpublish"):
        try:
            services.feedback_publish(actor=staff, feedback_id=feedback.pk, version=int(request.POST.get("version") or 0),
                                      publish=action == "publish")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done[action] % {"code": feedback.code})
        return redirect("portal:inbox_detail", pk=feedback.pk)
    elif bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if action == "transfer":
                services.feedback_transfer(actor=staff, feedback_id=feedback.pk, version=data["version"],
                                           agency_id=data["agency"], reason=data["reason"])
            elif action == "assign":
                services.feedback_assign(actor=staff, feedback_id=feedback.pk, version=data["version"],
                                         assignee_id=data["assignee"])
            elif data["decision"] == "answer":
                services.feedback_answer(actor=staff, feedback_id=feedback.pk, version=data["version"],
                                         answer=data["text"])
            else:
                services.feedback_decline(actor=staff, feedback_id=feedback.pk, version=data["version"],
                                          reason=data["text"])
        except DomainError as exc:
            bound.add_error(None, exc.message)
        else:
            messages.success(request, done[action] % {"code": feedback.code})
            # After a transfer the feedback may be out of this user's scope: back to the list then.
            if selectors.feedback_list(request.user).filter(pk=feedback.pk).exists():
                return redirect("portal:inbox_detail", pk=feedback.pk)
            return redirect("portal:inbox")
    return render(request, "portal/inbox_detail.html", {
        "feedback": feedback, "form": form, "transfer_form": transfer_form, "assign_form": assign_form,
        "attachments": selectors.feedback_attachments(feedback.pk),
        "events": feedback.events.select_related("actor").all()})


@login_required
def feedback_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A file sent with a feedback, to staff who see the feedback, as a download."""
    try:
        feedback = selectors.feedback_get(request.user, pk)
    except NotFound:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị hoặc bạn không có quyền xem.")) from None
    attachment = selectors.feedback_attachments(feedback.pk).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("Không tìm thấy tệp."))
    return download_response(attachment.file.open("rb"), filename=attachment.original_name,
                             content_type=attachment.content_type)


def feedback_answers(request: HttpRequest) -> HttpResponse:
    """No login: the answers agencies chose to publish (no sender's name or contact)."""
    query = request.GET.get("q", "").strip()
    agency_id = query_id(request.GET, "agency")
    rows = selectors.published_answers(query=query, agency_id=agency_id)
    context = {"page": paginate(request, rows, per_page=20), "query": query, "agency": agency_id,
               "agencies": selectors.feedback_agencies()}
    if request.htmx:
        return render(request, "portal/_answer_rows.html", context)
    return render(request, "portal/feedback_answers.html", context)


def _visible_dossier(request: HttpRequest, dossier_id: int):
    try:
        return dossier_get(request.user, dossier_id)
    except (NotFound, NotAllowed):
        raise Http404(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem.")) from None


@login_required
def papers(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The files a citizen uploaded with an online dossier (for the desk deciding to accept it)."""
    dossier = _visible_dossier(request, dossier_id)
    personal_data_accessed(user=request.user, dossiers=[dossier], action=AccessAction.VIEW, detail="papers",
                           address=client_address(request))
    return render(request, "portal/papers.html", {"dossier": dossier,
                                                  "papers": selectors.online_papers(dossier.pk)})


@login_required
def paper_file(request: HttpRequest, dossier_id: int, paper_id: int) -> FileResponse:
    """One uploaded paper, to staff who may see the dossier (the visibility rule), as an attachment."""
    dossier = _visible_dossier(request, dossier_id)
    paper = selectors.online_papers(dossier.pk).filter(pk=paper_id).first()
    if paper is None:
        raise Http404(_("Không tìm thấy tệp."))
    personal_data_accessed(user=request.user, dossiers=[dossier], action=AccessAction.DOWNLOAD,
                           detail=paper.original_name, address=client_address(request))
    return download_response(paper.file.open("rb"), filename=paper.original_name, content_type=paper.content_type)


def dossier_papers_panel(request: HttpRequest, dossier) -> tuple[int, str] | None:
    """On the dossier page (which checked the visibility rule): the files the citizen uploaded online."""
    if not request.user.is_authenticated:
        return None
    papers = list(selectors.submission_papers(dossier.pk))
    if not papers:
        return None
    return 10, render_to_string("portal/_dossier_papers.html", {"dossier": dossier, "papers": papers,
                                                               "testid": "online-papers"}, request=request)


def accept_papers_panel(request: HttpRequest, dossier) -> tuple[int, str] | None:
    """Inside the desk's "accept" form: the papers to open before accepting an online dossier."""
    if not request.user.is_authenticated:
        return None
    papers = list(selectors.submission_papers(dossier.pk))
    return 10, render_to_string("portal/_dossier_papers.html", {"dossier": dossier, "papers": papers,
                                                               "accepting": True, "testid": "accept-papers"},
                                request=request)


def landing_section(request: HttpRequest) -> tuple[int, str]:
    """Shown first on the public page: what a citizen came to do."""
    return 5, render_section("portal/_landing.html", {}, request)


# --- the dossier page's panel (staff) ----------------------------------------------------------------

def supplement_panel(request: HttpRequest, dossier) -> tuple[int, str] | None:
    """On the dossier page (which checked the visibility rule): the papers the citizen sent online as
    supplements and, while the dossier waits for them, the button that takes them and resumes the clock."""
    if not request.user.is_authenticated:
        return None
    papers = list(selectors.online_papers(dossier.pk).filter(request_event__isnull=False))
    wanted = selectors.supplement_request(dossier)
    if not papers and wanted is None:
        return None
    can_resume = wanted is not None and bool(wanted.sent) and "resume" in dossier_actions(request.user, dossier)
    return 15, render_to_string("portal/_supplement_panel.html", {
        "d": dossier, "papers": papers, "wanted": wanted, "can_resume": can_resume}, request=request)


@login_required
@require_POST
def supplement_resume(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The desk takes the papers sent online and resumes the clock, through dossiers' `dossier_resume`
    (the table of who may act decides who may)."""
    dossier = _visible_dossier(request, dossier_id)
    wanted = selectors.supplement_request(dossier)
    staff = staff_of(request.user)
    target = reverse("dossiers:detail", args=[dossier.pk])
    if wanted is None or not wanted.sent:
        messages.error(request, _("Không có giấy tờ bổ sung trực tuyến nào đang chờ."))
        return redirect(target)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("Thiếu phiên bản hồ sơ. Vui lòng tải lại trang."))
        return redirect(target)
    try:
        dossier_resume(actor=staff, dossier_id=dossier.pk, version=version, papers=list(wanted.sent),
                       note="Đã nhận giấy tờ bổ sung nộp trực tuyến.")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã nhận giấy tờ bổ sung và tiếp tục tính thời hạn."))
    return redirect(target)


# --- satisfaction (staff) ----------------------------------------------------------------------------

def _period_of(request: HttpRequest) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    now_day = today()
    date_from = query_date(request.GET, "from", default=now_day.replace(day=1))
    date_to = query_date(request.GET, "to", default=now_day)
    if date_to < date_from:
        raise InvalidInput(_("Ngày kết thúc phải sau ngày bắt đầu."))
    return date_from, date_to, start_of_day(date_from), start_of_day(date_to + dt.timedelta(days=1))


@login_required
def satisfaction(request: HttpRequest) -> HttpResponse:
    """The 9-indicator index per receiving agency, votes per desk and per clerk, for a period."""
    date_from, date_to, since, until = _period_of(request)
    query = request.GET.get("q", "").strip()
    rows = selectors.satisfaction_index(user=request.user, since=since, until=until)
    if query:
        key = fold(query)
        rows = [r for r in rows if r.agency_id is None or key in fold(r.agency_name)]
    clerks = selectors.clerk_satisfaction_rows(user=request.user, since=since, until=until)
    if request.GET.get("format") == "csv":
        return _satisfaction_csv(rows, clerks, date_from, date_to)
    body, total = (rows[:-1], rows[-1]) if rows else ([], None)
    return render(request, "portal/satisfaction.html", {
        "page": paginate(request, body), "total": total, "clerks": clerks, "query": query,
        "date_from": date_from, "date_to": date_to, "indicators": [gettext(label) for _k, label in INDICATORS]})


def _satisfaction_csv(rows, clerks, date_from: dt.date, date_to: dt.date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chi-so-hai-long-{date_from}-{date_to}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Đơn vị"), *[gettext(label) for _k, label in INDICATORS], _("Chỉ số (0–18)"),
                     _("Số chỉ tiêu tính được"), _("Lượt đánh giá"), _("Tỷ lệ hài lòng")])
    for r in rows:
        writer.writerow([r.agency_name, *["" if i.score is None else i.score for _k, _l, i in r.rows()],
                         "" if r.total is None else r.total, r.computed, r.votes.total,
                         "" if r.votes.satisfied_rate is None else round(r.votes.satisfied_rate, 4)])
    writer.writerow([])
    writer.writerow([_("Công chức"), _("Đơn vị"), _("Lượt đánh giá"), _("Tỷ lệ hài lòng")])
    for c in clerks:
        writer.writerow([c["name"], c["agency"], c["counts"].total,
                         "" if c["counts"].satisfied_rate is None else round(c["counts"].satisfied_rate, 4)])
    return response
