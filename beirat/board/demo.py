"""The board's demo, built through the real services: the reports of the meetings of 09.10.2020
and 24.03.2021 (seed 000), and one full chain for the demo submission "Parkplatz-App": expert
request (redacted), two answers, the statement, a recommendation for office 80 in progress."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.utils import timezone

from beirat.board.models import ExpertRequest, Recommendation, Report
from beirat.board.queries import board_meetings
from beirat.board.services import recommendations, reports
from beirat.board.services import requests as request_services
from beirat.core.models import User
from beirat.directory.models import OrganizationalUnit
from beirat.submissions.models import Submission

REPORTS = {
    datetime.date(2020, 10, 9): [
        (Report.Kind.ACTIVITIES, "Laufende Aktivitäten der Verwaltung zur Digitalisierung"),
        (Report.Kind.DIGITALISATION, "Stand der Digitalisierung der Verwaltungsprozesse"),
        (Report.Kind.MINUTES, "Niederschrift der konstituierenden Sitzung"),
    ],
    datetime.date(2021, 3, 24): [
        (Report.Kind.ACTIVITIES, "Laufende Aktivitäten seit Oktober 2020"),
        (Report.Kind.DIGITALISATION, "Stand der Digitalisierung im Frühjahr 2021"),
        (Report.Kind.OTHER, "Ergebnisse der Masterarbeit"),
    ],
}
DEMO_SUBMISSION = "Parkplatz-App mit Echtzeitbelegung"
ANSWERS = {
    "mitglied-a": (
        "Die Belegungsdaten der Parkhäuser sollten zuerst als offene Daten bereitstehen; eine "
        "eigene App der Stadt ist dann nicht nötig, weil Navigationsdienste sie übernehmen."
    ),
    "mitglied-b": (
        "Zustimmung. Wichtig ist eine Schnittstelle nach dem DATEX-II-Standard, damit auch "
        "regionale Anbieter die Daten nutzen können."
    ),
}


MEETING_HINT = (
    "Projektarbeiten mit Universität und Hochschule nutzen",
    "Für die Digitalisierung der Verwaltungsprozesse bieten sich Projekt- und Abschlussarbeiten "
    "an der Universität und der Hochschule Koblenz an, etwa zu Smart-City-Angeboten.",
)


def load(*, stdout: TextIO) -> int:
    created = _reports() + _meeting_hint()
    triage = User.objects.filter(username="it-management").first()
    submission = Submission.objects.filter(title=DEMO_SUBMISSION).first()
    if triage is None or submission is None or ExpertRequest.objects.exists():
        return created
    return created + _chain(submission, triage)


def _reports() -> int:
    created = 0
    for meeting in board_meetings():
        for kind, title in REPORTS.get(timezone.localtime(meeting.start).date(), []):
            if meeting.board_reports.filter(title=title).exists():
                continue
            item = meeting.agenda_items.filter(
                name__startswith=str(Report.Kind(kind).label)
            ).first()
            report = Report(meeting=meeting, agenda_item=item, kind=kind, title=title)
            reports.add_report(report=report, upload=None, actor=None)
            created += 1
    return created


def _meeting_hint() -> int:
    """A hint the board gave in its meeting of 24.03.2021 (seed 000, answer 3)."""
    title, text = MEETING_HINT
    meeting = next(
        (m for m in board_meetings() if timezone.localtime(m.start).date().year == 2021), None
    )
    if meeting is None or Recommendation.objects.filter(title=title).exists():
        return 0
    recommendations.record(
        recommendation=Recommendation(
            kind=Recommendation.Kind.HINT, title=title, text=text, meeting=meeting
        ),
        offices=OrganizationalUnit.objects.filter(number="80", kind="office"),
        actor=None,  # the demo acts as the system
    )
    return 1


def _chain(submission: Submission, triage: User) -> int:
    request = request_services.ask_board(
        title="Echtzeitdaten der Parkhäuser",
        question=(
            "Soll die Stadt eine eigene Parkplatz-App anbieten, oder genügt es, die Belegung der "
            "Parkhäuser als offene Daten bereitzustellen?"
        ),
        excerpt=submission.text,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        submission=submission,
        actor=triage,
    )
    for username, text in ANSWERS.items():
        member = User.objects.filter(username=username).first()
        if member is not None:
            request_services.answer(request=request, member=member, text=text)
    statement = request_services.publish_statement(
        request=request,
        title="Echtzeitdaten der Parkhäuser als offene Daten",
        text=(
            "Der Digitalbeirat empfiehlt, die Belegung der Parkhäuser in Echtzeit als offene "
            "Daten über eine standardisierte Schnittstelle (DATEX II) bereitzustellen. Eine "
            "eigene App der Stadt hält der Beirat nicht für nötig: Navigations- und "
            "Mobilitätsdienste können die Daten übernehmen."
        ),
        actor=triage,
    )
    recommendation = recommendations.record(
        recommendation=Recommendation(
            title="Parkhausbelegung als offene Daten bereitstellen",
            text=statement.text,
            statement=statement,
        ),
        offices=OrganizationalUnit.objects.filter(number="80", kind="office"),
        actor=triage,
    )
    recommendations.report_progress(
        recommendation=recommendation,
        text="Die Betreiber der Parkhäuser haben der Bereitstellung zugestimmt.",
        status=Recommendation.Status.IN_PROGRESS,
        progress=40,
        public=True,
        actor=triage,
    )
    return 5
