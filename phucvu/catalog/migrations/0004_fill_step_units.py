"""Name the kind of unit of every workflow step already recorded, from its fixed agency and role
(`catalog.models.unit_of`, written out here so the migration does not change with the code). Reversed,
the column is empty again (a step without a kind is read the same way)."""

from django.db import migrations


def fill(apps, schema_editor):
    WorkflowStep = apps.get_model("catalog", "WorkflowStep")
    blank = WorkflowStep.objects.filter(unit="")
    blank.filter(agency__isnull=False).update(unit="agency")
    blank.filter(role="desk_clerk").update(unit="desk")
    blank.filter(role="unit_leader").update(unit="leader")
    blank.update(unit="office")


def empty(apps, schema_editor):
    apps.get_model("catalog", "WorkflowStep").objects.update(unit="")


class Migration(migrations.Migration):

    dependencies = [("catalog", "0003_step_units")]

    operations = [migrations.RunPython(fill, empty)]
