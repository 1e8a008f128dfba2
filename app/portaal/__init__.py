"""Mijn Eenplan: the citizen's portal (login through OpenID Connect, their plan, their logboek)."""
