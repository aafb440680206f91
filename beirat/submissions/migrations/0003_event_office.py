"""Which office a step of the history concerns: the office a submission was forwarded to, and
the office that wrote a progress note (offices read only their own internal notes).

Existing steps get their office where the history makes it certain: a forwarding step names the
office in its text; an office's note names it ("80-Amt … bearbeitet die Eingabe", "Von … zurück-
gegeben", "80-Amt …: result") or the submission went to one office only. A note that fits none
keeps no office, and no office reads it when it is internal.
"""

import django.db.models.deletion
from django.db import migrations, models


def _display_name(unit) -> str:
    if unit.kind == "office" and unit.number:
        return f"{unit.number}-{unit.name}"
    return unit.name


def _office_for(event, offices):
    names = {_display_name(unit): unit for unit in offices}
    if event.kind == "forwarded":
        return names.get(event.text.strip())
    for name, unit in names.items():
        if event.text.startswith(name) or f" {name} " in f" {event.text} ":
            return unit
    return offices[0] if len(offices) == 1 else None


def fill_offices(apps, schema_editor):
    event_model = apps.get_model("submissions", "Event")
    forwarding_model = apps.get_model("submissions", "Forwarding")
    events = event_model.objects.filter(
        kind__in=["forwarded", "office_progress"], office__isnull=True
    )
    for event in events.iterator():
        offices = list(
            {
                forwarding.office_id: forwarding.office
                for forwarding in forwarding_model.objects.filter(
                    submission_id=event.submission_id
                ).select_related("office")
            }.values()
        )
        unit = _office_for(event, offices)
        if unit is not None:
            event.office = unit
            event.save(update_fields=["office"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_unit_public_name"),
        ("submissions", "0002_alter_event_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="office",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="directory.organizationalunit",
                verbose_name="Fachamt",
            ),
        ),
        migrations.RunPython(fill_offices, migrations.RunPython.noop),
    ]
