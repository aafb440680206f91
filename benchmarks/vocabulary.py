"""German council language for generated papers: a Zipf-distributed vocabulary and its texts.

About a thousand real words of council and digital work come first (most frequent); behind
them come compounds built from them, as German builds them ("Glasfaser" + "ausbau",
"Schul" + "netz" + "konzept"): some ten thousand two-part and about a million three-part
compounds, so a large archive has frequent words, a long tail of rare ones and words that
occur only once. Ranks are drawn from a Zipf–Mandelbrot law in closed form (one random number
and one power per word), which keeps a million papers of some 300 words each within minutes.
Everything is seeded: the same seed gives the same texts on every machine.
"""

from __future__ import annotations

import random
from typing import Any

# Function words between the content words: German text is about two fifths of them.
FUNCTION_WORDS = """
der die das und in zu den von mit für auf ist im dem des nicht eine ein wird werden sich
auch an als bei nach zur zum über durch sowie bzw. noch bereits dabei hierzu insbesondere
einer eines einem ob wie wurde wurden kann können soll sollen muss vom aus bis unter
""".split()  # noqa: SIM905 - a word list reads best as words
FUNCTION_SHARE = 0.38

NOUNS = """
Antrag Anfrage Stellungnahme Antwort Beschluss Beschlussvorlage Mitteilung Vorlage Sitzung
Ausschuss Stadtrat Ortsbeirat Verwaltung Oberbürgermeister Bürgermeisterin Beigeordneter
Fraktion Ratsmitglied Tagesordnung Niederschrift Protokoll Haushalt Haushaltsjahr Haushaltsplan
Haushaltssatzung Satzung Verordnung Richtlinie Gesetz Förderung Fördermittel Förderprogramm
Zuschuss Zuwendung Kosten Mittel Ausgaben Einnahmen Investition Finanzierung Kredit Rücklage
Digitalisierung Breitband Glasfaser Mobilfunk Netz Netzwerk Server Rechenzentrum Software
Hardware Schnittstelle Plattform Portal Anwendung App Datenbank Daten Datenschutz Sicherheit
Informationssicherheit Verschlüsselung Cloud Lizenz Ausschreibung Vergabe Auftrag Vertrag
Dienstleister Anbieter Betreiber Beratung Gutachten Studie Konzept Strategie Maßnahme
Umsetzung Planung Projekt Pilotprojekt Modellprojekt Arbeitsgruppe Lenkungsgruppe Beirat
Digitalbeirat Bürgerbeteiligung Beteiligung Öffentlichkeit Transparenz Bürger Bürgerinnen
Einwohner Einwohnerinnen Unternehmen Wirtschaft Handel Einzelhandel Gewerbe Handwerk Kammer
Hochschule Universität Schule Grundschule Gymnasium Realschule Kita Kindertagesstätte
Schülerinnen Schüler Lehrkräfte Unterricht Medienkompetenz Endgeräte Tablets Laptops
Whiteboard WLAN Hotspot Zugang Anschluss Ausbau Erschließung Gewerbegebiet Stadtteil Quartier
Innenstadt Altstadt Ortsteil Straße Platz Brücke Ufer Rhein Mosel Rheinanlagen Festung Park
Parkplatz Parkhaus Parkraum Verkehr Radverkehr Radweg Fußweg Bus Bahn Haltestelle Ampel
Mobilität Elektromobilität Ladesäule Carsharing Sharing Verkehrsdaten Sensor Sensoren Messung
Umwelt Klimaschutz Klima Energie Strom Wärme Photovoltaik Solaranlage Beleuchtung Laterne
Abfall Müll Wertstoff Wasser Abwasser Kanal Grünfläche Baum Bäume Friedhof Spielplatz Sport
Sportplatz Schwimmbad Halle Bibliothek Stadtbibliothek Museum Theater Kultur Tourismus
Veranstaltung Messe Markt Wochenmarkt Fest Jubiläum Partnerstadt Kooperation Zusammenarbeit
Vernetzung Verein Stiftung Initiative Ehrenamt Feuerwehr Rettungsdienst Katastrophenschutz
Ordnungsamt Bürgeramt Standesamt Jugendamt Sozialamt Bauamt Stadtplanungsamt Personalamt
Hauptamt Kämmerei Rechnungsprüfung Personal Stelle Stellen Stellenplan Mitarbeitende
Fachkräfte Ausbildung Fortbildung Schulung Homeoffice Arbeitsplatz Arbeitsplätze Büro
Rathaus Dienstgebäude Gebäude Sanierung Neubau Umbau Modernisierung Instandhaltung Wartung
Betrieb Support Störung Ausfall Verfügbarkeit Leistung Dienst Dienste Onlinedienste
Onlinezugang Servicekonto Formular Antragsverfahren Verfahren Genehmigung Bescheid
Gebühr Gebühren Entgelt Bezahlung Zahlung Terminvergabe Termin Wartezeit Bearbeitung
Bearbeitungszeit Akte Aktenführung Dokument Dokumente Dokumentenmanagement Archiv Scan Papier
Signatur Posteingang Workflow Prozess Prozesse Geschäftsprozess Optimierung Effizienz
Qualität Standard Standards Barrierefreiheit Zugänglichkeit Sprache Übersetzung Website
Internetseite Homepage Newsletter Presse Pressemitteilung Information Informationen Hinweis
Hinweise Frage Fragen Punkt Punkte Ergebnis Ergebnisse Bericht Sachstand Zeitplan Termin
Frist Verzögerung Zeitraum Jahr Jahre Quartal Monat Monate Woche Tag Prozent Euro Betrag
Summe Anteil Zahl Anzahl Umfang Bedarf Nachfrage Angebot Auslastung Nutzung Nutzer
Nutzerinnen Zufriedenheit Umfrage Befragung Evaluation Auswertung Kennzahl Kennzahlen
Monitoring Steuerung Controlling Verantwortung Zuständigkeit Abstimmung Einvernehmen
Empfehlung Entscheidung Zustimmung Ablehnung Änderung Änderungsantrag Ergänzung Prüfung
Prüfauftrag Prüfergebnis Begründung Sachverhalt Rechtslage Grundlage Rechtsgrundlage
Gemeindeordnung Landesregierung Land Bund Kreis Landkreis Region Kommune Kommunen Stadt
Städte Gemeinde Verband Zweckverband Gesellschaft Tochtergesellschaft Stadtwerke
Eigenbetrieb Wirtschaftsförderung Gründung Startup Gründerzentrum Innovation Technologie
Forschung Wissenschaft Künstliche Intelligenz Algorithmus Chatbot Automatisierung
Open Data Transparenzportal Geodaten Karte Stadtplan Katalog Register Verzeichnis
""".split()  # noqa: SIM905 - a word list reads best as words
VERBS = """
beantragt beauftragt prüft prüfen geprüft berichtet berichten beschließt beschlossen
empfiehlt empfohlen stimmt zugestimmt abgelehnt umgesetzt umsetzen eingeführt einführen
erweitert erweitern verbessert verbessern unterstützt unterstützen gefördert fördern
finanziert finanzieren geplant planen vorgesehen vorgelegt vorlegen erarbeitet erarbeiten
dargestellt darstellen ermittelt ermitteln erhoben erheben bewertet bewerten abgestimmt
abstimmen koordiniert koordinieren informiert informieren beteiligt beteiligen genutzt nutzen
angeboten anbieten bereitgestellt bereitstellen ausgebaut ausbauen angeschlossen anschließen
digitalisiert digitalisieren vernetzt vernetzen betrieben betreiben gewartet beschafft
beschaffen ausgeschrieben vergeben abgeschlossen abschließen begonnen beginnen fortgeführt
fortführen verlängert verlängern eingerichtet einrichten geschaffen schaffen ergänzt
ergänzen angepasst anpassen überarbeitet überarbeiten veröffentlicht veröffentlichen
bekannt gegeben mitgeteilt erläutert erläutern beantwortet beantworten gestellt gebeten
""".split()  # noqa: SIM905 - a word list reads best as words
ADJECTIVES = """
digitale digitalen öffentliche öffentlichen städtische städtischen kommunale kommunalen
zusätzliche zusätzlichen notwendige notwendigen erforderliche erforderlichen geplante
geplanten aktuelle aktuellen bisherige bisherigen künftige künftigen neue neuen weitere
weiteren verschiedene verschiedenen einzelne einzelnen mehrere zahlreiche wesentliche
wesentlichen finanzielle finanziellen personelle personellen technische technischen
rechtliche rechtlichen organisatorische organisatorischen sichere sicheren schnelle
schnellen flächendeckende flächendeckenden barrierefreie barrierefreien nachhaltige
nachhaltigen regionale regionalen gemeinsame gemeinsamen zentrale zentralen interne
internen externe externen jährliche jährlichen einmalige einmaligen laufende laufenden
vollständige vollständigen kostenlose kostenlosen moderne modernen innovative innovativen
""".split()  # noqa: SIM905 - a word list reads best as words
ADVERBS = """
derzeit zeitnah kurzfristig mittelfristig langfristig grundsätzlich voraussichtlich
insgesamt jeweils zudem ebenfalls zunächst anschließend außerdem gleichwohl jedoch daher
somit bislang erstmals regelmäßig gegebenenfalls teilweise vollständig ausschließlich
""".split()  # noqa: SIM905 - a word list reads best as words
# Compound heads (with their linking element) and tails.
HEADS = """
Daten Glasfaser Breitband Netz Schul Bürger Stadt Verwaltungs Verkehrs Rad Park Bus Bahn
Energie Klima Umwelt Wasser Abfall Bau Planungs Haushalts Förder Finanz Personal Kultur
Sport Jugend Senioren Familien Sozial Wirtschafts Gewerbe Handels Tourismus Innenstadt
Quartiers Stadtteil Ufer Rhein Mosel Festungs Museums Bibliotheks Theater Feuerwehr
Rettungs Sicherheits Informations Medien Online Digital Software Server Cloud Lizenz
Vergabe Vertrags Beratungs Projekt Strategie Konzept Mobilitäts Lade Strom Wärme Licht
Laternen Sensor Mess Karten Geo Register Akten Dokumenten Archiv Post Termin Service
Formular Zahlungs Gebühren Antrags Genehmigungs Prüf Berichts Sitzungs Rats Ausschuss
Fraktions Beirats Beteiligungs Befragungs Schulungs Ausbildungs Arbeits Büro Rathaus
Gebäude Sanierungs Wartungs Betriebs Support Störungs Kita Spielplatz Grünflächen Baum
Friedhofs Schwimmbad Hallen Markt Messe Partnerschafts Kooperations Vereins Stiftungs
""".split()  # noqa: SIM905 - a word list reads best as words
TAILS = """
ausbau konzept strategie netz portal plattform anwendung app dienst service angebot
verwaltung management planung steuerung prüfung bericht antrag verfahren programm projekt
förderung mittel kosten haushalt budget vertrag vergabe lizenz server zentrum stelle amt
ausschuss beirat gruppe team verband verein schutz sicherheit qualität standard richtlinie
satzung ordnung gesetz verordnung katalog register karte daten bestand erhebung analyse
auswertung monitoring messung sensor station anlage gebäude fläche platz weg straße
anschluss zugang kabel mast knoten leitung versorgung nutzung betrieb wartung sanierung
umbau neubau erweiterung modernisierung beschaffung ausstattung geräte technik system
lösung modul schnittstelle struktur organisation koordination beteiligung information
kommunikation beratung schulung kurs termin frist zeitraum jahr quote bilanz kennzahl
""".split()  # noqa: SIM905 - a word list reads best as words

