"""Inkijk in basisgegevens (Startnotitie §3.2): buitenkant facts from sources, with doelbinding."""
