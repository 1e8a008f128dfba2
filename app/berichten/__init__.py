"""Secure messages between household, hulpverleners and regisseur (SPEC rule 17)."""
