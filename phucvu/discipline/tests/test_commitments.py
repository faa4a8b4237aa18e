"""Commitments: versioned texts per agency and year, signing, who has not signed (docs/discipline.md §3.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput, NotAllowed, NotFound
from phucvu.discipline.models import Commitment, CommitmentText
from phucvu.discipline.selectors.commitments import signature_overview, text_diff, text_for, text_get
from phucvu.discipline.services.commitments import commitment_sign, commitment_text_publish

BODY = "1. Chấp hành giờ giấc làm việc.\n2. Không gây phiền hà cho công dân.\n3. Không để hồ sơ trễ hạn."


def test_a_commitment_is_signed_once_a_year(province, make_staff):
    clerk = make_staff(province["commune_desk"])
    commitment_sign(actor=None, staff=clerk, year=2017, text_version="v1", signed_on=dt.date(2017, 1, 5))
    with pytest.raises(InvalidInput):
        commitment_sign(actor=None, staff=clerk, year=2017, text_version="v1", signed_on=dt.date(2017, 1, 6))


def _publish(hr, agency, body=BODY, note="", on=dt.date(2026, 1, 5)):
    return commitment_text_publish(actor=hr, agency=agency, year=2026, title="Cam kết 2026", body=body,
                                   change_note=note, published_on=on)


def test_a_change_is_a_new_version_and_every_version_is_kept(province, make_staff):
    hr = make_staff(province["district"], "hr_officer")
    v1 = _publish(hr, province["district"])
    with pytest.raises(InvalidInput, match="không thay đổi"):
        _publish(hr, province["district"], note="không đổi")
    with pytest.raises(InvalidInput, match="nội dung thay đổi"):
        _publish(hr, province["district"], body=BODY + "\n4. Mặc đồng phục.")
    v2 = _publish(hr, province["district"], body=BODY.replace("3. Không để hồ sơ trễ hạn.", "3. Xin lỗi khi trễ hạn.")
                  + "\n4. Mặc đồng phục.", note="Thêm đồng phục")
    assert (v1.version, v2.version) == (1, 2)
    assert CommitmentText.objects.count() == 2
    diff = text_diff(v1, v2)
    assert [(d.kind, d.text) for d in diff if d.kind != "same"] == [
        ("removed", "3. Không để hồ sơ trễ hạn."), ("added", "3. Xin lỗi khi trễ hạn."), ("added", "4. Mặc đồng phục.")]
    with pytest.raises(RuntimeError):
        v1.save()


def test_only_leaders_and_the_personnel_office_publish_and_only_in_their_scope(province, make_staff):
    with pytest.raises(NotAllowed):
        _publish(make_staff(province["district"], "specialist"), province["district"])
    with pytest.raises(NotAllowed):
        _publish(make_staff(province["district2"], "hr_officer"), province["district"])


def test_the_nearest_agency_text_applies_and_who_has_not_signed(province, make_staff):
    hr = make_staff(province["province"], "hr_officer")
    whole = _publish(hr, province["province"])
    own = _publish(hr, province["commune"], body="Cam kết riêng của phường.")
    a = make_staff(province["commune_desk"], full_name="Lê Thị A")
    b = make_staff(province["commune2"], full_name="Trần Văn B")
    c = make_staff(province["dept"], full_name="Phạm Văn C")
    assert text_for(a, 2026) == own and text_for(b, 2026) == whole and text_for(a, 2025) is None
    commitment_sign(actor=b, staff=b, text=whole, signed_on=dt.date(2026, 1, 6))
    overview = signature_overview(whole)
    assert b in overview["signed"] and c in overview["missing"] and a not in overview["missing"] + overview["signed"]
    # A new version: B signed the old one, so B is listed again until B signs the new one.
    whole2 = _publish(hr, province["province"], body=BODY + "\n4. Mặc đồng phục.", note="Thêm đồng phục",
                      on=dt.date(2026, 2, 1))
    overview = signature_overview(whole2)
    assert b in overview["older"] and b not in overview["signed"]
    with pytest.raises(InvalidInput, match="phiên bản mới"):
        commitment_sign(actor=c, staff=c, text=whole, signed_on=dt.date(2026, 2, 2))
    with pytest.raises(InvalidInput, match="trước ngày ban hành"):
        commitment_sign(actor=b, staff=b, text=whole2, signed_on=dt.date(2026, 1, 20))
    commitment_sign(actor=b, staff=b, text=whole2, signed_on=dt.date(2026, 2, 2))
    assert b in signature_overview(whole2)["signed"]
    assert Commitment.objects.filter(staff=b).count() == 2  # the old signature stays


def test_a_cadre_signs_only_for_themself_the_office_records_paper_signatures(province, make_staff):
    hr = make_staff(province["district"], "hr_officer")
    text = _publish(hr, province["district"])
    clerk = make_staff(province["commune_desk"])
    colleague = make_staff(province["commune_desk"])
    with pytest.raises(NotAllowed):
        commitment_sign(actor=colleague, staff=clerk, text=text, signed_on=dt.date(2026, 1, 6))
    with pytest.raises(InvalidInput, match="không thuộc đơn vị"):
        commitment_sign(actor=make_staff(province["province"], "hr_officer"), staff=make_staff(province["district2"]),
                        text=text, signed_on=dt.date(2026, 1, 6))
    signed = commitment_sign(actor=hr, staff=clerk, text=text, signed_on=dt.date(2026, 1, 6))
    assert signed.recorded_by == hr and signed.text_version == "H193/v1"


def test_a_text_is_read_by_managers_in_scope_and_by_those_it_binds(province, make_staff):
    hr = make_staff(province["district"], "hr_officer")
    text = _publish(hr, province["district"])
    assert text_get(user=make_staff(province["commune_desk"]).user, text_id=text.pk) == text
    with pytest.raises(NotFound):
        text_get(user=make_staff(province["commune3"]).user, text_id=text.pk)
    with pytest.raises(NotFound):
        text_get(user=make_staff(province["district2"], "unit_leader").user, text_id=text.pk)


def test_the_pages_sign_and_list_who_has_not_signed(province, make_staff):
    hr = make_staff(province["district"], "hr_officer")
    clerk = make_staff(province["commune_desk"], full_name="Đào Thị Hạnh")
    missing = make_staff(province["commune_desk"], full_name="Vũ Văn Chưa Ký")
    hr_client, clerk_client = Client(), Client()
    hr_client.force_login(hr.user)
    clerk_client.force_login(clerk.user)
    today = timezone.localdate()
    response = hr_client.post(reverse("discipline:commitment_list"), {
        "action": "publish", "agency": "H193", "year": today.year, "title": "Cam kết năm", "body": BODY,
        "published_on": today.isoformat()})
    text = CommitmentText.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/commitments/{text.pk}/")
    page = clerk_client.get(reverse("discipline:commitment_list")).content.decode()
    assert "Không gây phiền hà cho công dân" in page and 'id="sign"' in page
    clerk_client.post(reverse("discipline:commitment_list") + f"?year={today.year}", {"action": "sign"})
    assert Commitment.objects.get().staff == clerk
    detail = hr_client.get(reverse("discipline:commitment_detail", args=[text.pk])).content.decode()
    assert "Vũ Văn Chưa Ký" in detail and "Đào Thị Hạnh" not in detail
    csv = hr_client.get(reverse("discipline:commitment_detail", args=[text.pk]) + "?list=missing&format=csv")
    assert missing.user.username in csv.content.decode()
    listing = hr_client.get(reverse("discipline:commitment_list") + f"?year={today.year}").content.decode()
    assert "Cam kết năm" in listing and 'id="commitments-csv"' in listing
    lines = hr_client.get(reverse("discipline:commitment_list"), {"year": today.year, "format": "csv"}).content.decode(
        "utf-8-sig").strip().splitlines()
    assert lines[0].startswith("agency,agency_name,year,title,version") and len(lines) == 2
    assert lines[1].startswith("H193,") and lines[1].endswith(",1,0,2,3")  # signed 1; the other clerk, the office
    bad = hr_client.post(reverse("discipline:commitment_list"), {"action": "publish", "agency": "H194",
                                                                 "title": "x", "body": "y"})
    assert bad.status_code == 200 and "không có đơn vị mã" in bad.content.decode().lower()
