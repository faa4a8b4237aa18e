"""Step kinds on workflow steps; per-agency overrides of the competent agency and office (docs/desk.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_public_catalogue'),
        ('organization', '0002_agency_field_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='procedureoffering',
            name='competent_agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organization.agency', verbose_name='cơ quan có thẩm quyền'),
        ),
        migrations.AddField(
            model_name='procedureoffering',
            name='office',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organization.agency', verbose_name='phòng chuyên môn thẩm định'),
        ),
        migrations.AddField(
            model_name='workflowstep',
            name='unit',
            field=models.CharField(blank=True, choices=[('desk', 'Bộ phận Một cửa nơi tiếp nhận'), ('office', 'Phòng chuyên môn của cơ quan có thẩm quyền'), ('agency', 'Cơ quan khác (liên thông)'), ('leader', 'Lãnh đạo cơ quan có thẩm quyền')], max_length=10, verbose_name='đơn vị chịu trách nhiệm'),
        ),
    ]
