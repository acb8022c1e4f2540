"""Draws the apps and the imports between them (docs/architecture.md) from the code itself.

``manage.py architecture`` rewrites the picture between the markers of docs/architecture.md;
``--check`` fails when the picture there is not what the code says (CI runs it through
``make lint``). Tests and migrations are left out: they may use any app."""

from pathlib import Path

import grimp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Top to bottom, as .importlinter's layers contract orders them.
APPS = [
    "portal",
    "api",
    "reports",
    "registrations",
    "activities",
    "households",
    "programs",
    "jobs",
    "organizations",
    "core",
]
DOCUMENT = Path(settings.BASE_DIR) / "docs" / "architecture.md"
BEGIN = "<!-- architecture: begin (manage.py architecture) -->"
END = "<!-- architecture: end -->"


def _is_production(module: str) -> bool:
    parts = module.split(".")
    return "tests" not in parts and "migrations" not in parts


def arrows() -> list[tuple[str, str, int]]:
    """(importer app, imported app, modules of the importer that import it), production code only."""
    graph = grimp.build_graph(*APPS, cache_dir=None)
    found = []
    for importer in APPS:
        for imported in APPS:
            if importer == imported:
                continue
            imports = graph.find_matching_direct_imports(import_expression=f"{importer}.** -> {imported}.**")
            modules = {i["importer"] for i in imports if _is_production(i["importer"])}
            if modules:
                found.append((importer, imported, len(modules)))
    return found


def picture() -> str:
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"    {app}[{app}]" for app in APPS]
    lines += [f"    {a} -->|{n}| {b}" for a, b, n in arrows()]
    lines.append("```")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Draw the apps and their imports in docs/architecture.md (--check: fail if it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check, **options):
        text = DOCUMENT.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        new = f"{head}{BEGIN}\n{picture()}\n{END}{tail}"
        if check:
            if new != text:
                raise CommandError("docs/architecture.md is out of date: run `make architecture`.")
            return
        DOCUMENT.write_text(new, encoding="utf-8")
        self.stdout.write(f"{DOCUMENT.relative_to(settings.BASE_DIR)} written.")
