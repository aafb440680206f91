"""Board members act under their pseudonym in every record anyone can read.

A member with unmistakable account data answers a question (and rewords the answer); IT
management publishes the statement; the privacy officer looks at the link once. Then every
page, export, admin page, mail and audit entry readable by a role other than the privacy role
is collected, and:

* outside the account's own pages (the operator's user admin, mail addressed to the member) the
  account is never named: not in the audit trail, not on the board's pages, not in a mail to IT
  management; so nothing names the account *instead of* the pseudonym;
* the account's own pages never name the pseudonym or hold the answer: nothing names the
  account *together with* the pseudonym;
* no audit entry holds the answer's words.

Positive controls show the check sees both the pseudonym and the account where they belong.
The privacy role's page shows the link and audits every look; retention takes the answers'
traces out of the audit trail.
"""

from __future__ import annotations

import datetime
import importlib
import json
import re

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin as admin_site_module
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beirat.board import rules
from beirat.board.models import ExpertAnswer, ExpertRequest, MemberPseudonym
from beirat.board.retention import erase_request
from beirat.board.services import requests as request_services
from beirat.core.mail import deliver_mail
from beirat.core.models import AuditEntry, OutboxMail, User
from beirat.core.roles import Role
from tests.factories.core import user_with_role
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.django_db

USERNAME = "qzmitglied"
EMAIL = "quirina.zeltbaum@example.org"
GIVEN_NAME, FAMILY_NAME = "Quirina", "Zeltbaum"
IDENTITY = (USERNAME, EMAIL, GIVEN_NAME, FAMILY_NAME)
FIRST_WORDS = "Qzerste Fassung: Richtfunk zwischen den Türmen."
ANSWER_WORDS = "Qzantwort: Freifunk mit Zugangspunkten auf städtischen Dächern."
PSEUDONYM = re.compile(r"Mitglied A\b")
PERSONAS = ("admin", "triage", "clerk", "office", "board_member")


@pytest.fixture
def member(db) -> User:
    user = user_with_role(
        Role.BOARD_MEMBER,
        username=USERNAME,
        email=EMAIL,
        first_name=GIVEN_NAME,
        last_name=FAMILY_NAME,
    )
    # Members sign in with a second factor; the admin's list of them names the account.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSW"})
    return user


@pytest.fixture
def operator(db) -> Client:
    """IT operations: the Django admin (is_staff, superuser)."""
    client = Client()
    client.force_login(
        user_with_role(Role.ADMIN, username="betrieb", is_staff=True, is_superuser=True)
    )
    return client


@pytest.fixture
def answered(member, triage_user, board_member_user, privacy):
    """A member answers through the page and rewords the answer, a second member answers, IT
    management publishes the statement, the privacy officer looks once."""
    submission = SubmissionFactory(email_confirmed_at=timezone.now())
    request = request_services.ask_board(
        title="Offenes WLAN am Görresplatz",
        question="Welche Technik empfiehlt der Beirat?",
        excerpt=submission.text,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        submission=submission,
        actor=triage_user,
    )
    client = Client()
    client.force_login(member)
    url = reverse("board:answer", kwargs={"pk": request.pk})
    assert client.post(url, {"text": FIRST_WORDS}).status_code == 302
    assert client.post(url, {"text": ANSWER_WORDS}).status_code == 302
    request_services.answer(request=request, member=board_member_user, text="Ich stimme zu.")
    assert MemberPseudonym.objects.get(member=member).label == "Mitglied A"
    request_services.publish_statement(
        request=request, title="WLAN", text="Der Beirat empfiehlt Freifunk.", actor=triage_user
    )
    assert privacy.get(reverse("board:pseudonyms")).status_code == 200
    return request, submission


def _text(content: bytes | str) -> str:
    return content.decode() if isinstance(content, bytes) else content


def _names_account(text: str) -> list[str]:
    lowered = text.lower()
    return [part for part in IDENTITY if part.lower() in lowered]


def _names_pseudonym(text: str) -> bool:
    return PSEUDONYM.search(text) is not None


