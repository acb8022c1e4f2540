"""The API's benchmark jobs (devdata/bench/api.py) run on a small world: they measure, and
leave no valid token behind (timings are judged by `make bench`, not here)."""

from api.models import ApiToken
from devdata.bench import api as bench_api
from households.services import create_household


def test_bench_jobs_measure_and_revoke_their_tokens(world):
    for n in range(5):
        create_household(area=world.iadom_areas[n % 2], head_name=f"Hộ đo {n}", by=world.admin)
    page = bench_api.page_of_households(world.mttq_huyen, requests=2)
    assert page["page_ms"] > 0 and page["ratio_to_floor"] > 0
    pulled = bench_api.pull_every_household(world.mttq_huyen, page_size=2, repeat=1)
    assert (pulled["rows"], pulled["pages"]) == (5, 3)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert [job["label"] for job in bench_api.jobs({"bench.front": world.mttq_huyen})] == [
        "API: a page of 100 households (token)",
        "API: every household, page by page",
    ]
