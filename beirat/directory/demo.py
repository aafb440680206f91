"""Koblenz's directory as the seed papers describe it, built through the services.

Every object is looked up by its natural key first, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import os
from typing import Any, TextIO

from django.contrib.auth.models import Group

from beirat.core.models import User
from beirat.core.roles import Role
from beirat.directory import services
from beirat.directory.models import (
    Body,
    Committee,
    Cooperation,
    LegislativeTerm,
    Membership,
    OrganizationalUnit,
    PartnerContact,
    PartnerEvent,
    PartnerOrganization,
    Person,
)

DEMO_PASSWORD_VARIABLE = "BEIRAT_DEMO_PASSWORD"  # noqa: S105  (a variable name)
DEFAULT_DEMO_PASSWORD = "Koblenz-Demo-2026"  # noqa: S105  (demo accounts only, printed on load)

UNITS = [
    # kind, number, name, name for citizens, parent name, mailbox
    ("division", "1", "Dezernat 1", "Dezernat 1", None, ""),
    (
        "office",
        "10",
        "Amt für Personal und Organisation",
        "Amt für Personal und Organisation",
        "Dezernat 1",
        "amt10@stadt.koblenz.de",
    ),
    (
        "office",
        "80",
        "Amt für Wirtschaftsförderung",
        "Amt für Wirtschaftsförderung",
        "Dezernat 1",
        "amt80@stadt.koblenz.de",
    ),
    (
        "office",
        "",
        "IT-Management",
        "IT-Management der Stadt",
        "Dezernat 1",
        "it-management@stadt.koblenz.de",
    ),
    ("division", "2", "Dezernat 2", "Dezernat 2", None, ""),
    ("office", "32", "Ordnungsamt", "Ordnungsamt", "Dezernat 2", "amt32@stadt.koblenz.de"),
]

PARTNERS: list[dict[str, Any]] = [
    {
        "slug": "it-stadt-koblenz",
        "name": "IT.Stadt Koblenz e.V.",
        "short_name": "IT.Stadt",
        "kind": "association",
        "city_is_member": True,
        "description": "Verein der regionalen IT-Wirtschaft. Richtet Start-Up-Weekends und "
        "Start-Up-Slams aus; wirkt beratend im Digitalbeirat mit.",
    },
    {
        "slug": "r56",
        "name": "R56+",
        "short_name": "R56+",
        "kind": "network",
        "description": "Netzwerk der Digitalwirtschaft in der Region.",
    },
    {
        "slug": "tzk",
        "name": "Technologiezentrum Koblenz",
        "short_name": "TZK",
        "kind": "technology_centre",
        "description": "Gründer- und Technologiezentrum für junge Unternehmen.",
    },
    {
        "slug": "ihk-koblenz",
        "name": "Industrie- und Handelskammer Koblenz",
        "short_name": "IHK",
        "kind": "chamber",
        "description": "",
    },
    {
        "slug": "hwk-koblenz",
        "name": "Handwerkskammer Koblenz",
        "short_name": "HWK",
        "kind": "chamber",
        "description": "",
    },
    {
        "slug": "universitaet-koblenz",
        "name": "Universität Koblenz",
        "short_name": "Uni",
        "kind": "university",
        "description": "Gründerinitiative und Projektarbeiten.",
    },
    {
        "slug": "whu",
        "name": "WHU – Otto Beisheim School of Management",
        "short_name": "WHU",
        "kind": "university",
        "description": "",
    },
    {
        "slug": "hochschule-koblenz",
        "name": "Hochschule Koblenz",
        "short_name": "HS",
        "kind": "university",
        "description": "Gründerinitiative und Projektarbeiten.",
    },
    {
        "slug": "wirtschaftsjunioren-koblenz",
        "name": "Wirtschaftsjunioren Koblenz",
        "short_name": "Wirtschaftsjunioren",
        "kind": "association",
        "description": "",
    },
    {
        "slug": "start-up-league",
        "name": "Start-Up-League",
        "short_name": "Start-Up-League",
        "kind": "network",
        "description": "Abgestimmtes Beratungsangebot für Gründungswillige, getragen von Kammern, "
        "Hochschulen, Technologiezentrum, Stadt und Landkreis.",
        "participants": [
            "ihk-koblenz",
            "hwk-koblenz",
            "universitaet-koblenz",
            "whu",
            "hochschule-koblenz",
            "wirtschaftsjunioren-koblenz",
            "tzk",
        ],
    },
    {"slug": "wwa", "name": "WWA", "short_name": "WWA", "kind": "network", "description": ""},
    {
        "slug": "initiative-koblenz-mittelrhein",
        "name": "Initiative Region Koblenz-Mittelrhein",
        "short_name": "Initiative Koblenz-Mittelrhein",
        "kind": "network",
        "description": "Regionale Standortinitiative.",
    },
    {
        "slug": "mittelrhein-digital",
        "name": "Mittelrhein-Digital",
        "short_name": "Mittelrhein-Digital",
        "kind": "network",
        "description": "Digitalisierungsnetzwerk am Mittelrhein.",
    },
    {
        "slug": "pd-berater",
        "name": "PD – Berater der öffentlichen Hand GmbH",
        "short_name": "PD",
        "kind": "consultancy",
        "description": "Inhouse-Beratung der öffentlichen Hand: Strategieentwicklung, "
        "Umsetzungsplanung und Fördermittelmanagement.",
    },
]

# Volunteer experts of the board: they exist only in the workplace, never in public.
BOARD_MEMBERS = [
    ("mitglied-a", "Dr.", "Jana", "Ehrenfeld", "jana.ehrenfeld@example.org"),
    ("mitglied-b", "", "Tobias", "Rheinländer", "t.rheinlaender@example.org"),
    ("mitglied-c", "Prof. Dr.", "Miriam", "Kastor", "kastor@example.org"),
]

# A made-up council, marked Person.demo: the public pages say "Demodaten: erfundene Personen".
# The fractions are made up too, so that no real party is given invented members.
DEMO_TERM = ("Wahlperiode 2024–2029", datetime.date(2024, 7, 1), datetime.date(2029, 6, 30))
DEMO_FRACTIONS = [
    # slug, name, short name
    ("demo-fraktion-rheinufer", "Fraktion Rheinufer (Demo)", "Rheinufer"),
    ("demo-fraktion-moselblick", "Fraktion Moselblick (Demo)", "Moselblick"),
    ("demo-fraktion-festungsgruen", "Fraktion Festungsgrün (Demo)", "Festungsgrün"),
]
DEMO_COUNCIL = [
    # given name, family name, fraction slug (None: fraktionslos), fraction role,
    # also in the Digitalisierungsausschuss (role there or None)
    ("Erika", "Mustermann", "demo-fraktion-rheinufer", "chair", "chair"),
    ("Max", "Mustermann", "demo-fraktion-rheinufer", "member", None),
    ("Jürgen", "Müller-Muster", "demo-fraktion-rheinufer", "member", "member"),
    ("Gisela", "Beispiel", "demo-fraktion-rheinufer", "member", None),
    ("Petra", "Platzhalter", "demo-fraktion-rheinufer", "member", None),
    ("Otto", "Normalverbraucher", "demo-fraktion-rheinufer", "member", "member"),
    ("Theo", "Testfall", "demo-fraktion-rheinufer", "member", None),
    ("Frieda", "Fiktiv", "demo-fraktion-moselblick", "chair", "member"),
    ("Bruno", "Blindtext", "demo-fraktion-moselblick", "member", None),
    ("Lore", "Ipsum", "demo-fraktion-moselblick", "member", "member"),
    ("Paul", "Probelauf", "demo-fraktion-moselblick", "member", None),
    ("Susanne", "Schablone", "demo-fraktion-moselblick", "member", None),
    ("Karl", "Kunstfigur", "demo-fraktion-moselblick", "member", "advisory"),
    ("Özlem", "Erfunden", "demo-fraktion-festungsgruen", "chair", "member"),
    ("Hanna", "Vorlage", "demo-fraktion-festungsgruen", "member", None),
    ("Ulrich", "Übungsfall", "demo-fraktion-festungsgruen", "member", "member"),
    ("Martha", "Modell", "demo-fraktion-festungsgruen", "member", None),
    ("Ludwig", "Lückenfüller", "demo-fraktion-festungsgruen", "member", None),
    ("Greta", "Gedacht", "demo-fraktion-festungsgruen", "member", None),
    ("Konrad", "Kulisse", None, None, None),
]

STAFF = [
    # username, given name, family name, role, office number
    ("admin", "Anna", "Admin", Role.ADMIN, None),
    ("it-management", "Ilse", "Triage", Role.TRIAGE, None),
    ("sitzungsdienst", "Sven", "Sitzung", Role.CLERK, None),
    ("amt80", "Olaf", "Amtmann", Role.OFFICE, "80"),
    ("datenschutz", "Dora", "Datenschutz", Role.PRIVACY, None),
]


def load(*, stdout: TextIO) -> int:
    created = 0
    body = Body.objects.filter(name="Stadt Koblenz").first()
    if body is None:
        body = services.create_body(
            name="Stadt Koblenz",
            short_name="Koblenz",
            municipality_key="07111000",
            website="https://www.koblenz.de",
            actor=None,
        )
        created += 1
    units, count = _units(body)
    created += count
    partners, count = _partners()
    created += count
    committees, count = _committees(body, units)
    created += count
    created += _board_members(committees["digitalbeirat"], partners)
    created += _council(body, committees)
    created += _network_details(partners, units)
    created += _accounts(units, stdout=stdout)
    return created


def _units(body: Body) -> tuple[dict[str, OrganizationalUnit], int]:
    units: dict[str, OrganizationalUnit] = {}
    created = 0
    for kind, number, name, public_name, parent_name, email in UNITS:
        unit = OrganizationalUnit.objects.filter(body=body, name=name).first()
        if unit is None:
            unit = services.create_unit(
                unit=OrganizationalUnit(
                    body=body,
                    kind=kind,
                    number=number,
                    name=name,
                    public_name=public_name,
                    parent=units.get(parent_name or ""),
                    email=email,
                ),
                actor=None,
            )
            created += 1
        units[name] = unit
        if number:
            units[number] = unit
    return units, created


def _committees(
    body: Body, units: dict[str, OrganizationalUnit]
) -> tuple[dict[str, Committee], int]:
    specs = [
        (
            "stadtrat",
            "council",
            "Stadtrat",
            "",
            None,
            "Die gewählte Vertretung der Bürgerinnen und Bürger der Stadt Koblenz.",
        ),
        (
            "digitalbeirat",
            "advisory_board",
            "IT-Beirat",
            "Beirat",
            datetime.date(2020, 10, 9),
            "Der Beirat berät die Verwaltung ehrenamtlich bei ihrem Digitalisierungsprozess, "
            "nimmt zu Fachfragen Stellung, gibt Hinweise und stellt seine "
            "Netzwerkverbindungen zur Verfügung. Er steht ausschließlich im Dialog mit der "
            "Stadtverwaltung; politische Impulse sind nicht vorgesehen.",
        ),
        (
            "digitalisierungsausschuss",
            "committee",
            "Digitalisierungsausschuss",
            "",
            None,
            "Ausschuss des Stadtrats für Digitalisierungs- und Innovationspolitik.",
        ),
        (
            "smart-city-steuerungsgruppe",
            "steering_group",
            "Smart-City-Steuerungsgruppe",
            "",
            None,
            "Steuert die Smart-City-Vorhaben der Verwaltung.",
        ),
        ("cdu-ratsfraktion", "fraction", "CDU-Ratsfraktion", "CDU", None, ""),
        ("fdp-fraktion", "fraction", "FDP-Fraktion", "FDP", None, ""),
    ]
    committees: dict[str, Committee] = {}
    created = 0
    for slug, kind, name, short_name, founded_on, description in specs:
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            committee = services.create_committee(
                committee=Committee(
                    body=body,
                    kind=kind,
                    name=name,
                    short_name=short_name,
                    slug=slug,
                    founded_on=founded_on,
                    description=description,
                    lead_unit=units["80"] if kind == "advisory_board" else None,
                ),
                actor=None,
            )
            created += 1
        committees[slug] = committee
    board = committees["digitalbeirat"]
    if board.name == "IT-Beirat":
        # The IT-Beirat of the 2021 papers is the Digitalbeirat of the 2025 papers; the exact
        # date of the new name is not in the seeds, so the demo takes the start of 2025.
        services.rename_committee(
            committee=board,
            new_name="Digitalbeirat",
            valid_from=datetime.date(2025, 1, 1),
            actor=None,
        )
    return committees, created


def _council(body: Body, committees: dict[str, Committee]) -> int:
    """The made-up council of the term 2024–2029: fractions, members and their committees."""
    created = 0
    name, start, end = DEMO_TERM
    if not LegislativeTerm.objects.filter(body=body, name=name).exists():
        services.create_legislative_term(
            term=LegislativeTerm(body=body, name=name, start_date=start, end_date=end), actor=None
        )
        created += 1
    fractions: dict[str, Committee] = {}
    for slug, fraction_name, short_name in DEMO_FRACTIONS:
        fraction = Committee.objects.filter(slug=slug).first()
        if fraction is None:
            fraction = services.create_committee(
                committee=Committee(
                    body=body,
                    kind=Committee.Kind.FRACTION,
                    name=fraction_name,
                    short_name=short_name,
                    slug=slug,
                    founded_on=start,
                    description="Erfundene Fraktion der Demo-Installation.",
                ),
                actor=None,
            )
            created += 1
        fractions[slug] = fraction
    for given_name, family_name, fraction_slug, fraction_role, committee_role in DEMO_COUNCIL:
        if Person.objects.filter(given_name=given_name, family_name=family_name).exists():
            continue
        person = services.create_person(
            person=Person(
                given_name=given_name,
                family_name=family_name,
                public=True,
                demo=True,
                biography="Erfundenes Ratsmitglied der Demo-Installation.",
            ),
            actor=None,
        )
        seats: list[tuple[Committee, str]] = [(committees["stadtrat"], Membership.Role.MEMBER)]
        if fraction_slug and fraction_role:
            seats.append((fractions[fraction_slug], fraction_role))
        if committee_role:
            seats.append((committees["digitalisierungsausschuss"], committee_role))
        for committee, role in seats:
            services.add_membership(
                membership=Membership(
                    committee=committee, person=person, role=role, start_date=start
                ),
                actor=None,
            )
        created += 1
    return created


def _partners() -> tuple[dict[str, PartnerOrganization], int]:
    partners: dict[str, PartnerOrganization] = {}
    created = 0
    for spec in PARTNERS:
        partner = PartnerOrganization.objects.filter(slug=spec["slug"]).first()
        if partner is None:
            participants = [partners[slug] for slug in spec.get("participants", [])]
            fields = {key: value for key, value in spec.items() if key != "participants"}
            partner = services.create_partner(
                partner=PartnerOrganization(**fields), participants=participants, actor=None
            )
            created += 1
        partners[spec["slug"]] = partner
    return partners, created


def _board_members(board: Committee, partners: dict[str, PartnerOrganization]) -> int:
    created = 0
    for username, title, given_name, family_name, email in BOARD_MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=email,
                password=_demo_password(),
                first_name=given_name,
                last_name=family_name,
            )
            user.groups.add(Group.objects.get(name=Role.BOARD_MEMBER))
            created += 1
        person = Person.objects.filter(user=user).first()
        if person is None:
            person = services.create_person(
                person=Person(
                    title=title,
                    given_name=given_name,
                    family_name=family_name,
                    email=email,
                    user=user,
                    biography="Ehrenamtliche Expertin / ehrenamtlicher Experte.",
                ),
                actor=None,
            )
            services.add_membership(
                membership=Membership(
                    committee=board, person=person, start_date=datetime.date(2020, 10, 9)
                ),
                actor=None,
            )
            created += 1
    it_stadt = partners["it-stadt-koblenz"]
    if not board.memberships.filter(organization=it_stadt).exists():
        services.add_membership(
            membership=Membership(
                committee=board,
                organization=it_stadt,
                role=Membership.Role.ADVISORY,
                note="Beratende Mitwirkung (ST/0078/2025)",
            ),
            actor=None,
        )
        created += 1
    return created


def _network_details(
    partners: dict[str, PartnerOrganization], units: dict[str, OrganizationalUnit]
) -> int:
    created = 0
    it_stadt, pd = partners["it-stadt-koblenz"], partners["pd-berater"]
    if not it_stadt.contacts.exists():
        services.add_partner_contact(
            contact=PartnerContact(
                partner=it_stadt, function="Vertretung der Stadt im Verein", unit=units["80"]
            ),
            actor=None,
        )
        created += 1
    cooperations = [
        (
            it_stadt,
            "Strategischer Austausch und beratende Mitwirkung im Digitalbeirat",
            "Intensivierung der Kooperation zur stärkeren Einbindung der lokalen digitalen "
            "Wirtschaft in die Digitaltransformation der Region Koblenz.",
            units["80"],
        ),
        (
            pd,
            "Kooperation im Rahmen der Digitalstrategie",
            "Setzt eine verbindliche interne Verankerung voraus, z. B. eine ressortübergreifende "
            "Taskforce unter Beteiligung des Konzerns Koblenz.",
            units["10"],
        ),
    ]
    for partner, title, description, unit in cooperations:
        if not partner.cooperations.filter(title=title).exists():
            services.add_cooperation(
                cooperation=Cooperation(
                    partner=partner,
                    title=title,
                    description=description,
                    status=Cooperation.Status.IN_REVIEW,
                    responsible_unit=unit,
                    source="ST/0078/2025",
                ),
                actor=None,
            )
            created += 1
    for kind, title in (("startup_weekend", "Start-Up-Weekend"), ("startup_slam", "Start-Up-Slam")):
        if not it_stadt.events.filter(title=title).exists():
            services.add_partner_event(
                event=PartnerEvent(partner=it_stadt, kind=kind, title=title), actor=None
            )
            created += 1
    return created


def _accounts(units: dict[str, OrganizationalUnit], *, stdout: TextIO) -> int:
    created = 0
    for username, given_name, family_name, role, office in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@stadt.koblenz.de",
                password=_demo_password(),
                first_name=given_name,
                last_name=family_name,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.groups.add(Group.objects.get(name=role))
            if office:
                services.assign_office(user=user, unit=units[office], actor=None)
            stdout.write(f"  Demo-Konto {username} ({role.label}) angelegt")
            created += 1
    if created:
        stdout.write(
            f"  Passwort aller Demo-Konten: {_demo_password()} "
            f"(ändern mit {DEMO_PASSWORD_VARIABLE})"
        )
    return created


def _demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_VARIABLE) or DEFAULT_DEMO_PASSWORD
