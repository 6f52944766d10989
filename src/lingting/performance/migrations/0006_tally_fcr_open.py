"""Tallies keep the moments of FCR's open contacts (`fcr_open`); tallies counted before
lack them, so they are counted again: marked never built, pages read the contacts and queue
the build until it is done (as on a first upgrade to tallies)."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def count_again(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("performance", "TallyState").objects.update(rebuilt_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0005_daily_tallies"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailytally",
            name="fcr_open",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(count_again, migrations.RunPython.noop),
    ]
