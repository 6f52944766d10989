"""The daily tallies the KPI, QA and assessment pages add up (performance.tallies). Built by
`lingting tally_rebuild`, or by the first update after this migration (TallyState has no row
yet: never built), in the background when there are many contacts."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_heartbeat"),
        ("interactions", "0008_figure_changes"),
        ("performance", "0004_satisfaction_and_utilisation_targets"),
    ]

    operations = [
        migrations.CreateModel(
            name="TallyState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rebuilt_at", models.DateTimeField(null=True)),
                ("updated_at", models.DateTimeField(null=True)),
                ("queued_at", models.DateTimeField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name="DailyTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(null=True)),
                ("group_day", models.DateField(null=True)),
                ("latest_moment", models.DateTimeField(null=True)),
                ("contacts", models.PositiveIntegerField(default=0)),
                ("handled", models.PositiveIntegerField(default=0)),
                ("answered", models.PositiveIntegerField(default=0)),
                ("abandoned", models.PositiveIntegerField(default=0)),
                ("short_abandoned", models.PositiveIntegerField(default=0)),
                ("within_service_level", models.PositiveIntegerField(default=0)),
                ("wait_count", models.PositiveIntegerField(default=0)),
                ("wait_sum", models.FloatField(default=0.0)),
                ("handle_count", models.PositiveIntegerField(default=0)),
                ("handle_sum", models.FloatField(default=0.0)),
                ("complaints", models.PositiveIntegerField(default=0)),
                ("transfer_known", models.PositiveIntegerField(default=0)),
                ("transferred", models.PositiveIntegerField(default=0)),
                ("fcr_unidentified", models.PositiveIntegerField(default=0)),
                ("fcr_repeated", models.PositiveIntegerField(default=0)),
                ("qa_scored", models.PositiveIntegerField(default=0)),
                ("qa_score_sum", models.FloatField(default=0.0)),
                ("qa_passed", models.PositiveIntegerField(default=0)),
                ("auto_scored", models.PositiveIntegerField(default=0)),
                ("auto_sum", models.FloatField(default=0.0)),
                ("auto_passed", models.PositiveIntegerField(default=0)),
                ("auto_fatal", models.PositiveIntegerField(default=0)),
                ("auto_a", models.PositiveIntegerField(default=0)),
                ("auto_b", models.PositiveIntegerField(default=0)),
                ("auto_c", models.PositiveIntegerField(default=0)),
                ("item_fails", models.JSONField(default=dict)),
                ("record_scored", models.PositiveIntegerField(default=0)),
                ("record_score_sum", models.FloatField(default=0.0)),
                ("reviewed", models.PositiveIntegerField(default=0)),
                ("reviewed_sum", models.FloatField(default=0.0)),
                ("scored_auto", models.PositiveIntegerField(default=0)),
                ("score_auto_sum", models.FloatField(default=0.0)),
                ("sections", models.JSONField(default=dict)),
                (
                    "agent",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.agent",
                    ),
                ),
                (
                    "queue",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="interactions.queue",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["day", "agent"], name="tally_day_agent_idx"),
                    models.Index(fields=["group_day"], name="tally_group_day_idx"),
                    models.Index(fields=["agent", "day"], name="tally_agent_day_idx"),
                ],
            },
        ),
    ]
