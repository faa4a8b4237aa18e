"""Dossier code and applicant ID keep their B-tree indexes without PostgreSQL's pattern-ops twins
(`…_like`), which nothing queries and every imported row paid for. The new unique constraint is created
before the old one goes, so the code is never without its uniqueness."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_initial'),
        ('dossiers', '0002_lean_indexes'),
        ('organization', '0001_initial'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.UniqueConstraint(fields=('code',), name='dossier_code_unique'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['applicant_id_number'], name='dossier_applicant_id'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='code',
            field=models.CharField(max_length=60, verbose_name='mã hồ sơ'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='applicant_id_number',
            field=models.CharField(blank=True, max_length=40, verbose_name='số giấy tờ tùy thân'),
        ),
    ]
