"""The demo's result records: a decision number per signing agency and year, the signer, and a one-page
PDF standing for the signed decision (the replay goes through `dossier_resolve`, which wants all three)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict

from phucvu.core.localtime import local_day
from phucvu.dossiers.services import ResultDocument
from phucvu.organization.models import Agency, Staff


def _ascii(text: str) -> str:
    """The demo PDF's base-14 font has no Vietnamese glyphs: the text without its marks."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c) and ord(c) < 128)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def decision_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF with `lines` in Helvetica (a few hundred bytes)."""
    body = ["BT", "/F1 13 Tf", "72 760 Td", "18 TL"]
    for line in lines:
        body.append(f"({_escape(_ascii(line))}) Tj T*")
    body.append("ET")
    stream = "\n".join(body).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


class DecisionBook:
    """Numbers decisions per signing agency and year, as each agency's register of outgoing documents does."""

    def __init__(self) -> None:
        self.last: dict[tuple[int, int], int] = defaultdict(int)
        self.codes: dict[int, str] = {}

    def next_number(self, agency_id: int, year: int) -> str:
        """The next number of the agency's book for the year ("12/QĐ-P22-SKHDT")."""
        key = (agency_id, year)
        self.last[key] += 1
        if agency_id not in self.codes:
            self.codes[agency_id] = Agency.objects.filter(pk=agency_id).values_list("code", flat=True)[0]
        return f"{self.last[key]}/QĐ-{self.codes[agency_id]}"

    def as_json(self) -> list[list[int]]:
        return [[agency, year, last] for (agency, year), last in self.last.items()]

    @classmethod
    def from_json(cls, data: list | None) -> DecisionBook:
        book = cls()
        for agency, year, last in data or []:
            book.last[(agency, year)] = last
        return book

    def record(self, *, signer: Staff, dossier_code: str, procedure: str, at: dt.datetime) -> dict:
        """`dossier_resolve`'s keyword arguments for the decision `signer` signs at `at`."""
        number = self.next_number(signer.agency_id, at.year)
        day = local_day(at)
        pdf = decision_pdf(["CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc", "",
                            f"QUYET DINH so {number} ngay {day:%d/%m/%Y}", f"Ho so {dossier_code}: {procedure}",
                            "", f"Nguoi ky: {signer.full_name}", "(ban dien tu, du lieu trinh dien)"])
        return {"decision_number": number, "decision_date": day, "signer_name": signer.full_name,
                "document": ResultDocument(name=f"quyet-dinh-{dossier_code}.pdf", content=pdf)}
