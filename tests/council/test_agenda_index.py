"""A meeting's agenda finds its route entries by index, also when almost no entry names an
agenda item (SQLite's statistics then make the plain index of the foreign key look useless)."""

import pytest
from django.db import connection

from beirat.council.models import Consultation
from tests.factories.council import AgendaItemFactory, ConsultationFactory, PublishedPaperFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner"),
]


def _plan(item_ids):
    rows = (
        Consultation.objects.filter(agenda_item__in=item_ids)
        .select_related("committee", "meeting", "agenda_item__meeting")
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_route_entries_of_an_agenda_are_found_by_the_partial_index():
    paper = PublishedPaperFactory()
    Consultation.objects.bulk_create(
        Consultation(paper=paper, committee=ConsultationFactory(paper=paper).committee, position=n)
        for n in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as optimize_database does: no entry names an item yet
    item = AgendaItemFactory()
    ConsultationFactory(paper=paper, agenda_item=item)

    assert "USING INDEX consultation_agenda_item_idx (" in _plan([item.pk])
