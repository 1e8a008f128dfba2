"""Paged lists (issue 17): a stable order, counts, and the last pages read from the other end
(app/plans/paging.py) — the same rows as reading from the front."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.db import session
from app.plans import paging
from app.plans.views import werklijst
from app.users.models import User
from tests.conftest import login


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_every_page_read_from_either_end_is_the_same(app: Flask, size: int) -> None:
    with app.app_context():
        stmt = select(User)
        forward = list(session.scalars(stmt.order_by(User.name, User.id)))
        total = paging.count(stmt, User.id)
        assert total == len(forward) > 5
        pages = []
        for page in range(1, -(-total // size) + 2):
            pages.append(
                paging.page_rows(
                    stmt,
                    (User.name, User.id),
                    (User.name.desc(), User.id.desc()),
                    page=page,
                    size=size,
                    total=total,
                )
            )
        assert pages[-1] == []  # past the end
        assert [u.id for p in pages for u in p] == [u.id for u in forward]


def test_the_activities_of_my_organisation_are_paged(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(werklijst, "ACTIVITIES_PAGE_SIZE", 1)
    login(client, "hulp_jeugd")
    first = client.get("/activiteiten?toon=alle").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "2 activiteiten." in first
    seen = []
    for page in (1, 2):
        html = client.get(f"/activiteiten?toon=alle&pagina={page}").get_data(as_text=True)
        seen.append(
            [
                t
                for t in (
                    "Gezinsbegeleiding thuis",
                    "Begeleiding bij school",
                    "Opvoedondersteuning thuis",
                )
                if t in html
            ]
        )
    assert all(len(s) == 1 for s in seen) and len({s[0] for s in seen}) == 2
    assert "Volgende pagina" not in html and "Vorige pagina" in html
    assert client.get("/activiteiten?pagina=0").status_code == 400
