import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_sees_role_home(page, login, province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Nguyễn Thị Lan")
    login(page, clerk.user.username)
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert "Công chức Một cửa" in page.locator("[data-testid=role-line]").inner_text()
    page.click("text=Cơ quan, đơn vị")
    assert "Bộ phận Một cửa phường Hồng Gai" in page.content()
    assert "Móng Cái" not in page.content()  # outside the clerk's commune
