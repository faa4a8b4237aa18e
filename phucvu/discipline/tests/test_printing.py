"""The score sheet (Mẫu 01) and yearly sheet PDFs, the national database export, the procedure's deadline
(docs/discipline.md §6.8)."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from pypdf import PdfReader

from phucvu.discipline.models import ScoreSheet
from phucvu.discipline.printing import NATIONAL_COLUMNS
from phucvu.discipline.services.evaluation import score_import_save


def _text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_pdfs_and_the_national_export(client, province, make_staff):
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    clerk = make_staff(province["commune"], "desk_clerk", full_name="Đào Thị Hạnh", category="CC")
    for m in range(1, 8):
        score_import_save(staff=clerk, year=2026, kind="month", number=m, general=25, results=60)
    sheets = list(ScoreSheet.objects.filter(staff=clerk).order_by("number"))
    client.force_login(leader.user)
    response = client.get(reverse("discipline:sheet_pdf", args=[sheets[0].pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert "Mẫu số 01" in text and "Đào Thị Hạnh" in text and "85" in text
    year = _text(client.get(reverse("discipline:year_pdf", args=[clerk.pk]) + "?year=2026"))
    assert "85,00" in year or "85.00" in year
    assert "Hoàn thành tốt nhiệm vụ" in year
    export = client.get(reverse("discipline:national_export", args=[province["commune"].pk]) + "?year=2026")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == NATIONAL_COLUMNS
    mine = next(r for r in rows if r[4] == clerk.user.username)
    assert mine[6] == "CC" and mine[9] == "7" and mine[10] == "85.00" and mine[11] == "2"
    outsider = make_staff(province["district2"], "unit_leader")
    client.force_login(outsider.user)
    assert client.get(reverse("discipline:sheet_pdf", args=[sheets[0].pk])).status_code == 404
    assert client.get(reverse("discipline:national_export", args=[province["commune"].pk])).status_code == 403


def test_the_grades_page_shows_the_deadline(client, province, make_staff):
    client.force_login(make_staff(province["dept"], "hr_officer").user)
    page = client.get(reverse("discipline:grades"), {"year": 2026}).content.decode()
    assert "15/12/2026" in page
    # The texts it comes from; the viên chức one is not confirmed yet (docs/discipline.md §6.8).
    assert "233/2026/NĐ-CP" in page and "335/2025/NĐ-CP" in page and "chưa đối chiếu văn bản" in page
