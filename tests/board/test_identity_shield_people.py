"""The identity shield wins over a public office.

A board member who is also an elected council member, in a fraction and a committee, with
"may be named publicly" ticked, is still never named: no person page (404, logged in or not),
not in /personen/ nor its name search, not on fraction or committee pages, not in the site
search, feeds or OParl (Person, Membership, the fraction's Organization). The same holds for
the person of an account in the board members' group who is not (yet) entered into a board.
The one place deciding this is beirat.directory.queries.publicly_nameable_persons().

Positive control: a council member with the very same offices who is not on the board appears
on every one of these surfaces, so an empty surface proves nothing by itself.
"""

from __future__ import annotations

import datetime

import pytest

from beirat.core.roles import Role
from tests.factories.core import user_with_role
from tests.factories.directory import (
    CommitteeFactory,
    FractionFactory,
    LegislativeTermFactory,
    MembershipFactory,
    PublicPersonFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 7, 1)
SHIELDED = ("Xenia", "Schildwächter")  # on the board and in the council
ACCOUNT_SHIELDED = ("Zora", "Kontoschütz")  # a board member's account, no board membership
VISIBLE = ("Yannick", "Sichtbar")  # the control: the same offices, not on the board


@pytest.fixture
def council(db):
    LegislativeTermFactory()
    council = CommitteeFactory(kind="council", name="Stadtrat", slug="stadtrat")
    committee = CommitteeFactory(name="Digitalisierungsausschuss", slug="digital")
    fraction = FractionFactory(name="Fraktion Rheinufer", slug="rheinufer")
    board = CommitteeFactory(kind="advisory_board", name="Digitalbeirat", slug="digitalbeirat")
    people = {}
    for given_name, family_name in (SHIELDED, ACCOUNT_SHIELDED, VISIBLE):
        person = PublicPersonFactory(given_name=given_name, family_name=family_name)
        for seat in (council, committee, fraction):
            MembershipFactory(person=person, committee=seat, start_date=START)
        people[family_name] = person
    MembershipFactory(person=people[SHIELDED[1]], committee=board, start_date=START)
    account = user_with_role(Role.BOARD_MEMBER, username="kontoschutz")
    people[ACCOUNT_SHIELDED[1]].user = account
    people[ACCOUNT_SHIELDED[1]].save()
    return {"fraction": fraction, "body_id": council.body_id, "people": people}


def _surfaces(client, council, search_index) -> dict[str, str]:
    """Every surface a person could be named on, as text, by address."""
    search_index.sync()
    fraction, body_id = council["fraction"], council["body_id"]
    paths = [
        "/personen/",
        "/fraktionen/",
        f"/fraktionen/{fraction.pk}/",
        "/gremien/stadtrat/",
        "/gremien/digital/",
        "/gremien/rheinufer/",
        "/gremien/stadtrat/feed/",
        "/sitzungen/feed/",
        "/vorlagen/feed/",
        f"/oparl/v1/body/{body_id}/person",
        f"/oparl/v1/body/{body_id}/membership",
        f"/oparl/v1/organization/c{fraction.pk}",
    ]
    for _given_name, family_name in (SHIELDED, ACCOUNT_SHIELDED, VISIBLE):
        for query in (family_name, family_name.lower().replace("ä", "a").replace("ü", "u")):
            paths += [f"/personen/?q={query}", f"/suche/?q={query}", f"/suche/feed/?q={query}"]
        person = council["people"][family_name]
        paths += [f"/personen/{person.pk}/", f"/oparl/v1/person/{person.pk}"]
    found = {}
    for path in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found[path] = f"{response.status_code} {body.decode()}"
    return found


def _naming(surfaces: dict[str, str], person, given_name: str, family_name: str) -> list[str]:
    """The surfaces that name the person or point at their person page or OParl objects."""
    own = {f"/personen/{person.pk}/", f"/oparl/v1/person/{person.pk}"}
    needles = [given_name, family_name, f"/personen/{person.pk}/", f'/person/{person.pk}"']
    needles += [f'/membership/{pk}"' for pk in person.memberships.values_list("pk", flat=True)]
    found = []
    for path, text in surfaces.items():
        if path in own:
            # Its own address answers 404; the error page repeats that address (language
            # switch), which names nobody.
            if not text.startswith("404"):
                found.append(path)
            continue
        # A search page repeats the visitor's own query; anything beyond that counts.
        shown = text.replace(family_name, "") if path.endswith(f"q={family_name}") else text
        if any(needle in shown for needle in needles):
            found.append(path)
    return sorted(found)


@pytest.mark.parametrize("persona", ["anonymous", "clerk", "admin", "board_member"])
def test_a_board_member_in_the_council_is_named_nowhere(request, persona, council, search_index):
    client = request.getfixturevalue(persona)
    surfaces = _surfaces(client, council, search_index)
    for given_name, family_name in (SHIELDED, ACCOUNT_SHIELDED):
        person = council["people"][family_name]
        assert client.get(f"/personen/{person.pk}/").status_code == 404
        assert client.get(f"/oparl/v1/person/{person.pk}").status_code == 404
        assert _naming(surfaces, person, given_name, family_name) == []
    # The control with the same offices is on every surface meant to list people.
    visible = council["people"][VISIBLE[1]]
    named = _naming(surfaces, visible, *VISIBLE)
    for path in (
        "/personen/",
        f"/fraktionen/{council['fraction'].pk}/",
        "/gremien/stadtrat/",
        f"/personen/{visible.pk}/",
        f"/personen/?q={VISIBLE[1]}".lower(),
        f"/oparl/v1/body/{council['body_id']}/person",
        f"/oparl/v1/body/{council['body_id']}/membership",
        f"/oparl/v1/organization/c{council['fraction'].pk}",
        f"/oparl/v1/person/{visible.pk}",
    ):
        assert path in named, path
    assert "1 Mitglied<" in surfaces["/fraktionen/"]  # the control alone is counted


def test_the_name_search_finds_no_board_member_and_says_so(anonymous, council):
    for _given_name, family_name in (SHIELDED, ACCOUNT_SHIELDED):
        page = anonymous.get(f"/personen/?q={family_name}").content.decode()
        assert "Niemand mit dem Namen" in page
        assert f'href="/personen/{council["people"][family_name].pk}/"' not in page
