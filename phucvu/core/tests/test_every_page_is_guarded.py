"""Walk every URL of the site: a page is either on the public list or refuses an anonymous visitor.

A new page that forgets `login_required` (and so the visibility rule behind it) fails here.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages meant for everyone: the landing page, login, language, the citizen side and the public numbers.
PUBLIC = {
    "landing", "healthz", "readyz", "favicon", "login", "logout", "set_language", "javascript-catalog",
    "reports:public", "reports:public_csv",
    "portal:index", "portal:lookup", "portal:vote", "portal:result_copy", "portal:submit",
    "portal:submit_procedure", "portal:submit_done", "portal:feedback_new", "portal:feedback_done",
    "portal:feedback_lookup", "portal:submit_receipt", "portal:catalogue", "portal:catalogue_detail",
    "portal:catalogue_form", "portal:supplement", "portal:feedback_answers",
    # Inspection conclusions published after redaction (docs/inspections.md): public by law for their window.
    "inspections:public_list", "inspections:public_detail",
    # A citizen's channel choice behind a signed link; the SMS provider's delivery reports behind a secret.
    "notifications:choice", "notifications:esms_report",
}


def routes(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}".strip(":")


def concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", route)


STAFF_PAGES = [(name, concrete(route)) for route, name in routes()
               if not route.startswith(("admin/", "api/", "static/")) and name not in PUBLIC]


def test_the_walk_finds_the_pages():
    names = {name for name, _ in STAFF_PAGES}
    assert {"home", "dossiers:queue", "dossiers:detail", "reports:dashboard", "portal:inbox"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), STAFF_PAGES, ids=[n for n, _ in STAFF_PAGES])
def test_staff_page_refuses_an_anonymous_visitor(client, name, url):
    for method in (client.get, client.post):
        response = method(url)
        if response.status_code == 405:
            continue
        assert response.status_code in {302, 401, 403}, f"{name} {url} answered {response.status_code}"
        if response.status_code == 302:
            assert "/login/" in response["Location"], f"{name} redirects elsewhere: {response['Location']}"


@pytest.mark.django_db
def test_the_api_refuses_an_anonymous_caller(client):
    for url in ["/api/dossiers/", "/api/dossiers/queue", "/api/organization/agencies", "/api/catalog/procedures",
                "/api/workcalendar/days?year=2025", "/api/portal/inbox"]:
        assert client.get(url).status_code == 401, url
