"""Calendars (RFC 5545) and Atom feeds: they parse without a warning, hold public records only,
keep their UIDs and bytes while the data stay the same, and answer 404 to unknown ids."""

from __future__ import annotations

import datetime
import warnings
import zoneinfo

import feedparser
import icalendar
import pytest
from django.utils import timezone

from beirat.board.models import BoardStatement
from beirat.council.models import Meeting, Paper
from tests.factories.board import BoardStatementFactory, RecommendationFactory
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SECRET = "Xqjvintern"


@pytest.fixture
def world():
    committee = CommitteeFactory(name="Digitalisierungsausschuss", slug="digital")
    hidden_committee = CommitteeFactory(name=f"{SECRET} Runde", slug="intern", public=False)
    summer = MeetingFactory(
        committee=committee,
        start=datetime.datetime(2031, 7, 1, 17, 0, tzinfo=BERLIN),
        end=datetime.datetime(2031, 7, 1, 19, 30, tzinfo=BERLIN),
        location="Rathaus, Ratssaal",
    )
    winter = MeetingFactory(
        committee=committee,
        start=datetime.datetime(2031, 1, 15, 18, 0, tzinfo=BERLIN),
        state=Meeting.State.CANCELLED,
    )
    AgendaItemFactory(meeting=summer, number="Ö 1", name="Offenes WLAN")
    AgendaItemFactory(meeting=summer, number="N 1", name=f"{SECRET} Personalsache", public=False)
    hidden = MeetingFactory(committee=committee, name=f"{SECRET} Sitzung", public=False)
    in_hidden_committee = MeetingFactory(committee=hidden_committee)
    paper = PublishedPaperFactory(name="Offenes WLAN in der Altstadt")
    ConsultationFactory(paper=paper, committee=committee, meeting=summer)
    hidden_paper = PublishedPaperFactory(name=f"{SECRET} Vorlage", public=False)
    ConsultationFactory(paper=hidden_paper, committee=committee)
    draft = PublishedPaperFactory(name=f"{SECRET} Entwurf", status=Paper.Status.REGISTERED)
    ConsultationFactory(paper=draft, committee=committee)
    return {
        "committee": committee,
        "hidden_committee": hidden_committee,
        "summer": summer,
        "winter": winter,
        "hidden": hidden,
        "in_hidden_committee": in_hidden_committee,
        "paper": paper,
    }