ZIPF_EXPONENT = 1.3
ZIPF_SHIFT = 10.0  # Mandelbrot's shift: the most frequent word is not a tenth of the text
CACHED_RANKS = 100_000
SCRAMBLE = 1_000_003  # a prime: spreads the rank of three-part compounds over all heads


class Vocabulary:
    """Content words by rank: base words, then two-part, then three-part compounds."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed * 31 + 7)
        base = list(dict.fromkeys(NOUNS + VERBS + ADJECTIVES + ADVERBS))
        rng.shuffle(base)
        self.base = base
        self.heads = list(dict.fromkeys(HEADS))
        self.tails = list(dict.fromkeys(TAILS))
        pairs = [(h, t) for h in range(len(self.heads)) for t in range(len(self.tails))]
        rng.shuffle(pairs)
        self.pairs = pairs
        heads, tails = len(self.heads), len(self.tails)
        self.triples = heads * (heads - 1) * tails
        self.size = len(base) + len(pairs) + self.triples
        exponent = ZIPF_EXPONENT - 1
        self._exponent = exponent
        self._low = ZIPF_SHIFT**-exponent
        self._span = self._low - (self.size + ZIPF_SHIFT) ** -exponent

    def rank(self, uniform: float) -> int:
        """The 0-based rank for a uniform number in [0, 1): Zipf–Mandelbrot by inversion."""
        value = (self._low - uniform * self._span) ** (-1 / self._exponent) - ZIPF_SHIFT
        return min(int(value), self.size - 1)

    def word(self, rank: int) -> str:
        if rank < len(self.base):
            return self.base[rank]
        rank -= len(self.base)
        if rank < len(self.pairs):
            head, tail = self.pairs[rank]
            return self.heads[head] + self.tails[tail]
        rank = (rank - len(self.pairs)) * SCRAMBLE % self.triples
        tails, heads = len(self.tails), len(self.heads)
        tail = rank % tails
        rank //= tails
        second = rank % (heads - 1)
        first = rank // (heads - 1)
        second = (first + 1 + second) % heads  # never "DatenDaten…"
        return self.heads[first] + self.heads[second].lower() + self.tails[tail]


class Writer:
    """Paper bodies, one paper after the other (the order matters for determinism)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed * 101 + 3)
        self.vocabulary = Vocabulary(seed)
        self.cache: dict[int, str] = {}
        self.references: list[str] = []

    def sentence(self, words: int) -> str:
        # One random number per word: below FUNCTION_SHARE a function word, above it a rank.
        # This loop makes most of the generation time, hence the local names.
        random_ = self.rng.random
        vocabulary, cache = self.vocabulary, self.cache
        low, span, power = vocabulary._low, vocabulary._span, -1 / vocabulary._exponent
        share, rest, functions = FUNCTION_SHARE, 1 - FUNCTION_SHARE, FUNCTION_WORDS
        count, last = len(FUNCTION_WORDS), vocabulary.size - 1
        out = []
        for _ in range(words):
            uniform = random_()
            if uniform < share:
                out.append(functions[int(uniform / share * count)])
                continue
            rank = int((low - (uniform - share) / rest * span) ** power - ZIPF_SHIFT)
            word = cache.get(rank)
            if word is None:
                word = vocabulary.word(min(rank, last))
                if rank < CACHED_RANKS:
                    cache[rank] = word
            out.append(word)
        rng = self.rng
        if random_() < 0.08:
            amount = f"{rng.randrange(2, 950) * 1000:,}".replace(",", ".")
            out.insert(int(random_() * len(out)), f"{amount} Euro")
        if self.references and random_() < 0.03:
            cited = self.references[int(random_() * len(self.references))]
            out.insert(int(random_() * len(out)), f"(Vorlage {cited})")
        first = out[0]
        out[0] = first[:1].upper() + first[1:]
        return " ".join(out) + "."

    def paragraph(self, words: int) -> str:
        sentences = []
        while words > 0:
            length = min(words, self.rng.randint(7, 22))
            sentences.append(self.sentence(length))
            words -= length
        return " ".join(sentences)

    def sections(self, paper: Any) -> list[dict[str, str]]:
        """1–4 sections (Einleitung, numbered points with answers, free text), ~300 words."""
        rng = self.rng
        total = max(60, min(2_500, int(rng.lognormvariate(5.65, 0.45))))
        count = rng.choices((1, 2, 3, 4), weights=(20, 30, 30, 20))[0]
        shares = [rng.random() + 0.3 for _ in range(count)]
        scale = total / sum(shares)
        result: list[dict[str, str]] = []
        for position, share in enumerate(shares):
            words = max(12, int(share * scale))
            if position == 0 and count > 1:
                kind, number, heading, question = "introduction", "", "", ""
            elif rng.random() < 0.6:
                kind, number, heading = "item", f"{position if count > 1 else 1}.", ""
                question = self.sentence(rng.randint(8, 18)).removesuffix(".") + "?"
                words = max(8, words - len(question.split()))
            else:
                kind, number, question = "text", "", ""
                heading = self.sentence(rng.randint(2, 5)).removesuffix(".")
            result.append(
                {
                    "kind": kind,
                    "number": number,
                    "question": question,
                    "heading": heading,
                    "text": self.paragraph(words),
                }
            )
        self.references.append(paper.reference)
        if len(self.references) > 5_000:
            del self.references[:1_000]
        return result
