"""`Dossier.competent_agency`: the agency that decides the dossier (docs/desk.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0003_leaner_text_indexes'),
        ('organization', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='competent_agency',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organization.agency', verbose_name='cơ quan có thẩm quyền'),
        ),
    ]
