"""PUBLIC_BASE_URL: production refuses to start without a usable one; the demo sets it; pages fall back to
their request's address; nothing else may guess it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from phucvu.core.public import public_base_url, public_url
from phucvu.demo.management.commands.demo import demo_public_url
from phucvu.settings.base import public_base_url_problem, secret_key_problem


def test_the_setting_wins_then_the_request_then_a_relative_link(settings, caplog):
    settings.ALLOWED_HOSTS = ["motcua.example.vn"]
    request = RequestFactory().get("/", HTTP_HOST="motcua.example.vn")
    settings.PUBLIC_BASE_URL = "https://dichvucong.quangninh.gov.vn/"
    assert public_url("/portal/lookup/?code=1", request) == "https://dichvucong.quangninh.gov.vn/portal/lookup/?code=1"
    settings.PUBLIC_BASE_URL = ""
    assert public_base_url(request) == "http://motcua.example.vn"
    with caplog.at_level(logging.WARNING, logger="phucvu.core.public"):
        assert public_url("/portal/lookup/?code=1") == "/portal/lookup/?code=1"  # relative, never a guess
    assert "PUBLIC_BASE_URL" in caplog.text


@pytest.mark.parametrize(("url", "problem"), [
    ("", "Cần đặt biến môi trường PUBLIC_BASE_URL"), ("dichvucong.quangninh.gov.vn", "https://"),
    ("http://127.0.0.1:8000", "địa chỉ nội bộ"), ("http://localhost", "địa chỉ nội bộ"),
    ("https://dvc.example.vn/?a=1", "tham số"), ("https://dichvucong.quangninh.gov.vn", None),
    ("https://dichvucong.quangninh.gov.vn/phucvu/", None)])
def test_what_a_production_address_must_be(url, problem):
    found = public_base_url_problem(url)
    assert (found is None) if problem is None else (problem in found)


STRONG_KEY = "k7Qf-2mZr9wXcT4pLb8NvJ3sYd6HgE1uAoK5iRqW0tVxC_nMyFzPeSjUlDhBaG"


def start_production(tmp_path, **env) -> subprocess.CompletedProcess:
    """`phucvu check` under the production settings, as a server process would load them."""
    environment = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "phucvu.settings.production", "SECRET_KEY": STRONG_KEY,
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", **env})
    return subprocess.run([sys.executable, "-m", "phucvu", "check"], env=environment, capture_output=True,
                          text=True, timeout=120)


def test_production_refuses_to_start_without_a_public_address(tmp_path):
    refused = start_production(tmp_path)
    assert refused.returncode != 0 and "PUBLIC_BASE_URL" in refused.stderr
    loopback = start_production(tmp_path, PUBLIC_BASE_URL="http://127.0.0.1:8000")
    assert loopback.returncode != 0 and "địa chỉ nội bộ" in loopback.stderr
    started = start_production(tmp_path, PUBLIC_BASE_URL="https://dichvucong.quangninh.gov.vn")
    assert started.returncode == 0, started.stderr


def test_the_demo_prints_the_address_it_serves_on():
    assert demo_public_url("127.0.0.1:8155") == "http://127.0.0.1:8155"
    assert demo_public_url("8000") == "http://127.0.0.1:8000"
    lan = demo_public_url("0.0.0.0:8000")
    assert lan.startswith("http://") and lan.endswith(":8000") and "0.0.0.0" not in lan


@pytest.mark.parametrize("key", ["", "x", "x" * 60, "phucvu-insecure-development-key-change-me",
                                 "django-insecure-" + "a1b2c3d4e5" * 5, "short-but-varied-123"])
def test_production_refuses_a_weak_or_default_secret_key(key):
    assert "SECRET_KEY" in secret_key_problem(key)


def test_production_starts_with_a_strong_secret_key_and_refuses_a_weak_one(tmp_path):
    url = "https://dichvucong.quangninh.gov.vn"
    weak = start_production(tmp_path, PUBLIC_BASE_URL=url, SECRET_KEY="x")
    assert weak.returncode != 0 and "SECRET_KEY quá yếu" in weak.stderr
    assert secret_key_problem(STRONG_KEY) is None
