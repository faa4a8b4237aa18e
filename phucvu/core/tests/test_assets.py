import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

import phucvu

VENDORED = ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
            "vendor/htmx/htmx.min.js", "vendor/chartjs/chart.umd.min.js",
            "vendor/bootstrap-icons/bootstrap-icons.min.css", "css/phucvu.css"]


@pytest.mark.parametrize("asset", VENDORED)
def test_vendored_assets_are_found_by_the_static_finders(asset):
    assert finders.find(asset), f"{asset} is not served: check STATICFILES_DIRS"


def test_no_template_loads_anything_from_the_internet():
    offenders = []
    for template in Path(phucvu.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"""(src|href)=["']https?://(?!127\.0\.0\.1|localhost)""", text):
            offenders.append(str(template))
    assert offenders == []
