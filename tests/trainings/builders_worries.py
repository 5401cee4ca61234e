"""A small region for the worries tests: a school with a professional, a colleague and its
aandachtsfunctionaris; another school with its own; the Veilig Thuis that works in the
municipality (the consultation line) and one that works elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.accounts.models import User
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.trainings import worries
from meldwijzer.trainings.models import Worry, WorryRecipient
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory

CLEAN = (
    "Een leerling uit groep 6 komt vaak moe op school en heeft soms blauwe plekken op de "
    "armen. Hoe pak ik dit aan?"
)


def actor_of(user: User) -> Actor:
    actor = actor_for_user(user=user)
    assert actor is not None
    return actor


def member(organisation: Organisation, role: Role = Role.PROFESSIONAL) -> User:
    return MembershipFactory(organisation=organisation, role=role).user


@dataclass
class Region:
    school: Organisation
    teacher: User
    colleague: User
    officer: User
    admin: User
    other_school: Organisation
    other_teacher: User
    other_officer: User
    line: Organisation
    line_worker: User
    far_line: Organisation
    far_line_worker: User


def region() -> Region:
    home = MunicipalityFactory(name="Noordoostpolder")
    far = MunicipalityFactory(name="Zwolle", province="Overijssel", region="GGD IJsselland")
    school = OrganisationFactory(name="Basisschool Test", municipality=home)
    school.works_in.set([home])
    other = OrganisationFactory(name="Basisschool Ander", municipality=home)
    other.works_in.set([home])
    line = OrganisationFactory(
        name="Veilig Thuis Test", sector=Sector.VEILIG_THUIS, municipality=far
    )
    line.works_in.set([home, far])
    far_line = OrganisationFactory(
        name="Veilig Thuis Elders", sector=Sector.VEILIG_THUIS, municipality=far
    )
    far_line.works_in.set([far])
    return Region(
        school=school,
        teacher=member(school),
        colleague=member(school),
        officer=member(school, Role.MELDCODE_OFFICER),
        admin=member(school, Role.FUNCTIONAL_ADMIN),
        other_school=other,
        other_teacher=member(other),
        other_officer=member(other, Role.MELDCODE_OFFICER),
        line=line,
        line_worker=member(line),
        far_line=far_line,
        far_line_worker=member(far_line),
    )


def share(user: User, recipient: str = WorryRecipient.OFFICER, question: str = CLEAN) -> Worry:
    with worries.mail_muted():
        return worries.worry_share(actor=actor_of(user), recipient=recipient, question=question)
