"""The five family profiles (gezinsprofielen) of the Verwey-Jonker Instituut (2020).

Violence in families is not one thing. The profiles group situations by the pattern behind the
violence, because what helps differs per pattern: in intimate terror safety and a separate approach
come first, in a family under stress lowering the pressure does. A situation can fit more than one
profile. Instruments suggest profiles (`outputs.profiles` in a definition); the routekaart reads
the codes below to find fitting help. The wording is our own summary, not the institute's text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyProfile:
    code: str
    label: str
    summary: str
    signs: tuple[str, ...]
    """What a professional typically sees."""
    what_helps: tuple[str, ...]
    """What typically helps in this pattern."""


PROFILES: dict[str, FamilyProfile] = {
    profile.code: profile
    for profile in (
        FamilyProfile(
            code="intieme_terreur",
            label="Intieme terreur",
            summary="Eén partner beheerst de ander stelselmatig: controle, dreiging, isolement "
            "en angst. Het geweld is een middel om macht te houden, geen uit de hand gelopen ruzie.",
            signs=(
                "Eén partner controleert telefoon, geld, contacten of afspraken van de ander",
                "De ander is bang, past zich aan en praat niet vrijuit als de partner erbij is",
                "Dreigen met geweld, met het afpakken van de kinderen of met zelfdoding",
                "Het geweld is eenzijdig en houdt aan, ook na een scheiding",
            ),
            what_helps=(
                "Veiligheid voorop: een veiligheidsplan en zo nodig een huisverbod of opvang",
                "Slachtoffer en pleger apart spreken; geen gezamenlijke relatietherapie of "
                "bemiddeling",
                "Gespecialiseerde hulp bij dwingende controle, voor slachtoffer én pleger",
                "Veilig Thuis betrekken; de kinderen apart aandacht geven",
            ),
        ),
        FamilyProfile(
            code="gezin_in_de_stress",
            label="Gezin in de stress",
            summary="Problemen stapelen zich op (geld, werk, huisvesting, gezondheid) en de "
            "spanning loopt zo op dat ruzies escaleren. Beide ouders kunnen geweld gebruiken; het "
            "is situationeel, niet gericht op beheersing.",
            signs=(
                "Schulden, werkloosheid, krappe of onzekere huisvesting",
                "Ruzies die uit de hand lopen, vaak over geld of de kinderen",
                "Ouders schamen zich en willen wel veranderen, maar zien geen uitweg",
            ),
            what_helps=(
                "De druk verlagen: schuldhulp, hulp bij werk, inkomen en huisvesting",
                "Leren ruzie maken zonder geweld (de-escalatie, ‘veilig ruziemaken’)",
                "Opvoedondersteuning en praktische gezinsbegeleiding",
                "Eén vast aanspreekpunt dat de hulp samenhangend houdt",
            ),
        ),
        FamilyProfile(
            code="langdurige_zorg",
            label="Langdurige zorg",
            summary="Gezinnen met blijvende, meervoudige problemen die vaak al generaties spelen: "
            "verslaving, psychiatrie, een licht verstandelijke beperking, eigen traumatische "
            "jeugd. Onveiligheid komt steeds terug zodra de hulp stopt.",
            signs=(
                "Veel hulpverleners in de loop van de jaren, eerdere meldingen bij Veilig Thuis",
                "Ouders met een LVB, psychiatrische problemen of een verslaving",
                "Ouders die zelf als kind geweld of verwaarlozing meemaakten",
                "Verbetering houdt geen stand zonder blijvende steun",
            ),
            what_helps=(
                "Eén gezin, één plan, één regisseur, en dat voor lange tijd",
                "Hulp die niet abrupt stopt maar geleidelijk afschaalt, met blijvend zicht op "
                "veiligheid",
                "Traumasensitieve hulp voor ouders en kinderen",
                "Aanpak afgestemd op een licht verstandelijke beperking waar dat speelt",
            ),
        ),
        FamilyProfile(
            code="kindgedrag_opvoedstress",
            label="Kindgedrag en opvoedstress",
            summary="Het gedrag of de beperking van een kind vraagt zoveel van de ouders dat zij "
            "vastlopen; uit onmacht grijpen zij naar hardhandig opvoeden.",
            signs=(
                "Een kind met een beperking, ontwikkelingsproblemen of ernstig probleemgedrag",
                "Ouders die uitgeput zijn en zeggen het niet meer aan te kunnen",
                "Harde straffen of geweld als reactie op het gedrag van het kind",
            ),
            what_helps=(
                "Hulp bij het gedrag of de beperking van het kind",
                "Opvoedondersteuning en psycho-educatie voor de ouders",
                "Ontlasting van de ouders, bijvoorbeeld respijtzorg",
            ),
        ),
        FamilyProfile(
            code="complexe_conflictscheiding",
            label="Complexe conflictscheidingen",
            summary="Ouders in een slepende strijd tijdens of na een scheiding; de kinderen raken "
            "klem tussen hen in, ook als er geen lichamelijk geweld is.",
            signs=(
                "Langdurige juridische procedures over zorg, omgang of alimentatie",
                "Kinderen die partij moeten kiezen, berichten overbrengen of een ouder afwijzen",
                "Beschuldigingen over en weer; overdrachtsmomenten die escaleren",
            ),
            what_helps=(
                "Het belang van het kind centraal: een stem en eigen hulp voor de kinderen",
                "Een gespecialiseerd programma voor ouders en kinderen in een vechtscheiding",
                "Begeleide omgang of overdracht waar het misgaat",
                "Bemiddeling alleen als er geen sprake is van intieme terreur",
            ),
        ),
    )
}


def profile_label(code: str) -> str:
    profile = PROFILES.get(code)
    return profile.label if profile is not None else code
