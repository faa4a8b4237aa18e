"""Inspections decided before 1/7/2023 were under the Law on Inspection 56/2010/QH12, not 11/2022/QH15
(docs/inspections.md §1): the choice is added and those rows say so. Reversible."""

from django.db import migrations, models

LAW_2022_FROM = "2023-07-01"


def to_2010(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Inspection.objects.filter(decision_date__lt=LAW_2022_FROM, law="11/2022/QH15").update(law="56/2010/QH12")


def back_to_2022(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Inspection.objects.filter(law="56/2010/QH12").update(law="11/2022/QH15")


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0012_recommendation_search_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inspection",
            name="law",
            field=models.CharField(choices=[("56/2010/QH12", "Luật Thanh tra 2010 (56/2010/QH12)"),
                                            ("11/2022/QH15", "Luật Thanh tra 2022 (11/2022/QH15)"),
                                            ("84/2025/QH15", "Luật Thanh tra 2025 (84/2025/QH15)")],
                                   default="11/2022/QH15", max_length=16, verbose_name="căn cứ pháp lý"),
        ),
        migrations.RunPython(to_2010, back_to_2022),
    ]
