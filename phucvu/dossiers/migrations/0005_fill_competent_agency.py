"""Fill `Dossier.competent_agency` for the dossiers already recorded, from their steps (docs/desk.md).

The agency holding the signing step (the last one in a leader's role), else the agency holding the last
step; a dossier without steps (imported history) is decided by the authority the receiving desk or center
serves (its parent), any other receiving agency by itself. One UPDATE; the reverse empties the column.
"""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierStep = apps.get_model("dossiers", "DossierStep")
    Agency = apps.get_model("organization", "Agency")
    steps = DossierStep.objects.filter(dossier_id=OuterRef("pk")).order_by("-order").values("agency_id")[:1]
    signing = (DossierStep.objects.filter(dossier_id=OuterRef("pk"), role="unit_leader").order_by("-order")
               .values("agency_id")[:1])
    served = (Agency.objects.filter(pk=OuterRef("agency_id"), kind__in=["desk", "center"], parent__isnull=False)
              .values("parent_id")[:1])
    Dossier.objects.filter(competent_agency__isnull=True).update(
        competent_agency_id=Coalesce(Subquery(signing), Subquery(steps), Subquery(served), F("agency_id")))


def empty(apps, schema_editor):
    apps.get_model("dossiers", "Dossier").objects.update(competent_agency_id=None)


class Migration(migrations.Migration):

    dependencies = [("dossiers", "0004_competent_agency")]

    operations = [migrations.RunPython(fill, empty)]
