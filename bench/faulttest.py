#!/usr/bin/env python3
# A local test harness: it runs fixed tools (PostgreSQL, gunicorn) with arguments it builds.
# ruff: noqa: S603, S105, S608
"""Fault test: PostgreSQL restarts under load; the portal answers errors only while it is
down, recovers by itself, and leaves no partial write (docs/operations.md). While it is
down every answer is a 503 (never a 500): the pages and the writes with Retry-After and the
Vietnamese page of core.middleware, the write's saying its data was not saved.

By default it starts a private, throw-away PostgreSQL (initdb in a temporary folder, on
127.0.0.1 only) so that restarting it disturbs nobody else's database. With
``--shared-cluster`` it restarts the machine's cluster instead
(``pg_ctlcluster --skip-systemctl-redirect <version> main restart``): only on a machine
where nothing else uses it, such as a CI runner.

Then: migrate and load the demo data, start gunicorn with production settings (DEBUG=0)
on 127.0.0.1, log in as mttq.iadom, and send a bounded number of requests (GET /healthz,
GET the commune's page, POST a new residential area, which writes a unit and its five
branches in one transaction). A third of the way in, PostgreSQL is stopped for a few
seconds and started again. Bounded: at most --requests requests and --max-seconds seconds,
all to 127.0.0.1.

Usage: .venv/bin/python bench/faulttest.py [--requests 400] [--down-seconds 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
PY = str(BASE / ".venv" / "bin" / "python")
GUNICORN = str(BASE / ".venv" / "bin" / "gunicorn")
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
DEMO_PASSWORD = "DucCo@2017"
BRANCHES_PER_AREA = 5  # the Front and four organizations (no trade union at an area)


def as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


class PrivatePostgres:
    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="portal-faulttest-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def setup(self):
        as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )
        self.start()

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.dir / "log"),
                "-w",
                "start",
            ]
        )

    def stop(self):
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def restart(self, down_seconds: float):
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def cleanup(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class SharedCluster:
    def __init__(self, port: int = 5432):
        self.port = port
        self.version = sorted(os.listdir("/etc/postgresql"))[-1]

    def setup(self):
        pass

    def restart(self, down_seconds: float):
        ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, "main"]
        subprocess.run([*ctl, "stop", "-m", "fast"], check=True)
        time.sleep(down_seconds)
        subprocess.run([*ctl, "start"], check=True)

    def cleanup(self):
        pass


class Browser:
    """A tiny HTTP client with its own cookies, speaking to gunicorn as if behind HTTPS."""

    def __init__(self, port: int, timeout: float = 5):
        self.port, self.timeout, self.cookies = port, timeout, {}
        self.retry_after = ""  # of the last response

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": f"127.0.0.1:{self.port}",
            "Referer": origin + path,
            "Origin": origin,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            self.retry_after = response.getheader("Retry-After") or ""
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", text
        finally:
            conn.close()

    def csrf(self, path: str) -> str:
        status, _, body = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} (status {status})")
        return match.group(1)


@dataclass
class Result:
    t: float
    kind: str
    status: int | str
    # A 503 of a page or a write: with Retry-After and the page that says what happened.
    explained: bool = True


# core.middleware's 503 page (templates/503.html): interrupted, nothing lost; a write's
# data not saved.
INTERRUPTED = "Hệ thống tạm thời gián đoạn"
NOT_SAVED = "Dữ liệu bạn vừa gửi chưa được lưu."


def explained(browser: Browser, kind: str, status: int | str, text: str) -> bool:
    if status != 503 or kind == "healthz":
        return True
    return browser.retry_after.isdigit() and INTERRUPTED in text and (kind != "write" or NOT_SAVED in text)


def wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def psql(port: int, database: str, sql: str) -> str:
    out = subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            database,
            "-Atc",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400, help="upper bound on requests (default 400)")
    parser.add_argument("--max-seconds", type=float, default=120, help="upper bound on the load phase")
    parser.add_argument("--down-seconds", type=float, default=4, help="how long PostgreSQL stays down")
    parser.add_argument("--pg-port", type=int, default=54329)
    parser.add_argument("--app-port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--shared-cluster", action="store_true", help="restart the machine's cluster (CI only)"
    )
    args = parser.parse_args()
    if args.requests > 5000 or args.max_seconds > 600:
        parser.error("keep it bounded: at most 5000 requests and 600 seconds")

    pg = SharedCluster() if args.shared_cluster else PrivatePostgres(args.pg_port)
    database = f"portal_faulttest_{os.getpid()}"
    gunicorn = log = None
    made_static = False
    try:
        print(
            f"PostgreSQL: {'shared cluster' if args.shared_cluster else 'private instance'} on port {pg.port}"
        )
        pg.setup()
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", database],
            check=True,
        )
        db_url = f"postgres://postgres@127.0.0.1:{pg.port}/{database}"
        common = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
        common["DATABASE_URL"] = db_url
        dev = {**common, "DEBUG": "1"}
        for step in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run([PY, "manage.py", *step], cwd=BASE, env=dev, check=True, capture_output=True)
        prod = {
            **common,
            "DEBUG": "0",
            "SECRET_KEY": "faulttest-" + os.urandom(24).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }
        # STATIC_ROOT is the project's staticfiles/; removed afterwards if this run made it.
        made_static = not (BASE / "staticfiles").exists()
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput"],
            cwd=BASE,
            env=prod,
            check=True,
            capture_output=True,
        )
        commune = psql(pg.port, database, "select id from organizations_unit where official_code = 23872")
        log = open(Path(tempfile.gettempdir()) / "portal-faulttest-gunicorn.log", "w")
        gunicorn = subprocess.Popen(
            [GUNICORN, "portal.wsgi:application", "-b", f"127.0.0.1:{args.app_port}", "-w", str(args.workers)]
            + ["--timeout", "30", "--access-logfile", "-"],
            cwd=BASE,
            env=prod,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        browser = Browser(args.app_port)
        probe = Browser(args.app_port)  # a load balancer's health check: no cookies
        wait_until(lambda: probe.request("GET", "/healthz")[0] == 200, 30, "gunicorn")

        token = browser.csrf("/accounts/login/")
        status, location, _ = browser.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": "mttq.iadom", "password": DEMO_PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"login failed: {status}")
        token = browser.csrf(f"/units/{commune}/")
        print(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{args.app_port}, production settings, logged in"
        )

        results: list[Result] = []
        window: dict[str, float] = {}
        start = time.monotonic()
        restart_at = args.requests // 3

        def restart():
            window["down"] = time.monotonic() - start
            pg.restart(args.down_seconds)
            window["up"] = time.monotonic() - start

        restarter = None
        created = 0
        for i in range(args.requests):
            if time.monotonic() - start > args.max_seconds:
                break
            if i == restart_at:
                restarter = threading.Thread(target=restart)
                restarter.start()
            kind = ("healthz", "page", "write")[i % 3]
            text = ""
            try:
                if kind == "healthz":
                    status = probe.request("GET", "/healthz")[0]
                elif kind == "page":
                    status, _, text = browser.request("GET", f"/units/{commune}/")
                else:
                    name = f"Thôn Thử {i}"
                    status, _, text = browser.request(
                        "POST", f"/units/{commune}/areas/new/", {"csrfmiddlewaretoken": token, "name": name}
                    )
                    created += status == 302
            except OSError as exc:
                status = type(exc).__name__
            results.append(
                Result(time.monotonic() - start, kind, status, explained(browser, kind, status, text))
            )
            time.sleep(0.05)
        if restarter:
            restarter.join()
        elapsed = time.monotonic() - start

        def ok(r: Result) -> bool:
            return r.status == 200 or (r.kind == "write" and r.status == 302)

        down, up = window.get("down", 0), window.get("up", 0)
        before = [r for r in results if r.t < down]
        during = [r for r in results if down <= r.t <= up]
        after = [r for r in results if r.t > up]
        first_ok_after = next((r.t for r in after if ok(r)), None)
        # The first request after PostgreSQL is back may still see the old connection only
        # if health checks were off; with CONN_HEALTH_CHECKS it reconnects at once.
        errors_after = [r for r in after if not ok(r)]
        partial = psql(
            pg.port,
            database,
            "select count(*) from organizations_unit u where u.name like 'Thôn Thử %' and "
            f"(select count(*) from organizations_organization o where o.unit_id = u.id) <> {BRANCHES_PER_AREA}",
        )
        stored = psql(
            pg.port, database, "select count(*) from organizations_unit where name like 'Thôn Thử %'"
        )

        def summary(rs: list[Result]) -> str:
            counts: dict[str, int] = {}
            for r in rs:
                counts[str(r.status)] = counts.get(str(r.status), 0) + 1
            errors = sum(1 for r in rs if not ok(r))
            return f"{len(rs)} requests, {errors} errors, statuses {dict(sorted(counts.items()))}"

        print(
            f"load: {len(results)} requests in {elapsed:.1f} s (bounded by {args.requests} and {args.max_seconds:.0f} s)"
        )
        print(
            f"PostgreSQL down from {down:.1f} s to {up:.1f} s (stopped {args.down_seconds:.0f} s, then started)"
        )
        print(f"  before the restart: {summary(before)}")
        print(f"  while down:         {summary(during)}")
        print(f"  after it was back:  {summary(after)}")
        server_errors = [r for r in results if r.status == 500]
        unexplained = [r for r in results if not r.explained]
        print(f"500 answers: {len(server_errors)} (none expected: a database outage answers 503)")
        print(f"503 answers of pages and writes without Retry-After or the outage page: {len(unexplained)}")
        health_down = sorted({str(r.status) for r in during if r.kind == "healthz"})
        print(f"/healthz while down: {', '.join(health_down) or '-'} (a load balancer takes the server out)")
        if first_ok_after is not None:
            print(f"first success {first_ok_after - up:.2f} s after PostgreSQL was back")
        print(
            f"writes: {created} areas created (302), {stored} stored, {partial} with a partial set of branches"
        )
        passed = (
            not [r for r in before if not ok(r)]
            and not errors_after
            and not server_errors
            and not unexplained
            and partial == "0"
            and int(stored) == created
        )
        print(
            "RESULT:",
            "PASS (503s only while PostgreSQL was down, no 500; no partial write)" if passed else "FAIL",
        )
        return 0 if passed else 1
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if log is not None:
            log.close()
        if made_static:
            shutil.rmtree(BASE / "staticfiles", ignore_errors=True)
        if isinstance(pg, SharedCluster):
            subprocess.run(
                [
                    str(PG_BIN / "dropdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(pg.port),
                    "-U",
                    "postgres",
                    "--if-exists",
                    database,
                ]
            )
        pg.cleanup()


if __name__ == "__main__":
    sys.exit(main())
