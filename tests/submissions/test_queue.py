"""IT management's queue: search, sorting, the selection's actions, and the reply that assigns."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beirat.core.mail import deliver_mail, due_mails
from beirat.core.models import AuditEntry, OutboxMail
from beirat.core.roles import Role
from beirat.submissions.models import Event, Submission, TextBlock
from beirat.submissions.services import triage as triage_services
from tests.factories.core import user_with_role
from tests.factories.submissions import SubmissionFactory, TopicFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("submissions:queue")
BULK = reverse("submissions:staff_bulk")
BULK_CLOSE = reverse("submissions:staff_bulk_close")


def titles(response):
    return [submission.title for submission in response.context["page"].object_list]


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def received(submission, days_ago):
    Submission.objects.filter(pk=submission.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    submission.refresh_from_db()
    return submission


def confirmed(**kwargs):
    return SubmissionFactory(email_confirmed_at=timezone.now(), **kwargs)


@pytest.fixture
def ilse(db):
    return user_with_role(Role.TRIAGE, username="ilse", first_name="Ilse", last_name="Triage")


# Search ------------------------------------------------------------------------------------------


def test_search_finds_words_in_title_or_text_and_leaves_out_excluded_ones(triage):
    SubmissionFactory(title="Ampel an der Grundschule", text="Bitte länger grün.")
    SubmissionFactory(title="Schulweg", text="Die Ampel am Markt ist zu kurz grün.")
    SubmissionFactory(title="Radweg", text="Schlaglöcher.")

    found = triage.get(QUEUE, {"q": "ampel"})
    without_market = triage.get(QUEUE, {"q": "Ampel -Markt"})

    assert titles(found) == ["Ampel an der Grundschule", "Schulweg"]
    assert titles(without_market) == ["Ampel an der Grundschule"]


def test_search_uses_the_german_full_text_index(triage, search_index):
    SubmissionFactory(title="Neue Ampel", text="An der Kreuzung fehlt eine Ampel.")
    SubmissionFactory(title="Straßenbeleuchtung", text="Es ist zu dunkel.")
    search_index.sync()
    SubmissionFactory(title="Ampeln nachts aus", text="Noch nicht im Index.")

    plural = triage.get(QUEUE, {"q": "Ampeln"})  # "Ampeln" finds "Ampel": the stem
    spelling = triage.get(QUEUE, {"q": "Strassenbeleuchtung"})  # ss for ß

    assert titles(plural) == ["Neue Ampel", "Ampeln nachts aus"]  # the new one: literally
    assert titles(spelling) == ["Straßenbeleuchtung"]
    assert plural.context["full_text"] is True
    assert "Volltextsuche wird auf diesem Server" not in plural.content.decode()


def test_without_an_index_the_literal_words_are_found_and_the_page_says_so(triage):
    SubmissionFactory(title="Neue Ampel")

    response = triage.get(QUEUE, {"q": "Ampel"})

    assert titles(response) == ["Neue Ampel"]
    assert "Volltextsuche wird auf diesem Server gerade aufgebaut" in response.content.decode()


def test_search_by_number(triage):
    wanted = SubmissionFactory(title="Gesucht")
    SubmissionFactory(title="Andere")

    assert titles(triage.get(QUEUE, {"q": f"#{wanted.pk}"})) == ["Gesucht"]
    assert titles(triage.get(QUEUE, {"q": str(wanted.pk)})) == ["Gesucht"]


def test_search_keeps_the_open_default_and_combines_with_filters(triage, ilse):
    topic = TopicFactory(name="Verkehr")
    SubmissionFactory(title="Ampel offen", topic=topic)
    SubmissionFactory(title="Ampel erledigt", status=Submission.Status.CLOSED, topic=topic)
    SubmissionFactory(title="Ampel ohne Thema")

    only_search = triage.get(QUEUE, {"q": "Ampel"})
    with_topic = triage.get(QUEUE, {"q": "Ampel", "status": "", "topic": topic.pk})

    assert titles(only_search) == ["Ampel offen", "Ampel ohne Thema"]
    assert titles(with_topic) == ["Ampel offen", "Ampel erledigt"]


def test_nothing_found_says_so_and_offers_all_submissions(triage):
    SubmissionFactory(title="Radweg")

    response = triage.get(QUEUE, {"q": "Glasfaser"})
    page = response.content.decode()

    assert titles(response) == []
    assert "Keine Eingabe passt zu „Glasfaser“ und den gewählten Filtern." in page
    assert "In allen Eingaben suchen" in page
    assert 'name="auswahl"' not in page


# Sorting and the address -------------------------------------------------------------------------


@pytest.fixture
def three(ilse):
    traffic, schools = TopicFactory(name="Verkehr", position=2), TopicFactory(name="Schule")
    schools.position = 1
    schools.save()
    old = received(SubmissionFactory(title="Alt", topic=traffic), days_ago=30)
    middle = received(
        SubmissionFactory(title="Mitte", status=Submission.Status.FORWARDED, topic=schools), 20
    )
    Submission.objects.filter(pk=middle.pk).update(first_answered_at=timezone.now())
    new = received(SubmissionFactory(title="Neu", status=Submission.Status.IN_REVIEW), 1)
    return old, middle, new


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Alt", "Mitte", "Neu"]),
        ("aelteste", ["Alt", "Mitte", "Neu"]),
        ("neueste", ["Neu", "Mitte", "Alt"]),
        ("wartezeit", ["Alt", "Neu", "Mitte"]),  # without an answer first, the oldest on top
        ("status", ["Alt", "Neu", "Mitte"]),  # received, in review, forwarded: the work's order
        ("thema", ["Mitte", "Alt", "Neu"]),  # by the topics' order, none last
    ],
)
def test_sorting(triage, three, sort, expected):
    assert titles(triage.get(QUEUE, {"status": "open", "sortierung": sort})) == expected


def test_an_unknown_sort_shows_the_default(triage, three):
    assert titles(triage.get(QUEUE, {"sortierung": "'; DROP TABLE"})) == ["Alt", "Mitte", "Neu"]


def test_page_links_keep_search_filters_and_sorting(triage):
    SubmissionFactory.create_batch(51, title="Ampel")

    response = triage.get(QUEUE, {"q": "Ampel", "status": "open", "sortierung": "neueste"})

    assert 'href="?q=Ampel&amp;status=open&amp;sortierung=neueste&amp;seite=2"' in (
        response.content.decode()
    )
    assert response.context["return_query"] == "q=Ampel&status=open&sortierung=neueste"


def test_without_a_status_the_open_ones_are_shown_and_the_field_says_so(triage):
    SubmissionFactory(title="Offen")
    SubmissionFactory(title="Erledigt", status=Submission.Status.CLOSED)

    for query in ({}, {"seite": "1"}, {"q": "hilfreich"}):  # both texts say "hilfreich"
        response = triage.get(QUEUE, query)
        assert titles(response) == ["Offen"], query
        assert '<option value="open" selected>' in response.content.decode(), query
    assert titles(triage.get(QUEUE, {"status": ""})) == ["Offen", "Erledigt"]


def test_queue_runs_the_same_queries_for_a_search_of_one_and_of_three(triage):
    from tests.helpers import query_count

    SubmissionFactory(title="Ampel", topic=TopicFactory())
    url = f"{QUEUE}?q=Ampel&sortierung=thema"
    triage.get(url)  # warm the session
    one = query_count(triage, url)
    SubmissionFactory.create_batch(2, title="Ampel", topic=TopicFactory())

    assert query_count(triage, url) == one


def test_rows_have_a_labelled_box_and_the_address_can_tick_them_again(triage):
    first, second = SubmissionFactory(title="Erste"), SubmissionFactory(title="Zweite")

    page = triage.get(QUEUE, {"auswahl": [second.pk, "x"]}).content.decode()

    assert f'id="auswahl_{first.pk}">' in page
    assert f'id="auswahl_{second.pk}" checked>' in page
    assert f"Eingabe #{second.pk} auswählen: Zweite" in page
    assert page.count('data-label="Auswahl"') == 2


# Assign and topic for several ---------------------------------------------------------------------


def test_assigning_several_audits_each_and_keeps_the_queue_as_it_was(triage, triage_user, ilse):
    chosen = SubmissionFactory.create_batch(3)
    other = SubmissionFactory()

    response = triage.post(
        BULK,
        {
            "auswahl": [item.pk for item in chosen],
            "aktion": "zuweisen",
            "assignee": ilse.pk,
            "zurueck": "q=Parkplatz&sortierung=neueste&seite=2&csrfmiddlewaretoken=x&next=//evil",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?q=Parkplatz&sortierung=neueste&seite=2"
    assert said(response) == ["3 Eingaben wurden Ilse Triage zugewiesen."]
    for item in chosen:
        item.refresh_from_db()
        assert (item.assigned_to, item.status) == (ilse, Submission.Status.IN_REVIEW)
        assert item.events.filter(kind=Event.Kind.ASSIGNED, actor=triage_user).count() == 1
    other.refresh_from_db()
    assert other.assigned_to is None
    audited = AuditEntry.objects.filter(action="submissions.assign", actor=triage_user)
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(item.pk) for item in chosen
    )


def test_assigning_to_whom_it_already_belongs_changes_nothing_and_says_so(triage, ilse):
    mine = SubmissionFactory(assigned_to=ilse)
    new = SubmissionFactory()

    response = triage.post(
        BULK, {"auswahl": [mine.pk, new.pk], "aktion": "zuweisen", "assignee": ilse.pk}
    )

    assert said(response) == [
        "1 Eingabe wurde Ilse Triage zugewiesen.",
        "1 Eingabe war Ilse Triage schon zugewiesen.",
    ]
    assert not mine.events.exists()
    assert AuditEntry.objects.filter(action="submissions.assign").count() == 1


def test_only_it_management_can_be_assigned_never_a_board_member(triage, triage_user, ilse):
    member = user_with_role(Role.BOARD_MEMBER, username="mitglied")
    both = user_with_role(Role.TRIAGE, username="beides")
    both.groups.add(Group.objects.get(name=Role.BOARD_MEMBER))
    user_with_role(Role.CLERK, username="sitzungsdienst")
    submission = SubmissionFactory()

    offered = triage.get(QUEUE).context["bulk_form"].fields["assignee"].queryset
    single = triage.get(reverse("submissions:staff_detail", kwargs={"pk": submission.pk}))
    refused = [
        triage.post(BULK, {"auswahl": [submission.pk], "aktion": "zuweisen", "assignee": pk})
        for pk in (member.pk, both.pk)
    ]

    assert sorted(user.username for user in offered) == ["ilse", "triage"]
    assert list(single.context["assign_form"].fields["assignee"].queryset) == list(offered)
    for response in refused:
        assert response["Location"] == f"{QUEUE}?auswahl={submission.pk}"
    submission.refresh_from_db()
    assert submission.assigned_to is None
    with pytest.raises(triage_services.ValidationError):
        triage_services.assign_many(submissions=[submission], assignee=both, actor=triage_user)


def test_setting_the_topic_of_several(triage, triage_user):
    topic = TopicFactory(name="Verkehr")
    chosen = SubmissionFactory.create_batch(2)
    already = SubmissionFactory(topic=topic)

    response = triage.post(
        BULK,
        {"auswahl": [*(i.pk for i in chosen), already.pk], "aktion": "thema", "topic": topic.pk},
    )

    assert said(response) == [
        "2 Eingaben haben jetzt das Thema „Verkehr“.",
        "1 Eingabe hatte das Thema „Verkehr“ schon.",
    ]
    assert Submission.objects.filter(topic=topic).count() == 3
    assert Event.objects.filter(kind=Event.Kind.TOPIC, public=False).count() == 2
    assert AuditEntry.objects.filter(action="submissions.set_topic", actor=triage_user).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"aktion": "zuweisen"}, "Bitte wählen Sie mindestens eine Eingabe aus."),
        ({"aktion": "thema", "auswahl": "KEEP"}, "Bitte wählen Sie das Thema für die ausgewählten"),
        ({"aktion": "zuweisen", "auswahl": "KEEP"}, "Bitte wählen Sie, wem die ausgewählten"),
        ({"aktion": "loeschen", "auswahl": "KEEP"}, "Diese Aktion gibt es nicht."),
        ({"aktion": "thema", "auswahl": "999999", "topic": "TOPIC"}, "gibt es nicht mehr"),
    ],
)
def test_an_incomplete_request_changes_nothing_and_keeps_the_selection(triage, data, message):
    submission = SubmissionFactory()
    topic = TopicFactory()
    data = {
        key: submission.pk if value == "KEEP" else topic.pk if value == "TOPIC" else value
        for key, value in data.items()
    }

    response = triage.post(BULK, {**data, "zurueck": "status=open"})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == QUEUE
    assert parse_qs(location.query)["status"] == ["open"]
    assert any(message in text for text in said(response)), said(response)
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_selection_takes_post_only(triage):
    assert triage.get(BULK).status_code == 405


# Closing several ---------------------------------------------------------------------------------


def test_closing_asks_first_and_lists_what_it_closes_and_what_not(triage):
    open_one = SubmissionFactory(title="Offene Eingabe")
    answered = SubmissionFactory(title="Beantwortete", status=Submission.Status.ANSWERED)
    closed = SubmissionFactory(title="Schon erledigt", status=Submission.Status.DECLINED)
    ids = [open_one.pk, answered.pk, closed.pk]

    step = triage.post(BULK, {"auswahl": ids, "aktion": "abschliessen", "zurueck": "q=x"})
    confirm = triage.get(step["Location"])
    page = confirm.content.decode()

    assert urlsplit(step["Location"]).path == BULK_CLOSE
    assert parse_qs(urlsplit(step["Location"]).query) == {
        "auswahl": [str(pk) for pk in ids],
        "zurueck": ["q=x"],
    }
    assert not Event.objects.exists()  # nothing closed yet
    assert confirm.context["closable"] == [open_one, answered]
    assert confirm.context["not_closable"] == [closed]
    assert "2 Eingaben beantworten und abschließen" in page
    assert "2 Eingaben abschließen</span></button>" in page
    assert "Diese Eingabe ist nicht mehr offen" in page
    assert sorted(confirm.context["form"]["auswahl"].value()) == sorted([open_one.pk, answered.pk])
    assert confirm.context["cancel_url"] == f"{QUEUE}?q=x&" + "&".join(
        f"auswahl={pk}" for pk in ids
    )


def test_closing_needs_the_answer(triage):
    submission = SubmissionFactory()

    response = triage.post(BULK_CLOSE, {"auswahl": [submission.pk], "text": "  "})

    assert response.status_code == 200
    assert "Ohne Antwort wird keine Eingabe abgeschlossen." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECEIVED


def test_closing_several_is_a_closing_reply_to_each(
    triage, triage_user, ilse, anonymous, django_capture_on_commit_callbacks
):
    nobodys = confirmed(title="Ohne Zuständige")
    ilses = SubmissionFactory(title="Bei Ilse", assigned_to=ilse, status=Submission.Status.ANSWERED)

    with django_capture_on_commit_callbacks(execute=True):
        response = triage.post(
            BULK_CLOSE,
            {
                "auswahl": [nobodys.pk, ilses.pk],
                "text": "Danke, das setzen wir um.",
                "zurueck": "status=open",
            },
        )

    assert response["Location"] == f"{QUEUE}?status=open"
    assert said(response) == ["2 Eingaben wurden beantwortet und abgeschlossen."]
    for item in (nobodys, ilses):
        item.refresh_from_db()
        assert item.status == Submission.Status.CLOSED
        assert item.closed_at is not None
        public = [(e.kind, e.text) for e in item.events.filter(public=True)]
        assert public == [
            (Event.Kind.REPLIED, "Danke, das setzen wir um."),
            (Event.Kind.CLOSED, ""),
        ]
        track = anonymous.get(item.get_absolute_url()).content.decode()
        assert "Danke, das setzen wir um." in track
    # Whoever closes a submission nobody had takes it on; Ilse keeps hers.
    assert (nobodys.assigned_to, ilses.assigned_to) == (triage_user, ilse)
    replies = AuditEntry.objects.filter(action="submissions.reply", actor=triage_user)
    assert sorted(replies.values_list("object_id", flat=True)) == sorted(
        [str(nobodys.pk), str(ilses.pk)]
    )
    for mail_id in due_mails().values_list("id", flat=True):
        deliver_mail(mail_id=mail_id)
    assert [message.to for message in mail.outbox] == [["erika@example.org"]]  # confirmed only
    assert "Danke, das setzen wir um." in mail.outbox[0].body


def test_one_closed_meanwhile_stays_as_it_is(triage):
    still_open = SubmissionFactory()
    closed_meanwhile = SubmissionFactory()
    Submission.objects.filter(pk=closed_meanwhile.pk).update(status=Submission.Status.DECLINED)

    response = triage.post(
        BULK_CLOSE, {"auswahl": [still_open.pk, closed_meanwhile.pk], "text": "Erledigt."}
    )

    assert said(response) == [
        "1 Eingabe wurde beantwortet und abgeschlossen.",
        "1 Eingabe war nicht mehr offen und blieb, wie sie war.",
    ]
    assert not closed_meanwhile.events.exists()


def test_closing_several_keeps_all_or_nothing(triage_user, monkeypatch):
    first, second = confirmed(), confirmed()
    calls = []

    def fail_on_the_second(submission, event):
        calls.append(submission.pk)
        if len(calls) == 2:
            raise RuntimeError("the outbox is full")

    monkeypatch.setattr(triage_services, "notify_submitter", fail_on_the_second)

    with pytest.raises(RuntimeError):
        triage_services.close_many(submissions=[first, second], text="Danke.", actor=triage_user)

    assert Submission.objects.filter(status=Submission.Status.CLOSED).count() == 0
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not OutboxMail.objects.exists()


def test_a_text_block_fills_the_common_answer(triage):
    block = TextBlock.objects.create(title="Dank", text="Vielen Dank für Ihre Idee.")
    submission = SubmissionFactory()

    response = triage.get(BULK_CLOSE, {"auswahl": submission.pk, "baustein": block.pk})

    assert response.context["form"]["text"].value() == "Vielen Dank für Ihre Idee."
    assert f"?auswahl={submission.pk}&amp;zurueck=&amp;baustein={block.pk}" in (
        response.content.decode()
    )


def test_closing_without_a_selection_sends_back_to_the_list(triage):
    page = triage.get(BULK_CLOSE).content.decode()

    assert "Es ist keine Eingabe ausgewählt." in page
    assert "<textarea" not in page


# The first reply ---------------------------------------------------------------------------------


def test_the_first_reply_assigns_the_submission_to_whoever_sent_it(triage, triage_user):
    submission = SubmissionFactory()

    triage.post(
        reverse("submissions:staff_reply", kwargs={"pk": submission.pk}), {"text": "Danke!"}
    )

    submission.refresh_from_db()
    assert submission.assigned_to == triage_user
    assigned = submission.events.get(kind=Event.Kind.ASSIGNED)
    assert (assigned.public, assigned.actor) == (False, triage_user)
    entry = AuditEntry.objects.get(action="submissions.reply")
    assert "assigned_to" in entry.changes


def test_a_reply_leaves_an_assigned_submission_with_its_person(triage, ilse):
    submission = SubmissionFactory(assigned_to=ilse)

    triage.post(
        reverse("submissions:staff_reply", kwargs={"pk": submission.pk}), {"text": "Danke!"}
    )

    submission.refresh_from_db()
    assert submission.assigned_to == ilse
    assert not submission.events.filter(kind=Event.Kind.ASSIGNED).exists()


def test_a_reply_by_an_account_that_is_also_a_board_members_assigns_nobody():
    both = user_with_role(Role.TRIAGE, username="beides")
    both.groups.add(Group.objects.get(name=Role.BOARD_MEMBER))
    submission = SubmissionFactory()

    triage_services.reply(submission=submission, text="Danke!", close=False, actor=both)

    submission.refresh_from_db()
    assert submission.assigned_to is None
    assert submission.status == Submission.Status.ANSWERED


def test_the_queue_and_its_messages_in_english(triage, ilse, settings):
    chosen = SubmissionFactory.create_batch(2, title="Ampel")
    triage.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = triage.get(QUEUE, {"q": "Ampel"}).content.decode()
    response = triage.post(
        BULK, {"auswahl": [item.pk for item in chosen], "aktion": "zuweisen", "assignee": ilse.pk}
    )

    assert "2 submissions for “Ampel”" in page
    assert "Select all on this page" in page
    assert 'data-many="%(count)s submissions selected"' in page
    assert f"Select submission #{chosen[0].pk}: Ampel" in page
    assert said(response) == ["2 submissions were assigned to Ilse Triage."]
