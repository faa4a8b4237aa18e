"""The printed forms of the one-stop desk (Circular 01/2018/TT-VPCP, then 03/2025/TT-VPCP) as PDF.

HTML templates under `templates/dossiers/forms/` laid out as the official forms, rendered by WeasyPrint
on A4 with the DejaVu fonts embedded (the forms must print Vietnamese correctly on any machine, so the
font travels inside the file). The receipt carries a QR code (segno, inline SVG) to the public status page.

The builders here only gather what a form shows; they read objects already loaded by the caller (the
views go through the dossiers selectors), so this module never decides who may see what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop

from phucvu.core import tablepdf
from phucvu.core.localtime import at_or_now
from phucvu.core.public import public_base_url
from phucvu.dossiers.templatetags.desk import short_moment, vn_date

# Debian's fonts-dejavu-core; PDF_FONT_DIR lets a deployment point elsewhere.
FONT_DIR = Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


@dataclass(frozen=True)
class FormSpec:
    number: str  # the form's number in its circular
    title: str
    template: str
    landscape: bool = False
    legal: str = "Thông tư số 01/2018/TT-VPCP"


CIRCULAR_2018 = "Thông tư số 01/2018/TT-VPCP"
CIRCULAR_2025 = "Thông tư số 03/2025/TT-VPCP"

# Circular 01/2018/TT-VPCP (Decree 61/2018): dossiers received until 30/6/2025.
FORMS_2018: dict[str, FormSpec] = {
    "receipt": FormSpec("01", gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), "dossiers/forms/receipt.html"),
    "supplement": FormSpec("02", gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), "dossiers/forms/supplement.html"),
    "refusal": FormSpec("03", gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), "dossiers/forms/refusal.html"),
    "apology": FormSpec("04", gettext_noop("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), "dossiers/forms/apology.html"),
    "control": FormSpec("05", gettext_noop("Phiếu kiểm soát quá trình giải quyết hồ sơ"), "dossiers/forms/control.html"),
    "register": FormSpec("06", gettext_noop("Sổ theo dõi hồ sơ"), "", landscape=True),  # drawn by tablepdf
}

# Circular 03/2025/TT-VPCP (Decree 118/2025): 04 becomes the apology with a request to extend the time,
# 05 is the new stop notice, the control slip and the register move to 06 and 07.
FORMS_2025: dict[str, FormSpec] = {
    "receipt": FormSpec("01", gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), "dossiers/forms/receipt.html",
                        legal=CIRCULAR_2025),
    "supplement": FormSpec("02", gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), "dossiers/forms/supplement.html",
                           legal=CIRCULAR_2025),
    "refusal": FormSpec("03", gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), "dossiers/forms/refusal.html",
                        legal=CIRCULAR_2025),
    "apology": FormSpec("04", gettext_noop("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
                        "dossiers/forms/apology_2025.html", legal=CIRCULAR_2025),
    "stop": FormSpec("05", gettext_noop("Thông báo dừng giải quyết hồ sơ"), "dossiers/forms/stop.html", legal=CIRCULAR_2025),
    "control": FormSpec("06", gettext_noop("Phiếu kiểm soát quá trình giải quyết hồ sơ"), "dossiers/forms/control.html",
                        legal=CIRCULAR_2025),
    "register": FormSpec("07", gettext_noop("Sổ theo dõi hồ sơ"), "", landscape=True,
                         legal=CIRCULAR_2025),
}

# Keyed by the dossier's rule set (catalog.RuleSet): a dossier keeps the forms in force when it was received.
FORM_SETS: dict[str, dict[str, FormSpec]] = {"nd61_2018": FORMS_2018, "nd118_2025": FORMS_2025}


def forms_for(rule_set: str) -> dict[str, FormSpec]:
    """The form set of a rule set (an unknown or empty one: the 2018 set, which older data used)."""
    return FORM_SETS.get(rule_set or "", FORMS_2018)


def font_faces() -> list[dict]:
    """The @font-face rules: file URLs of the DejaVu faces that exist on this machine."""
    # The condensed serif is the nearest in width to the Times New Roman the forms are set in.
    faces = [("DejaVu Serif Condensed", "DejaVuSerifCondensed.ttf", "normal", "normal"),
             ("DejaVu Serif Condensed", "DejaVuSerifCondensed-Bold.ttf", "bold", "normal"),
             ("DejaVu Serif Condensed", "DejaVuSerifCondensed-Italic.ttf", "normal", "italic"),
             ("DejaVu Serif Condensed", "DejaVuSerifCondensed-BoldItalic.ttf", "bold", "italic"),
             ("DejaVu Sans", "DejaVuSans.ttf", "normal", "normal"),
             ("DejaVu Sans", "DejaVuSans-Bold.ttf", "bold", "normal")]
    return [{"family": family, "url": (FONT_DIR / file).as_uri(), "weight": weight, "style": style}
            for family, file, weight, style in faces if (FONT_DIR / file).exists()]


def lookup_url(code: str, secret: str, *, base_url: str | None = None) -> str:
    """The public status page a citizen reaches from the QR code on the receipt (`PUBLIC_BASE_URL`)."""
    base = (base_url or public_base_url()).rstrip("/")
    return f"{base}/portal/lookup/?{urlencode({'code': code, 'secret': secret})}"


def qr_data_uri(text: str) -> str:
    """A QR code as an inline SVG data URI (vector: sharp at any print resolution)."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def layout(kind: str, context: dict, *, rule_set: str = ""):
    """The form laid out by WeasyPrint (its pages and boxes; tests read where each text landed)."""
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint takes about a second to import; only PDF responses need it

    spec = forms_for(rule_set)[kind]
    html = render_to_string(spec.template, {**context, "form": spec, "fonts": font_faces(),
                                            "printed_at": timezone.now()})
    return HTML(string=html, base_url=str(FONT_DIR)).render()


