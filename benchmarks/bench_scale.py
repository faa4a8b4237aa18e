"""Every page at the province's full volume: run on a database built by `phucvu demo --scale 1 --no-server`.

Unlike the other benchmarks this one reads the database DATABASE_URL names as it is (it writes nothing but
sessions and the throttle's rows): build it first, then
    DATABASE_URL=… phucvu demo --scale 1 --no-server
    DATABASE_URL=… python -m benchmarks scale
Each page through Django's test client as the demo's logins see it, median of BENCH_SCALE_REPEAT requests
(default 5) after one warm-up; the register PDF once (a month of the provincial center). Prints figures;
asserts nothing but the status codes.

The inspector's pages that read discipline's signals for risk proposals (home page, "what needs looking at
now", a draft plan) need a plan of the current year for the inspector's agency: when there is none the
benchmark makes a draft one inside a transaction it rolls back, so the database is left as it was. Those
pages also print their query count.
"""

from __future__ import annotations

import os

from benchmarks.support import median_ms

REPEAT = int(os.environ.get("BENCH_SCALE_REPEAT", "5"))
PERIOD = "from=2017-01-01&to=2017-07-31"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phucvu.settings.base")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from phucvu.demo.history import database_size
    from phucvu.dossiers.models import Dossier, Status
    from phucvu.organization.models import Staff

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    dossiers = Dossier.objects.count()
    print(f"   database: {connection.vendor}, {dossiers:,} dossiers, {database_size() / 2**20:,.0f} MiB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if not dossiers:
        raise SystemExit("   ! build the demo first: phucvu demo --scale 1 --no-server")

    def client_of(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(Staff.objects.select_related("user").get(user__username=username).user)
        return client

    def page(label: str, client: Client, url: str, repeat: int = REPEAT, *, count: bool = False) -> None:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        made = len(queries)  # read now: the next request empties the connection's log
        ms, response = median_ms(lambda: client.get(url), repeat)
        assert response.status_code == 200, (label, url, response.status_code)
        print(f"   {label}: {ms:,.0f} ms" + (f", {made} queries" if count else ""), flush=True)

    center = Staff.objects.get(user__username="motcua.tinh").agency
    latest = Dossier.objects.filter(agency=center, status=Status.RETURNED).order_by("-returned_at").first()
    open_one = Dossier.objects.filter(agency=center, status=Status.PROCESSING).order_by("-received_at").first()
    clerk = client_of("motcua.tinh")
    page("desk queue, provincial center (motcua.tinh)", clerk, reverse("dossiers:queue"))
    page("desk queue, accent-insensitive search 'nguyen thi'", clerk, reverse("dossiers:queue") + "?q=nguyen+thi")
    page("desk queue, commune desk (motcua.honggai)", client_of("motcua.honggai"), reverse("dossiers:queue"))
    page("specialist queue, department (chuyenvien.skhdt)", client_of("chuyenvien.skhdt"), reverse("dossiers:queue"))
    page("register page, provincial center, July", clerk,
         reverse("dossiers:register") + "?from=2017-07-01&to=2017-07-31")
    if latest is not None:
        page("dossier page (returned)", clerk, reverse("dossiers:detail", args=[latest.pk]))
    if open_one is not None:
        page("dossier page (in progress)", clerk, reverse("dossiers:detail", args=[open_one.pk]))
    leader = client_of("lanhdao.tinh")
    page("dashboard, province, Jan–Jul 2017 (lanhdao.tinh)", leader, reverse("reports:dashboard") + f"?{PERIOD}")
    page("form 06, province, Jan–Jul 2017", leader, reverse("reports:form06") + f"?{PERIOD}")
    page("Decision 766 index", leader, reverse("reports:index766") + f"?{PERIOD}")
    anonymous = client_of(None)
    page("public page, July 2017 (anonymous)", anonymous, reverse("reports:public") + "?month=2017-07")
    page("landing page (seed beside the build)", anonymous, "/")
    if latest is not None:
        page("citizen look-up by code and secret", anonymous,
             reverse("portal:lookup") + f"?code={latest.code}&secret={latest.secret}")
    inspector_pages(page, client_of("thanhtra.tinh"))
    month = Dossier.objects.filter(agency=center, received_at__gte="2017-07-01T00:00+07:00",
                                   received_at__lt="2017-08-01T00:00+07:00").count()
    url = reverse("dossiers:register_pdf") + "?from=2017-07-01&to=2017-07-31"
    ms, response = median_ms(lambda: clerk.get(url), 1)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-"), response.status_code
    print(f"   register PDF, provincial center, July 2017 ({month:,} dossiers): {ms:,.0f} ms, "
          f"{len(response.content) // 1024:,} KiB")


def inspector_pages(page, client) -> None:
    """The pages that compute risk proposals (and so discipline's signals over three months), against a plan
    of this year for the inspector's agency; a draft one made for the measurement when none exists."""
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from phucvu.inspections.models import Plan
    from phucvu.inspections.selectors import proposals_as_of
    from phucvu.inspections.services import plan_create
    from phucvu.organization.models import Staff

    inspector = Staff.objects.select_related("agency").get(user__username="thanhtra.tinh")
    today = timezone.localdate()
    with transaction.atomic():
        plan = (Plan.objects.filter(agency=inspector.agency, year=today.year).first()
                or plan_create(actor=None, agency=inspector.agency, year=today.year))
        print(f"   (inspector's plan {plan.year}, {plan.state}; proposals read up to {proposals_as_of(today)})")
        page("home page, inspector (thanhtra.tinh)", client, reverse("home"), count=True)
        page("what needs looking at now, inspector", client, reverse("inspections:watch"), count=True)
        page("draft plan with risk proposals", client, reverse("inspections:plan", args=[plan.pk]), count=True)
        page("draft plan, proposals as of 2017-07-31", client,
             reverse("inspections:plan", args=[plan.pk]) + "?as_of=2017-07-31", count=True)
        transaction.set_rollback(True)
    url = reverse("discipline:signal_list")
    page("discipline's signals, inspector, this month", client, url, count=True)
    page("discipline's signals, inspector, July 2017", client, url + "?month=2017-07", count=True)
