"""Redaction of personal data before a text goes to the board (pure functions, no database).

What is removed: e-mail addresses, phone numbers, IBANs, dates of birth, licence plates, postal
addresses (street and number, postcode and town) and the names of people, and every word of the
names the caller already knows (the submitter's). IT management sees each removal before the
request goes out; the rules are a safety net, not a guarantee, which is why a person looks.

Names are found where people write them: after "Herr", "Frau", "Dr."; in greetings and under
closing formulas; in signature blocks; after "mein Name ist", "ich heiße", "ich bin"; after
family words ("meine Frau Anna", "mein Nachbar Herr Schulz"); in parentheses; as initials with a
surname ("A.-K. Schmidt"); and as first names from Faker's name lists (MIT), alone or followed by
a surname. A word that is found as a name once is removed wherever else it stands in the text.

What stays: office titles ("Herr Oberbürgermeister"), greetings to an office ("Liebe Stadt",
"Sehr geehrte Damen und Herren"), street names without a house number, towns, organisations and
ordinary capitalised nouns. A list name that is also a German word ("Rosa", "Ernst", "Tage")
is removed only where the context says it is a name.
"""

from __future__ import annotations

import bisect
import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import import_module, resources

from django.utils.translation import gettext, gettext_noop

from beirat.search.analysis import STOPWORDS, _lexicon, compound_parts

EMAIL = "[E-Mail-Adresse entfernt]"
PHONE = "[Telefonnummer entfernt]"
ADDRESS = "[Anschrift entfernt]"
NAME = "[Name entfernt]"
IBAN = "[IBAN entfernt]"
BIRTH_DATE = "[Geburtsdatum entfernt]"
LICENCE_PLATE = "[Kennzeichen entfernt]"
COMPANY = "[Firma entfernt]"

# Kinds as IT management reads them in the preview; the first four are unchanged since the start.
# Kept in German; the preview shows them in the reader's language (Removal.label).
KIND_EMAIL = gettext_noop("E-Mail")
KIND_PHONE = gettext_noop("Telefon")
KIND_ADDRESS = gettext_noop("Anschrift")
KIND_NAME = gettext_noop("Name")
KIND_IBAN = gettext_noop("IBAN")
KIND_BIRTH_DATE = gettext_noop("Geburtsdatum")
KIND_LICENCE_PLATE = gettext_noop("Kennzeichen")
KIND_COMPANY = gettext_noop("Firma")

MARKERS = {
    KIND_EMAIL: EMAIL,
    KIND_PHONE: PHONE,
    KIND_ADDRESS: ADDRESS,
    KIND_NAME: NAME,
    KIND_IBAN: IBAN,
    KIND_BIRTH_DATE: BIRTH_DATE,
    KIND_LICENCE_PLATE: LICENCE_PLATE,
    KIND_COMPANY: COMPANY,
}
# Where two findings overlap, the one of the earlier kind wins: an IBAN contains digit groups
# that look like a phone number, and an e-mail address contains the name it is made of.
PRIORITY = (
    KIND_EMAIL,
    KIND_IBAN,
    KIND_BIRTH_DATE,
    KIND_PHONE,
    KIND_LICENCE_PLATE,
    KIND_ADDRESS,
    KIND_COMPANY,
    KIND_NAME,
)


@dataclass(frozen=True)
class Removal:
    kind: str
    original: str

    @property
    def label(self) -> str:
        """What was removed, in the reader's language ("Telefon", "phone number")."""
        return gettext(self.kind)


@dataclass(frozen=True)
class Redaction:
    text: str
    removals: tuple[Removal, ...]


