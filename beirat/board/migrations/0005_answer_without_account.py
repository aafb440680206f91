"""Answers name their author by pseudonym (step 3 of 3: the account column goes; the
pseudonym's link to the account is MemberPseudonym's alone and ends with the account)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0004_answer_author_fill"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="expertanswer", name="one_answer_per_member"),
        migrations.RemoveField(model_name="expertanswer", name="member"),
        migrations.AlterField(
            model_name="expertanswer",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="board.memberpseudonym",
            ),
        ),
        migrations.AddConstraint(
            model_name="expertanswer",
            constraint=models.UniqueConstraint(
                fields=("request", "author"), name="one_answer_per_member"
            ),
        ),
        migrations.AlterField(
            model_name="memberpseudonym",
            name="member",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="board_pseudonym",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
