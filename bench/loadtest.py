#!/usr/bin/env python3
# A local test harness: it runs fixed tools (gunicorn, locust) with arguments it builds.
# ruff: noqa: S603
"""Load test: gunicorn with production settings on the benchmark database, driven by locust.

Usage: .venv/bin/python bench/loadtest.py [--scale province] [--users 50] [--seconds 60]
                                          [--profile default|saving] [--step N [--step-seconds 15]]

    .venv/bin/python bench/loadtest.py                         # `make loadtest`
    .venv/bin/python bench/loadtest.py --profile saving        # every officer saves every 30 s
    .venv/bin/python bench/loadtest.py --users 150             # the capacity target: p95 <= 1 s
    .venv/bin/python bench/loadtest.py --users 40 --step 20    # 40, 60, 80, 100 users until p95 > 1 s

The database is the one `make bench` fills (BENCH_DATABASE_URL, default
portal_bench_<scale>); it must be loaded already. Static files are collected into a
temporary folder. gunicorn listens on 127.0.0.1 only, locust sends traffic only there
and stops after --seconds; then gunicorn is stopped. Prints requests/s, median and 95th
percentile per request kind, failures and the slowest request, the server's time per
request kind (where the time goes); exits 1 when a target is missed. Writes
bench/loadtest.json. Half the users are commune officers (one commune each), a third Front
staff of the program's level, a sixth leaders (bench/locustfile.py).

Profiles:
- default: officers read and edit their households and registration, Front staff and leaders
  read their pages, 1-3 s apart. Targets: 0 failures, p95 <= 1 s (with 150 users),
  no request over 2 s.
- saving: every officer saves every 30 s through the forms (in turn a household edit, a
  yearly status recorded again as it is, the registration), then opens the page the save
  leads to and the home page; Front staff and leaders read as in the default profile, and
  the report page. Also prints the saves' p50/p95 and the p95 of the reads right after a
  save: the officer's own pages after the save (the first reads of the commune written) and
  the Front's and leaders' first request of each kind after any save ended. Targets:
  0 failures, p95 <= 300 ms.

Capacity (--step N): the run starts with --users users and adds N every --step-seconds, up
to --seconds; each step is measured once its new users have logged in. Prints requests/s,
p50 and p95 per step (locust's and the server's) and stops after the first step whose p95
passes --max-p95 (1 s): the requests/s at which p95 passes 1 s. No pass/fail.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_MS = 2000
# The 95th percentile each profile must keep.
MAX_P95_MS = {"default": 1000, "saving": 300}
# The commune officers' share of the simulated users (locustfile.py weights them 3 of 6).
OFFICER_SHARE = 3 / 6
# In a stepped run, seconds after a step's new users have started before it is measured
# (their logins, an Argon2 check each, are not what the step measures).
STEP_SETTLE_S = 4
# One line per request: seconds since the epoch when it ended, milliseconds it took, the request.
ACCESS_LOG = "%(t)s %(M)s %(s)s %(r)s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets(env: dict, officers: int) -> dict:
    """What the simulated users work on: for each commune officer (one commune each, the
    accounts created when missing), households of the commune and the officer's editable
    registration; the latest period."""
    code = f"""
import json, random
import django
django.setup()
from django.core.exceptions import ValidationError
from registrations.models import Registration, RegistrationPeriod
from registrations.services import edit_lock_reason
from households.models import Household, HouseholdStatus
from households.selectors import latest_year
from households.standards import check_status
from organizations import access
from devdata.bench.organizations import commune_officers

def valid(year, status, deprivations):
    try:
        check_status(year=year, status=status, deprivations=deprivations)
    except ValidationError:
        return False
    return True

def work(user):
    commune = user.memberships.select_related("organization__unit").first().organization.unit
    ids = list(Household.objects.filter(area__parent=commune).values_list("pk", flat=True)[:2000])
    households = random.Random(user.pk).sample(ids, min(50, len(ids)))
    regs = access.visible(Registration.objects.select_related("period"), user).order_by("-period__year")
    own = access.permitted(regs, user, access.Permission.EDIT_OWN)
    editable = [r.pk for r in own[:20] if edit_lock_reason(r) is None]
    # The saving profile records these statuses again as they are (the status form's year):
    # only those the status form accepts today.
    year = latest_year(user)
    statuses = HouseholdStatus.objects.filter(household__in=households, year=year)
    return {{
        "username": user.username,
        "households": households,
        "registration": editable[0] if editable else None,
        "registration_view": regs.values_list("pk", flat=True).first(),
        "year": year,
        "statuses": [
            [s.household_id, s.status, list(s.deprivations or [])]
            for s in statuses
            if valid(year, s.status, list(s.deprivations or []))
        ],
    }}

