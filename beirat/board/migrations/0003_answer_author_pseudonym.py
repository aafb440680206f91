"""Answers name their author by pseudonym, not by account (step 1 of 3: the new column).

Three migrations, so that PostgreSQL never alters a table with rows changed in the same
transaction (pending trigger events)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0002_expert_request_outlives_submission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="expertanswer",
            name="author",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="board.memberpseudonym",
            ),
        ),
        migrations.AlterField(
            model_name="expertanswer",
            name="member",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
