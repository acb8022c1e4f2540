"""Load test users for `make loadtest` (bench/loadtest.py starts gunicorn and runs this).

Commune officers read and edit their households and their registration, Front staff
watch the tracking view and search households, leaders open their home page and dashboard. The
server runs with production settings behind an assumed HTTPS proxy, so every request says
``X-Forwarded-Proto: https`` and the (Secure) cookies are sent back by hand.
Targets (each officer's account, households and registration; the period) come from
LOADTEST_TARGETS (JSON). Each simulated officer works for a commune of their own.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

TARGETS = json.loads(os.environ.get("LOADTEST_TARGETS", "{}"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "Bench@2017")
OFFICER_NUMBERS = itertools.count()
# Every request as locust saw it: (start, ms, "METHOD name"), written to LOADTEST_TIMES at
# the end, so the runner can tell when in the run the slow ones came.
TIMES_FILE = os.environ.get("LOADTEST_TIMES")
TIMES: list[tuple[float, float, str]] = []


@events.request.add_listener
def _record(request_type, name, response_time, start_time=None, **_kwargs):
    TIMES.append((start_time or time.time(), response_time, f"{request_type} {name}"))


@events.quitting.add_listener
def _write_times(**_kwargs):
    if TIMES_FILE:
        with open(TIMES_FILE, "w") as f:
            json.dump(TIMES, f)


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
        """Open a form, change a field, and save it."""
        page = self.get(url, name=f"{name} (form)")
        if page.status_code != 200:
            return
        fields = form_fields(page.text)
        if change:
            fields = [(k, change[k]) if k in change else (k, v) for k, v in fields]
        self.post(url, fields, name=f"{name} (save)")


class CommuneOfficer(PortalUser):
    weight = 3

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


class FrontStaff(PortalUser):
    weight = 2
    username = "bench.front"

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


class Leader(PortalUser):
    weight = 1
    username = "bench.leader"

    @task(3)
    def home(self):
        self.get("/", name="home")

    @task(2)
    def dashboard(self):
        self.get("/dashboard/", name="dashboard")

    @task(1)
    def tracking(self):
        self.get(f"/registration-periods/{TARGETS['period']}/", name="tracking view")
