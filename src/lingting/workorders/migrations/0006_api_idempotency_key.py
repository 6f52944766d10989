# The API's idempotency keys move from the webhooks app to the work orders, whose API uses
# them: a change of the models' state only, the table (webhooks_apiidempotencykey) stays.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0005_changes_index'),
        ('webhooks', '0002_secret_rotation_overlap'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiIdempotencyKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(max_length=40)),
                        ('key', models.CharField(max_length=255)),
                        ('request_hash', models.CharField(max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tickets.workorder')),
                    ],
                    options={
                        'db_table': 'webhooks_apiidempotencykey',
                        'constraints': [models.UniqueConstraint(fields=('scope', 'key'), name='api_idempotency_key_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
