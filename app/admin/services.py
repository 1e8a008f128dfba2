"""The functioneel beheerder's operations: staff users, organisations, mandates.

None of these touch a resident's data: the beheerder never sees plan content. Services change the
session and flush; the request commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from app.auth.passwords import hash_password
from app.clock import now, today
from app.db import session
from app.domain import STAFF_ROLES, OrganisatieSoort, Rol
from app.organisations.models import Mandaat, Organisation
from app.users import medewerkers
from app.users.models import User, UserRole

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")


class BeheerError(ValueError):
    """A rule was broken; ``field`` names the input it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Verouderd(Exception):
    """Someone else changed the object since the form was opened."""


def stamp(*values: object) -> str:
    """A fingerprint of what a form showed, to notice that someone else saved in between."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def user_stamp(user: User) -> str:
    return stamp(
        user.username,
        user.name,
        user.email,
        user.phone,
        user.organisation_id,
        sorted(r.value for r in user.roles),
        user.active,
    )


def organisation_stamp(org: Organisation) -> str:
    return stamp(org.name, org.kind, org.active)


# --- users ------------------------------------------------------------------------------------


GEBRUIKERS_PER_PAGINA = 50


def staff_page(
    zoek: str | None, na: int | None, limit: int = GEBRUIKERS_PER_PAGINA
) -> tuple[list[User], bool]:
    """One page of staff users by name (thousands in a city): those whose name or user name
    contains ``zoek`` (when given), after the user ``na`` in that order (keyset: the same cost
    on every page); and whether more follow."""
    stmt = select(User).where(User.person_id.is_(None))
    if zoek:
        stmt = stmt.where(medewerkers.naam_bevat(zoek))
    if na is not None:
        after = session.execute(select(User.name, User.id).where(User.id == na)).first()
        if after is not None:
            naam, uid = after[0], after[1]
            stmt = stmt.where(or_(User.name > naam, and_(User.name == naam, User.id > uid)))
    rows = list(session.scalars(stmt.order_by(User.name, User.id).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def na_voor(user: User) -> int | None:
    """The ``na`` of the page that begins with ``user``: the staff user just before it by name
    (None: it is the first)."""
    return session.scalar(
        select(User.id)
        .where(
            User.person_id.is_(None),
            or_(User.name < user.name, and_(User.name == user.name, User.id < user.id)),
        )
        .order_by(User.name.desc(), User.id.desc())
        .limit(1)
    )


def staff_user(user_id: int) -> User | None:
    return session.scalars(select(User).where(User.id == user_id, User.person_id.is_(None))).first()


def _roles(roles: Iterable[str]) -> list[Rol]:
    out = []
    for r in roles:
        try:
            rol = Rol(r)
        except ValueError:
            raise BeheerError(_("Onbekende rol."), "roles") from None
        if rol not in STAFF_ROLES:
            raise BeheerError(_("Deze rol is niet voor medewerkers."), "roles")
        out.append(rol)
    if not out:
        raise BeheerError(_("Kies minstens één rol."), "roles")
    return sorted(set(out))


def _organisation(organisation_id: int | None) -> Organisation:
    org = session.get(Organisation, organisation_id) if organisation_id else None
    if org is None or not org.active:
        raise BeheerError(_("Kies een (actieve) organisatie."), "organisation_id")
    return org


def _check_regisseur_org(roles: list[Rol], org: Organisation) -> None:
    """A regisseur or teamleider works at a municipality or a mandated organisation."""
    if not {Rol.REGISSEUR, Rol.TEAMLEIDER} & set(roles) or org.is_gemeente:
        return
    has_mandate = session.execute(
        select(func.count()).select_from(Mandaat).where(Mandaat.organisation_id == org.id)
    ).scalar_one()
    if not has_mandate:
        raise BeheerError(
            _(
                "Een regisseur of teamleider werkt bij een gemeente, of bij een organisatie die de "
                "regietaak met een mandaat van de gemeente uitvoert. Leg eerst het mandaat vast."
            ),
            "roles",
        )


def _active_beheerders(excluding: User | None = None) -> int:
    stmt = (
        select(func.count(func.distinct(User.id)))
        .join(UserRole)
        .where(UserRole.role == Rol.FUNCTIONEEL_BEHEERDER, User.active.is_(True))
    )
    if excluding is not None:
        stmt = stmt.where(User.id != excluding.id)
    return int(session.execute(stmt).scalar_one())


def _clean(value: str | None, max_len: int) -> str | None:
    value = (value or "").strip()
    return value[:max_len] or None


def create_user(
    *,
    username: str,
    name: str,
    email: str | None,
    phone: str | None,
    organisation_id: int | None,
    roles: Iterable[str],
) -> tuple[User, str]:
    """A new staff user with a one-time initial password (returned once, only its hash kept)."""
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise BeheerError(
            _(
                "Een gebruikersnaam heeft 3 tot 80 tekens: kleine letters, cijfers, punt, "
                "streepje of liggend streepje."
            ),
            "username",
        )
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise BeheerError(_("Deze gebruikersnaam bestaat al."), "username")
    if not (name or "").strip():
        raise BeheerError(_("Vul de naam in."), "name")
    parsed = _roles(roles)
    org = _organisation(organisation_id)
    _check_regisseur_org(parsed, org)
    password = secrets.token_urlsafe(15)
    user = User(
        username=username,
        name=name.strip()[:200],
        email=_clean(email, 200),
        phone=_clean(phone, 40),
        organisation_id=org.id,
        password_hash=hash_password(password),
        active=True,
        created_at=now(),
    )
    user.role_rows = [UserRole(role=r.value) for r in parsed]
    session.add(user)
    session.flush()
    return user, password


def update_user(
    user: User,
    *,
    actor: User,
    expected_stamp: str | None,
    name: str,
    email: str | None,
    phone: str | None,
    organisation_id: int | None,
    roles: Iterable[str],
) -> User:
    if expected_stamp is not None and expected_stamp != user_stamp(user):
        raise Verouderd()
    if not (name or "").strip():
        raise BeheerError(_("Vul de naam in."), "name")
    parsed = _roles(roles)
    org = _organisation(organisation_id)
    _check_regisseur_org(parsed, org)
    if Rol.FUNCTIONEEL_BEHEERDER in user.roles and Rol.FUNCTIONEEL_BEHEERDER not in parsed:
        if user.id == actor.id:
            raise BeheerError(
                _("U kunt uw eigen rol als functioneel beheerder niet weghalen."), "roles"
            )
        if user.active and _active_beheerders(excluding=user) == 0:
            raise BeheerError(_("Er moet minstens één functioneel beheerder blijven."), "roles")
    user.name = name.strip()[:200]
    user.email = _clean(email, 200)
    user.phone = _clean(phone, 40)
    user.organisation_id = org.id
    current = {r.role: r for r in user.role_rows}
    wanted = {r.value for r in parsed}
    user.role_rows = [current[r] if r in current else UserRole(role=r) for r in sorted(wanted)]
    session.flush()
    session.refresh(user, ["organisation"])
    return user


def deactivate_user(user: User, *, actor: User) -> User:
    """The user can no longer log in; their sessions and API tokens stop working at once."""
    if user.id == actor.id:
        raise BeheerError(_("U kunt uzelf niet deactiveren."))
    if Rol.FUNCTIONEEL_BEHEERDER in user.roles and _active_beheerders(excluding=user) == 0:
        raise BeheerError(_("Er moet minstens één functioneel beheerder blijven."))
    user.active = False
    session.flush()
    return user


def activate_user(user: User) -> User:
    user.active = True
    session.flush()
    return user


# --- organisations ------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    try:
        return OrganisatieSoort(kind).value
    except ValueError:
        raise BeheerError(_("Kies het soort organisatie."), "kind") from None


def _unique_name(name: str, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise BeheerError(_("Vul de naam in."), "name")
    if len(name) > 200:
        raise BeheerError(_("Een naam is hooguit 200 tekens."), "name")
    stmt = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    if session.execute(stmt).first() is not None:
        raise BeheerError(_("Er is al een organisatie met deze naam."), "name")
    return name


def create_organisation(*, name: str, kind: str) -> Organisation:
    org = Organisation(name=_unique_name(name), kind=_kind(kind), active=True, created_at=now())
    session.add(org)
    session.flush()
    return org


def update_organisation(
    org: Organisation, *, expected_stamp: str | None, name: str, kind: str, active: bool
) -> Organisation:
    if expected_stamp is not None and expected_stamp != organisation_stamp(org):
        raise Verouderd()
    new_kind = _kind(kind)
    if org.is_gemeente and new_kind != OrganisatieSoort.GEMEENTE:
        in_use = session.execute(
            select(func.count()).select_from(Mandaat).where(Mandaat.gemeente_id == org.id)
        ).scalar_one()
        if in_use:
            raise BeheerError(
                _("Deze gemeente heeft mandaten verleend; het soort kan niet meer veranderen."),
                "kind",
            )
    org.name = _unique_name(name, exclude_id=org.id)
    org.kind = new_kind
    org.active = active
    session.flush()
    return org


# --- mandates -----------------------------------------------------------------------------------


def mandaten() -> list[Mandaat]:
    return list(session.scalars(select(Mandaat).order_by(Mandaat.valid_from.desc(), Mandaat.id)))


def create_mandaat(
    *,
    organisation_id: int | None,
    gemeente_id: int | None,
    valid_from: dt.date,
    valid_until: dt.date | None,
    besluit: str,
    actor: User,
) -> Mandaat:
    """An organisation holds the regietaak for a municipality for a period; its regisseurs then
    act "namens" the municipality (and the logboek says so)."""
    org = _organisation(organisation_id)
    if org.is_gemeente:
        raise BeheerError(
            _("Een gemeente voert de regie zelf; een mandaat is voor een andere organisatie."),
            "organisation_id",
        )
    gemeente = session.get(Organisation, gemeente_id) if gemeente_id else None
    if gemeente is None or not gemeente.is_gemeente:
        raise BeheerError(_("Kies de gemeente die het mandaat geeft."), "gemeente_id")
    besluit = (besluit or "").strip()
    if not besluit:
        raise BeheerError(_("Vul het kenmerk van het mandaatbesluit in."), "besluit")
    if len(besluit) > 200:
        raise BeheerError(_("Het kenmerk is hooguit 200 tekens."), "besluit")
    if valid_until is not None and valid_until < valid_from:
        raise BeheerError(_("De einddatum ligt voor de begindatum."), "valid_until")
    far = dt.date.max
    overlap = session.scalars(
        select(Mandaat).where(
            Mandaat.organisation_id == org.id,
            Mandaat.gemeente_id == gemeente.id,
            Mandaat.valid_from <= (valid_until or far),
            or_(Mandaat.valid_until.is_(None), Mandaat.valid_until >= valid_from),
        )
    ).first()
    if overlap is not None:
        raise BeheerError(
            _(
                "Er is al een mandaat voor deze organisatie en gemeente in die periode (%(besluit)s). Beëindig dat eerst.",
                besluit=overlap.besluit,
            ),
            "valid_from",
        )
    m = Mandaat(
        organisation_id=org.id,
        gemeente_id=gemeente.id,
        valid_from=valid_from,
        valid_until=valid_until,
        besluit=besluit,
        created_at=now(),
        created_by_id=actor.id,
    )
    session.add(m)
    session.flush()
    return m


def end_mandaat(m: Mandaat, *, end_date: dt.date) -> Mandaat:
    """End a mandate: from the day after, the organisation's regisseurs no longer reach the
    municipality's plans (see app.access)."""
    if end_date < m.valid_from:
        raise BeheerError(_("De einddatum ligt voor de begindatum van het mandaat."), "end_date")
    if m.valid_until is not None and end_date > m.valid_until:
        raise BeheerError(_("Het mandaat eindigt al eerder."), "end_date")
    m.valid_until = end_date
    session.flush()
    return m


def mandaat_status(m: Mandaat) -> str:
    day = today()
    if m.active_on(day):
        return _("Geldig")
    return _("Nog niet begonnen") if m.valid_from > day else _("Beëindigd")