def _staff_pages(request: ExpertRequest, submission) -> list[str]:
    code = submission.tracking_code
    return [
        reverse("core:workplace"),
        reverse("core:audit_log"),
        reverse("board:workplace"),
        reverse("board:request", kwargs={"pk": request.pk}),
        reverse("board:publish", kwargs={"pk": request.pk}),
        reverse("board:staff_recommendations_csv"),
        reverse("board:recommendations_csv"),
        reverse("board:statements"),
        reverse("submissions:staff_detail", kwargs={"pk": submission.pk}),
        reverse("submissions:track", kwargs={"code": code}),
        reverse("submissions:export", kwargs={"code": code}),
    ]


def _admin_pages(member: User) -> dict[str, list[str]]:
    """The Django admin's pages, by what they are about: the audit trail ("acts"), the member's
    account and mail to the member ("account"), and lists of anything ("mixed")."""
    pages: dict[str, list[str]] = {"acts": [], "account": [], "mixed": [reverse("admin:index")]}
    for model in admin_site_module.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        pages["acts" if model is AuditEntry else "mixed"].append(url)
    pages["acts"].append(reverse("admin:core_auditentry_changelist") + "?q=Mitglied")
    for entry in AuditEntry.objects.all():
        pages["acts"].append(reverse("admin:core_auditentry_change", args=[entry.pk]))
    for outbox in OutboxMail.objects.all():
        to_member = EMAIL in outbox.recipient_list
        url = reverse("admin:core_outboxmail_change", args=[outbox.pk])
        pages["account" if to_member else "acts"].append(url)
    user_pages = [
        reverse("admin:core_user_changelist"),
        reverse("admin:core_user_change", args=[member.pk]),
        reverse("admin:core_user_delete", args=[member.pk]),
        reverse("admin:core_user_history", args=[member.pk]),
    ]
    pages["mixed"] = [url for url in pages["mixed"] if url not in user_pages]
    pages["account"] += user_pages
    return pages


def readable_surfaces(request, submission, member, operator, clients) -> dict[str, dict]:
    """Everything the personas and IT operations can read, {kind: {where: text}}: "acts" show
    what people did (pages, exports, audit trail, mail about the board's work), "account" is
    about the member's account, "mixed" lists records of any kind."""
    found: dict[str, dict[str, str]] = {"acts": {}, "account": {}, "mixed": {}}
    for persona, client in clients.items():
        for url in _staff_pages(request, submission):
            response = client.get(url)
            if response.status_code == 200:
                found["acts"][f"{persona} {url}"] = _text(response.content)
    for kind, urls in _admin_pages(member).items():
        for url in urls:
            response = operator.get(url)
            assert response.status_code == 200, url
            found[kind][f"operator {url}"] = _text(response.content)
    for entry in AuditEntry.objects.select_related("actor"):
        found["acts"][f"audit entry {entry.pk} {entry.action}"] = " ".join(
            [
                str(entry.actor or ""),
                entry.actor.get_username() if entry.actor else "",
                entry.actor_label,
                entry.object_label,
                json.dumps(entry.changes, ensure_ascii=False),
            ]
        )
    for outbox in OutboxMail.objects.all():
        text = f"{outbox.recipients}\n{outbox.subject}\n{outbox.body}\n{outbox.html_body}"
        kind = "account" if EMAIL in outbox.recipient_list else "acts"
        found[kind][f"mail {outbox.pk}"] = text
        deliver_mail(mail_id=outbox.pk)
    for number, message in enumerate(mail.outbox):
        text = f"{message.to}\n{message.subject}\n{message.body}"
        kind = "account" if EMAIL in message.to else "acts"
        found[kind][f"delivered mail {number}"] = text
    return found


