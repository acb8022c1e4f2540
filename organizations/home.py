"""Home-page panel: failed logins on the user's account and, for a reviewer, on the
accounts they manage, since the user's previous login (organizations/axes.py)."""

from .axes import failed_logins_since_last_login


def panels(request, scope) -> list[dict]:
    rows = failed_logins_since_last_login(request.user)
    if not rows:
        return []
    own = request.user.username
    for row in rows:
        row["is_own"] = row["username"] == own
    return [
        {
            "template": "organizations/_home_failed_logins.html",
            "rows": rows,
            "has_own": any(row["is_own"] for row in rows),
            "has_others": any(not row["is_own"] for row in rows),
        }
    ]
