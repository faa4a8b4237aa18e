"""Agency.field_codes: the fields of the catalogue a unit is in charge of (docs/desk.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organization', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='field_codes',
            field=models.CharField(blank=True, help_text='Mã các lĩnh vực thủ tục, cách nhau bởi dấu |.', max_length=1000, verbose_name='lĩnh vực phụ trách'),
        ),
    ]
