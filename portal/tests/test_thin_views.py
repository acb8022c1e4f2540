"""Views write nothing themselves (DESIGN.md, Layers): every model write is a service of its
app (``<app>/services.py``, or the app's service module such as households/imports.py),
keyword-only, atomic and ``by=user``. Each app's views.py is read for the calls that write."""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["core", "organizations", "programs", "activities", "households", "registrations", "reports", "portal"]
# Calls that write whatever they are called on.
WRITES = {"save", "create", "delete", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
# ``.update(`` writes when called on a queryset (a dict's update does not).
QUERYSET = re.compile(r"\.objects\b|\.(?:all|filter|exclude|select_related|select_for_update)\(|_set\b")


def model_writes(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, ast.unparse(node.func.value)
        if name in WRITES or name.startswith("bulk_") or (name == "update" and QUERYSET.search(receiver)):
            found.append((node.lineno, ast.unparse(node)[:100]))
    return found


def test_model_writes_found_by_the_check():
    source = (
        "def view(request):\n"
        "    initial = {}\n"
        "    initial.update(a=1)\n"
        "    Thing.objects.filter(pk=1).update(a=2)\n"
        "    Thing.objects.create(a=3)\n"
        "    request.user.save(update_fields=['a'])\n"
        "    thing.delete()\n"
    )
    assert [line for line, _code in model_writes(source)] == [4, 5, 6, 7]


def test_no_model_writes_in_views():
    views = [path for app in APPS for path in [ROOT / app / "views.py", *(ROOT / app / "views").glob("*.py")]]
    found = [
        f"{path.relative_to(ROOT)}:{line}: {code}"
        for path in views
        if path.exists()
        for line, code in model_writes(path.read_text(encoding="utf-8"))
    ]
    assert not found, "views write through their app's services, not themselves:\n" + "\n".join(found)
