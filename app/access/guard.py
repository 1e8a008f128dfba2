"""The route guard: the one way a route reaches personal data.

Every staff, portal and API route is decorated with :func:`guard` (or, for the few pages that
show nothing personal — login, logout, the OpenAPI document — with :func:`public`; the routes of
the source systems' API, which knows no users but an organisation's token, with
:func:`source_system`). The guard runs one life cycle, in the spirit of Indico's request handlers (read arguments → check access →
process):

1. **who** — logged in, as the kind of user the route is for (staff pages send an anonymous user
   to the login page, portal pages to the portal's login; the API answers 401 before this);
2. **role** — one of ``roles`` (and ``allow(user)`` where a route needs more than a role, e.g.
   the municipality's signal team); otherwise :class:`NotAllowed` → 403, which says nothing
   about any object;
3. **why** — the processing activity is declared on the request's ledger (``verwerking``);
4. **what** — the object is resolved through the access layer (``resolve``, e.g. :data:`PLAN`:
   ``plan_for`` on the ``plan_id`` argument); :class:`NotVisible` → 404 when the user may not
   know it exists, also when ``need(obj)`` is false; the object is passed to the view as
   ``toegang``;
5. **how** — the access path and the acting role are recorded on the ledger *explicitly*
   (:meth:`Ledger.record_access`): the role on every log line, and for a stand-in the emergency
   mark with its reason. Nothing travels through ``flask.g``.

Then the view runs; after it the ledger writes the lines in the request's own transaction
(:mod:`app.logboek.web`). ``tests/test_guard.py`` fails for a route without a guard.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import redirect, url_for
from flask_login import current_user

from app.access.errors import NotAllowed, NotVisible
from app.access.kern import inkijk_plan_for, plan_kern_for
from app.access.paths import Pad, record_acting
from app.access.plans import plan_for
from app.access.signalen import afweging_for
from app.domain import Rol, Verwerkingsactiviteit
from app.extensions import login_manager
from app.logboek import current_ledger
from app.logboek import verwerking as declare_verwerking
from app.logboek.ledger import Verwerking
from app.users.models import User

F = TypeVar("F", bound=Callable[..., Any])

# A resolver: (user, the route's arguments) → the object as the user may see it, or NotVisible.
Resolver = Callable[[User, dict[str, Any]], Any]


def PLAN(user: User, args: dict[str, Any]) -> Any:  # noqa: N802 - a constant-like resolver
    """The plan of the ``plan_id`` argument as the user may see it (:func:`plan_for`)."""
    return plan_for(user, args["plan_id"])


def PLAN_KERN(user: User, args: dict[str, Any]) -> Any:  # noqa: N802
    """The ids of the ``plan_id`` plan and the user's role on it (:func:`plan_kern_for`)."""
    return plan_kern_for(user, args["plan_id"])


def INKIJK_PLAN(user: User, args: dict[str, Any]) -> Any:  # noqa: N802
    """The ``plan_id`` plan as the purpose of an inkijk (:func:`inkijk_plan_for`)."""
    return inkijk_plan_for(user, args["plan_id"])


def AFWEGING(user: User, args: dict[str, Any]) -> Any:  # noqa: N802
    """The weighing of the ``afweging_id`` argument (:func:`afweging_for`)."""
    return afweging_for(user, args["afweging_id"])


@dataclass(frozen=True)
class Guard:
    """What a route declared; kept on the view function as ``__guard__`` (tests read it)."""

    roles: tuple[Rol, ...] = ()
    portaal: bool = False
    public: bool = False
    verwerking: Verwerking | None = None
    resolve: Resolver | None = None
    need: Callable[[Any], bool] | None = None
    allow: Callable[[User], bool] | None = None
    forbidden: str | None = None
    als: Rol | None = None
    source_system: bool = False