def test_no_surface_outside_the_privacy_role_links_the_account_to_the_pseudonym(
    answered, member, operator, admin, triage, clerk, office, board_member
):
    request, submission = answered
    clients = dict(zip(PERSONAS, (admin, triage, clerk, office, board_member), strict=True))

    found = readable_surfaces(request, submission, member, operator, clients)

    # What members did is never shown under (or beside) the account ...
    named = {where: _names_account(text) for where, text in found["acts"].items()}
    assert {where: parts for where, parts in named.items() if parts} == {}
    # ... what is about the account never names the pseudonym or holds the answer ...
    linked = {
        where
        for where, text in found["account"].items()
        if _names_pseudonym(text) or ANSWER_WORDS in text
    }
    assert linked == set()
    # ... and no list shows both.
    both = {
        where
        for where, text in found["mixed"].items()
        if _names_pseudonym(text) and _names_account(text)
    }
    assert both == set()
    # The audit trail never holds the answer's words.
    audit_pages = {
        where: text
        for where, text in found["acts"].items()
        if "audit" in where or "protokoll" in where
    }
    assert [where for where, text in audit_pages.items() if FIRST_WORDS in text] == []
    assert [where for where, text in audit_pages.items() if ANSWER_WORDS in text] == []
    # Positive controls: the checks see the pseudonym and the account where they belong.
    request_page = found["acts"][f"triage {reverse('board:request', args=[request.pk])}"]
    assert _names_pseudonym(found["acts"][f"admin {reverse('core:audit_log')}"])
    assert _names_pseudonym(request_page)
    assert ANSWER_WORDS in request_page
    assert any(_names_pseudonym(text) for where, text in found["acts"].items() if "mail" in where)
    user_page = f"operator {reverse('admin:core_user_change', args=[member.pk])}"
    assert _names_account(found["account"][user_page])
    assert any(_names_account(text) for where, text in found["account"].items() if "mail" in where)
    # A list may name the account (the second factors'), so "no list shows both" can fail; the
    # outbox's list does not: it masks a member's address.
    assert any(_names_account(text) for text in found["mixed"].values())
    assert not _names_account(
        found["mixed"][f"operator {reverse('admin:core_outboxmail_changelist')}"]
    )
    assert len(audit_pages) > 10


def test_a_members_answer_is_audited_under_the_pseudonym_without_its_words(answered, member):
    entries = list(AuditEntry.objects.filter(action="board.answer").order_by("pk"))
    mine = [entry for entry in entries if entry.actor_label == "Mitglied A"]

    assert not AuditEntry.objects.filter(actor=member).exists()
    assert [entry.changes for entry in mine] == [
        {"text_length": {"before": None, "after": len(FIRST_WORDS)}},
        {"text_length": {"before": len(FIRST_WORDS), "after": len(ANSWER_WORDS)}},
    ]
    assert {entry.actor_id for entry in entries} == {None}
    assert {entry.actor_label for entry in entries} == {"Mitglied A", "Mitglied B"}


def test_answers_refer_to_the_pseudonym_never_to_the_account():
    relations = {
        field.name: field.related_model
        for field in ExpertAnswer._meta.get_fields()
        if field.is_relation
    }

    assert User not in relations.values()
    assert relations["author"] is MemberPseudonym


def test_the_django_admin_shows_no_board_model():
    registered = {model._meta.label for model in admin_site_module.site._registry}

    assert {model._meta.label for model in apps.get_app_config("board").get_models()} & (
        registered
    ) == set()


def test_the_privacy_role_sees_the_link_and_every_look_is_audited(
    member, privacy, privacy_user, board_member_user
):
    request_services.answer(
        request=ExpertRequest.objects.create(
            title="Frage", question="?", deadline=timezone.localdate()
        ),
        member=member,
        text=ANSWER_WORDS,
    )
    request_services.pseudonym_of(board_member_user)
    url = reverse("board:pseudonyms")

    pages = [privacy.get(url) for _look in range(2)]

    for page in pages:
        text = _text(page.content)
        assert page.status_code == 200
        assert "Mitglied A" in text
        assert "Mitglied B" in text
        assert all(part in text for part in IDENTITY)
        assert ANSWER_WORDS not in text
    looks = AuditEntry.objects.filter(action="privacy.pseudonyms_viewed")
    assert [(look.actor, look.actor_label) for look in looks] == [
        (privacy_user, privacy_user.username)
    ] * 2
    for look in looks:
        assert look.changes == {"pseudonyms_shown": {"before": None, "after": 2}}
        assert _names_account(f"{look.object_label} {json.dumps(look.changes)}") == []
        assert not _names_pseudonym(f"{look.object_label} {json.dumps(look.changes)}")


def test_only_the_privacy_role_gets_the_tile_and_no_other_role_holds_the_right(
    privacy, admin, triage, privacy_user, operator
):
    url = reverse("board:pseudonyms")

    assert url in _text(privacy.get(reverse("core:workplace")).content)
    assert url not in _text(admin.get(reverse("core:workplace")).content)
    assert url not in _text(triage.get(reverse("core:workplace")).content)
    superuser = User.objects.get(username="betrieb")
    assert rules.can_see_pseudonym_links(privacy_user)
    assert not rules.can_see_pseudonym_links(superuser)
    assert operator.get(url).status_code == 404


