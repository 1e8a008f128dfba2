"""Where the CPU went during a run: the server's processes, PostgreSQL, the load generator (this
process), the jobs it started, and the rest of the machine — read from ``/proc`` (Linux).

A p95 under load is mostly queueing once the cores are full; this says how full they were and
who filled them, so that a page's figure can be read as "the app is slow" or "the machine was
busy", and the CPU per request says what one click costs the server and the database together.

    before = cpu.snapshot(server.pid)
    ...  # the drive
    print(cpu.report(before, cpu.snapshot(server.pid), requests=n))
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

TICK = float(os.sysconf("SC_CLK_TCK")) if hasattr(os, "sysconf") else 100.0
PROC = Path("/proc")

GROUPS = ("server", "postgres", "load generator", "jobs", "other")


def _stat(pid: str) -> tuple[str, int, float] | None:
    """(comm, process group, CPU seconds of the process and of its children it waited for)."""
    try:
        raw = (PROC / pid / "stat").read_text()
    except OSError:  # ended meanwhile
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    # fields 3.. of proc(5): state ppid pgrp ... utime(14) stime(15) cutime(16) cstime(17)
    pgrp = int(rest[2])
    seconds = sum(int(v) for v in rest[11:15]) / TICK
    return comm, pgrp, seconds


def _machine() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot."""
    fields = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:9]]
    total = sum(fields)
    idle = fields[3] + fields[4]  # idle, iowait
    return (total - idle) / TICK, total / TICK


def snapshot(server_pgid: int | None) -> dict[str, float]:
    """CPU seconds used so far per group (see :data:`GROUPS`), plus the machine's ``_busy`` and
    ``_all`` and the wall clock ``_wall``. PostgreSQL's ended backends count through the
    postmaster's waited-for children, the server's through its master's."""
    server = postgres = 0.0
    if PROC.is_dir():
        for entry in os.scandir(PROC):
            if not entry.name.isdigit():
                continue
            stat = _stat(entry.name)
            if stat is None:
                continue
            comm, pgrp, seconds = stat
            if server_pgid is not None and pgrp == server_pgid:
                server += seconds
            elif comm == "postgres":
                postgres += seconds
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, total = _machine() if PROC.is_dir() else (0.0, 0.0)
    return {
        "server": server,
        "postgres": postgres,
        "load generator": own.ru_utime + own.ru_stime,
        "jobs": children.ru_utime + children.ru_stime,
        "_busy": busy,
        "_all": total,
        "_wall": time.monotonic(),
    }


def report(before: dict[str, float], after: dict[str, float], *, requests: int) -> str:
    """A few lines: per group its CPU seconds and share of the machine; the machine's use; and
    CPU milliseconds per request for the server and PostgreSQL together."""
    wall = after["_wall"] - before["_wall"]
    capacity = after["_all"] - before["_all"]  # CPU seconds the machine had (cores × wall)
    if capacity <= 0 or wall <= 0:
        return "CPU: not measured (no /proc)"
    used = {g: after[g] - before[g] for g in GROUPS if g != "other"}
    busy = after["_busy"] - before["_busy"]
    used["other"] = max(0.0, busy - sum(used.values()))
    cores = capacity / wall
    lines = [
        f"CPU over {wall:.0f} s on {cores:.0f} cores: busy {100 * busy / capacity:.0f}% "
        f"({busy:.0f} of {capacity:.0f} CPU-s)"
    ]
    for group in GROUPS:
        lines.append(
            f"  {group:<15} {used[group]:7.1f} CPU-s  {100 * used[group] / capacity:3.0f}% of the machine"
        )
    if requests:
        app = used["server"] + used["postgres"]
        lines.append(
            f"  per request (server + PostgreSQL): {1000 * app / requests:.1f} CPU-ms "
            f"over {requests} requests ({requests / wall:.1f}/s)"
        )
    return "\n".join(lines)
