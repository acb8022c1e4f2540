#!/usr/bin/env python3
# A local test harness: it runs fixed tools (gunicorn, locust) with arguments it builds.
# ruff: noqa: S603
"""Load test: gunicorn with production settings on the benchmark database, driven by locust.

Usage: .venv/bin/python bench/loadtest.py [--scale province] [--users 50] [--seconds 60]

The database is the one `make bench` fills (BENCH_DATABASE_URL, default
portal_bench_<scale>); it must be loaded already. Static files are collected into a
temporary folder. gunicorn listens on 127.0.0.1 only, locust sends traffic only there
and stops after --seconds; then gunicorn is stopped. Prints requests/s, median and 95th
percentile per request kind, failures and the slowest request; exits 1 when a target is
missed (0 failures, no request over 2 s). Writes bench/loadtest.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_MS = 2000
# The commune officers' share of the simulated users (locustfile.py weights them 3 of 6).
OFFICER_SHARE = 3 / 6
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
from registrations.models import Registration, RegistrationPeriod
from registrations.services import edit_lock_reason
from households.models import Household
from organizations import access
from devdata.bench.organizations import commune_officers

def work(user):
    commune = user.memberships.select_related("organization__unit").first().organization.unit
    ids = list(Household.objects.filter(area__parent=commune).values_list("pk", flat=True)[:2000])
    regs = access.visible(Registration.objects.select_related("period"), user).order_by("-period__year")
    own = access.permitted(regs, user, access.Permission.EDIT_OWN)
    editable = [r.pk for r in own[:20] if edit_lock_reason(r) is None]
    return {{
        "username": user.username,
        "households": random.Random(user.pk).sample(ids, min(50, len(ids))),
        "registration": editable[0] if editable else None,
        "registration_view": regs.values_list("pk", flat=True).first(),
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


def slow_requests(log: Path) -> dict:
    """The requests gunicorn served in over MAX_MS, and how many of them came in the first
    15 s, while the 50 users log in (an Argon2 check each, on both cores)."""
    import re
    from collections import Counter
    from datetime import datetime

    pattern = re.compile(r"^\[([^\]]+)\] (\d+) \d+ (\w+) (\S+)")
    rows = []
    for line in log.read_text(errors="replace").splitlines():
        match = pattern.match(line)
        if match:
            at = datetime.strptime(match.group(1), "%d/%b/%Y:%H:%M:%S %z")
            rows.append((at, int(match.group(2)), f"{match.group(3)} {match.group(4).split('?')[0]}"))
    if not rows:
        return {}
    start = min(at for at, _ms, _r in rows)
    slow = [(at, request) for at, ms, request in rows if ms > MAX_MS]
    kinds = Counter(re.sub(r"/\d+/", "/<id>/", request) for _at, request in slow)
    times = sorted(ms for _at, ms, _r in rows)
    return {
        "server_p50_ms": times[len(times) // 2],
        "server_p95_ms": times[int(len(times) * 0.95) - 1],
        "server_max_ms": times[-1],
        "count": len(slow),
        "in_first_15_s": sum(1 for at, _r in slow if (at - start).total_seconds() < 15),
        "by_kind": dict(kinds.most_common(6)),
    }


def client_slow(times_file: Path) -> dict:
    """The requests locust saw take over MAX_MS, and when: in the first 15 s (while the users
    log in) or after; and the slowest request after the first 15 s."""
    if not times_file.exists():
        return {}
    times = json.loads(times_file.read_text())
    if not times:
        return {}
    start = min(t for t, _ms, _name in times)
    later = [ms for t, ms, _name in times if t - start >= 15]
    slow = [(t, ms) for t, ms, _name in times if ms > MAX_MS]
    return {
        "count": len(slow),
        "in_first_15_s": sum(1 for t, _ms in slow if t - start < 15),
        "max_ms_after_15_s": max(later, default=0),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["tiny", "district", "province"], default="province")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()

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
    }
    gunicorn = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=BASE, check=True
        )
        env["LOADTEST_TARGETS"] = json.dumps(targets(env, officers=math.ceil(args.users * OFFICER_SHARE)))
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
        print(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{port}, DEBUG=0; locust: {args.users} users, {args.seconds} s"
        )
        subprocess.run(
            [str(BIN / "locust"), "-f", str(BASE / "bench" / "locustfile.py"), "--headless"]
            + ["--host", f"http://127.0.0.1:{port}", "--users", str(args.users), "--spawn-rate", "10"]
            + ["--run-time", f"{args.seconds}s", "--stop-timeout", "10", "--csv", str(out / "locust")]
            + ["--only-summary", "--loglevel", "WARNING"],
            env=env,
            cwd=BASE,
            check=False,
        )
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        shutil.rmtree(static, ignore_errors=True)
    with open(out / "locust_stats.csv") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    result = {
        "users": args.users,
        "seconds": args.seconds,
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
            for r in rows
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
    result["server"] = slow_requests(out / "gunicorn.log")
    if result["server"]:
        server = result["server"]
        print(
            f"\nServer time (gunicorn's log): p50 {server['server_p50_ms']} ms, p95 {server['server_p95_ms']} ms, "
            f"slowest {server['server_max_ms']} ms; over {MAX_MS} ms: {server['count']} requests, "
            f"{server['in_first_15_s']} of them in the first 15 s (the users logging in)"
            + (f": {', '.join(f'{k} {n}' for k, n in server['by_kind'].items())}" if server["count"] else "")
        )
    result["client"] = client_slow(out / "times.json")
    if result["client"]:
        client = result["client"]
        print(
            f"locust's times: over {MAX_MS} ms: {client['count']} requests, {client['in_first_15_s']} of them in "
            f"the first 15 s; after the first 15 s the slowest took {client['max_ms_after_15_s']:.0f} ms"
        )
    ok = result["failures"] == 0 and result["max_ms"] <= MAX_MS
    print(
        f"\n{result['requests']} requests, {result['requests_per_s']:.1f} requests/s, p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, slowest {result['max_ms']:.0f} ms, {result['failures']} failures: "
        f"{'pass' if ok else 'FAIL'} (0 failures, none over {MAX_MS} ms)"
    )
    if result["failures"] and (out / "locust_failures.csv").exists():
        print((out / "locust_failures.csv").read_text()[:3000])
    (BASE / "bench" / "loadtest.json").write_text(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
