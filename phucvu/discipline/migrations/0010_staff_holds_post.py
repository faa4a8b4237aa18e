"""Whether a cadre holds a leading or managing post becomes a recorded field (docs/discipline.md §6.1).

Until now it was read from the post title; the new field is filled from that same rule, once: a unit leader,
or a post title naming a head (trưởng, giám đốc, chủ tịch, chánh, bí thư, tổng biên tập, their deputies
included). A cadre without a profile gets one when the rule says they hold a post."""

from django.db import migrations, models

from phucvu.core.text import fold

POST_WORDS = ("truong", "giam doc", "chu tich", "chanh", "bi thu", "tong bien tap")


def fill_from_post_titles(apps, schema_editor):
    Staff = apps.get_model("organization", "Staff")
    StaffProfile = apps.get_model("discipline", "StaffProfile")
    holders = [s.pk for s in Staff.objects.only("pk", "role", "position")
               if s.role == "unit_leader" or any(w in fold(s.position or "") for w in POST_WORDS)]
    StaffProfile.objects.filter(staff_id__in=holders).update(holds_post=True)
    have = set(StaffProfile.objects.filter(staff_id__in=holders).values_list("staff_id", flat=True))
    StaffProfile.objects.bulk_create([StaffProfile(staff_id=pk, holds_post=True) for pk in holders if pk not in have],
                                     batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("discipline", "0009_emulation"),
        ("organization", "0003_api_token_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffprofile",
            name="holds_post",
            field=models.BooleanField(default=False, verbose_name="giữ chức vụ lãnh đạo, quản lý"),
        ),
        # Reversed, the field goes away with what it held; the profiles created stay (harmless, empty).
        migrations.RunPython(fill_from_post_titles, migrations.RunPython.noop),
    ]
