"""Tallies count what the customers meant (quality's `ContactMeaning`: customers ending
angry or upset, resolution verdicts, predicted satisfaction), so that the KPI page adds those
up from the same rows as its other figures. Tallies counted before lack them, so they are
counted again: marked never built, pages read the contacts and queue the build until it is
done (as 0006 did). Changes of meaning rows are noted for the tallies from now on
(quality 0012)."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def count_again(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("performance", "TallyState").objects.update(rebuilt_at=None)


def _count() -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(default=0)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0006_tally_fcr_open"),
        ("quality", "0012_meaning_figure_changes"),
    ]

    operations = [
        migrations.AddField(model_name="dailytally", name="with_customer", field=_count()),
        migrations.AddField(model_name="dailytally", name="ended_angry", field=_count()),
        migrations.AddField(model_name="dailytally", name="ended_upset", field=_count()),
        migrations.AddField(model_name="dailytally", name="verdicts", field=_count()),
        migrations.AddField(model_name="dailytally", name="unresolved", field=_count()),
        migrations.AddField(model_name="dailytally", name="satisfaction_count", field=_count()),
        migrations.AddField(
            model_name="dailytally",
            name="satisfaction_sum",
            field=models.FloatField(default=0.0),
        ),
        migrations.RunPython(count_again, migrations.RunPython.noop),
    ]
