"""Emulation and commendation: campaigns and contests, results, awards, materials, who records and who sees them
(docs/discipline.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.models import Award, Campaign, CampaignResult, MaterialDistribution
from phucvu.discipline.selectors.emulation import campaign_list, year_summary
from phucvu.discipline.services.emulation import (
    award_record,
    campaign_create,
    campaign_result_record,
    material_record,
)


@pytest.fixture
def people(province, make_staff):
    return {"city": make_staff(province["district"], "unit_leader", full_name="Phạm Quốc Hùng"),
            "clerk": make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh"),
            "far": make_staff(province["district2"], "unit_leader", full_name="Lê Văn Xa"),
            "hr": make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ")}


@pytest.fixture
def contest(province, people):
    return campaign_create(actor=people["city"], agency=province["district"], kind="contest",
                           name="Hội thi CB,CC,VC chung tay cải cách hành chính năm 2017",
                           launched_on=dt.date(2017, 3, 1), ends_on=dt.date(2017, 6, 30))


@pytest.mark.django_db
def test_a_leader_launches_and_records_results_awards_and_materials(province, people, contest):
    campaign_result_record(actor=people["city"], campaign=contest, staff=people["clerk"], result="Giải Nhất", rank=1,
                           on=dt.date(2017, 6, 20))
    campaign_result_record(actor=people["city"], campaign=contest, agency=province["commune"], result="Giải Ba",
                           rank=3, on=dt.date(2017, 6, 20))
    award_record(actor=people["city"], campaign=contest, staff=people["clerk"], form="giay_khen",
                 decision_number="1520/QĐ-UBND", decided_on=dt.date(2017, 6, 25), reason="Giải Nhất hội thi")
    material_record(actor=people["city"], campaign=contest, agency=province["district"], quantity=3000,
                    title="Sổ tay chủ đề công tác năm 2017", distributed_on=dt.date(2017, 4, 1))
    assert CampaignResult.objects.get(rank=3).participant == "UBND phường Hồng Gai"
    row = campaign_list(user=people["clerk"].user, year=2017).get()  # the commune sees its city's contest
    assert (row.n_results, row.n_awards, row.n_materials) == (2, 1, 3000)
    summary = year_summary(user=people["city"].user, year=2017)
    assert summary == {"campaigns": 0, "contests": 1, "awards": 1, "materials": 3000}


@pytest.mark.django_db
def test_only_leaders_above_or_the_personnel_office_record(province, people, contest):
    for who in ("clerk", "far"):
        with pytest.raises(NotAllowed):
            campaign_create(actor=people[who], agency=province["district"], name="Phong trào",
                            launched_on=dt.date(2017, 1, 1))
        with pytest.raises(NotAllowed):
            award_record(actor=people[who], campaign=contest, recipient="Ai đó", form="giay_khen",
                         decision_number="1/QĐ", decided_on=dt.date(2017, 6, 1))
    campaign_create(actor=people["hr"], agency=province["province"], name="Phong trào thi đua năm 2017",
                    launched_on=dt.date(2017, 2, 1))
    assert Campaign.objects.count() == 2 and Award.objects.count() == 0
    assert not campaign_list(user=people["far"].user, year=2017).filter(pk=contest.pk).exists()


@pytest.mark.django_db
def test_bad_input_is_refused(province, people, contest):
    with pytest.raises(InvalidInput):
        campaign_create(actor=people["city"], agency=province["district"], name=" ", launched_on=dt.date(2017, 1, 1))
    with pytest.raises(InvalidInput):
        campaign_create(actor=people["city"], agency=province["district"], name="X", launched_on=dt.date(2017, 5, 1),
                        ends_on=dt.date(2017, 4, 1))
    with pytest.raises(InvalidInput):
        campaign_result_record(actor=people["city"], campaign=contest, participant="A", result="Giải Nhì",
                               on=dt.date(2017, 1, 1))
    with pytest.raises(InvalidInput):
        material_record(actor=people["city"], agency=province["district"], title="Tờ rơi", quantity=0,
                        distributed_on=dt.date(2017, 4, 1))
    with pytest.raises(InvalidInput):
        award_record(actor=people["city"], campaign=contest, recipient="A", form="huan_chuong_vang",
                     decision_number="1/QĐ", decided_on=dt.date(2017, 6, 1))
    assert not MaterialDistribution.objects.exists() and not CampaignResult.objects.exists()


@pytest.mark.django_db
def test_the_pages_list_create_and_record(client, province, people):
    client.force_login(people["city"].user)
    response = client.post(reverse("discipline:campaign_list"), {
        "name": "Hội thi Tự hào là công dân", "agency": province["district"].pk, "kind": "contest",
        "launched_on": "2017-03-01"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    client.post(reverse("discipline:campaign_detail", args=[campaign.pk]), {
        "action": "material", "title": "Cẩm nang Nghị quyết Trung ương 4", "agency": province["district"].pk,
        "material_kind": "cẩm nang", "quantity": "10000", "distributed_on": "2017-05-10"})
    client.post(reverse("discipline:campaign_detail", args=[campaign.pk]), {
        "action": "result", "username": people["clerk"].user.username, "result": "Giải Nhất", "rank": "1",
        "on": "2017-06-01"})
    bad = client.post(reverse("discipline:campaign_detail", args=[campaign.pk]), {
        "action": "award", "recipient": "A", "form": "giay_khen", "decision_number": "", "decided_on": "2017-06-01"})
    assert "Cần số quyết định" in bad.content.decode()
    page = client.get(reverse("discipline:campaign_list"), {"year": 2017}).content.decode()
    assert "Hội thi Tự hào là công dân" in page and "10.000" in page
    detail = client.get(reverse("discipline:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Đào Thị Hạnh" in detail and "Giải Nhất" in detail
    csv = client.get(reverse("discipline:campaign_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "10000" in csv
    client.force_login(people["far"].user)
    assert client.get(reverse("discipline:campaign_detail", args=[campaign.pk])).status_code == 404


@pytest.fixture
def awards(province, people, contest):
    """Three awards: the clerk's in the city's contest, the ward's own, and one far away."""
    first = award_record(actor=people["city"], campaign=contest, staff=people["clerk"], form="giay_khen",
                         decision_number="1520/QĐ-UBND", decided_on=dt.date(2017, 6, 25),
                         reason="Giải Nhất hội thi cải cách hành chính")
    ward = award_record(actor=people["city"], campaign=None, on_behalf_of=province["district"],
                        agency=province["commune"], form="tap_the_lao_dong_tien_tien",
                        decision_number="88/QĐ-UBND", decided_on=dt.date(2018, 1, 10), decided_by="UBND thành phố")
    far = award_record(actor=people["far"], campaign=None, on_behalf_of=province["district2"],
                       recipient="Nguyễn Văn Xa", form="bang_khen", decision_number="9/QĐ",
                       decided_on=dt.date(2017, 5, 1))
    return {"first": first, "ward": ward, "far": far}


