"""Helpers for the tests (not tests themselves): the fixed test world, logging in, and the
external services the tests run against (an OpenID Connect provider, a Haal Centraal server)."""
