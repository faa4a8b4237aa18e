"""The receipt's QR code and link carry the system's public address (PUBLIC_BASE_URL), never a loopback one."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def receipt_text(client, clerk, dossier) -> str:
    client.force_login(clerk.user)
    response = client.get(reverse("dossiers:form_pdf", args=[dossier.pk, "receipt"]), HTTP_HOST="motcua.example.vn")
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


def test_the_receipt_prints_the_configured_public_address(client, receive, staff, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.quangninh.gov.vn/"
    settings.ALLOWED_HOSTS = ["motcua.example.vn"]
    d = receive()
    assert f"https://dichvucong.quangninh.gov.vn/portal/lookup/?code={d.code}" in receipt_text(client, staff["clerk"], d)


def test_without_a_configured_address_the_receipt_uses_the_address_the_clerk_reached(client, receive, staff, settings):
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["motcua.example.vn"]
    d = receive()
    text = receipt_text(client, staff["clerk"], d)
    assert f"http://motcua.example.vn/portal/lookup/?code={d.code}" in text
    assert "127.0.0.1" not in text
