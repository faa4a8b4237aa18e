"""docs/api.md's examples, run as written: its `sh` blocks in order, with curl and jq, against a live server
and real tokens (a ward's clerk, officer and chairman)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from phucvu.dossiers.models import Dossier, Status
from phucvu.organization.services import api_token_issue

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def sh_blocks() -> str:
    return "\n".join(re.findall(r"^```sh\n(.*?)^```", DOC.read_text(encoding="utf-8"), flags=re.S | re.M))


def test_the_curl_examples_of_docs_api_md_work(live_server, province, procedure, staff, tmp_path):
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI cần {', '.join(missing)} (.ci/run cài chúng).")
        pytest.skip(f"Thiếu {', '.join(missing)}: cài gói Debian cùng tên để chạy ví dụ của docs/api.md.")
    script = sh_blocks()
    assert script.count("api ") >= 8, "the examples were not found"
    env = {**os.environ, "BASE": live_server.url, "AGENCY": str(province["commune_desk"].pk),
           "PROCEDURE": str(procedure.pk),
           **{name.upper(): api_token_issue(user=staff[name].user) for name in ("clerk", "specialist", "leader")}}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout.split("\n")
    assert "returned" in out and "10" in out
    assert "403" in out and any("không được dừng xử lý" in line for line in out)

    assert list(Dossier.objects.order_by("pk").values_list("status", flat=True)) == [Status.RETURNED,
                                                                                     Status.RECEIVED]
