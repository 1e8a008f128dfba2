"""The logboek's signals other modules subscribe to (blinker, as Flask uses)."""

from blinker import Namespace

_signals = Namespace()

# Sent after a unit of work committed its logboek lines: ``lines=[LogLine, ...]``.
lines_committed = _signals.signal("logboek-lines-committed")