print(json.dumps({{
    "officers": [work(user) for user in commune_officers({officers})],
    "period": RegistrationPeriod.objects.order_by("-year").first().pk,
}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BASE, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the whole machine, by the gunicorn master and its workers,
    by PostgreSQL's processes (the benchmark database's work) and by this script's finished
    children (locust). The machine is shared (Linux /proc): what the others took out of the
    2 cores during the run is the machine's share minus these."""
    tick = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    used = {"machine": (sum(fields[:8]) - fields[3] - fields[4]) / tick, "gunicorn": 0.0, "postgres": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        rest = text[text.rindex(")") + 2 :].split()
        # utime and stime, then cutime and cstime: the children it has reaped (PostgreSQL's
        # backends that closed, gunicorn's workers that were replaced).
        pid, ppid = int(stat.parent.name), int(rest[1])
        cpu = sum(int(v) for v in rest[11:15]) / tick
        if pid == gunicorn_pid or ppid == gunicorn_pid:
            used["gunicorn"] += cpu
        elif name == "postgres":
            used["postgres"] += cpu
    children = os.times()
    used["locust"] = children.children_user + children.children_system
    return used


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values), as locustfile.percentile."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def server_rows(log: Path) -> list[tuple[float, int, str]]:
    """gunicorn's access log: (epoch seconds when served, to the second; milliseconds it
    took; the request's kind: method and path with ids as <id>, "?q" for a search)."""
    pattern = re.compile(r"^\[([^\]]+)\] (\d+) \d+ (\w+) (\S+)")
    rows = []
    for line in log.read_text(errors="replace").splitlines():
        match = pattern.match(line)
        if match:
            at = datetime.strptime(match.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp()
            path, _sep, query = match.group(4).partition("?")
            kind = re.sub(r"/\d+/", "/<id>/", path) + ("?q" if "q=" in query else "")
            rows.append((at, int(match.group(2)), f"{match.group(3)} {kind}"))
    return rows


def slow_requests(rows: list[tuple[float, int, str]]) -> dict:
    """The requests gunicorn served in over MAX_MS, and how many of them came in the first
    15 s, while the users log in (an Argon2 check each, on both cores)."""
    if not rows:
        return {}
    start = min(at for at, _ms, _r in rows)
    slow = [(at, request) for at, ms, request in rows if ms > MAX_MS]
    kinds = Counter(request for _at, request in slow)
    times = [ms for _at, ms, _r in rows]
    return {
        "server_p50_ms": percentile(times, 0.5),
        "server_p95_ms": percentile(times, 0.95),
        "server_max_ms": max(times),
        "count": len(slow),
        "in_first_15_s": sum(1 for at, _r in slow if at - start < 15),
        "by_kind": dict(kinds.most_common(6)),
    }


def server_time_by_kind(rows: list[tuple[float, int, str]], top: int = 10) -> list[dict]:
    """Where the server's time went: per request kind, the count, p50, p95 and the share of
    all the time served, largest share first."""
    by_kind = defaultdict(list)
    for _at, ms, kind in rows:
        by_kind[kind].append(ms)
    total = sum(ms for _at, ms, _k in rows) or 1
    kinds = [
        {
            "kind": kind,
            "count": len(times),
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
            "seconds": round(sum(times) / 1000, 1),
            "share": sum(times) / total,
        }
        for kind, times in by_kind.items()
    ]
    return sorted(kinds, key=lambda k: -k["seconds"])[:top]


def client_slow(times: list) -> dict:
    """The requests locust saw take over MAX_MS, and when: in the first 15 s (while the users
    log in) or after; the slowest request and the p95 after the first 15 s."""
    if not times:
        return {}
    start = min(row[0] for row in times)
    later = [row[1] for row in times if row[0] - start >= 15]
    slow = [(row[0], row[1]) for row in times if row[1] > MAX_MS]
    return {
        "count": len(slow),
        "in_first_15_s": sum(1 for t, _ms in slow if t - start < 15),
        "max_ms_after_15_s": max(later, default=0),
        "p95_ms_after_15_s": percentile(later, 0.95),
    }


def after_saves(times: list) -> dict:
    """The saving profile's own figures, from locust's record of every request
    ([start, ms, "METHOD name", role, failed]): the saves (form posts), and the reads right
    after a save. Those are the officer's pages opened after their save (named "... (after
    save)": the first reads of the commune just written) and, of the Front's and leaders'
    reads, the first request of each kind after any save ended (their figures cover every
    commune, so any save changes them); beside them, all of the Front's and leaders' reads."""
    saves = [row for row in times if row[2].startswith("POST") and "(save)" in row[2]]
    ends = sorted(t + ms / 1000 for t, ms, _name, _role, failed in saves if not failed)
    officers = [ms for _t, ms, name, _role, _failed in times if name.endswith("(after save)")]
    readers = sorted(
        (t, ms, name)
        for t, ms, name, role, _failed in times
        if role in ("front", "leader") and name.startswith("GET")
    )
    previous: dict[str, float] = {}  # the start of the last request of each kind
    first = []
    for t, ms, name in readers:
        saved = bisect.bisect_right(ends, t)  # saves ended by the time this request started
        if saved and ends[saved - 1] > previous.get(name, 0):
            first.append(ms)
        previous[name] = t
    save_times = [ms for _t, ms, _name, _role, _failed in saves]
    return {
        "saves": len(saves),
        "saves_refused": sum(1 for row in saves if "refused" in row[2]),
        "save_p50_ms": percentile(save_times, 0.5),
        "save_p95_ms": percentile(save_times, 0.95),
        "officer_reads_after_save": len(officers),
        "officer_reads_after_save_p95_ms": percentile(officers, 0.95),
        "front_leader_first_reads_after_save": len(first),
        "front_leader_first_reads_after_save_p95_ms": percentile(first, 0.95),
        "front_leader_reads": len(readers),
        "front_leader_reads_p95_ms": percentile([ms for _t, ms, _n in readers], 0.95),
    }


def steps_with_server(steps: list[dict], rows: list[tuple[float, int, str]]) -> list[dict]:
    """Each step of a stepped run with the server's p50 and p95 over the same seconds."""
    for step in steps:
        times = [ms for at, ms, _k in rows if step["from"] <= at < step["to"]]
        step["server_p50_ms"] = percentile(times, 0.5)
        step["server_p95_ms"] = percentile(times, 0.95)
    return steps


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["tiny", "district", "province"], default="province")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--profile", choices=["default", "saving"], default="default")
    parser.add_argument("--step", type=int, default=0, help="users added at each step (capacity run)")
    parser.add_argument("--step-seconds", type=int, default=15)
    parser.add_argument(
        "--max-p95", type=int, default=None, help="ms; default 1000, 300 for --profile saving"
    )
    args = parser.parse_args()
    max_p95 = args.max_p95 or MAX_P95_MS[args.profile]
    # The machine is shared: what else ran is part of the figures.
    load_before = os.getloadavg()[0]
    steps = math.ceil(args.seconds / args.step_seconds) if args.step else 1
    most_users = args.users + (steps - 1) * args.step

    static = Path(tempfile.mkdtemp(prefix="portal-loadtest-static-"))
    out = Path(tempfile.mkdtemp(prefix="portal-loadtest-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.loadtest_settings",
        "DEBUG": "0",
        "SECRET_KEY": os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/portal_bench_{args.scale}"
        ),
        "LOADTEST_STATIC_ROOT": str(static),
        "LOADTEST_TIMES": str(out / "times.json"),
        "LOADTEST_PROFILE": args.profile,
    }
    if args.step:
        env["LOADTEST_STEP"] = json.dumps(
            {
                "first": args.users,
                "step": args.step,
                "seconds": args.step_seconds,
                "total": args.seconds,
                "spawn_rate": 10,
                "settle": STEP_SETTLE_S,
                "max_p95_ms": max_p95,
            }
        )
    gunicorn = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=BASE, check=True
        )
        # One account more than the officers' share: locust may round the classes' shares up,
        # and two simulated officers on one account refuse each other's saves.
        # In a file: for 150 users they pass the 128 KB an environment variable may hold.
        (out / "targets.json").write_text(
            json.dumps(targets(env, officers=math.ceil(most_users * OFFICER_SHARE) + 1))
        )
        env["LOADTEST_TARGETS_FILE"] = str(out / "targets.json")
        log = open(out / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ]
            + ["--timeout", "30", "--access-logfile", "-", "--access-logformat", ACCESS_LOG],
            env=env,
            cwd=BASE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or gunicorn.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; see {out / 'gunicorn.log'}") from None
                time.sleep(0.3)
        load = (
            f"{args.users} users, {args.step} more every {args.step_seconds} s up to {most_users}"
            if args.step
            else f"{args.users} users"
        )
        print(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{port}, DEBUG=0; locust: {load}, {args.seconds} s, "
            f"profile {args.profile}; load average before: {load_before:.1f}"
        )
        cpu_before, started = cpu_seconds(gunicorn.pid), time.monotonic()
        # In a stepped run locustfile.StepShape sets the users and the end.
        shape = (
            []
            if args.step
            else ["--users", str(args.users), "--spawn-rate", "10", "--run-time", f"{args.seconds}s"]
        )
        subprocess.run(
            [str(BIN / "locust"), "-f", str(BASE / "bench" / "locustfile.py"), "--headless"]
            + ["--host", f"http://127.0.0.1:{port}", *shape]
            + ["--stop-timeout", "10", "--csv", str(out / "locust")]
            + ["--only-summary", "--loglevel", "WARNING"],
            env=env,
            cwd=BASE,
            check=False,
        )
        load_after = os.getloadavg()[0]
        cpu_after, elapsed = cpu_seconds(gunicorn.pid), time.monotonic() - started
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        shutil.rmtree(static, ignore_errors=True)
    with open(out / "locust_stats.csv") as f:
        stats = list(csv.DictReader(f))
    total = next(r for r in stats if r["Name"] == "Aggregated")
    result = {
        "profile": args.profile,
        "users": args.users,
        "seconds": args.seconds,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_s": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "max_ms": float(total["Max Response Time"]),
        "by_request": [
            {
                "name": r["Name"],
                "method": r["Type"],
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]),
                "max_ms": float(r["Max Response Time"]),
            }
            for r in stats
            if r["Name"] != "Aggregated"
        ],
    }
    print(f"\n{'request':36} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for r in result["by_request"]:
        print(
            f"{r['method'] + ' ' + r['name']:36} {r['requests']:6d} {r['failures']:5d} "
            f"{r['p50_ms']:7.0f} {r['p95_ms']:7.0f} {r['max_ms']:7.0f}"
        )
    # The times above are locust's: they include the wait for a free worker and locust's own
    # share of the same 2 cores. gunicorn's log has the time each request took to serve.
    rows = server_rows(out / "gunicorn.log")
    result["server"] = slow_requests(rows)
    if result["server"]:
        server = result["server"]
        print(
            f"\nServer time (gunicorn's log): p50 {server['server_p50_ms']} ms, p95 {server['server_p95_ms']} ms, "
            f"slowest {server['server_max_ms']} ms; over {MAX_MS} ms: {server['count']} requests, "
            f"{server['in_first_15_s']} of them in the first 15 s (the users logging in)"
            + (f": {', '.join(f'{k} {n}' for k, n in server['by_kind'].items())}" if server["count"] else "")
        )
    result["server_by_kind"] = server_time_by_kind(rows)
    if result["server_by_kind"]:
        print("\nWhere the server's time went (gunicorn's log), largest share first:")
        print(f"{'request':36} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'seconds':>8} {'share':>6}")
        for k in result["server_by_kind"]:
            print(
                f"{k['kind'][:36]:36} {k['count']:6d} {k['p50_ms']:7.0f} {k['p95_ms']:7.0f} "
                f"{k['seconds']:8.1f} {k['share']:6.0%}"
            )
    recorded = json.loads((out / "times.json").read_text()) if (out / "times.json").exists() else {}
    times = recorded.get("times", [])
    result["client"] = client_slow(times)
    if result["client"]:
        client = result["client"]
        print(
            f"\nlocust's times: over {MAX_MS} ms: {client['count']} requests, {client['in_first_15_s']} of them in "
            f"the first 15 s; after the first 15 s (the logins) p95 {client['p95_ms_after_15_s']:.0f} ms, "
            f"the slowest {client['max_ms_after_15_s']:.0f} ms"
        )
    if args.profile == "saving":
        saved = result["after_saves"] = after_saves(times)
        print(
            f"Saves: {saved['saves']} ({saved['saves_refused']} refused as changed meanwhile), "
            f"p50 {saved['save_p50_ms']:.0f} ms, p95 {saved['save_p95_ms']:.0f} ms. Reads right after a save: "
            f"the officers' {saved['officer_reads_after_save']} (the page saved, then home) p95 "
            f"{saved['officer_reads_after_save_p95_ms']:.0f} ms; the Front's and leaders' first of each kind after a "
            f"save, {saved['front_leader_first_reads_after_save']} of {saved['front_leader_reads']}, p95 "
            f"{saved['front_leader_first_reads_after_save_p95_ms']:.0f} ms (all of their reads: p95 "
            f"{saved['front_leader_reads_p95_ms']:.0f} ms)"
        )
    if args.step:
        result["steps"] = steps_with_server(recorded.get("steps", []), rows)
        print(
            f"\n{'users':>5} {'requests/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'fail':>5} {'server p50/p95 ms':>18}"
        )
        for step in result["steps"]:
            print(
                f"{step['users']:5d} {step['requests_per_s']:10.1f} {step['p50_ms']:7.0f} {step['p95_ms']:7.0f} "
                f"{step['failures']:5d} {step['server_p50_ms']:8.0f} / {step['server_p95_ms']:<7.0f}"
            )
        passed = next((s for s in result["steps"] if s["p95_ms"] > max_p95), None)
        below = [s for s in result["steps"] if s["p95_ms"] <= max_p95]
        if passed:
            before = (
                f"; the step before, {below[-1]['users']} users: {below[-1]['requests_per_s']:.1f} requests/s"
                if below
                else ""
            )
            print(
                f"p95 passed {max_p95} ms at {passed['users']} users, {passed['requests_per_s']:.1f} requests/s "
                f"(p95 {passed['p95_ms']:.0f} ms){before}"
            )
        elif below:
            print(
                f"p95 stayed within {max_p95} ms up to {below[-1]['users']} users, "
                f"{below[-1]['requests_per_s']:.1f} requests/s"
            )
    checks = {"0 failures": result["failures"] == 0, f"p95 <= {max_p95} ms": result["p95_ms"] <= max_p95}
    if args.profile == "default":
        checks[f"none over {MAX_MS} ms"] = result["max_ms"] <= MAX_MS
    ok = all(checks.values())
    verdict = "no target (a stepped run)" if args.step else "pass" if ok else "FAIL"
    print(
        f"\n{result['requests']} requests, {result['requests_per_s']:.1f} requests/s, p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, slowest {result['max_ms']:.0f} ms, {result['failures']} failures: {verdict} "
        f"({', '.join(name + (': yes' if met else ': no') for name, met in checks.items())}); "
        f"load average after: {load_after:.1f}"
    )
    cpu = {k: round(cpu_after[k] - cpu_before[k], 1) for k in cpu_after}
    cpu["others"] = round(cpu["machine"] - cpu["gunicorn"] - cpu["postgres"] - cpu["locust"], 1)
    result["cpu_seconds"] = {**cpu, "available": round(elapsed * (os.cpu_count() or 1), 1)}
    print(
        f"CPU during the run ({os.cpu_count()} cores x {elapsed:.0f} s = {result['cpu_seconds']['available']:.0f} s): "
        f"gunicorn {cpu['gunicorn']:.0f} s, PostgreSQL {cpu['postgres']:.0f} s, locust {cpu['locust']:.0f} s, "
        f"other processes {cpu['others']:.0f} s"
    )
    if result["failures"] and (out / "locust_failures.csv").exists():
        print((out / "locust_failures.csv").read_text()[:3000])
    (BASE / "bench" / "loadtest.json").write_text(json.dumps(result, indent=2))
    return 0 if ok or args.step else 1


if __name__ == "__main__":
    sys.exit(main())
