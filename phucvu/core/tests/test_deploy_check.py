"""`phucvu check --deploy` under production settings: no warning, and each HTTPS setting driven by the
environment (docs/deploy.md, "HTTPS")."""

from __future__ import annotations

import os
import subprocess
import sys

from phucvu.core.tests.test_public_address import STRONG_KEY


def deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "phucvu.settings.production", "SECRET_KEY": STRONG_KEY,
                   "PUBLIC_BASE_URL": "https://dichvucong.quangninh.gov.vn",
                   "ALLOWED_HOSTS": "dichvucong.quangninh.gov.vn", "PHUCVU_HOME": str(tmp_path),
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}", "DEBUG": "", **env}
    # The browser tests' conftest sets this for the test process; a deployment never has it (async.E001).
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run([sys.executable, "-m", "phucvu", "check", "--deploy", "--fail-level", "WARNING"],
                          env=environment, capture_output=True, text=True, timeout=300)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    checked = deploy_check(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_the_https_settings_come_from_the_environment(tmp_path):
    """Easing one by its variable is seen by Django's check: the settings read the environment."""
    eased = deploy_check(tmp_path, SECURE_HSTS_PRELOAD="0", SECURE_SSL_REDIRECT="0")
    assert eased.returncode != 0
    assert "security.W021" in eased.stderr and "security.W008" in eased.stderr
