"""Answers name their author by pseudonym (step 2 of 3: every answer gets its member's
pseudonym; a member without one gets the next number, as the service would have given it)."""

from django.db import migrations
from django.db.models import Max


def fill_author(apps, schema_editor):
    ExpertAnswer = apps.get_model("board", "ExpertAnswer")
    MemberPseudonym = apps.get_model("board", "MemberPseudonym")
    for answer in ExpertAnswer.objects.order_by("created_at", "id"):
        pseudonym = MemberPseudonym.objects.filter(member_id=answer.member_id).first()
        if pseudonym is None:
            highest = MemberPseudonym.objects.aggregate(highest=Max("number"))["highest"]
            pseudonym = MemberPseudonym.objects.create(
                member_id=answer.member_id, number=(highest or 0) + 1
            )
        answer.author_id = pseudonym.pk
        answer.save(update_fields=["author"])


def fill_member(apps, schema_editor):
    ExpertAnswer = apps.get_model("board", "ExpertAnswer")
    for answer in ExpertAnswer.objects.select_related("author"):
        answer.member_id = answer.author.member_id
        answer.save(update_fields=["member"])


class Migration(migrations.Migration):
    dependencies = [("board", "0003_answer_author_pseudonym")]

    operations = [migrations.RunPython(fill_author, fill_member)]
