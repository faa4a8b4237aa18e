"""The Content-Security-Policy on every page, and nothing loaded from another site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import phucvu

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_policy_without_inline_script(client):
    answer = client.get("/")
    policy = answer["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_the_api_docs_load_their_files_from_this_server(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("doc-reader", password="x"))
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_templates_hold_no_inline_script_and_no_outside_asset():
    """The policy forbids inline script: no <script> with code, no on…= handlers, no hx-on (htmx evals it)."""
    found = []
    for template in Path(phucvu.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", text, re.S):
            if "src=" not in match["attrs"] and "application/json" not in match["attrs"] and match["body"].strip():
                found.append(f"{template}: inline <script>")
        if re.search(r"""\s(on[a-z]+|hx-on[:\w-]*)=["']""", text):
            found.append(f"{template}: inline event handler")
        if re.search(r"""(src|href)=["']https?://(?!\{\{)""", text) and "<link" in text:
            found.append(f"{template}: asset from another site")
    assert not found, found
