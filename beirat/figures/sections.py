"""The sections of /zahlen/: each a chart and a table of the same figures, small groups hidden."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beirat.figures import cells, charts
from beirat.figures.cells import Cell
from beirat.figures.queries import CityFigures, Month


@dataclass(frozen=True)
class Table:
    caption: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]

    @property
    def labelled_rows(self) -> list[tuple[str, list[tuple[str, Cell]]]]:
        """Each cell with its column's name, which a phone shows beside it (a table becomes
        cards at phone width)."""
        return [(label, list(zip(self.columns, row, strict=True))) for label, row in self.rows]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    intro: str
    chart: SafeString | None
    table: Table | None
    notes: list[str] = field(default_factory=list)
    empty: str = ""  # said where the chart would be when there is nothing to draw


@dataclass(frozen=True)
class KeyFigure:
    label: str
    cell: Cell


def key_figures(figures: CityFigures) -> list[KeyFigure]:
    answers = figures.all_answers
    return [
        KeyFigure(_("Eingaben in den letzten zwölf Monaten"), cells.total(figures.received)),
        KeyFigure(
            _("Tage bis zur ersten Antwort (Median)"),
            cells.measure(answers.median, basis=len(answers.days)),
        ),
        KeyFigure(
            ngettext(
                "innerhalb der Frist von %(days)s Tag beantwortet",
                "innerhalb der Frist von %(days)s Tagen beantwortet",
                figures.target_days,
            )
            % {"days": figures.target_days},
            cells.measure(answers.share_in_time, basis=answers.due, decimals=0, suffix=" %"),
        ),
    ]


def sections(figures: CityFigures) -> list[Section]:
    found = [
        received_section(figures),
        answer_section(figures),
        outcome_section(figures),
        recommendation_section(figures),
        mandate_section(figures),
    ]
    return [_without_empty_chart(section) for section in found]


def _without_empty_chart(section: Section) -> Section:
    """A chart without a bar or a mark for a hidden figure is only axes: the table says it with
    its zeros, and a sentence says why there is no chart."""
    if section.table is None:
        return section
    rows = section.table.rows
    if any(cell.hidden or cell.value for _label, row in rows for cell in row):
        return section
    return replace(section, chart=None, empty=_("Für diesen Zeitraum gibt es noch keine Zahlen."))


def received_section(figures: CityFigures) -> Section:
    counts = [cells.count(number) for number in figures.received]
    title = _("Eingaben je Monat")
    return Section(
        key="eingaben",
        heading=title,
        intro=_("Wie viele Eingaben in jedem der letzten zwölf abgeschlossenen Monate kamen."),
        chart=charts.columns(
            key="chart-eingaben",
            title=title,
            description=_describe_months(figures.months, counts, _("Eingaben")),
            categories=_month_labels(figures.months),
            series=[charts.Series(_("Eingaben"), counts)],
        ),
        table=Table(
            title, _("Monat"), [_("Eingaben")], _rows(figures.months, [[c] for c in counts])
        ),
    )


def answer_section(figures: CityFigures) -> Section:
    days = figures.target_days
    medians = [cells.measure(a.median, basis=len(a.days)) for a in figures.answers]
    shares = [
        cells.measure(a.share_in_time, basis=a.due, decimals=0, suffix=" %")
        for a in figures.answers
    ]
    title = _("Zeit bis zur ersten Antwort")
    target = ngettext("Ziel: %(days)s Tag", "Ziel: %(days)s Tage", days) % {"days": days}
    return Section(
        key="antwortzeit",
        heading=title,
        intro=_(
            "Wie viele Tage es dauerte, bis eine Eingabe eine erste Antwort bekam (beantwortet, "
            "weitergeleitet, zusammengeführt oder abgelehnt), als Median der Eingaben jedes "
            "Monats. Die Stadt hat sich vorgenommen, innerhalb von %(days)s Tagen zu antworten; "
            "die Tabelle zeigt auch, bei welchem Anteil das gelang. Eingaben, deren Frist noch "
            "läuft und die noch keine Antwort haben, zählen beim Anteil noch nicht mit."
        )
        % {"days": days},
        chart=charts.columns(
            key="chart-antwortzeit",
            title=title,
            description=_describe_months(figures.months, medians, _("Tage (Median)"))
            + " "
            + target
            + ".",
            categories=_month_labels(figures.months),
            series=[charts.Series(_("Tage (Median)"), medians)],
            target=charts.Target(days, target),
        ),
        table=Table(
            title,
            _("Monat"),
            [_("Tage bis zur ersten Antwort (Median)"), _("Anteil innerhalb der Frist")],
            _rows(figures.months, [list(pair) for pair in zip(medians, shares, strict=True)]),
        ),
        notes=[
            _("Mediane und Anteile zeigen wir nur, wenn sie auf mindestens 5 Eingaben beruhen.")
        ],
    )


def outcome_section(figures: CityFigures) -> Section:
    labels = {
        "answered": _("beantwortet"),
        "forwarded": _("an ein Fachamt weitergeleitet"),
        "board_consulted": _("Digitalbeirat befragt"),
        "merged": _("mit gleichartiger Eingabe zusammengeführt"),
        "declined": _("abgelehnt"),
    }
    rows = [(labels[key], cells.count(figures.outcomes.get(key, 0))) for key in labels]
    title = _("Wohin die Eingaben gingen")
    description = _(
        "Balkendiagramm der Eingaben der letzten zwölf Monate nach ihrem Weg: %(list)s."
    ) % {"list": "; ".join(f"{label}: {cell.text}" for label, cell in rows)}
    return Section(
        key="wege",
        heading=title,
        intro=_(
            "Was mit den Eingaben der letzten zwölf Monate geschah. Eine Eingabe kann in "
            "mehreren Zeilen zählen, etwa wenn sie erst an ein Fachamt ging und dann "
            "beantwortet wurde; noch offene Eingaben zählen in keiner."
        ),
        chart=charts.bars(key="chart-wege", title=title, description=description, rows=rows),
        table=Table(title, _("Weg"), [_("Eingaben")], [(label, [c]) for label, c in rows]),
    )


def recommendation_section(figures: CityFigures) -> Section:
    title = _("Empfehlungen des Digitalbeirats nach Umsetzungsstand")
    intro = _(
        "Die öffentlichen Empfehlungen und Hinweise des Digitalbeirats nach dem Jahr, in dem "
        "sie erfasst wurden, und ihrem heutigen Umsetzungsstand."
    )
    if not figures.recommendation_years:
        return Section("empfehlungen", title, intro, None, None, [_("Noch keine Empfehlungen.")])
    years = figures.recommendation_years
    series = [
        charts.Series(label, [cells.count(figures.recommendations.get((y, s), 0)) for y in years])
        for s, label in figures.statuses
    ]
    description = _(
        "Säulendiagramm: Empfehlungen und Hinweise je Jahr der Erfassung von %(first)s bis "
        "%(last)s, je eine Säule für jeden Umsetzungsstand (%(statuses)s)."
    ) % {
        "first": years[0],
        "last": years[-1],
        "statuses": ", ".join(label for _s, label in figures.statuses),
    }
    return Section(
        key="empfehlungen",
        heading=title,
        intro=intro,
        chart=charts.columns(
            key="chart-empfehlungen",
            title=title,
            description=description,
            categories=[(str(year), "") for year in years],
            series=series,
        ),
        table=Table(
            title,
            _("Jahr"),
            [one.label for one in series],
            [(str(y), [one.cells[i] for one in series]) for i, y in enumerate(years)],
        ),
    )


def mandate_section(figures: CityFigures) -> Section:
    points = figures.mandates
    open_cells = [cells.count(point.open) for point in points]
    overdue_cells = [cells.count(point.overdue) for point in points]
    labels = [
        (_("heute"), "")
        if point.label_day is None
        else _month_label(point.label_day, index == 0 or point.label_day.month == 1)
        for index, point in enumerate(points)
    ]
    row_labels = [
        _("heute") if point.label_day is None else date_format(point.label_day, "d.m.Y")
        for point in points
    ]
    title = _("Offene und überfällige Prüfaufträge")
    series = [
        charts.Series(_("offen"), open_cells),
        charts.Series(_("davon überfällig"), overdue_cells),
    ]
    return Section(
        key="pruefauftraege",
        heading=title,
        intro=_(
            "Prüfaufträge aus Beschlüssen des Rates (Beschlusskontrolle), die am Ende jedes "
            "Monats und heute noch nicht erledigt waren, und wie viele davon ihren Termin "
            "schon überschritten hatten."
        ),
        chart=charts.columns(
            key="chart-pruefauftraege",
            title=title,
            description=_(
                "Säulendiagramm: offene und überfällige Prüfaufträge am Ende jedes der letzten "
                "zwölf Monate und heute; heute %(open)s offen, davon %(overdue)s überfällig."
            )
            % {"open": open_cells[-1].text, "overdue": overdue_cells[-1].text},
            categories=labels,
            series=series,
        ),
        table=Table(
            title,
            _("Zeitpunkt"),
            [one.label for one in series],
            [
                (label, [open_cell, overdue_cell])
                for label, open_cell, overdue_cell in zip(
                    row_labels, open_cells, overdue_cells, strict=True
                )
            ],
        ),
    )


# Labels -------------------------------------------------------------------------------------


def _month_labels(months: list[Month]) -> list[tuple[str, str]]:
    return [
        _month_label(month.first_day, index == 0 or month.first_day.month == 1)
        for index, month in enumerate(months)
    ]


def _month_label(day: datetime.date, with_year: bool) -> tuple[str, str]:
    """The month's short name on the axis, with the year below under January and the first."""
    return date_format(day, "M"), (str(day.year) if with_year else "")


def _rows(months: list[Month], values: list[list[Cell]]) -> list[tuple[str, list[Cell]]]:
    return [
        (date_format(month.first_day, "YEAR_MONTH_FORMAT"), row)
        for month, row in zip(months, values, strict=True)
    ]


def _describe_months(months: list[Month], shown: list[Cell], what: str) -> str:
    first = date_format(months[0].first_day, "YEAR_MONTH_FORMAT")
    last = date_format(months[-1].first_day, "YEAR_MONTH_FORMAT")
    values = [cell.value for cell in shown if cell.value is not None]
    sentence = _("Säulendiagramm: %(what)s je Monat von %(first)s bis %(last)s.") % {
        "what": what,
        "first": first,
        "last": last,
    }
    if values:
        best = max(range(len(shown)), key=lambda i: shown[i].value or -1)
        sentence += " " + _("Höchster Wert: %(value)s im %(month)s.") % {
            "value": shown[best].text,
            "month": date_format(months[best].first_day, "YEAR_MONTH_FORMAT"),
        }
    return sentence
