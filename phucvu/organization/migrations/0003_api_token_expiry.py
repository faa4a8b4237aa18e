
import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

# Tokens issued before expiry existed: their lifetime from issue, but at least 30 days from this upgrade so
# that no integration stops without warning (docs/security.md §6).
DEFAULT_DAYS, GRACE_DAYS = 90, 30


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("organization", "ApiToken")
    floor = timezone.now() + dt.timedelta(days=GRACE_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = max(token.created_at + dt.timedelta(days=DEFAULT_DAYS), floor)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('organization', '0002_agency_field_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(null=True, verbose_name='hết hạn lúc'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='last_used_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='dùng lần cuối'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='replaced_by',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaces', to='organization.apitoken', verbose_name='thay bằng khóa'),
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
    ]