@pytest.mark.django_db
def test_the_awards_page_per_cadre_per_unit_searchable_and_exported(client, province, people, awards):
    client.force_login(people["city"].user)
    url = reverse("discipline:award_list")
    page = client.get(url).content.decode()
    assert "1520/QĐ-UBND" in page and "88/QĐ-UBND" in page and "9/QĐ" not in page  # not in the city's scope
    page = client.get(url, {"staff": people["clerk"].pk}).content.decode()
    assert "Khen thưởng của Đào Thị Hạnh" in page and "88/QĐ-UBND" not in page and "1520/QĐ-UBND" in page
    page = client.get(url, {"agency": province["commune"].pk}).content.decode()
    assert "1520/QĐ-UBND" in page and "88/QĐ-UBND" in page  # the ward itself and its desk's clerk
    page = client.get(url, {"q": "cai cach"}).content.decode()  # accents optional
    assert "1520/QĐ-UBND" in page and "88/QĐ-UBND" not in page
    assert "88/QĐ-UBND" in client.get(url, {"year": 2018}).content.decode()
    csv_text = client.get(url, {"format": "csv", "agency": province["commune"].pk}).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("id,form,recipient,username,unit") and len(lines) == 3
    assert "X06652" in lines[2] or "X06652" in lines[1]


