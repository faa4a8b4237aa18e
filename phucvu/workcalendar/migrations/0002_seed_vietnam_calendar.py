"""Seed the national calendar 2010–2035 on a fresh `migrate` (holidays package + official make-up days).

Idempotent: only dates without a national row are added, so admin or imported rows are never touched.
Reversing removes only the rows this step would have created from the library or the official file.
"""

import secrets

from django.db import migrations

from phucvu.core.text import fold
from phucvu.workcalendar.seed import seed_rows


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarChange = apps.get_model("workcalendar", "CalendarChange")
    CalendarStamp = apps.get_model("workcalendar", "CalendarStamp")
    existing = set(CalendarDay.objects.filter(jurisdiction__isnull=True).values_list("day", flat=True))
    new = [CalendarDay(day=r.day, kind=str(r.kind), name=r.name, search_key=fold(r.name), source=r.source)
           for r in seed_rows() if r.day not in existing]
    CalendarDay.objects.bulk_create(new, batch_size=500)
    CalendarChange.objects.create(action="seeded", note=f"{len(new)} ngày, 2010–2035")
    CalendarStamp.objects.update_or_create(pk=1, defaults={"version": secrets.randbits(62)})


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarDay.objects.filter(jurisdiction__isnull=True, source__in=["library", "official"]).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
