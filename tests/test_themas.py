"""The look as a setting (EENPLAN_THEMA, docs/themas.md): voorbeeld by default, amsterdam for
Gemeente Amsterdam; every stylesheet, font, logo and favicon a page names is served by Eenplan."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app.config import _thema


def test_the_setting_takes_the_known_themes_only() -> None:
    assert _thema(None) == "voorbeeld"
    assert _thema("") == "voorbeeld"
    assert _thema(" Amsterdam ") == "amsterdam"
    with pytest.raises(ValueError, match="EENPLAN_THEMA"):
        _thema("utrecht")


def _assets(app: Flask, html: str) -> list[str]:
    """Every local stylesheet, icon and image of the page, and the fonts its stylesheets load."""
    client = app.test_client()
    urls = re.findall(r'<link[^>]+href="(/static/[^"]+)"', html)
    urls += re.findall(r'<img[^>]+src="(/static/[^"]+)"', html)
    urls += re.findall(r'<script[^>]+src="(/static/[^"]+)"', html)
    for css in [u for u in urls if u.endswith(".css")]:
        body = client.get(css).get_data(as_text=True)
        base = css.rsplit("/", 1)[0]
        for ref in re.findall(r'url\("?([^")]+)"?\)', body):
            if not ref.startswith(("data:", "http", "#")):
                urls.append(f"{base}/{ref}".replace("/css/../", "/"))
    return urls


@pytest.mark.parametrize(
    ("thema", "favicon", "fonts"),
    [
        ("voorbeeld", "img/favicon.svg", "noto-fonts/fonts.css"),
        ("amsterdam", "vendor/amsterdam-design-system-assets/favicon/icon.svg", "font/fonts.css"),
    ],
)
def test_each_theme_brings_its_own_files_and_they_are_served(
    app: Flask, thema: str, favicon: str, fonts: str
) -> None:
    app.config["EENPLAN_THEMA"] = thema
    html = app.test_client().get("/inloggen").get_data(as_text=True)
    assert f'rel="icon" href="/static/{favicon}"' in html
    assert fonts in html
    assert ("ams-theme" in html) is (thema == "amsterdam")
    assert ('class="ep-brand__logo"' in html) is (thema == "amsterdam")
    urls = _assets(app, html)
    assert any(u.endswith(".woff2") for u in urls), urls
    assert any(u.endswith("chevron.svg") for u in urls), urls
    client = app.test_client()
    missing = [u for u in urls if client.get(u).status_code != 200]
    assert missing == []


def test_the_amsterdam_logo_follows_the_language(app: Flask) -> None:
    app.config["EENPLAN_THEMA"] = "amsterdam"
    client = app.test_client()
    nl = client.get("/inloggen").get_data(as_text=True)
    en = client.get("/inloggen", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "logo/amsterdam-logo.svg" in nl
    assert "logo/amsterdam-english-logo.svg" in en
