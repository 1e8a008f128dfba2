"""Sturingsinformatie: management information that reveals no one.

Counts, durations and rates about caseload, the signal funnel, time to help, cooperation and
privacy, per month and per quarter, for the teamleider (their team) and the role *beleid* (the
municipality as a whole). Pages read only the aggregates in ``sturing_cijfer``, which
``flask sturing bijwerken`` recomputes (idempotent, safe from cron); every table is shown with
small-number suppression (``app/sturing/onderdrukking.py``). See ``docs/sturing.md``.
"""