def parse_calendar(body: bytes) -> icalendar.Calendar:
    """The calendar as icalendar reads it, refusing any warning or component error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        calendar = icalendar.Calendar.from_ical(body)
        calendar.validate()
    assert [(c.name, c.errors) for c in calendar.walk() if c.errors] == []
    assert calendar.get_missing_tzids() == set()
    return calendar


def parse_feed(body: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_calendar_of_all_meetings_parses_and_holds_public_meetings_only(anonymous, world):
    response = anonymous.get("/sitzungen/kalender.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse_calendar(response.content)

    events = {str(event["UID"]): event for event in calendar.events}
    assert set(events) == {
        f"sitzung-{world['summer'].pk}@127.0.0.1",
        f"sitzung-{world['winter'].pk}@127.0.0.1",
    }
    assert SECRET.encode() not in response.content
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]


def test_times_are_in_berlin_time_with_its_zone_in_summer_and_winter(anonymous, world):
    body = anonymous.get("/sitzungen/kalender.ics").content
    text = body.decode()
    assert "DTSTART;TZID=Europe/Berlin:20310701T170000" in text
    assert "DTEND;TZID=Europe/Berlin:20310701T193000" in text
    assert "DTSTART;TZID=Europe/Berlin:20310115T180000" in text
    calendar = parse_calendar(body)
    summer = next(
        e for e in calendar.events if e["UID"].startswith(f"sitzung-{world['summer'].pk}@")
    )
    # The same instant, read back through the VTIMEZONE: 15:00 UTC in summer time.
    assert summer.start.astimezone(datetime.UTC) == datetime.datetime(
        2031, 7, 1, 15, tzinfo=datetime.UTC
    )
    assert summer.end.astimezone(datetime.UTC).hour == 17


def test_a_cancelled_meeting_is_cancelled_and_the_others_confirmed(anonymous, world):
    calendar = parse_calendar(anonymous.get("/sitzungen/kalender.ics").content)
    status = {str(event["UID"]).split("@")[0]: str(event["STATUS"]) for event in calendar.events}
    assert status == {
        f"sitzung-{world['summer'].pk}": "CONFIRMED",
        f"sitzung-{world['winter'].pk}": "CANCELLED",
    }


def test_an_event_names_public_agenda_items_place_and_page_never_closed_ones(anonymous, world):
    calendar = parse_calendar(
        anonymous.get(f"/sitzungen/{world['summer'].pk}/kalender.ics").content
    )
    (event,) = calendar.events
    assert event["SUMMARY"] == "Digitalisierungsausschuss"
    assert event["LOCATION"] == "Rathaus, Ratssaal"
    assert event["URL"] == f"http://127.0.0.1:8000/sitzungen/{world['summer'].pk}/"
    assert "Ö 1 Offenes WLAN" in event["DESCRIPTION"]
    assert SECRET not in event["DESCRIPTION"]


def test_calendars_keep_their_bytes_and_uids_while_the_data_stay_the_same(anonymous, world):
    first = anonymous.get("/gremien/digital/kalender.ics").content
    second = anonymous.get("/gremien/digital/kalender.ics").content
    assert first == second
    Meeting.objects.filter(pk=world["summer"].pk).update(location="Rathaus, Raum 101")
    changed = parse_calendar(anonymous.get("/gremien/digital/kalender.ics").content)
    assert {str(e["UID"]) for e in changed.events} == {
        str(e["UID"]) for e in parse_calendar(first).events
    }


def test_a_committees_calendar_holds_its_public_meetings(anonymous, world):
    other = MeetingFactory()
    calendar = parse_calendar(anonymous.get("/gremien/digital/kalender.ics").content)
    uids = {str(event["UID"]).split("@")[0] for event in calendar.events}
    assert uids == {f"sitzung-{world['summer'].pk}", f"sitzung-{world['winter'].pk}"}
    assert f"sitzung-{other.pk}" not in uids


def test_an_empty_calendar_is_still_a_valid_one(anonymous, world):
    empty = CommitteeFactory(slug="ohne-sitzungen")
    calendar = parse_calendar(anonymous.get(f"/gremien/{empty.slug}/kalender.ics").content)
    assert calendar.events == []
    assert calendar.timezones


@pytest.mark.parametrize(
    "path",
    [
        "/sitzungen/999999/kalender.ics",
        "/sitzungen/{hidden}/kalender.ics",
        "/sitzungen/{in_hidden_committee}/kalender.ics",
        "/gremien/gibt-es-nicht/kalender.ics",
        "/gremien/intern/kalender.ics",
        "/gremien/gibt-es-nicht/feed/",
        "/gremien/intern/feed/",
    ],
)
def test_unknown_and_non_public_ids_answer_404_to_everyone(path, world, anonymous, clerk):
    address = path.format(
        hidden=world["hidden"].pk, in_hidden_committee=world["in_hidden_committee"].pk
    )
    assert anonymous.get(address).status_code == 404
    assert clerk.get(address).status_code == 404  # calendars and feeds are public data only


def test_the_papers_feed_lists_public_papers_the_last_changed_first(anonymous, world):
    newer = PublishedPaperFactory(name="Digitale Bürgerdienste")
    feed = parse_feed(anonymous.get("/vorlagen/feed/").content)
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        f"{newer.reference}: {newer.name}",
        f"{world['paper'].reference}: {world['paper'].name}",
    ]
    entry = feed.entries[0]
    assert entry.link == f"http://127.0.0.1:8000{newer.get_absolute_url()}"
    assert entry.id == entry.link
    assert entry.updated_parsed
    assert feed.feed.author == "Stadt Koblenz"
    assert "Datenlizenz Deutschland" in feed.feed.rights
    assert SECRET not in anonymous.get("/vorlagen/feed/").content.decode()


def test_the_meetings_feed_marks_cancellations_and_names_public_items_only(anonymous, world):
    body = anonymous.get("/sitzungen/feed/").content
    feed = parse_feed(body)
    titles = {entry.title for entry in feed.entries}
    assert titles == {
        "Digitalisierungsausschuss, 01.07.2031",
        "Abgesagt: Digitalisierungsausschuss, 15.01.2031",
    }
    summer = next(entry for entry in feed.entries if "01.07.2031" in entry.title)
    assert "17:00–19:30 Uhr" in summer.summary
    assert "Ö 1 Offenes WLAN" in summer.summary
    assert SECRET.encode() not in body


def test_a_committees_feed_has_its_papers_and_meetings(anonymous, world):
    own = PublishedPaperFactory(name="Antrag des Ausschusses", originator=world["committee"])
    elsewhere = PublishedPaperFactory(name="Anderswo beraten")
    body = anonymous.get("/gremien/digital/feed/").content
    feed = parse_feed(body)
    links = {entry.link.removeprefix("http://127.0.0.1:8000") for entry in feed.entries}
    assert links == {
        world["paper"].get_absolute_url(),
        own.get_absolute_url(),
        world["summer"].get_absolute_url(),
        world["winter"].get_absolute_url(),
    }
    assert elsewhere.get_absolute_url() not in links
    assert SECRET.encode() not in body
    assert feed.feed.title == "Digitalisierungsausschuss: Vorlagen und Sitzungen"


def test_the_boards_feeds_name_no_person(anonymous, board_member_user):
    statement = BoardStatementFactory(created_by=board_member_user)
    recommendation = RecommendationFactory(created_by=board_member_user, progress=40)
    RecommendationFactory(title=f"{SECRET} Empfehlung", public=False)
    statements = anonymous.get("/beirat/stellungnahmen/feed/").content
    recommendations = anonymous.get("/empfehlungen/feed/").content

    assert [e.title for e in parse_feed(statements).entries] == [statement.title]
    entries = parse_feed(recommendations).entries
    assert [e.title for e in entries] == [f"Empfehlung: {recommendation.title}"]
    assert "Umsetzungsstand: offen (40 %)" in entries[0].summary
    for body in (statements, recommendations):
        assert SECRET.encode() not in body
        for trace in (
            board_member_user.username,
            board_member_user.get_full_name(),
            board_member_user.email,
        ):
            if trace:
                assert trace.encode() not in body
        assert b"<author><name>Stadt Koblenz</name>" in body
        assert body.count(b"<author>") == 1  # the city's, for the whole feed


def test_an_empty_feed_is_dated_by_its_data_not_by_the_clock(anonymous):
    BoardStatement.objects.all().delete()
    first = anonymous.get("/beirat/stellungnahmen/feed/").content
    assert b"<updated>1970-01-01T00:00:00+00:00</updated>" in first
    assert parse_feed(first).entries == []


def test_a_search_feed_holds_what_an_anonymous_visitor_finds_newest_first(
    anonymous, clerk, world, search_index
):
    search_index.sync()
    for client in (anonymous, clerk):  # the clerk's feed is the public one too
        body = client.get("/suche/feed/?q=WLAN&sortierung=relevanz&seite=3").content
        feed = parse_feed(body)
        assert feed.feed.title == "Suche: „WLAN“"
        assert feed.feed.links[1].href == "http://127.0.0.1:8000/suche/feed/?q=WLAN"
        links = [entry.link.removeprefix("http://127.0.0.1:8000") for entry in feed.entries]
        assert world["paper"].get_absolute_url() in links
        assert SECRET.encode() not in body
    empty = parse_feed(anonymous.get("/suche/feed/").content)
    assert empty.entries == []
    assert empty.feed.title == "Suche"


def test_the_search_page_offers_its_feed(anonymous, world, search_index):
    search_index.sync()
    html = anonymous.get("/suche/?q=WLAN&seite=1").content.decode()
    assert 'href="/suche/feed/?q=WLAN"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert "als Feed" in html
    assert "/suche/feed/" not in anonymous.get("/suche/").content.decode()


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/vorlagen/", ["/vorlagen/feed/"]),
        ("/sitzungen/", ["/sitzungen/feed/", "/sitzungen/kalender.ics"]),
        (
            "/sitzungen/?gremium=digital",
            ["/gremien/digital/feed/", "/gremien/digital/kalender.ics"],
        ),
        ("/gremien/digital/", ["/gremien/digital/feed/", "/gremien/digital/kalender.ics"]),
        ("/beirat/stellungnahmen/", ["/beirat/stellungnahmen/feed/"]),
        ("/empfehlungen/", ["/empfehlungen/feed/"]),
        ("/beirat/", ["/beirat/stellungnahmen/feed/", "/empfehlungen/feed/"]),
    ],
)
def test_pages_name_their_feeds_and_calendars_in_the_head(page, feeds, anonymous, world):
    html = anonymous.get(page).content.decode()
    head = html[: html.index("</head>")]
    for address in feeds:
        kind = "text/calendar" if address.endswith(".ics") else "application/atom+xml"
        assert f'type="{kind}"' in head
        assert f'href="{address}"' in head, address
        assert f'href="{address}"' in html[html.index("<main") :] or page == "/beirat/", address


def test_a_meetings_page_offers_its_calendar_only_when_public(anonymous, clerk, world):
    own = f"/sitzungen/{world['summer'].pk}/kalender.ics"
    assert own in anonymous.get(world["summer"].get_absolute_url()).content.decode()
    closed = clerk.get(world["hidden"].get_absolute_url())
    assert closed.status_code == 200
    assert b"kalender.ics" not in closed.content


def test_feeds_and_calendars_are_kept_for_anonymous_readers_and_renewed_on_change(
    anonymous, world, settings
):
    settings.BEIRAT_PAGE_CACHE_SECONDS = 300
    first = anonymous.get("/sitzungen/feed/").content
    assert anonymous.get("/sitzungen/feed/").content == first
    meeting = world["summer"]
    meeting.location = "Kurfürstliches Schloss"
    meeting.save()
    assert "Kurfürstliches Schloss" in anonymous.get("/sitzungen/feed/").content.decode()
    assert "Kurfürstliches Schloss" in anonymous.get("/sitzungen/kalender.ics").content.decode()


def test_dtstamp_and_last_modified_are_the_meetings_last_change(anonymous, world):
    calendar = parse_calendar(
        anonymous.get(f"/sitzungen/{world['summer'].pk}/kalender.ics").content
    )
    (event,) = calendar.events
    changed = world["summer"].modified_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert changed == event.DTSTAMP
    assert changed == event.LAST_MODIFIED
    assert timezone.is_aware(event.DTSTAMP)