def guard(
    *,
    roles: Iterable[Rol] = (),
    portaal: bool = False,
    verwerking: Verwerkingsactiviteit | None = None,
    name: str | None = None,
    resolve: Resolver | None = None,
    need: Callable[[Any], bool] | None = None,
    allow: Callable[[User], bool] | None = None,
    forbidden: str | None = None,
    als: Rol | None = None,
) -> Callable[[F], F]:
    """Guard a route (see the module's docstring for the life cycle).

    ``roles``: the roles that may use the route (empty: any logged-in user of its kind).
    ``portaal``: a citizen's page (a user with a person); staff get 403.
    ``verwerking``/``name``: the processing activity (a key of the register) and the name on
    its lines. ``resolve``: how the object is found (:data:`PLAN`, :data:`PLAN_KERN`,
    :data:`INKIJK_PLAN`, :data:`AFWEGING` or a function); the view gets it as ``toegang``.
    ``need``: what the user must be able to do with it (else 404, as if it did not exist).
    ``allow``: a further condition on the user (else 403, with ``forbidden`` as the detail).
    ``als``: the role the user acts in on a page without one object (e.g. a hulpverlener's
    list of their organisation's activities).
    """
    spec = Guard(
        roles=tuple(roles),
        portaal=portaal,
        verwerking=Verwerking(verwerking, name) if verwerking is not None else None,
        resolve=resolve,
        need=need,
        allow=allow,
        forbidden=forbidden,
        als=als,
    )

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            refusal = _who(spec)
            if refusal is not None:
                return refusal
            user: User = current_user._get_current_object()
            ledger = current_ledger()
            if spec.verwerking is not None and ledger.declaration is None:
                ledger.declare(spec.verwerking)
            if spec.resolve is not None:
                obj = spec.resolve(user, kwargs)
                if spec.need is not None and not spec.need(obj):
                    raise NotVisible
                pad = getattr(obj, "pad", None)
                if isinstance(pad, Pad):
                    record_acting(ledger, pad, getattr(obj, "vervanging", None))
                kwargs["toegang"] = obj
            if spec.als is not None:
                ledger.record_access(role=spec.als)
            return fn(*args, **kwargs)

        _mark(wrapper, spec)
        return wrapper  # type: ignore[return-value]

    return decorator


def public(fn: F) -> F:
    """A route that shows no personal data and needs no login (login pages, the OpenAPI
    document). Said explicitly, so that a route without any guard fails the tests."""
    _mark(fn, Guard(public=True))
    return fn


def source_system(
    *, verwerking: Verwerkingsactiviteit, name: str | None = None
) -> Callable[[F], F]:
    """A route for source systems, not users (``bronnen_api``): its blueprint authenticates the
    caller by the organisation's own token before the route runs, so there is no user, role or
    object to check here. Declares the processing activity on the ledger, like :func:`guard`,
    and marks the route as such, so that no route is left unmarked."""
    declare = declare_verwerking(verwerking, name=name)

    def decorator(fn: F) -> F:
        wrapper = declare(fn)  # the same declaration step as every other route outside the guard
        _mark(wrapper, Guard(source_system=True, verwerking=wrapper.__verwerking__))  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _who(spec: Guard) -> Any:
    """Steps 1 and 2: a response for the anonymous, NotAllowed for the wrong role."""
    if not current_user.is_authenticated:
        if spec.portaal:
            return redirect(url_for("portaal.inloggen"))
        return login_manager.unauthorized()
    if spec.portaal and not current_user.is_burger:
        raise NotAllowed
    if spec.roles and not current_user.has_role(*spec.roles):
        raise NotAllowed(spec.forbidden)
    if spec.allow is not None and not spec.allow(current_user._get_current_object()):
        raise NotAllowed(spec.forbidden)
    return None


def _mark(fn: Any, spec: Guard) -> None:
    fn.__guard__ = spec
    if spec.roles:
        fn.__roles__ = spec.roles
    if spec.verwerking is not None:
        fn.__verwerking__ = spec.verwerking


__all__ = [
    "AFWEGING",
    "INKIJK_PLAN",
    "PLAN",
    "PLAN_KERN",
    "Guard",
    "guard",
    "public",
    "source_system",
]