def test_the_privacy_role_needs_a_second_factor(db):
    from tests.factories.core import UserFactory

    officer = UserFactory()
    officer.groups.add(apps.get_model("auth", "Group").objects.get(name=Role.PRIVACY.value))
    client = Client()
    client.force_login(officer)

    response = client.get(reverse("board:pseudonyms"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_deleting_the_account_ends_the_link_and_keeps_the_pseudonymous_answer(
    member, privacy, triage
):
    request = ExpertRequest.objects.create(
        title="Frage", question="?", deadline=timezone.localdate()
    )
    request_services.answer(request=request, member=member, text=ANSWER_WORDS)

    member.delete()

    pseudonym = MemberPseudonym.objects.get()
    assert (pseudonym.member, pseudonym.label) == (None, "Mitglied A")
    page = _text(triage.get(reverse("board:request", args=[request.pk])).content)
    assert "Mitglied A" in page
    assert ANSWER_WORDS in page
    assert "Konto gelöscht" in _text(privacy.get(reverse("board:pseudonyms")).content)


def test_retention_takes_the_answers_and_the_excerpt_out_of_the_audit_trail(member, triage_user):
    request = request_services.ask_board(
        title="Frage",
        question="Was empfiehlt der Beirat?",
        excerpt="Qzauszug aus der Eingabe",
        deadline=timezone.localdate(),
        submission=None,
        actor=triage_user,
    )
    answer = request_services.answer(request=request, member=member, text=ANSWER_WORDS)
    request_services.close_request(request=request, actor=triage_user)

    assert erase_request(request.pk)

    reduced = AuditEntry.objects.get(object_type="board.expertanswer", object_id=str(answer.pk))
    assert (reduced.actor, reduced.actor_label, reduced.changes) == (
        None,
        "Mitglied des Beirats",
        {},
    )
    asked = AuditEntry.objects.get(action="board.ask")
    assert "excerpt" not in asked.changes
    assert "question" in asked.changes
    everything = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    assert "Qzauszug" not in everything
    assert "Mitglied A" not in everything
    assert MemberPseudonym.objects.filter(member=member).exists()  # the number is never reused


def test_the_migration_rewrites_entries_written_before(member, triage_user):
    """board/migrations/0006: old entries named the account and held the words."""
    migration = importlib.import_module("beirat.board.migrations.0006_audit_names_pseudonyms")
    request = ExpertRequest.objects.create(
        title="Frage", question="?", excerpt="", deadline=timezone.localdate()
    )
    answer = ExpertAnswer.objects.create(
        request=request, author=request_services.pseudonym_of(member), text=ANSWER_WORDS
    )
    old = AuditEntry.objects.create(
        actor=member,
        actor_label=member.username,
        action="board.answer",
        object_type="board.expertanswer",
        object_id=str(answer.pk),
        object_label=str(answer),
        changes={"text": {"before": FIRST_WORDS, "after": ANSWER_WORDS}},
    )
    gone = AuditEntry.objects.create(
        actor=member,
        actor_label=member.username,
        action="board.answer",
        object_type="board.expertanswer",
        object_id="999999",
        object_label="Frage #999999",
        changes={"text": {"before": None, "after": ANSWER_WORDS}},
    )
    asked = AuditEntry.objects.create(
        actor=triage_user,
        actor_label=triage_user.username,
        action="board.ask",
        object_type="board.expertrequest",
        object_id=str(request.pk),
        object_label="Frage",
        changes={"excerpt": {"before": None, "after": "Qzauszug"}, "title": {"after": "Frage"}},
    )

    migration.pseudonymise(apps, None)

    old.refresh_from_db()
    gone.refresh_from_db()
    asked.refresh_from_db()
    assert (old.actor, old.actor_label, old.changes) == (
        None,
        "Mitglied A",
        {"text_length": {"before": len(FIRST_WORDS), "after": len(ANSWER_WORDS)}},
    )
    assert (gone.actor, gone.actor_label, gone.changes) == (None, "Mitglied des Beirats", {})
    assert asked.changes == {"title": {"after": "Frage"}}
