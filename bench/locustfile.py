"""Load test users for `make loadtest` (bench/loadtest.py starts gunicorn and runs this).

Commune officers read and edit their households and their registration, Front staff
watch the tracking view and search households, leaders open their home page and dashboard. The
server runs with production settings behind an assumed HTTPS proxy, so every request says
``X-Forwarded-Proto: https`` and the (Secure) cookies are sent back by hand.
Targets (each officer's account, households, statuses and registration; the period) come from
the file LOADTEST_TARGETS_FILE names (JSON). Each simulated officer works for a commune of
their own.

LOADTEST_PROFILE=saving (``loadtest.py --profile saving``): every commune officer saves once
every SAVE_EVERY seconds, in turn a household edit, a yearly status and their registration,
through the forms, then sees what a browser shows after the save (the page the save redirects
to, then the home page with the commune's figures); Front staff and leaders read their pages as
in the default profile, and the report page too.

LOADTEST_STEP (JSON, ``loadtest.py --step N``): StepShape raises the users by a step at a time
and stops after the first step whose 95th percentile passes the limit.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, LoadTestShape, between, constant_pacing, events, task

TARGETS = (
    json.loads(Path(os.environ["LOADTEST_TARGETS_FILE"]).read_text())
    if "LOADTEST_TARGETS_FILE" in os.environ
    else {}
)
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "Bench@2017")
SAVING = os.environ.get("LOADTEST_PROFILE", "default") == "saving"
# How often each simulated officer saves in the saving profile (every 30 seconds).
SAVE_EVERY = 30
OFFICER_NUMBERS = itertools.count()
# Every request as locust saw it: [start, ms, "METHOD name", role, failed], written to
# LOADTEST_TIMES at the end, so the runner can tell when in the run the slow ones came,
# which reads came right after a save, and what each step of a stepped run served.
TIMES_FILE = os.environ.get("LOADTEST_TIMES")
TIMES: list[tuple[float, float, str, str, bool]] = []
STEPS: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, start_time=None, context=None, exception=None, **_kwargs):
    role = (context or {}).get("role", "")
    TIMES.append(
        (start_time or time.time(), response_time, f"{request_type} {name}", role, exception is not None)
    )


@events.quitting.add_listener
def _write_times(**_kwargs):
    if TIMES_FILE:
        with open(TIMES_FILE, "w") as f:
            json.dump({"times": TIMES, "steps": STEPS}, f)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class FormFields(HTMLParser):
    """The fields of the first POST form with a CSRF token, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.select: str | None = None
        self.multiple = False
        self.select_values: list[str] = []
        self.first_option: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action"):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select, self.select_values, self.first_option = name, [], None
            self.multiple = "multiple" in a
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.select_values.append(value)
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            # As a browser: a multiple select sends its chosen options (maybe none), a single
            # one its chosen option or else its first.
            if self.multiple:
                self.fields.extend((self.select, value) for value in self.select_values)
            else:
                chosen = self.select_values[-1] if self.select_values else self.first_option
                self.fields.append((self.select, chosen or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.strip("\n")))
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""
    role = ""

    def context(self):
        # Each request is recorded with who made it (see _record).
        return {"role": self.role}

    def on_start(self):
        origin = self.host.replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"})
        page = self.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
            name="log in",
        )

    def _unsecure_cookies(self):
        # Production cookies are Secure; the proxy in front would speak HTTPS. Here the
        # test talks plain HTTP to 127.0.0.1, so the cookies are sent back regardless.
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, url, name=None):
        with self.client.get(url, name=name or url, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
        self._unsecure_cookies()
        return response

    def post(self, url, data, name):
        """A form post: success is the redirect that follows a saved form. Two simulated
        officers of one organization (more users than officer accounts) edit the same
        registration, so a save based on a version the other one has just saved is refused
        (409, "changed by X at T, reload"): that is the designed answer, counted on its own
        row, not an error."""
        with self.client.post(
            url, data=data, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code == 409:
                response.request_meta["name"] = f"{name}: refused, changed meanwhile"
                response.success()
            elif response.status_code != 302:
                response.failure(f"status {response.status_code} (form not saved)")
        self._unsecure_cookies()
        return response

    def resubmit(self, url, name, change=None):
        """Open a form, change fields, and save it; the save's response, or None when the
        form did not open. ``change`` maps a field to its value, or to a list of values for
        a multiple choice (checkboxes: the ones ticked)."""
        page = self.get(url, name=f"{name} (form)")
        if page.status_code != 200:
            return None
        fields = form_fields(page.text)
        for key, value in (change or {}).items():
            fields = [(k, v) for k, v in fields if k != key]
            fields += [(key, v) for v in (value if isinstance(value, list) else [value])]
        return self.post(url, fields, name=f"{name} (save)")


class CommuneOfficer(PortalUser):
    weight = 3
    role = "officer"
    abstract = SAVING

    def on_start(self):
        officers = TARGETS["officers"]
        self.work = officers[next(OFFICER_NUMBERS) % len(officers)]
        self.username = self.work["username"]
        super().on_start()

    @task(3)
    def households(self):
        self.get("/households/", name="household list")

    @task(2)
    def household(self):
        self.get(f"/households/{random.choice(self.work['households'])}/", name="household page")

    @task(2)
    def edit_household(self):
        pk = random.choice(self.work["households"])
        self.resubmit(
            f"/households/{pk}/edit/",
            "household edit",
            change={"note": f"Cập nhật {random.randint(1, 999)}"},
        )

    @task(1)
    def gaps(self):
        self.get("/households/gaps/", name="gap list")

    @task(2)
    def registrations(self):
        self.get("/registrations/", name="registration list")

    @task(2)
    def edit_registration(self):
        pk = self.work["registration"]
        if pk:
            self.resubmit(f"/registrations/{pk}/edit/", "registration edit")
        elif self.work["registration_view"]:  # every form of the officer is locked this year
            self.get(f"/registrations/{self.work['registration_view']}/", name="registration page")

    @task(1)
    def home(self):
        self.get("/", name="home")


class SavingOfficer(PortalUser):
    """The saving profile's commune officer: one save every SAVE_EVERY seconds, in turn a
    household edit, a yearly status and the registration, each followed by what the browser
    shows next (the page the save redirects to, then the home page with the commune's
    figures): the first reads after a write of that commune."""

    weight = 3
    role = "officer"
    abstract = not SAVING
    wait_time = constant_pacing(SAVE_EVERY)

    def on_start(self):
        officers = TARGETS["officers"]
        self.work = officers[next(OFFICER_NUMBERS) % len(officers)]
        self.username = self.work["username"]
        super().on_start()
        saves = [self.save_household, self.save_status, self.save_registration]
        start = random.randrange(len(saves))
        self.saves = itertools.cycle(saves[start:] + saves[:start])
        # Officers start within a few seconds of each other; without this their saves would
        # come in one burst every SAVE_EVERY seconds instead of spread over them.
        gevent.sleep(random.uniform(0, SAVE_EVERY))

    @task
    def save(self):
        next(self.saves)()

    def after_save(self, response, page_name):
        """As the browser after a save: the page the save redirects to, then the home page."""
        if response is None or response.status_code != 302:
            return
        location = urlsplit(response.headers.get("Location", ""))
        if location.path:
            self.get(
                location.path + (f"?{location.query}" if location.query else ""),
                name=f"{page_name} (after save)",
            )
        self.get("/", name="home (after save)")

    def save_household(self):
        pk = random.choice(self.work["households"])
        response = self.resubmit(
            f"/households/{pk}/edit/", "household edit", change={"note": f"Cập nhật {random.randint(1, 999)}"}
        )
        self.after_save(response, "household page")

    def save_status(self):
        """The household's status of the latest year recorded again as it is (the same status
        and deprivations): a real save through the form and the service, which refreshes the
        commune's summaries, and the benchmark data stay as they were."""
        if not self.work["statuses"]:
            return self.save_household()
        pk, status, deprivations = random.choice(self.work["statuses"])
        response = self.resubmit(
            f"/households/{pk}/status/",
            "household status",
            change={"year": str(self.work["year"]), "status": status, "deprivations": deprivations},
        )
        self.after_save(response, "household page")

    def save_registration(self):
        pk = self.work["registration"]
        if not pk:  # every form of the officer is locked this year
            return self.save_household()
        self.after_save(self.resubmit(f"/registrations/{pk}/edit/", "registration edit"), "registration page")


class FrontStaff(PortalUser):
    weight = 2
    username = "bench.front"
    role = "front"

    @task(4)
    def tracking(self):
        self.get(f"/registration-periods/{TARGETS['period']}/", name="tracking view")

    @task(2)
    def registrations(self):
        self.get("/registrations/", name="registration list")

    @task(2)
    def search(self):
        name = random.choice(["nguyen van hung", "ro mah", "ksor", "tran thi mai", "siu"])
        self.get(f"/households/?q={name.replace(' ', '+')}", name="household search")

    @task(1)
    def gaps(self):
        self.get("/households/gaps/", name="gap list")

    @task(1)
    def home(self):
        self.get("/", name="home")

    if SAVING:  # the figures the officers' saves change, read while they save

        @task(1)
        def report(self):
            self.get("/reports/", name="report")


class Leader(PortalUser):
    weight = 1
    username = "bench.leader"
    role = "leader"

    @task(3)
    def home(self):
        self.get("/", name="home")

    @task(2)
    def dashboard(self):
        self.get("/dashboard/", name="dashboard")

    @task(1)
    def tracking(self):
        self.get(f"/registration-periods/{TARGETS['period']}/", name="tracking view")

    if SAVING:

        @task(1)
        def report(self):
            self.get("/reports/", name="report")


STEP = json.loads(os.environ.get("LOADTEST_STEP") or "null")

if STEP:

    class StepShape(LoadTestShape):
        """``first`` users, then ``step`` more every ``seconds`` until ``total`` seconds.
        Each step is measured on the requests that ended in it once its new users have
        started and logged in (``settle``); after the first step whose 95th percentile
        passes ``max_p95_ms``, the run stops."""

        def __init__(self):
            super().__init__()
            self.index = 0
            self.started_at = None  # the epoch time of the first tick

        def users(self, index: int) -> int:
            return STEP["first"] + index * STEP["step"]

        def tick(self):
            if self.started_at is None:
                self.started_at = time.time() - self.get_run_time()
            now = self.get_run_time()
            index = int(now // STEP["seconds"])
            if index > self.index or now >= STEP["total"]:
                step = self.measure(self.index)
                if step["p95_ms"] > STEP["max_p95_ms"] or now >= STEP["total"]:
                    return None
                self.index = index
            return self.users(self.index), STEP["spawn_rate"]

        def measure(self, index: int) -> dict:
            added = self.users(index) - (self.users(index - 1) if index else 0)
            settle = min(STEP["seconds"] / 2, added / STEP["spawn_rate"] + STEP["settle"])
            start = self.started_at + index * STEP["seconds"] + settle
            # A last step cut short by ``total`` ends now.
            end = min(self.started_at + (index + 1) * STEP["seconds"], time.time())
            done = [(ms, failed) for t, ms, _name, _role, failed in TIMES if start <= t + ms / 1000 < end]
            times = [ms for ms, _failed in done]
            step = {
                "users": self.users(index),
                "from": start,
                "to": end,
                "requests": len(done),
                "requests_per_s": len(done) / (end - start),
                "p50_ms": percentile(times, 0.5),
                "p95_ms": percentile(times, 0.95),
                "failures": sum(1 for _ms, failed in done if failed),
            }
            STEPS.append(step)
            return step
