"""A result record for tests that take a dossier to its result: what a cadre must give `dossier_resolve`."""

from __future__ import annotations

import base64

from phucvu.dossiers.services import ResultDocument

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% quyet dinh\n%%EOF\n"


def result_record(number: str = "125/QĐ-UBND", signer: str = "Phạm Văn Chủ Tịch", **extra) -> dict:
    """Keyword arguments of `dossier_resolve` for the decision (the date: the day it is recorded)."""
    return {"decision_number": number, "signer_name": signer,
            "document": ResultDocument(name="quyet-dinh.pdf", content=PDF), **extra}


def api_result_record(number: str = "125/QĐ-UBND", signer: str = "Phạm Văn Chủ Tịch") -> dict:
    """The same, as the JSON body of `POST /api/dossiers/{id}/resolve` (the PDF in base64)."""
    return {"decision_number": number, "signer_name": signer, "document_name": "quyet-dinh.pdf",
            "document_base64": base64.b64encode(PDF).decode()}
