"""Seed the ten 95598 work-order types (lingting.workorders.seeds)."""

from typing import Any

from django.db import migrations

from lingting.workorders.seeds import TYPES

def seed(apps: Any, schema_editor: Any) -> None:
    work_order_type = apps.get_model("tickets", "WorkOrderType")
    for spec in TYPES:
        work_order_type.objects.update_or_create(code=spec["code"], defaults=spec)


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("tickets", "WorkOrderType").objects.filter(
        code__in=[spec["code"] for spec in TYPES], orders__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
