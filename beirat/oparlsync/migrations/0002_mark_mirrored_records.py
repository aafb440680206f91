"""Meetings, committees and people synchronised before they could carry their source get it
now, so that they are read-only like the papers: the sync marks a record only when the source
changes it, and an unchanged object is not written again."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from beirat.core import page_cache

MARKED = {
    "council.meeting": ("council", "Meeting", True),
    "directory.committee": ("directory", "Committee", True),
    "directory.person": ("directory", "Person", False),
}


def mark(apps: Any, schema_editor: Any) -> None:
    synced = apps.get_model("oparlsync", "SyncedObject")
    marked = 0
    for local_model, (app, name, with_link) in MARKED.items():
        model = apps.get_model(app, name)
        # A committee the city kept before and the sync only linked (adopted) stays the city's.
        rows = synced.objects.filter(
            local_model=local_model, local_id__isnull=False, adopted=False, deleted=False
        ).values_list("local_id", "source__name", "web")
        for local_id, source_name, web in rows.iterator():
            values = {"source_name": source_name[:200]}
            if with_link:
                values["source_url"] = (web or "")[:1000]
            marked += model.objects.filter(pk=local_id, source_name="").update(**values)
    if marked:
        # The public meeting and committee pages name the source now: kept pages are old.
        # (Historical models send no signal the page cache hears.)
        page_cache.content_changed(sender=apps.get_model("council", "Meeting"))


class Migration(migrations.Migration):
    dependencies = [
        ("oparlsync", "0001_initial"),
        ("council", "0009_meeting_source"),
        ("directory", "0006_mirrored_source"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
