"""The landing page section of a demo database: the seed's table beside what the system computed."""

from __future__ import annotations

from django.http import HttpRequest

from phucvu.core.landing import render_section
from phucvu.demo import selectors
from phucvu.demo.profiles import AFTER, DEMO_LOGINS, DEMO_PASSWORD, LOGINS_2025


def seed_section(request: HttpRequest) -> tuple[int, str] | None:
    run = selectors.demo_run()
    if run is None:
        return None
    context = {"run": run, "volumes": selectors.seed_comparison(), "inspections": selectors.inspection_comparison(),
               "satisfaction": selectors.satisfaction_summary(), "links": selectors.period_links(),
               "logins": DEMO_LOGINS, "password": DEMO_PASSWORD}
    if run.profile == "quangninh-2025":
        context["reform"] = run.summary.get("reform") or {}
        context["reform_links"] = selectors.period_links(*AFTER)
        context["logins"] = DEMO_LOGINS + LOGINS_2025
    return 10, render_section("demo/landing_section.html", context, request)
