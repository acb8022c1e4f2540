"""Background work in `make bench`: the Front of the province exports every household
(500,000 at province scale) as a task. Measured: the request that starts it (the median
of five, against the floor beside it), the worker's run in its own process (its peak
memory, the longest time between two progress reports), and a page of the web process
timed while the worker runs. Nothing to generate: the task reads the households."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.test import Client

FLOOR_URL = "/accounts/login/"
EXPORT_URL = "/households/export.xlsx"
PAGE_DURING = "/households/"


def load(context: dict) -> None:
    """Nothing to generate."""


def _peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _median_ms(client, url: str, requests: int = 10) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def export_in_background(user) -> dict:
    from jobs.models import Job, JobStatus

    client, floor = Client(), Client()
    client.force_login(user)
    floor_ms = _median_ms(floor, FLOOR_URL)
    starts = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(EXPORT_URL)
        starts.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
    start_ms = statistics.median(starts)
    # One export is run; the others are dropped (their queued tasks then find no job).
    job = Job.objects.filter(user=user).latest("pk")
    Job.objects.filter(user=user, status=JobStatus.QUEUED).exclude(pk=job.pk).delete()
    page_alone_ms = _median_ms(client, PAGE_DURING)
    floor_alone_ms = _median_ms(floor, FLOOR_URL)

    base = Path(__file__).resolve().parents[2]
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "run_worker", "--batch"],
        cwd=base,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    began = time.monotonic()
    peak_mb, beats, last = 0.0, [], None
    page_during, floor_during = [], []
    while worker.poll() is None:
        peak_mb = max(peak_mb, _peak_mb(worker.pid) or 0.0)
        beat = Job.objects.filter(pk=job.pk).values_list("heartbeat_at", flat=True).get()
        if beat is not None and beat != last:
            beats.append(time.monotonic())
            last = beat
        if len(page_during) < 10 and beats:  # once the worker works, the pages beside it
            page_during.append(_median_ms(client, PAGE_DURING, 1))
            floor_during.append(_median_ms(floor, FLOOR_URL, 1))
        time.sleep(0.2)
    seconds = time.monotonic() - began
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.status, job.error)
    gaps = [b - a for a, b in zip(beats, beats[1:], strict=False)] or [seconds]
    if job.file:
        job.file.delete(save=False)
    job.delete()
    return {
        "rows": float(job.rows_done),
        "seconds": seconds,
        "start_request_ratio": start_ms / floor_ms,
        "peak_mb": peak_mb,
        "longest_silence_s": max(gaps),
        "page_ratio_alone": page_alone_ms / floor_alone_ms,
        "page_ratio_meanwhile": (
            statistics.median(page_during) / statistics.median(floor_during)
            if page_during
            else page_alone_ms / floor_alone_ms
        ),
    }


def jobs(users: dict) -> list[dict]:
    front = users["bench.front"]
    return [
        {
            "label": "export of every household as a background task",
            "run": lambda: export_in_background(front),
            # The household list's page target (15×) holds while the worker runs.
            "targets": {
                "start_request_ratio": 10,
                "peak_mb": 300,
                "longest_silence_s": 2,
                "page_ratio_meanwhile": 15,
            },
        },
    ]