@pytest.mark.django_db
def test_a_cadre_reads_their_own_awards_and_the_staff_page_links_them(client, people, awards):
    client.force_login(people["clerk"].user)
    page = client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk])).content.decode()
    assert f'{reverse("discipline:award_list")}?staff={people["clerk"].pk}' in page and "1 khen thưởng" in page
    page = client.get(reverse("discipline:award_list"), {"staff": people["clerk"].pk}).content.decode()
    assert "1520/QĐ-UBND" in page
    client.force_login(people["far"].user)
    page = client.get(reverse("discipline:award_list"), {"staff": people["clerk"].pk}).content.decode()
    assert "1520/QĐ-UBND" not in page and "Đào Thị Hạnh" not in page


@pytest.mark.django_db
def test_the_awards_page_refuses_nothing_odd(client, people, awards):
    client.force_login(people["city"].user)
    url = reverse("discipline:award_list")
    for params in ({"staff": "x"}, {"agency": "-1"}, {"year": "99999"}, {"form": "nope"}, {"page": "9999"}):
        assert client.get(url, params).status_code in (200, 400)


@pytest.mark.django_db
def test_the_unit_an_award_is_recorded_for_is_kept_shown_and_exported(client, province, people, awards):
    """`on_behalf_of` outside a campaign, the campaign's agency inside one: stored, on the page and in the CSV."""
    assert awards["ward"].recorded_for == province["district"]
    assert awards["far"].recorded_for == province["district2"]
    assert awards["first"].recorded_for == province["district"]  # the contest's agency
    Award.objects.filter(pk=awards["ward"].pk).update(recorded_by=None)  # seen through the unit recorded for
    client.force_login(people["city"].user)
    page = client.get(reverse("discipline:award_list"), {"year": 2018}).content.decode()
    assert "Đơn vị ghi nhận" in page and "88/QĐ-UBND" in page
    row = page[page.index("88/QĐ-UBND"):]
    assert province["district"].name in row[:row.index("</tr>")]
    csv_text = client.get(reverse("discipline:award_list"), {"format": "csv", "year": 2018}).content.decode("utf-8-sig")
    header, line = csv_text.strip().splitlines()
    assert header.endswith(",recorded_for,recorded_for_name")
    assert line.endswith(f",{province['district'].code},{province['district'].name}")


@pytest.mark.django_db
def test_a_name_links_to_a_cadres_page_only_when_it_would_open(client, province, people):
    """The province's campaign is read in every unit; its award to a ward's clerk links to her page for those
    who may open it, and is plain text for a leader of another city (whose click would be refused)."""
    movement = campaign_create(actor=people["hr"], agency=province["province"], name="Phong trào thi đua 2017",
                               launched_on=dt.date(2017, 2, 1))
    award_record(actor=people["hr"], campaign=movement, staff=people["clerk"], form="giay_khen",
                 decision_number="15/QĐ-UBND", decided_on=dt.date(2017, 12, 20))
    link = f'href="{reverse("discipline:staff_detail", args=[people["clerk"].pk])}"'
    pages = [reverse("discipline:campaign_detail", args=[movement.pk]), reverse("discipline:award_list")]
    for user, linked in [(people["city"], True), (people["far"], False)]:
        client.force_login(user.user)
        for url in pages:
            page = client.get(url).content.decode()
            assert "Đào Thị Hạnh" in page and (link in page) == linked, (user, url)
    assert client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk])).status_code == 403
