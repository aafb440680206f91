"""Demo topics and two submissions, handed in through the real service."""

from __future__ import annotations

from typing import TextIO

from django.utils.translation import gettext_noop

from beirat.submissions.models import Submission, Topic
from beirat.submissions.services import intake

# The demo's topics: stored in German, shown in the reader's language (Topic.__str__).
TOPICS = [
    gettext_noop("Online-Dienste der Verwaltung"),
    gettext_noop("Mobilität und Verkehr"),
    gettext_noop("Schulen und Bildung"),
    gettext_noop("Netzausbau und WLAN"),
    gettext_noop("Offene Daten"),
    gettext_noop("Wirtschaft und Start-ups"),
]
SUBMISSIONS = [
    {
        "title": "Parkplatz-App mit Echtzeitbelegung",
        "text": (
            "Guten Tag,\n\nin der Altstadt sucht man oft lange einen Parkplatz. Eine App oder eine "
            "Seite mit der Belegung der Parkhäuser in Echtzeit würde viel Verkehr sparen. Die "
            "Daten könnten auch als offene Daten bereitgestellt werden.\n\nViele Grüße\n"
            "Erika Musterfrau, Tel. 0261 123456"
        ),
        "topic": "Mobilität und Verkehr",
        "name": "Erika Musterfrau",
        "email": "erika.musterfrau@example.org",
    },
    {
        "title": "Kostenloses WLAN in der Stadtbibliothek",
        "text": "Die Stadtbibliothek braucht ein schnelleres, kostenloses WLAN für Schülerinnen und Schüler.",
        "topic": "Netzausbau und WLAN",
        "name": "",
        "email": "",
    },
]


def load(*, stdout: TextIO) -> int:
    created = 0
    for position, name in enumerate(TOPICS):
        _, made = Topic.objects.get_or_create(name=name, defaults={"position": position})
        created += made
    for data in SUBMISSIONS:
        if Submission.objects.filter(title=data["title"]).exists():
            continue
        submission = intake.submit(
            title=data["title"],
            text=data["text"],
            topic=Topic.objects.get(name=data["topic"]),
            name=data["name"],
            email=data["email"],
            language="de",
            files=[],
        )
        stdout.write(f"Demo-Eingabe „{submission.title}“: /eingaben/{submission.tracking_code}/")
        created += 1
    return created