def redact(text: str, *, known_names: tuple[str, ...] = ()) -> Redaction:
    """The text with personal data replaced by markers, and what was removed, in order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # browsers send CRLF from textareas
    findings = list(_pattern_findings(text))
    tokens = _tokenize(text)
    name_tokens = _name_tokens(tokens, text)
    findings.extend(_company_findings(tokens, text, name_tokens))
    learned = _learned_names(tokens, name_tokens, text)
    name_tokens |= _repeated_mentions(tokens, learned, name_tokens)
    findings.extend(_name_findings(tokens, name_tokens, text))
    findings.extend(_known_name_findings(text, known_names))
    return _render(text, _resolve(findings))


# --- Findings and how they become the redacted text ---------------------------------------------


@dataclass(frozen=True)
class _Finding:
    start: int
    end: int
    kind: str


def _resolve(findings: list[_Finding]) -> list[_Finding]:
    """Non-overlapping findings in text order; adjacent names become one ("Erika Musterfrau")."""
    accepted: list[_Finding] = []
    taken = bytearray(max((f.end for f in findings), default=0))
    by_priority = sorted(findings, key=lambda f: (PRIORITY.index(f.kind), f.start, -f.end))
    for finding in by_priority:
        if taken.find(1, finding.start, finding.end) == -1:
            accepted.append(finding)
            taken[finding.start : finding.end] = b"\x01" * (finding.end - finding.start)
    return accepted


def _render(text: str, findings: list[_Finding]) -> Redaction:
    merged = _merge_adjacent_names(sorted(findings, key=lambda f: f.start), text)
    pieces: list[str] = []
    removals: list[Removal] = []
    position = 0
    for finding in merged:
        pieces.append(text[position : finding.start])
        pieces.append(MARKERS[finding.kind])
        removals.append(Removal(finding.kind, text[finding.start : finding.end].strip()))
        position = finding.end
    pieces.append(text[position:])
    return Redaction(text="".join(pieces), removals=tuple(removals))


def _merge_adjacent_names(findings: list[_Finding], text: str) -> list[_Finding]:
    merged: list[_Finding] = []
    for finding in findings:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.kind == finding.kind == KIND_NAME
            and text[previous.end : finding.start].strip(" \t") == ""
        ):
            merged[-1] = _Finding(previous.start, finding.end, KIND_NAME)
        else:
            merged.append(finding)
    return merged


# --- Patterns: e-mail, IBAN, date of birth, phone, licence plate, address ---------------------

# Lengths are bounded so that a long run of letters without "@" costs linear time, not square.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.UNICODE)
# Two letters, two check digits, then 11 to 30 letters or digits, in groups of four or not.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_MONTHS = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
)
_DATE = rf"\d{{1,2}}\.\s?(?:\d{{1,2}}\.\s?(?:19|20)?\d{{2}}|(?:{_MONTHS})\s+(?:19|20)\d{{2}})"
_BIRTH_DATE = re.compile(
    r"(?:\b[Gg]eb\.(?:\s*am)?|\b[Gg]eboren(?:\s+am)?|\bGeburtsdatum|\bGeb\.-Datum|\bGeburtstag)"
    rf"\s*:?\s*(?P<date>{_DATE}|(?:19|20)\d{{2}}\b)"
    rf"|(?P<date_before>{_DATE})\s+(?:in\s+[A-ZÄÖÜ][\wäöüß-]{{1,60}}\s+)?geboren\b"
)
# +49 261 129-0, 0261/12 90, (0261) 129 0, 0170 1234567: a prefix, then at least 6 more digits.
# No dots, so that dates (09.10.2020) are not mistaken for numbers.
_PHONE = re.compile(r"(?<![\w/.])(?:\+\d{2}|\(?0)[\d ()/\-]{6,}\d(?!\d)")
# "0078/2025" is a paper's number and year, not a phone number.
_PAPER_NUMBER = re.compile(r"0\d{2,4}/(?:19|20)\d{2}")
_PLATE_WITH_HYPHEN = re.compile(
    r"(?<![\w-])(?P<district>[A-ZÄÖÜ]{1,3})-[A-Z]{1,2}[ -]?\d{1,4}[EH]?(?![\w-])"
)
_PLATE_WITH_SPACE = re.compile(
    r"(?<![\w-])(?P<district>[A-ZÄÖÜ]{1,3}) [A-Z]{1,2} \d{1,4}[EH]?(?![\w-])"
)
# Standards and abbreviations that look like a plate's district: "DIN EN 1176", "EU-KI 2024".
_NOT_DISTRICTS = frozenset({"DIN", "EN", "ISO", "IEC", "VDE", "VDI", "EU", "KI", "IT", "UN", "DE"})

_STREET_SUFFIXES = (
    r"stra(?:ß|ss)e|str\.|weg|platz|gasse|allee|ring|ufer|damm|chaussee|pfad|steig|stieg|markt|"
    r"hof|berg|graben|wall|tor|brücke|zeile|anlage|anlagen|promenade|kai|höhe|winkel|siedlung"
)
_STREET_WORDS = (
    r"Straße|Strasse|Str\.|Weg|Platz|Gasse|Allee|Ring|Ufer|Damm|Chaussee|Pfad|Steig|Markt|"
    r"Graben|Wall|Promenade|Anlage|Kai"
)
_STREET_PREPOSITIONS = (
    r"Am|An der|An den|Auf dem|Auf der|Auf den|Im|In der|In den|Zum|Zur|Hinter der|Hinter dem|"
    r"Unter den|Vor dem|Bei der|Alte[rn]?|Neue[rn]?|Obere[rn]?|Untere[rn]?"
)
_HOUSE_NUMBER = r"(?:Nr\.\s*)?\d{1,3}(?:\s?[a-zA-Z](?![\wäöüß]))?(?:\s?[-/]\s?\d{1,3}[a-z]?)?"
# Numbers that measure, count or date are not house numbers: "Rheinstraße 200 Meter weiter".
_NOT_A_HOUSE_NUMBER = (
    r"(?![\d.,:]\d|\s*(?:%|€|km\b|m\b|Meter|Kilometer|Minuten|Jahre|Jahren|Uhr|Euro|Prozent|"
    r"Stunden|Tage|Wochen|Monate|Autos|Fahrzeuge|Personen|Menschen|Plätze|Parkplätze|mal\b|x\b))"
)
_STREET = re.compile(
    rf"\b(?P<street>[A-ZÄÖÜ][\wäöüß.'-]{{0,60}}?(?:{_STREET_SUFFIXES}|-(?:{_STREET_WORDS}))|"
    rf"[A-ZÄÖÜ][\wäöüß-]{{1,60}}\s+(?:{_STREET_WORDS})|(?:{_STREET_PREPOSITIONS})\s+"
    rf"(?:[A-ZÄÖÜ][\wäöüß-]{{1,60}}\s+)?(?P<place>[A-ZÄÖÜ][\wäöüß-]{{1,60}}))"
    rf"\s*{_HOUSE_NUMBER}(?![\wäöüß]){_NOT_A_HOUSE_NUMBER}"
)
# Compound nouns that end like a street but name a kind of place: "Parkplatz 3 ist gesperrt".
_NOT_STREETS = frozenset(
    """
    parkplatz spielplatz sportplatz bolzplatz stellplatz arbeitsplatz abstellplatz bahnhof
    hauptbahnhof busbahnhof friedhof schulhof innenhof hinterhof bauhof wertstoffhof
    betriebshof bahnsteig radweg gehweg fußweg schulweg wanderweg rundweg umweg feldweg
    bundesstraße landesstraße kreisstraße staatsstraße autobahn gleis stadttor eingangstor
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# "Am Montag 3 Stunden", "Im Mai 2 Termine": time, not a street.
_NOT_STREET_PLACES = frozenset(
    """
    montag dienstag mittwoch donnerstag freitag samstag sonntag wochenende januar februar märz
    april mai juni juli august september oktober november dezember anfang ende tag abend
    morgen mittag nachmittag vormittag jahr schluss stück mittel durchschnitt
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_POSTCODE_TOWN = re.compile(
    r"(?<![\d.,/])(?:D-\s?)?\d{5}\s+(?P<town>[A-ZÄÖÜ][\wäöüß-]{1,60})"
    r"(?:\s+(?:am|an der|im|in der|ob der|vor der|bei)\s+[A-ZÄÖÜ][\wäöüß-]{1,60})?"
)


def _pattern_findings(text: str) -> Iterator[_Finding]:
    for match in _EMAIL.finditer(text):
        yield _Finding(match.start(), match.end(), KIND_EMAIL)
    for match in _IBAN.finditer(text):
        if _is_iban(match.group(0)):
            yield _Finding(match.start(), match.end(), KIND_IBAN)
    for match in _BIRTH_DATE.finditer(text):
        group = "date" if match.group("date") else "date_before"
        yield _Finding(match.start(group), match.end(group), KIND_BIRTH_DATE)
    for match in _PHONE.finditer(text):
        number = match.group(0)
        if _PAPER_NUMBER.fullmatch(number.strip()):
            continue
        # "(0171 1234567)": the parenthesis around the number stays with the sentence.
        start = match.start() + (number.startswith("(") and ")" not in number)
        yield _Finding(start, match.end(), KIND_PHONE)
    yield from _plate_findings(text)
    for match in _STREET.finditer(text):
        if _is_street(match):
            yield _Finding(match.start(), match.end(), KIND_ADDRESS)
    for match in _POSTCODE_TOWN.finditer(text):
        if _is_town(match.group("town")):
            yield _Finding(match.start(), match.end(), KIND_ADDRESS)


def _is_iban(candidate: str) -> bool:
    """A German IBAN by its shape (typos in the check digits are still bank data), others by
    their check digits, so that a reference such as "AB12 3456 7890 1234" stays."""
    compact = candidate.replace(" ", "")
    if compact.startswith("DE"):
        return len(compact) == 22 and compact[2:].isdigit()
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def _plate_findings(text: str) -> Iterator[_Finding]:
    for match in _PLATE_WITH_HYPHEN.finditer(text):
        if match.group("district") not in _NOT_DISTRICTS:
            yield _Finding(match.start(), match.end(), KIND_LICENCE_PLATE)
    for match in _PLATE_WITH_SPACE.finditer(text):
        district = match.group("district")
        if district in _plate_districts() and district not in _NOT_DISTRICTS:
            yield _Finding(match.start(), match.end(), KIND_LICENCE_PLATE)


def _is_street(match: re.Match[str]) -> bool:
    street = match.group("street").lower()
    place = match.group("place")
    return street not in _NOT_STREETS and (place is None or place.lower() not in _NOT_STREET_PLACES)


def _is_town(word: str) -> bool:
    """After five digits, a town rather than a counted noun ("12000 Euro", "10000 Einwohner")."""
    head = word.split("-")[0].lower()
    return head in _towns() or head not in _lexicon()


# --- Word lists ----------------------------------------------------------------------------------

# Faker's person lists for the people who write to a German city: the German-speaking countries
# and the larger groups who came from elsewhere. Faker's generic "en" list is left out: its 6,800
# made-up first names include "Sie", "Von" and "Dann".
_GERMAN_LOCALES = ("de_DE", "de_AT", "de_CH", "de_LU", "de_LI")
_OTHER_LOCALES = tuple(
    """
    en_US en_GB en_IE tr_TR az_AZ pl_PL it_IT hr_HR sl_SI cs_CZ sk_SK hu_HU ro_RO fr_FR es_ES
    pt_PT nl_NL da_DK sv_SE no_NO fi_FI en_PK uz_UZ en_IN en_NG yo_NG ig_NG ha_NG tw_GH zu_ZA
    vi_VN fr_DZ
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Lower-case German words this frequent are function words, verbs or adjectives ("Man", "Einer",
# "Anders", "Solange", "Tage"); a first name spelled like one needs context to count.
# Every test of a word depends on the word alone; texts repeat their words.
_WORD_CACHE_SIZE = 50_000
# Longer "words" are pasted links, hashes or noise, never names.
_MAX_WORD_LENGTH = 60
_FREQUENT_WORD_COUNT = 1000
# English words this frequent are words, not names ("green" 107,000, "smith" 1,000).
_ENGLISH_WORD_COUNT = 5000
# Two-letter surnames ("Le", "Do") are words or articles in other languages.
_MIN_STANDALONE_SURNAME = 3
_WORD_LIST_FLOOR = 50
# First names in the lists that are also German nouns, months, places or brands.
_WORDS_THAT_ARE_ALSO_FIRST_NAMES = frozenset(
    """
    april mai juni juli august alexandria amor aral aura bali basel bergen candela döner ebbe
    elba flora forum gala gloria heide iris isis jet job junior kaiser lage laus linde lot lupe
    made manila marine medina mentor mercedes muslim nazi nova olympia pastor rose rosa rute
    saal safari saga salami santa server silvester sole stein sultane summer tilde tor tore
    tutu viola wadi wille wolf mark ernst urban fidel alexa siri ruby java cortana engel christ
    paris florenz jordan israel china india kenia georgia victoria sydney berlin london wien
    lima sonne sunny fee liebe glück hope joy page will art grace dawn chance hunter angel bill
    brett eimer jude roman jena hagen gene ion kader mio uno raid tara tone rune holm don eden
    eder kent mad maxime arie alba asta gema ira raf suse jesus saar sol lan adel anis
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Titles, offices and roles that stand where a name could: "Herr Oberbürgermeister".
_TITLES = frozenset(
    """
    dr prof dipl ing med rer nat phil jur habil mag ba ma msc bsc mba llm sc eng oec pol dent
    vet theol paed mult hc ra
    oberbürgermeister oberbürgermeisterin bürgermeister bürgermeisterin beigeordneter
    beigeordnete beigeordneten dezernent dezernentin kämmerer kämmerin ratsmitglied
    ratsherr ratsfrau landrat landrätin minister ministerin präsident präsidentin vorsitzender
    vorsitzende vorsitzenden abgeordneter abgeordnete abgeordneten direktor direktorin pfarrer
    pfarrerin pastorin professor professorin doktor rechtsanwalt rechtsanwältin anwalt anwältin
    notar notarin kollege kollegin kollegen nachbar nachbarin sachbearbeiter sachbearbeiterin
    referent referentin sprecher sprecherin geschäftsführer geschäftsführerin inhaber
    inhaberin leiter leiterin beauftragter beauftragte hausmeister hausmeisterin
    schornsteinfeger kommissar kommissarin senator senatorin kanzler kanzlerin staatssekretär
    staatssekretärin rektor rektorin dekan dekanin intendant intendantin ober kaplan diakon
    diakonin bischof vikar vikarin oberst major hauptmann general admiral konsul botschafter
    botschafterin stadtrat stadträtin ortsvorsteher ortsvorsteherin ministerpräsident
    ministerpräsidentin ingenieur ingenieurin architekt architektin freiherr freifrau freiin
    baron baronin gräfin fürst fürstin prinz prinzessin
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Endings of offices in compounds: "Baudezernentin", "Fachbereichsleiter", "Ortsbürgermeister".
_TITLE_STEMS = tuple(
    """
    meister rat rät dezernent direktor präsident minister leiter vorsteher vorsitzend
    beigeordnet abgeordnet sprecher referent beauftragt kolleg pfarrer doktor professor anwalt
    anwält notar sekretär kanzler kämmerer kommissar richter sachbearbeiter mitarbeiter
    geschäftsführer vertreter ingenieur architekt kommandant verwalter betreuer inhaber
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_TITLE_ENDINGS = ("innen", "in", "en", "er", "e", "n", "s")
_TITLE_IN_COMPOUND = re.compile(
    rf"(?<=.)(?:{'|'.join(_TITLE_STEMS)})(?:{'|'.join(_TITLE_ENDINGS)})?$"
)
# Titles of nobility inside a name: "Konstantin Freiherr von Hagen".
_NOBILITY = frozenset(
    {"freiherr", "freifrau", "freiin", "baron", "baronin", "gräfin", "fürst", "fürstin", "prinz"}
)
# Family, neighbours and others whose names follow: "meine Frau Anna", "mein Nachbar Herr Schulz".
_RELATIONS = frozenset(
    """
    mann ehemann ehefrau gatte gattin partner partnerin lebensgefährte lebensgefährtin freund
    freundin freunde freundinnen sohn tochter kind kinder söhne töchter enkel enkelin
    enkelkinder enkelsohn enkeltochter bruder brüder schwester schwestern vater mutter eltern
    papa mama oma opa großmutter großvater onkel tante neffe nichte cousin cousine schwager
    schwägerin schwiegermutter schwiegervater schwiegersohn schwiegertochter nachbar nachbarin
    nachbarn nachbarinnen nachbarskind nachbarsjunge nachbarstochter nachbarssohn kollege
    kollegin kollegen kolleginnen chef chefin vermieter vermieterin mieter mieterin bekannte
    bekannter mitbewohner mitbewohnerin kumpel geschwister zwillinge patenkind pate patin
    stiefsohn stieftochter betreuer betreuerin pfleger pflegerin hausarzt hausärztin arzt ärztin
    lehrer lehrerin klassenlehrerin klassenlehrer trainer trainerin erzieher erzieherin
    ansprechpartner ansprechpartnerin sachbearbeiter sachbearbeiterin mitstreiter mitstreiterin
    mitarbeiter mitarbeiterin vorgesetzter vorgesetzte
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_FAMILY = frozenset({"familie", "fam", "ehepaar", "eheleute", "geschwister"})
# Words after which a street, building or organisation follows, not a person: "Karl Marx
# Straße", "Albert Schweitzer Schule", "Maria Laach".
_INSTITUTIONS = tuple(
    """
    straße strasse str weg platz gasse allee ring ufer damm brücke schule grundschule realschule
    gymnasium gesamtschule universität hochschule institut kita kindergarten halle haus park
    kirche klinik krankenhaus hospital zentrum center stiftung preis verein stadion bad museum
    bibliothek theater saal heim siedlung kaserne apotheke markt laach himmelfahrt
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Words before which a following first name belongs to a place or institution: "St. Martin".
_PLACE_PREFIXES = frozenset(
    """
    st sankt hl heilige heiligen kita hotel café cafe restaurant apotheke haus gasthaus
    gaststätte seniorenheim pfarrei pfarrgemeinde kirche kapelle stift schule grundschule
    gymnasium bad maria hurrikan sturm tief hoch orkan kaiser kaiserin könig königin papst zar
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Capitalised words at the start of a sentence or a letter that are never names.
_NOT_NAMES = frozenset(
    """
    bitte danke hallo hi hey ja nein leider gerne gern heute gestern morgen hier dort vielen
    viele liebe lieber liebes sehr geehrte geehrter geehrtes grüße gruß gruss grüsse mfg lg vg
    betreff anbei ps herr herrn frau damen herren familie team stadt und oder sowie mit von
    vom im am zum zur beim ihr ihre ihren ihrem dein deine euer eure unser unsere mein meine
    wir ich sie er es man moin servus tschüss ciao gott tag abend guten schönen schöne beste
    besten freundliche freundlichen herzliche herzlichen hochachtungsvoll anlage anlagen
    tel telefon mobil fax mail email e-mail adresse anschrift iban bic name vorname nachname
    absender straße strasse hausnummer plz ort datum
    cheers tschüs herzlichst grüßle grüssle salut salve tach
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Typical endings of nouns made from verbs and adjectives; names rarely end like this.
_NOUN_ENDINGS = tuple(
    """
    ung ungen heit heiten keit keiten schaft schaften tion tionen ität itäten ismus nisse tum
    tümer ment ments
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Endings of towns and districts: a word like this alone is a place before it is a person.
_PLACE_ENDINGS = tuple(
    """
    tal dorf heim hausen burg bach feld stadt weiler kirchen ingen au hof see furt brück stein
    berg rode roda born
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "zu", "zur", "vom", "di", "da", "del", "la", "le"}
    | {"ten", "ter", "al", "el", "bin", "ibn", "dos", "du"}
)
_ARTICLES = frozenset(
    """
    der die das den dem des ein eine einer einem einen jede jeder jedem jeden keine keiner
    keinem diese dieser diesem diesen jene welche alte ältere älteren alten junge jungen
    jüngere jüngeren nette netten andere anderen fremde fremden
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_POSSESSIVES = frozenset(
    """
    mein meine meiner meinem meinen dein deine deiner deinem deinen sein seine seiner seinem
    seinen ihr ihre ihrer ihrem ihren unser unsere unserer unserem unseren euer eure eurer
    eurem euren
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_PLACE_PREPOSITIONS = frozenset(
    {"in", "nach", "aus", "bei", "von", "vom", "zwischen", "über", "bis", "richtung", "um", "ab"}
)
_CONTRACTIONS = frozenset({"am", "im", "zum", "zur", "vom", "beim", "ins", "ans", "aufs"})


def _provider_words(module: str, wanted: Callable[[str], bool]) -> set[str]:
    """The string collections of a Faker provider class whose attribute names are wanted."""
    provider = import_module(module).Provider
    words: set[str] = set()
    for attribute in dir(provider):
        if not wanted(attribute):
            continue
        value = getattr(provider, attribute)
        if isinstance(value, (tuple, list, dict)):
            words.update(item for item in value if isinstance(item, str))
    return words


def _person_words(locale: str, kind: str) -> set[str]:
    return _provider_words(
        f"faker.providers.person.{locale}",
        lambda attribute: (
            attribute.startswith(f"{kind}_names") or attribute.endswith("last_names")
            if kind == "last"
            else attribute.startswith("first_names")
        ),
    )


@cache
def _word_counts() -> tuple[frozenset[str], frozenset[str]]:
    """German words in use (counted above the word list's floor) and the most frequent ones.

    pyspellchecker's German list gives every word of its word list a floor count of 50 and
    counts above that only for words that occur in its text sample; surnames and rare words
    sit at the floor, words people use ("Bescheid", "Blumen", "Geld") above it.
    """
    source = resources.files("spellchecker") / "resources" / "de.json.gz"
    with source.open("rb") as packed, gzip.open(packed) as unpacked:
        counts: dict[str, int] = json.load(unpacked)
    used = frozenset(word for word, count in counts.items() if count > _WORD_LIST_FLOOR)
    frequent = frozenset(word for word in used if counts[word] >= _FREQUENT_WORD_COUNT)
    return used, frequent


def _used_words() -> frozenset[str]:
    return _word_counts()[0]


def _frequent_words() -> frozenset[str]:
    return _word_counts()[1]


@cache
def _raw_first_names() -> frozenset[str]:
    names: set[str] = set()
    for locale in _GERMAN_LOCALES + _OTHER_LOCALES:
        names |= {name.lower() for name in _person_words(locale, "first")}
    return frozenset(name for name in names if len(name) >= 3 and name.isalpha())


@cache
def _german_first_names() -> frozenset[str]:
    names: set[str] = set()
    for locale in _GERMAN_LOCALES:
        names |= {name.lower() for name in _person_words(locale, "first")}
    return frozenset(names)


@cache
def _first_names() -> frozenset[str]:
    """First names that are nothing else in a German text. A name known only from other
    countries that German speakers use as a word ("Kick", "Helle") does not count."""
    return frozenset(
        name
        for name in _raw_first_names()
        if name not in STOPWORDS
        and name not in _NOT_NAMES
        and name not in _frequent_words()
        and name not in _WORDS_THAT_ARE_ALSO_FIRST_NAMES
        and name not in _TITLES
        and (name in _german_first_names() or name not in _used_words())
    )


@cache
def _surnames() -> frozenset[str]:
    """German-speaking surnames as they are ("Koch", "Bauer" are surnames there); other
    countries' surnames only where they are not also German words."""
    names: set[str] = set()
    for locale in _GERMAN_LOCALES:
        names |= {name.lower() for name in _person_words(locale, "last")}
    for locale in _OTHER_LOCALES:
        names |= {
            name.lower()
            for name in _person_words(locale, "last")
            if name.lower() not in _lexicon() and name.lower() not in _frequent_words()
        }
    return frozenset(
        name
        for name in names
        if len(name) >= 2
        and name.replace("-", "").replace("'", "").isalpha()
        and name not in STOPWORDS
        and name not in _NOT_NAMES
        and name not in _TITLES
    )


@cache
def _english_words() -> frozenset[str]:
    """English words in everyday use, by pyspellchecker's English counts: "green", "day",
    "page" are; "smith", "petersen" are not."""
    source = resources.files("spellchecker") / "resources" / "en.json.gz"
    with source.open("rb") as packed, gzip.open(packed) as unpacked:
        counts: dict[str, int] = json.load(unpacked)
    return frozenset(word for word, count in counts.items() if count >= _ENGLISH_WORD_COUNT)


@cache
def _surnames_without_a_second_meaning() -> frozenset[str]:
    """Surnames that are neither a German word nor an English one German texts borrow
    ("Green", "Day", "Long"): such a name needs no context."""
    standalone = _surnames() - _english_words() - _lexicon() - _first_names()
    return frozenset(name for name in standalone if len(name) >= _MIN_STANDALONE_SURNAME)


@cache
def _towns() -> frozenset[str]:
    towns: set[str] = set()
    for locale in ("de_DE", "de_AT", "de_CH"):
        cities = _provider_words(f"faker.providers.address.{locale}", lambda a: a == "cities")
        for city in cities:
            towns.update(part.lower() for part in city.split() if part[:1].isupper())
    return frozenset(towns - {"bad", "sankt", "st."})


@cache
def _plate_districts() -> frozenset[str]:
    return frozenset(
        _provider_words("faker.providers.automotive.de_DE", lambda a: a == "license_plate_prefix")
    )


# --- How a word looks --------------------------------------------------------------------------


def _parts(word: str) -> list[str]:
    return [part for part in re.split(r"['’-]", word) if part]


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_first_name(word: str) -> bool:
    parts = _parts(word)
    return bool(parts) and all(part.lower() in _first_names() for part in parts)


def _is_ambiguous_first_name(word: str) -> bool:
    return word.lower() in _raw_first_names() and not _is_first_name(word)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_surname(word: str) -> bool:
    if word.lower() in _surnames():
        return True
    parts = _parts(word)
    # Double names: "Müller-Lüdenscheidt", "Yılmaz-Becker"; every part a name, one part known.
    return (
        len(parts) > 1
        and all(
            part.lower() in _surnames() or part.lower() in _first_names() or _is_unknown(part)
            for part in parts
        )
        and any(part.lower() in _surnames() for part in parts)
    )


def _is_known_name(word: str) -> bool:
    return _is_first_name(word) or _is_surname(word)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_title(word: str) -> bool:
    lowered = word.lower().rstrip(".")
    if lowered in _TITLES or lowered in _RELATIONS:
        return True
    if _is_known_name(word):
        return False  # "Richter", "Meister", "Kaiser" after "Herr" are surnames
    return _TITLE_IN_COMPOUND.search(lowered) is not None


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_institution(word: str) -> bool:
    """A street, building or organisation word; in "Hohlweg-Brenner" only the last part counts,
    as in German compounds the last part says what the whole is ("Friedrich-Ebert-Ring")."""
    lowered = word.lower().rstrip(".")
    parts = _parts(lowered)
    if lowered in _INSTITUTIONS or (len(parts) > 1 and parts[-1] in _INSTITUTIONS):
        return True
    if _is_known_name(word):
        return False  # "Neuhaus", "Kirchhof"
    last = parts[-1] if parts else lowered
    return _ends_with_word(last, _INSTITUTIONS)


def _ends_with_word(word: str, endings: Iterable[str]) -> bool:
    return any(word.endswith(ending) and len(word) > len(ending) + 2 for ending in endings)


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_place(word: str) -> bool:
    lowered = word.lower()
    if lowered in _towns():
        return True
    # "Koblenzer", "Mainzerin": people of a town are not a person's name.
    return any(
        lowered.endswith(ending) and lowered[: -len(ending)] in _towns()
        for ending in ("er", "erin", "ern", "erinnen")
    )


def _is_dictionary_word(word: str) -> bool:
    return word.lower() in _lexicon() or word.lower() in STOPWORDS


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_used_word(word: str) -> bool:
    """A word people write, not only a word list entry: "Bescheid" is, "Krüger" is not; a
    compound such as "Kita-Eltern" is when one of its parts is and is no name."""
    parts = _parts(word)
    if len(parts) > 1:
        return any(_is_used_word(part) and not _is_known_name(part) for part in parts)
    lowered = word.lower()
    return (
        lowered in _used_words() or lowered in STOPWORDS or _ends_with_word(lowered, _NOUN_ENDINGS)
    )


@lru_cache(maxsize=_WORD_CACHE_SIZE)
def _is_common_word(word: str) -> bool:
    """A German word by the dictionary, as a compound of dictionary words or by its ending."""
    lowered = word.lower()
    if _is_dictionary_word(word) or _ends_with_word(lowered, _NOUN_ENDINGS):
        return True
    return all(compound_parts(part.lower()) or part.lower() in _lexicon() for part in _parts(word))


def _is_unknown(word: str) -> bool:
    return not _is_common_word(word) and not _is_place(word) and not _is_institution(word)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper() and len(word) <= 4)


def _is_lowercase_name(word: str) -> bool:
    """A list name written small ("lg anna", "herr schmitz"); a surname only if it is no word
    people use ("koch", "bauer" written small are the words)."""
    if not word[:1].islower() or word.lower() in _NOT_NAMES:
        return False
    return _is_first_name(word) or (_is_surname(word) and not _is_used_word(word))


def _could_be_name(word: str, *, lowercase_known: bool = False, places: bool = False) -> bool:
    """Where the context says a name follows: anything but function words, titles,
    institutions and (unless the context allows them) places."""
    if not word[:1].isalpha():
        return False
    if not _is_capitalised(word):
        return lowercase_known and _is_lowercase_name(word)
    lowered = word.lower()
    if lowered in STOPWORDS or lowered in _NOT_NAMES or _is_title(word):
        return False
    if _is_known_name(word):
        return True
    return not _is_institution(word) and (places or not _is_place(word)) and len(word) >= 2


def _is_strong_name(word: str) -> bool:
    """After "Herr", "mein Name ist" or a closing formula: a surname may be a town ("Herr
    Hagen") or a word ("Frau Klein"); small letters only for list names."""
    return _could_be_name(word, lowercase_known=True, places=True)


def _is_strong_surname(word: str) -> bool:
    """After a first name in a strong context: "Wolfgang Ehrlich", "karl-heinz petry"."""
    if word[:1].islower():
        return (
            (word.isalpha() or "-" in word)
            and not _is_used_word(word)
            and word.lower() not in _NOT_NAMES
            and len(word) >= 3
        )
    return _is_strong_name(word)


def _is_surname_after_first_name(word: str) -> bool:
    """After "Anna": a surname unless it is a word people use ("Anna Bescheid geben")."""
    if not _could_be_name(word):
        return False
    return _is_known_name(word) or not _is_used_word(word)


def _is_free_name(word: str, *, lowercase_known: bool = False) -> bool:
    """Without a title or first name in front: a list name, or a word that is no German word
    and no place ("Liebe Stadt" stays, "Hallo Kjell" goes)."""
    if not _could_be_name(word, lowercase_known=lowercase_known):
        return False
    if _is_known_name(word):
        return True
    return _is_unknown(word) and not _ends_with_word(word.lower(), _PLACE_ENDINGS)


# --- Tokens ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+|\n|[^\w\s]")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha() and len(self.text) <= _MAX_WORD_LENGTH

    @property
    def lower(self) -> str:
        return self.text.lower()


def _tokenize(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class _Reader:
    """Tokens with the questions every rule asks: what is here, what is next on this line."""

    def __init__(self, tokens: list[_Token], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.starts = [token.start for token in tokens]

    def word(self, index: int) -> str:
        if 0 <= index < len(self.tokens) and self.tokens[index].is_word:
            return self.tokens[index].text
        return ""

    def text_at(self, index: int) -> str:
        return self.tokens[index].text if 0 <= index < len(self.tokens) else ""

    def is_initial(self, index: int) -> bool:
        """An initial ("M.", "A.-K.") as the start of a name: a capital letter and a full
        stop; not the "A." of "i. A." or "u. A."."""
        word = self.word(index)
        if len(word) != 1 or not word.isupper() or self.text_at(index + 1) != ".":
            return False
        before = self.word(index - 2)
        return not (self.text_at(index - 1) == "." and len(before) == 1 and before.islower())

    def initial_end(self, index: int) -> int:
        """The index after an initial group ("A.-K."), or index when there is none."""
        position = index
        while self.is_initial(position):
            position += 2
            if self.text_at(position) == "-" and self.is_initial(position + 1):
                position += 1
        return position

    def previous_word(self, index: int) -> str:
        position = index - 1
        while position >= 0 and not self.tokens[position].is_word:
            if self.tokens[position].text == "\n":
                return ""
            position -= 1
        return self.word(position)

    def skip_titles(self, index: int) -> int:
        """Past "Dr.", "Prof. Dr.", "Dipl.-Ing.", "Oberbürgermeister a. D." to where a name
        would be."""
        position = index
        while position < len(self.tokens):
            word = self.word(position)
            if word and _is_title(word):
                position += 1
                while self.text_at(position) in {".", "-"} or (
                    self.word(position).lower() in _TITLES
                ):
                    position += 1
            elif self._is_retired(position):
                position += 4
            else:
                break
        return position

    def _is_retired(self, index: int) -> bool:
        """An office held in the past: "a. D." (außer Dienst)."""
        return (
            self.word(index) == "a"
            and self.text_at(index + 1) == "."
            and self.word(index + 2) == "D"
            and self.text_at(index + 3) == "."
        )

    def take_names(
        self,
        index: int,
        first_accepts: Callable[[str], bool],
        *,
        strong: bool = False,
        surnames_follow: bool = False,
        most: int = 4,
    ) -> list[int]:
        """The tokens of one name starting at index: the first word by the context's test;
        after a first name or an initial, surnames; after a surname, only list names. Where the
        context says a whole name stands here (surnames_follow: a signature line, "mein Name
        ist"), every word after the first is a surname ("Dmitrij Kusnezow")."""
        taken: list[int] = []
        position = index
        words = 0
        anchored = surnames_follow
        surname_test = _is_strong_surname if strong else _is_surname_after_first_name
        while position < len(self.tokens) and words < most:
            if self.is_initial(position) and (words == 0 or anchored):
                end = self.initial_end(position)
                taken.extend(range(position, end))
                position, anchored, words = end, True, words + 1
                continue
            word = self.word(position)
            if not word:
                break
            particles = self._particles_before_name(position) if taken or strong else 0
            if particles:
                taken.extend(range(position, position + particles))
                position += particles
                continue
            if taken and word.lower() in _NOBILITY:
                position += 1  # "Konstantin Freiherr von Hagen": the title stays
                continue
            accepts = first_accepts if words == 0 else (surname_test if anchored else _is_listed)
            if not accepts(word):
                break
            taken.append(position)
            anchored = anchored or _is_first_name(word) or _is_ambiguous_first_name(word)
            position += 1
            words += 1
        while taken and self.word(taken[-1]).lower() in _PARTICLES:
            taken.pop()
        return taken

    def _particles_before_name(self, index: int) -> int:
        """How many particles ("von der", "van", "de la") stand here before a capitalised word."""
        count = 0
        while self.word(index + count).lower() in _PARTICLES and count < 3:
            count += 1
        return count if count and _is_name_after_particle(self.word(index + count)) else 0

    def take_name_list(
        self,
        index: int,
        first_accepts: Callable[[str], bool],
        *,
        strong: bool = False,
        surnames_follow: bool = False,
    ) -> list[int]:
        """Names joined by commas, "und" or "&" ("Lea, Tim und Ben Becker"), as
        long as each further one starts with a first name or an initial."""
        taken = self.take_names(
            index, first_accepts, strong=strong, surnames_follow=surnames_follow
        )
        further = _starts_another_signed_name if surnames_follow else _starts_another_name
        while taken:
            joint = taken[-1] + 1
            if self.text_at(joint) not in {",", "&", "und", "+"}:
                break
            more = self.take_names(
                joint + 1, further, strong=strong, surnames_follow=surnames_follow
            )
            if not more:
                break
            taken.extend(more)
        return taken


def _is_listed(word: str) -> bool:
    """After a surname, only another list name continues it: "Herr Schulz Bescheid" ends."""
    return _is_known_name(word) and (_is_capitalised(word) or _is_lowercase_name(word))


def _starts_another_name(word: str) -> bool:
    return _is_first_name(word) and (word[:1].isupper() or _is_lowercase_name(word))


def _starts_another_signed_name(word: str) -> bool:
    """After "Olga &" in a signature, an unlisted "Dmitrij"; not "Schüler", a surname that is
    also a word."""
    return _starts_another_name(word) or (
        _is_signature_name(word) and word.lower() not in _lexicon()
    )


def _is_name_after_particle(word: str) -> bool:
    """The name after a particle: "von Stetten", "von der Leyen"; not "vom Bauhof"."""
    if not _is_capitalised(word) or _is_title(word):
        return False
    if _is_surname(word):
        return True
    return not (_is_used_word(word) or _is_common_word(word) or _is_place(word))


# --- Where names are: the rules ------------------------------------------------------------------

# "Her" is how "Herr" comes out of a hasty keyboard; it is no German word of its own.
_HONORIFICS = frozenset({"herr", "herrn", "her", "frau", "hr", "fr", "fräulein"})
_ACADEMIC = frozenset({"dr", "prof"})
_GREETING_WORDS = frozenset(
    {"hallo", "hi", "hey", "moin", "servus", "liebe", "lieber", "liebes", "salve", "grüezi", "tach"}
)
_GREETING_PHRASES = (
    ("sehr", "geehrte"),
    ("sehr", "geehrter"),
    ("sehr", "geehrtes"),
    ("guten", "tag"),
    ("guten", "morgen"),
    ("guten", "abend"),
    ("grüß", "gott"),
    ("grüss", "gott"),
    ("moin", "moin"),
    ("werte",),
    ("werter",),
    ("geehrte",),
    ("geehrter",),
)
_INTRODUCTIONS = (
    ("mein", "name", "ist"),
    ("mein", "name", "lautet"),
    ("mein", "name"),
    ("ich", "heiße"),
    ("ich", "heisse"),
    ("hier", "schreibt"),
    ("hier", "spricht"),
    ("hier", "ist"),
    ("es", "schreibt", "ihnen"),
    ("unterzeichnet", "von"),
    ("eingereicht", "von"),
    ("gez",),
)
_LABELS = frozenset(
    """
    name vorname nachname familienname absender absenderin von kontakt kontaktperson
    ansprechpartner ansprechpartnerin unterzeichner unterzeichnerin antragsteller
    antragstellerin einreicher einreicherin verfasser verfasserin unterschrift unterschriften
    moderation sprecher sprecherin leitung vertreten
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# A closing formula at the start of a line or after a sentence, and the rest of its line.
_CLOSING = re.compile(
    r"(?i)(?:^|(?<=[.!?)])\s*)(?P<closing>(?:(?:danke|vielen\s+dank)\s*(?:und|&|,)\s*)?"
    r"(?:(?:mit|und|&)\s+)?(?:(?:den|freundliche[nmr]?|beste[nm]?|herzliche[nm]?|viele[n]?|"
    r"liebe[n]?|schöne[nr]?|sonnige[n]?|nette[n]?|kollegiale[n]?|freundlich|herzlich|ganz|lieb|"
    r"dankbare[n]?|solidarische[n]?|nachbarschaftliche[n]?)\s+)*(?:grü(?:ß|ss)en?|gru(?:ß|ss)|"
    r"grüßle|grüssle)|m\.?f\.?g\.?|l\.?g\.?|v\.?g\.?|bg|hg|hochachtungsvoll|herzlichst|herzlich|"
    r"tschüss|tschüs|ciao|servus|cheers|alles\s+gute|bis\s+bald|bis\s+dann|danke(?:\s+schön)?|"
    r"vielen\s+dank|gez\.|i\.\s?a\.|i\.\s?v\.|ihre?|dein[e]?|euer|eure)(?![\wäöüß])"
    r"[ \t]*(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
# Between a closing formula and the name: "Viele Grüße aus Koblenz, Anna", "Gruß von Tim".
_CLOSING_PLACE = re.compile(r"^(?:aus|vom|an)\b[^,/\n]*?(?:,|$)", re.IGNORECASE)
_CLOSING_PUNCTUATION = " ,/–—:;-"
_LEGAL_FORMS = re.compile(
    r"(?<![\wäöüß])(?:GmbH|gGmbH|mbH|UG|AG|KG|OHG|GbR|e\.\s?K\.|Ltd\.?|Inc\.?)(?![\wäöüß])"
)
_SENTENCE_END = (".", "?", "!", ":")
_COMPANY_LINES_BELOW_NAME = 2
_SIGNATURE_OPENERS = frozenset({"ihre", "ihr", "dein", "deine", "euer", "eure", "gez"})
_LINE_ENDS_AFTER_NAME = frozenset({",", "(", "-", "–", "/", "<", ""})


def _name_tokens(tokens: list[_Token], text: str) -> set[int]:
    reader = _Reader(tokens, text)
    found: set[int] = set()
    for rule in (
        _after_honorifics,
        _after_greetings,
        _after_introductions,
        _after_relations,
        _in_we_and_i_clauses,
        _in_parentheses,
        _initials_with_surname,
        _maiden_names,
        _first_names_with_surnames,
        _surnames_before_first_names,
        _surnames_alone,
        _signatures,
    ):
        found |= rule(reader)
    return found


def _is_unlisted_surname(word: str) -> bool:
    """A capitalised word that is no German word and no place: after "Frau Dr. Rosalind" it is
    the surname, after "Herr Schulz" ("Bescheid") a word is not."""
    return (
        _is_capitalised(word)
        and word.lower() not in _lexicon()
        and _could_be_name(word, lowercase_known=False, places=False)
    )


def _after_honorifics(reader: _Reader) -> set[int]:
    """Names after an honorific: "Herr Schulz", "Frau Dr. Anna Weber", "Dr. Müller"."""
    found: set[int] = set()
    for index in range(len(reader.tokens)):
        start = _honorific_end(reader, index)
        if start is None or reader.text_at(start) == "und":
            continue  # "Herr und Frau Schulz": the name comes after "Frau"
        if reader.previous_word(index).lower() in _ARTICLES | _POSSESSIVES:
            # "einer Frau Hilfe geben", "meine Frau Anna": a woman or a wife, not a title.
            found.update(reader.take_names(start, _is_free_name))
        else:
            # After a title and a first name, the next word is the surname even when it is in
            # no list ("Frau Dr. Rosalind Kettelhack"); after a surname ("Herr Schulz
            # Bescheid geben") only list names follow.
            names = reader.take_names(start, _is_strong_name, strong=True)
            if len(names) == 1 and _is_unlisted_surname(reader.word(names[0] + 1)):
                names.append(names[0] + 1)
            found.update(names)
    return found


def _honorific_end(reader: _Reader, index: int) -> int | None:
    """Where the name would start after an honorific or academic title at index, or None."""
    token = reader.tokens[index]
    lowered = token.lower
    dotted = reader.text_at(index + 1) == "."
    if lowered in _ACADEMIC and token.text[0].isupper() and dotted:
        return reader.skip_titles(index)
    if lowered not in _HONORIFICS:
        return None
    if lowered in {"hr", "fr"} and not dotted:
        return None
    if lowered == "her" and not (
        token.text[0].isupper() and _is_capitalised(reader.word(index + 1))
    ):
        return None
    following = reader.word(index + 1 + dotted)
    if token.text[0].islower() and not (
        _is_lowercase_name(following) or _is_capitalised(following)
    ):
        return None  # "der herr" in a text written small, without a name after it
    return reader.skip_titles(index + 1 + dotted)


def _after_greetings(reader: _Reader) -> set[int]:
    """Names in greetings: "Hallo Anna,", "Moin Jens!"; not "Liebe Stadt,"."""
    found: set[int] = set()
    free = lambda word: _is_free_name(word, lowercase_known=True)  # noqa: E731
    for index in range(len(reader.tokens)):
        end = _greeting_end(reader, index)
        if end is None:
            continue
        if reader.word(end).lower() in {"liebe", "lieber", "liebes"}:
            end += 1
        if reader.word(end).lower() in {"grüße", "grüsse", "gruß"}:
            continue  # "Liebe Grüße" is a closing
        names = reader.take_name_list(end, free)
        if names and _ends_greeting(reader, names[-1] + 1):
            found.update(names)
    return found


def _greeting_end(reader: _Reader, index: int) -> int | None:
    """The index after a greeting formula that starts at index, or None."""
    if index > 0 and reader.text_at(index - 1) not in {"\n", ".", "!", ",", "?"}:
        return None
    words = [reader.word(index + offset).lower() for offset in range(3)]
    for phrase in _GREETING_PHRASES:
        if tuple(words[: len(phrase)]) == phrase:
            return index + len(phrase)
    return index + 1 if words[0] in _GREETING_WORDS else None


def _ends_greeting(reader: _Reader, index: int) -> bool:
    return index >= len(reader.tokens) or reader.text_at(index) in {",", "!", "\n", ":", ";", "."}


def _after_introductions(reader: _Reader) -> set[int]:
    """Names people give themselves: "mein Name ist …", "ich heiße …", "Name: …", "ich bin …"."""
    found: set[int] = set()
    for index in range(len(reader.tokens)):
        end = _phrase_end(reader, index, _INTRODUCTIONS)
        if end is not None:
            end += reader.text_at(end) in {":", "."}
            found.update(_introduced_name(reader, end))
        elif _is_label(reader, index):
            found.update(_introduced_name(reader, index + 2))
        elif reader.word(index).lower() == "ich" and reader.word(index + 1).lower() == "bin":
            found.update(_after_i_am(reader, index + 2))
    return found


def _introduced_name(reader: _Reader, start: int) -> list[int]:
    """Who names themselves gives the whole name: "Mein Name ist Ecem Tiedemann"."""
    return reader.take_name_list(start, _is_strong_name, strong=True, surnames_follow=True)


def _is_label(reader: _Reader, index: int) -> bool:
    """A label ("Name:", "Absender:") at the start of a line or inside parentheses."""
    return (
        reader.word(index).lower() in _LABELS
        and reader.text_at(index + 1) == ":"
        and (index == 0 or reader.text_at(index - 1) in {"\n", "(", ",", ";"})
    )


def _after_i_am(reader: _Reader, start: int) -> list[int]:
    """After "ich bin": "Lea", "der Kevin", "'s, Celina"; not "Rentnerin"."""
    if reader.text_at(start) in {"'", "’"} and reader.word(start + 1) == "s":
        start += 2 + (reader.text_at(start + 2) == ",")
    start += reader.word(start).lower() in {"der", "die"}
    names = reader.take_names(start, lambda word: _is_free_name(word, lowercase_known=True))
    following = reader.word(names[-1] + 1) if names else ""
    if following[:1].isupper() and _is_common_word(following):
        return []  # "Ich bin Koblenzer Bürger": the candidate was an adjective
    return names


def _phrase_end(reader: _Reader, index: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
    first = reader.word(index).lower()
    for phrase in phrases:
        if phrase[0] != first:
            continue
        if all(reader.word(index + offset).lower() == part for offset, part in enumerate(phrase)):
            return index + len(phrase)
    return None


def _after_relations(reader: _Reader) -> set[int]:
    """Names after family words: "meine Frau Anna", "unser Sohn Lukas (7)", "Familie Becker"."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        lowered = token.lower
        start = index + 1 + (reader.text_at(index + 1) == ",")
        if lowered in _FAMILY and token.text[0].isupper():
            start += reader.text_at(start) == "."
            found.update(reader.take_name_list(start, _is_family_name, strong=True))
        elif _is_relation(reader, index):
            if reader.word(start).lower() in _HONORIFICS:
                continue  # "mein Nachbar Herr Schulz": the honorific rule takes it
            test = _is_free_name if token.text[0].isupper() else _is_lowercase_first_name
            found.update(reader.take_name_list(start, test))
    return found


def _is_relation(reader: _Reader, index: int) -> bool:
    lowered = reader.tokens[index].lower
    if lowered == "frau" or lowered == "mann":
        return reader.previous_word(index).lower() in _POSSESSIVES
    return lowered in _RELATIONS


def _is_lowercase_first_name(word: str) -> bool:
    """A text in small letters: "mein nachbar jörg"."""
    return _is_lowercase_name(word) and _is_first_name(word)


def _is_family_name(word: str) -> bool:
    """A family's name: "Familie Becker", "die Schmidts" (a family by its plural)."""
    if _is_plural_family_name(word):
        return True
    return _is_strong_name(word) and (_is_known_name(word) or not _is_used_word(word))


def _is_plural_family_name(word: str) -> bool:
    return word.endswith("s") and _is_capitalised(word) and _is_surname(word[:-1])


def _in_we_and_i_clauses(reader: _Reader) -> set[int]:
    """Names set off after "Wir," or "Ich,": "Wir, Anna und Peter Schmidt, …"."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        if token.lower not in {"wir", "ich"} or reader.text_at(index + 1) != ",":
            continue
        # Set off by commas, the clause is nothing but names: "Wir, Torben und Marike Ahlswede,".
        names = reader.take_name_list(index + 2, _is_free_name, surnames_follow=True)
        if names and reader.text_at(names[-1] + 1) in {",", "(", "\n"}:
            found.update(names)
    return found


def _in_parentheses(reader: _Reader) -> set[int]:
    """Names in parentheses: "(Anna Schmidt)", "(M. Müller, Tiefbauamt)", "(Lena, 14)"."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        if token.text != "(":
            continue
        start = index + 1
        if _is_label(reader, start):
            continue  # "(Moderation: Jana Kessler)": the label rule takes it
        names = reader.take_name_list(start, _is_free_name)
        if names and reader.text_at(names[-1] + 1) in {")", ",", ";"}:
            found.update(names)
    return found


_NOT_BEFORE_INITIALS = frozenset(
    """
    anlage teil punkt abschnitt plan vitamin typ gruppe kategorie block haus gebäude
    buchstabe variante option stufe bauabschnitt los
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def _initials_with_surname(reader: _Reader) -> set[int]:
    """Initials with a surname: "M. Müller", "A.-K. Schmidt"; not "z. B." or "Anlage A. Die"."""
    found: set[int] = set()
    index = 0
    while index < len(reader.tokens):
        end = reader.initial_end(index)
        if end == index:
            index += 1
            continue
        surname = reader.word(end)
        if (
            surname
            and reader.previous_word(index).lower() not in _NOT_BEFORE_INITIALS
            and (_is_surname_after_first_name(surname) or _line_ends_after(reader, end))
            and _could_be_name(surname, places=True)
        ):
            found.update(range(index, end + 1))
        index = end
    return found


def _line_ends_after(reader: _Reader, index: int) -> bool:
    """An initial and a word alone on their line ("R. Weißenfels") are a signature."""
    return reader.text_at(index + 1) in {"\n", ""}


def _maiden_names(reader: _Reader) -> set[int]:
    """The name before marriage: "Anna Schmidt, geb. Müller"."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        dotted = reader.text_at(index + 1) == "."
        if (token.lower == "geb" and dotted) or token.lower in {"geborene", "geborener"}:
            found.update(reader.take_names(index + 1 + dotted, _is_strong_name, strong=True))
    return found


def _first_names_with_surnames(reader: _Reader) -> set[int]:
    """A list first name, with the surname after it: "Anna", "Anna Schmidt", "Ernst Müller"."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        word = token.text
        if not token.is_word or not _is_capitalised(word) or index in found:
            continue
        if _is_first_name(word):
            names = reader.take_names(index, lambda _word: True)
        elif (
            _is_ambiguous_first_name(word)
            and word.lower() not in _PLACE_PREFIXES
            and _is_listed_surname(reader.word(index + 1))
        ):
            names = [index, index + 1]  # "Ernst Müller", "Rosa Schmidt"
        else:
            continue
        if not _belongs_to_a_place(reader, names):
            found.update(names)
    return found


def _surnames_before_first_names(reader: _Reader) -> set[int]:
    """Lists and forms write the surname first: "Becker, Jonas", "Absender: Schmitz, Hubert"."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        if index < 2 or reader.text_at(index - 1) != "," or not _is_first_name(token.text):
            continue
        surname = index - 2
        starts_entry = surname == 0 or reader.text_at(surname - 1) in {"\n", ":", ";", "("}
        if (
            starts_entry
            and _is_capitalised(token.text)
            and _is_signature_name(reader.word(surname))
        ):
            found.add(surname)
    return found


def _surnames_alone(reader: _Reader) -> set[int]:
    """A list surname that is no word ("Kowalczyk", "Petersen") is a name without context,
    unless it looks or stands like a place: many small towns share a surname ("Westerburg",
    "in Diez") and shops are named after their founders ("bei Rossmann")."""
    found: set[int] = set()
    for index, token in enumerate(reader.tokens):
        word = token.text
        if (
            token.is_word
            and _is_capitalised(word)
            and word.lower() in _surnames_without_a_second_meaning()
            and not (_is_place(word) or _is_institution(word) or _is_title(word))
            and not _ends_with_word(word.lower(), _PLACE_ENDINGS)
            and reader.previous_word(index).lower() not in _PLACE_PREPOSITIONS
            and not _belongs_to_a_place(reader, [index])
        ):
            found.add(index)
    return found


def _is_listed_surname(word: str) -> bool:
    return _is_capitalised(word) and _is_surname(word) and not _is_used_word(word)


def _belongs_to_a_place(reader: _Reader, names: list[int]) -> bool:
    """Names of places, not people: "Albert Schweitzer Schule", "St. Martin", "Max. 30"."""
    first, last = names[0], names[-1]
    previous = reader.previous_word(first).lower()
    following = reader.word(last + 1)
    if previous in _PLACE_PREFIXES or (previous in _CONTRACTIONS and len(names) == 1):
        return True
    if following and following[0].isupper() and _is_institution(following):
        return True
    if reader.text_at(last + 1) == "-":
        return True
    return reader.text_at(last + 1) == "." and reader.text_at(last + 2).isdigit()


# --- Signatures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    start: int  # index of the line's first token
    end: int  # index after its last token
    text_start: int
    text_end: int

    @property
    def is_empty(self) -> bool:
        return self.end == self.start


def _lines(reader: _Reader) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    text_start = 0
    end_of_text = _Token("\n", len(reader.text), len(reader.text))
    for index, token in enumerate([*reader.tokens, end_of_text]):
        if token.text == "\n":
            lines.append(_Line(start, index, text_start, token.start))
            start = index + 1
            text_start = token.end
    return lines


def _line_text(reader: _Reader, line: _Line) -> str:
    return reader.text[line.text_start : line.text_end].strip()


def _signatures(reader: _Reader) -> set[int]:
    """Names under a closing formula, on its line or in the block below it, and a name alone
    on one of the last two lines."""
    lines = _lines(reader)
    found: set[int] = set()
    for number, line in enumerate(lines):
        found |= _closing_names(reader, lines, number, line)
    filled = [line for line in lines if not line.is_empty]
    for line in filled[-2:]:
        found.update(_name_line(reader, line, needs_first_name=True))
    return found


def _closing_names(reader: _Reader, lines: list[_Line], number: int, line: _Line) -> set[int]:
    text = reader.text[line.text_start : line.text_end]
    match = _CLOSING.search(text)
    if not match:
        return set()
    rest = match.group("rest")
    offset = line.text_start + match.start("rest")
    place = _CLOSING_PLACE.match(rest)
    if place:
        rest, offset = rest[place.end() :], offset + place.end()
    stripped = rest.lstrip(_CLOSING_PUNCTUATION)
    offset += len(rest) - len(stripped)
    if stripped.strip():
        start = _first_token_at(reader, offset)
        names = reader.take_name_list(start, _is_signature_name, strong=True, surnames_follow=True)
        if names and reader.text_at(names[-1] + 1) in _LINE_ENDS_AFTER_NAME | {"\n"}:
            return set(names)
        return set()
    if match.start("closing") > 0 and not match.group("closing")[:1].isupper():
        return set()  # "…, ihr" in the middle of a line is no closing
    return _signature_block(reader, lines, number + 1)


def _first_token_at(reader: _Reader, offset: int) -> int:
    return bisect.bisect_left(reader.starts, offset)


def _is_signature_name(word: str) -> bool:
    """The first word under a closing: a list name, or a word that is neither used nor made of
    German words ("Ihre Stadt", "Euer Bibliotheksteam" stay)."""
    if not _is_strong_name(word):
        return False
    return _is_known_name(word) or not (_is_used_word(word) or _is_common_word(word))


def _signature_block(reader: _Reader, lines: list[_Line], first: int) -> set[int]:
    """The lines under a closing: the first names the writer; the next may add a second name
    (a couple), a role, a company, an address."""
    found: set[int] = set()
    filled = 0
    for line in lines[first : first + 8]:
        if line.is_empty:
            if found or filled:
                break
            continue
        filled += 1
        if _is_sentence(_line_text(reader, line)):
            break
        names = _name_line(reader, line, needs_first_name=bool(found))
        found.update(names)
        if not names and not found and filled >= 2:
            break
    return found


def _is_sentence(text: str) -> bool:
    words = text.split()
    lower_words = sum(1 for word in words if word[:1].islower())
    return len(words) > 6 or (text.endswith(_SENTENCE_END) and lower_words >= 2)


def _name_line(reader: _Reader, line: _Line, *, needs_first_name: bool) -> list[int]:
    """A line that is nothing but names, with titles, "Ihre" or "Familie" in front."""
    position = _skip_signature_openers(reader, line.start)
    if reader.word(position).lower() == "die" and _is_plural_family_name(reader.word(position + 1)):
        position += 1  # "die Schmidts"
        first_test: Callable[[str], bool] = _is_family_name
    elif reader.word(position).lower() in _FAMILY:
        position += 1 + (reader.text_at(position + 1) == ".")
        first_test = _is_family_name
    elif needs_first_name:
        first_test = _is_signature_first_name
    else:
        first_test = _is_signature_name
    names = reader.take_name_list(position, first_test, strong=True, surnames_follow=True)
    if not names or names[0] != position:
        return []
    after = names[-1] + 1
    if after < line.end and reader.text_at(after) not in _LINE_ENDS_AFTER_NAME:
        return []
    return names


def _skip_signature_openers(reader: _Reader, index: int) -> int:
    """Past "Ihre", "gez.", "i. A.", "–", "Herr", "Dr." at the start of a signature line."""
    position = index
    while True:
        word = reader.word(position).lower()
        if word in _SIGNATURE_OPENERS or word in _HONORIFICS:
            position += 1 + (reader.text_at(position + 1) == ".")
        elif (
            word == "i"
            and reader.text_at(position + 1) == "."
            and reader.word(position + 2) in {"A", "V"}
        ):
            position += 4
        elif reader.text_at(position) in {"-", "–", "—", "*"}:
            position += 1
        else:
            return reader.skip_titles(position)


def _is_signature_first_name(word: str) -> bool:
    """A name alone on a line, without a closing above it, must start with a list name."""
    return _is_first_name(word) and (word[:1].isupper() or _is_lowercase_name(word))


def _company_findings(tokens: list[_Token], text: str, names: set[int]) -> Iterator[_Finding]:
    """A company line in a signature, under the signed name and perhaps a role ("Thomas
    Weidenfeller / Geschäftsführer / Weidenfeller Haustechnik GmbH"), names the writer's
    business. An association ("e. V.") is no business of one person and stays."""
    reader = _Reader(tokens, text)
    filled = [line for line in _lines(reader) if not line.is_empty]
    named = [any(index in names for index in range(line.start, line.end)) for line in filled]
    for number, line in enumerate(filled):
        if not any(named[max(0, number - _COMPANY_LINES_BELOW_NAME) : number]):
            continue
        line_text = _line_text(reader, line)
        if _LEGAL_FORMS.search(line_text) and not _is_sentence(line_text):
            start = text.index(line_text, line.text_start)
            yield _Finding(start, start + len(line_text), KIND_COMPANY)


# --- Names found once, removed everywhere ------------------------------------------------------


def _learned_names(tokens: list[_Token], names: set[int], text: str) -> set[str]:
    learned = {
        tokens[index].text
        for index in names
        if tokens[index].is_word
        and len(tokens[index].text) >= 3
        and not _is_title(tokens[index].text)
    }
    for match in _EMAIL.finditer(text):
        learned |= _names_in_local_part(match.group(0).split("@")[0])
    return learned


def _names_in_local_part(local_part: str) -> set[str]:
    """Names in an address's local part: "anna.schmidt" gives Anna and Schmidt; "info" nothing."""
    parts = [part for part in re.split(r"[._+\-\d]+", local_part) if len(part) >= 3]
    known = [part.capitalize() for part in parts if _is_known_name(part.capitalize())]
    return set(known) if len(parts) >= 2 or any(_is_first_name(part) for part in known) else set()


def _repeated_mentions(tokens: list[_Token], learned: set[str], names: set[int]) -> set[int]:
    """Other mentions of a name found once: "Herr Schulz ... Schulz meinte"; "Schulz'" and
    "Schulzes" too. A name that is also a word ("Koch") after an article stays ("der Koch")."""
    found: set[int] = set()
    if not learned:
        return found
    for index, token in enumerate(tokens):
        if index in names or not token.is_word:
            continue
        base = _mentioned_name(token.text, learned)
        if base is None:
            continue
        previous = tokens[index - 1].text.lower() if index else ""
        if _is_dictionary_word(base) and previous in _ARTICLES:
            continue
        found.add(index)
    return found


def _mentioned_name(word: str, learned: set[str]) -> str | None:
    if word in learned:
        return word
    for suffix in ("s", "es", "’s", "'s"):
        if word.endswith(suffix) and word[: -len(suffix)] in learned:
            return word[: -len(suffix)]
    return None


def _name_findings(tokens: list[_Token], names: set[int], text: str) -> Iterator[_Finding]:
    for index in sorted(names):
        token = tokens[index]
        if token.is_word or _is_inside_initials(tokens, index, names):
            yield _Finding(token.start, token.end, KIND_NAME)


def _is_inside_initials(tokens: list[_Token], index: int, names: set[int]) -> bool:
    """The full stop of "M." and the hyphen of "A.-K." belong to the name they start."""
    between_initials = index - 1 in names and index + 1 in names
    after_initial = tokens[index].text == "." and len(tokens[index - 1].text) == 1
    return between_initials or (after_initial and index - 1 in names)


def _known_name_findings(text: str, names: tuple[str, ...]) -> Iterator[_Finding]:
    for word in _name_words(names):
        for match in re.finditer(rf"\b{re.escape(word)}\b", text, re.IGNORECASE):
            yield _Finding(match.start(), match.end(), KIND_NAME)


def _name_words(names: tuple[str, ...]) -> list[str]:
    words = {word.strip(".,") for name in names for word in name.split()}
    # Titles and one-letter initials are not names; longest first so parts never split a name.
    ignored = {"dr", "prof", "herr", "frau", "dipl", "von", "van", "der", "de"}
    kept = [word for word in words if len(word) >= 3 and word.lower() not in ignored]
    return sorted(kept, key=len, reverse=True)
