# The API's idempotency keys now belong to the work orders (tickets 0006): the model leaves
# this app's state; its table stays as it is, in use under the work orders' model.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0002_secret_rotation_overlap'),
        ('tickets', '0006_api_idempotency_key'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ApiIdempotencyKey')],
            database_operations=[],
        ),
    ]