def render_pdf(kind: str, context: dict, *, rule_set: str = "") -> bytes:
    return layout(kind, context, rule_set=rule_set).write_pdf()


def pdf_response(data: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- what each form shows -------------------------------------------------------------------------------

def _parent_name(agency) -> str:
    parent = getattr(agency, "parent", None)
    return parent.name if parent is not None else ""


def place_name(agency) -> str:
    """The place written before the date ('Quảng Ninh, ngày …'): the top of the agency's tree, unprefixed."""
    node = agency
    while getattr(node, "parent", None) is not None:
        node = node.parent
    name = getattr(node, "name", "") or ""
    for prefix in ("UBND tỉnh ", "UBND thành phố ", "Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def header(agency) -> dict:
    return {"agency": agency, "agency_name": getattr(agency, "name", ""), "parent_name": _parent_name(agency),
            "place": place_name(agency)}


def receipt_context(dossier, *, papers: Sequence[str], clerk_name: str, legal_time: str = "",
                    copies: int = 1, register_book: str = "", base_url: str | None = None) -> dict:
    """Mẫu 01: code, applicant, procedure, papers received, receipt moment, appointment, clerk, QR, secret."""
    url = lookup_url(dossier.code, dossier.secret, base_url=base_url)
    return {**header(dossier.agency), "d": dossier, "papers": list(papers), "clerk_name": clerk_name,
            "legal_time": legal_time, "copies": copies, "register_book": register_book,
            "lookup_url": url, "qr": qr_data_uri(url), "dated": dossier.received_at}


def supplement_context(dossier, *, missing: Sequence[str], reason: str, clerk_name: str,
                       contact: str = "", at: dt.datetime | None = None) -> dict:
    """Mẫu 02: every missing paper listed at once, with the reason and who to ask."""
    return {**header(dossier.agency), "d": dossier, "missing": list(missing), "reason": reason,
            "clerk_name": clerk_name, "contact": contact, "dated": at_or_now(at)}


def refusal_context(dossier, *, reason: str, clerk_name: str, at: dt.datetime | None = None) -> dict:
    """Mẫu 03: why the dossier is not received or not resolved."""
    return {**header(dossier.agency), "d": dossier, "reason": reason, "clerk_name": clerk_name,
            "dated": at_or_now(at)}


def apology_context(dossier, *, reason: str, new_due: dt.datetime | None, signer_name: str = "",
                    at: dt.datetime | None = None) -> dict:
    """Mẫu 04: the apology with the new date (the dossier still counts late)."""
    return {**header(dossier.agency), "d": dossier, "reason": reason, "new_due": new_due,
            "signer_name": signer_name, "dated": at_or_now(at)}


def stop_context(dossier, *, reason: str, signer_name: str = "", at: dt.datetime | None = None) -> dict:
    """Mẫu 05 (Circular 03/2025): processing stopped, with the reason."""
    return {**header(dossier.agency), "d": dossier, "reason": reason, "signer_name": signer_name,
            "dated": at_or_now(at)}


@dataclass(frozen=True)
class HandOver:
    """One row of the control slip: who handed the dossier to whom, when, and how that step ended."""

    from_unit: str
    from_person: str
    to_unit: str
    to_person: str
    at: dt.datetime | None
    step_due: dt.datetime | None
    outcome: str  # "early" | "on_time" | "late" | ""
    note: str = ""

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")


OUTCOME_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def control_context(dossier, *, hand_overs: Iterable[HandOver]) -> dict:
    """Mẫu 05: every hand-over with the step's due moment and its result."""
    return {**header(dossier.agency), "d": dossier, "rows": list(hand_overs), "dated": dossier.received_at}


# Shares of the table width: a dossier code and a "dd/mm/yyyy hh:mm" fit their columns at 7.5 pt.
REGISTER_COLUMNS = [
    ("TT", 0.03, "", "center"), ("Mã hồ sơ", 0.14, "", "left"), ("Tên thủ tục hành chính", 0.13, "", "left"),
    ("Số lượng hồ sơ (bộ)", 0.045, "", "center"), ("Tên cá nhân, tổ chức", 0.11, "", "left"),
    ("Địa chỉ, số điện thoại", 0.08, "", "left"), ("Cơ quan chủ trì giải quyết", 0.095, "", "left"),
    ("Ngày nhận hồ sơ", 0.062, "Nhận và hẹn trả", "center"),
    ("Hẹn trả kết quả", 0.062, "Nhận và hẹn trả", "center"),
    ("Ngày có kết quả", 0.062, "", "center"), ("Ngày trả", 0.062, "Trả kết quả", "center"),
    ("Ký nhận", 0.05, "Trả kết quả", "center"), ("Ghi chú", 0.072, "", "left"),
]


def register_pdf(agency, *, dossiers: Iterable, period_from: dt.date | None, period_to: dt.date | None,
                 rule_set: str = "", title_agency: str = "") -> bytes:
    """Mẫu 06 (Circular 01/2018) / 07 (Circular 03/2025): the register of many dossiers, landscape.

    Drawn by `tablepdf` (not WeasyPrint): a month of a busy center is thousands of rows.
    """

    spec = forms_for(rule_set)["register"]
    head = header(agency)
    subtitle = [title_agency or head["agency_name"]]
    if period_from or period_to:
        subtitle.append(f"Từ {period_from:%d/%m/%Y} đến {period_to:%d/%m/%Y}" if period_from and period_to
                        else f"Từ {period_from or '……'} đến {period_to or '……'}")
    rows = ([d.code, d.procedure.name, "1", d.applicant_name,
             ", ".join(v for v in (d.applicant_address, d.applicant_phone) if v),
             d.agency.name, short_moment(d.received_at), short_moment(d.due_at), short_moment(d.resolved_at),
             short_moment(d.returned_at), "", getattr(d, "register_note", "") or ""] for d in dossiers)
    doc = tablepdf.TableDocument(
        form_line=f"Mẫu số {spec.number} — {spec.legal}", issuer_parent=head["parent_name"],
        issuer=head["agency_name"], place_date=f"{head['place'] or '……'}, {vn_date(timezone.now())}",
        title=spec.title, subtitle=subtitle,
        columns=[tablepdf.Column(label, share, group, align) for label, share, group, align in REGISTER_COLUMNS],
        rows=rows)
    return tablepdf.render(doc, font_dir=FONT_DIR)
