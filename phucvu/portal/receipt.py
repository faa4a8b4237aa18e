"""The PDF a citizen keeps after an online submission: not form 01 (that receipt is issued when the desk
accepts the dossier and the clock starts), but a confirmation of what was sent, with the code, the secret
and the QR code of the status page — the same link as form 01's."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import timezone

from phucvu.dossiers.pdf import FONT_DIR, font_faces, header, lookup_url, qr_data_uri


def submitted_context(dossier, *, papers: Sequence[str]) -> dict:
    url = lookup_url(dossier.code, dossier.secret)
    return {**header(dossier.agency), "d": dossier, "papers": list(papers), "lookup_url": url, "qr": qr_data_uri(url),
            "form": {"number": "", "title": "Phiếu xác nhận nộp hồ sơ trực tuyến", "landscape": False},
            "fonts": font_faces(), "printed_at": timezone.now(), "dated": dossier.submitted_at}


def submitted_html(dossier, *, papers: Sequence[str]) -> str:
    return render_to_string("portal/forms/submitted.html", submitted_context(dossier, papers=papers))


def submitted_pdf(dossier, *, papers: Sequence[str]) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint takes about a second to import; only this response needs it

    return HTML(string=submitted_html(dossier, papers=papers), base_url=str(FONT_DIR)).write_pdf()


def blank_form_html(procedure, paper: dict) -> str:
    return render_to_string("portal/forms/blank.html", {
        "procedure": procedure, "paper": paper, "fonts": font_faces(), "printed_at": timezone.now(),
        "form": {"number": "", "title": paper["form"], "landscape": False}})


def blank_form_pdf(procedure, paper: dict) -> bytes:
    """A declaration to fill in by hand: the form's title, the procedure, lines for the applicant.

    Where the published procedure gives an address of its form instead, the catalogue links there."""
    from weasyprint import HTML  # noqa: PLC0415 - as above

    return HTML(string=blank_form_html(procedure, paper), base_url=str(FONT_DIR)).write_pdf()
