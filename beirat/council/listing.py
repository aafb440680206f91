"""The rows of the public paper list (/vorlagen/), written in Python.

The list is the busiest public page and its fifty rows were most of its time in the template
engine: each cell a variable lookup, a filter or a method (a reverse(), a choice label, a date
format), each escaped on its own. Here the rows are one string made from the few columns they
show, read with values(): the same markup, escaped the same way (Django's escape() is
html.escape(), called here directly: its lazy-string wrapper cost more than the escaping).
council/papers.html writes the table around them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from beirat.council.models import Paper, paper_url_maker

# The columns a row shows (the id keeps a committee filter's DISTINCT one row per paper).
PAPER_ROW_FIELDS = ("id", "reference", "name", "originator__name", "paper_type", "date")

# Labels are the catalogue's own text, written unescaped as {% translate %} writes them.
ROW = (
    '\n  <tr class="kern-table__row">'
    '\n    <td class="kern-table__cell" data-label="{number_label}">{number}</td>'
    '\n    <td class="kern-table__cell" data-label="{subject_label}">{subject}</td>'
    '\n    <td class="kern-table__cell" data-label="{type_label}">{type}</td>'
    '\n    <td class="kern-table__cell" data-label="{date_label}">{date}</td>'
    "\n  </tr>"
)
LINK = '<a class="kern-link" href="{url}">{reference}</a>'
ORIGINATOR = '<br><span class="kern-body--small beirat-muted">{originator}</span>'


def paper_rows(papers: Iterable[dict[str, Any]]) -> SafeString:
    """The table rows of the papers (dicts of PAPER_ROW_FIELDS), in the reader's language;
    empty when there are none."""
    url_of = paper_url_maker()
    type_labels = {value: escape(str(label)) for value, label in Paper.Type.choices}
    labels = {
        "number_label": _("Nummer"),
        "subject_label": _("Betreff"),
        "type_label": _("Art"),
        "date_label": _("Datum"),
    }
    draft = _("Entwurf")
    rows = []
    for paper in papers:
        reference, originator = paper["reference"], paper["originator__name"]
        number = (
            LINK.format(url=escape(url_of(reference)), reference=escape(reference))
            if reference
            else draft
        )
        subject = escape(paper["name"])
        if originator:
            subject += ORIGINATOR.format(originator=escape(originator))
        kind = paper["paper_type"]
        rows.append(
            ROW.format(
                number=number,
                subject=subject,
                type=type_labels.get(kind) or escape(kind),
                date=german_date(paper["date"]),
                **labels,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def german_date(day: datetime.date) -> str:
    """What ``|date:"d.m.Y"`` writes, without the filter's format machinery."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
