"""The audit trail names members by pseudonym and keeps no answer text (beirat/board/services/
requests.py answer()). Entries written before: the account goes, the pseudonym takes its
place, the words become their length; entries of answers already erased by retention, and the
excerpt of requests whose excerpt was erased, lose what they held. Not reversible: the words
are gone on purpose."""

from django.db import migrations

ERASED_AUTHOR = "Mitglied des Beirats"


def _letters(number):
    """1 → A, 26 → Z, 27 → AA, as board.models.letters (copied: a migration keeps its code)."""
    text = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        text = chr(ord("A") + remainder) + text
    return text


def _length(value):
    return len(value) if isinstance(value, str) else None


def pseudonymise(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ExpertAnswer = apps.get_model("board", "ExpertAnswer")
    ExpertRequest = apps.get_model("board", "ExpertRequest")
    labels = {
        str(answer.pk): f"Mitglied {_letters(answer.author.number)}"
        for answer in ExpertAnswer.objects.select_related("author")
    }
    for entry in AuditEntry.objects.filter(object_type="board.expertanswer"):
        label = labels.get(entry.object_id)
        text = (entry.changes or {}).get("text")
        if label is None:
            entry.actor_label, entry.changes = ERASED_AUTHOR, {}
        else:
            entry.actor_label = label
            entry.changes = (
                {
                    "text_length": {
                        "before": _length(text.get("before")),
                        "after": _length(text.get("after")),
                    }
                }
                if isinstance(text, dict)
                else {}
            )
        entry.actor_id = None
        entry.save(update_fields=["actor", "actor_label", "changes"])
    erased = [
        str(pk) for pk in ExpertRequest.objects.filter(excerpt="").values_list("pk", flat=True)
    ]
    for entry in AuditEntry.objects.filter(object_type="board.expertrequest", object_id__in=erased):
        if "excerpt" in (entry.changes or {}):
            entry.changes = {k: v for k, v in entry.changes.items() if k != "excerpt"}
            entry.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0005_answer_without_account"),
        ("core", "0003_privacy_role_group"),
    ]

    operations = [migrations.RunPython(pseudonymise, migrations.RunPython.noop)]
