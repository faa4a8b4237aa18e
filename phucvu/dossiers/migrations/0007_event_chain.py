"""The hash chain of dossier events (docs/audit.md): two hash columns and the moment each row was written,
the existing events' chains filled in (each dossier's events in id order), an index for the day records,
and the table of day records. Existing events count as recorded by this migration."""

import django.utils.timezone
from django.db import migrations, models

from phucvu.dossiers.chain import GENESIS, stored_event_hash

COLUMNS = ("id", "dossier_id", "kind", "at", "actor_id", "from_status", "to_status", "step_id", "note",
           "due_at_then", "data")
BATCH = 1000


def fill_chains(apps, schema_editor):
    """Every existing event's `prev_hash` and `chain_hash`, streamed in (dossier, id) order."""
    event = apps.get_model("dossiers", "DossierEvent")
    connection = schema_editor.connection
    table = connection.ops.quote_name(event._meta.db_table)
    pending: list[tuple[str, str, int]] = []

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET prev_hash = %s, chain_hash = %s WHERE id = %s", pending)
        pending.clear()

    dossier, prev = None, GENESIS
    rows = event.objects.using(connection.alias).order_by("dossier_id", "id").values(*COLUMNS)
    for row in rows.iterator(chunk_size=5000):
        if row["dossier_id"] != dossier:
            dossier, prev = row["dossier_id"], GENESIS
        digest = stored_event_hash(prev, row)
        pending.append((prev, digest, row["id"]))
        prev = digest
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()


def add_recorded_index(apps, schema_editor):
    """BRIN on PostgreSQL: rows arrive in time order, and a B-tree would cost every bulk import."""
    quote = schema_editor.connection.ops.quote_name
    using = " USING brin" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {quote('dossier_event_recorded')} ON "
                          f"{quote('dossiers_dossierevent')}{using} ({quote('recorded_at')})")


def drop_recorded_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {schema_editor.connection.ops.quote_name('dossier_event_recorded')}")


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0006_result_record'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossierevent',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='dossierevent',
            name='prev_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='dossierevent',
            name='recorded_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.CreateModel(
            name='EventDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='ngày')),
                ('prev_hash', models.CharField(blank=True, max_length=64)),
                ('chain_hash', models.CharField(max_length=64)),
                ('dossiers', models.PositiveIntegerField(default=0)),
                ('events', models.PositiveIntegerField(default=0)),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'bản ghi chuỗi sự kiện trong ngày',
                'verbose_name_plural': 'bản ghi chuỗi sự kiện trong ngày',
                'ordering': ['day'],
                'constraints': [models.UniqueConstraint(fields=('day',), name='event_day_unique')],
            },
        ),
        migrations.RunPython(fill_chains, migrations.RunPython.noop),
        migrations.RunPython(add_recorded_index, drop_recorded_index),
    ]
