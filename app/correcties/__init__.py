"""Corrections that apply: the regisseur edits a plan's person data (with history) and accepts or
rejects a citizen's correction proposal; accepting a BRP fact makes a terugmelding."""
