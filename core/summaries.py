"""The summaries kept beside the records (figures counted in the writing transaction), as
``manage.py rebuild_summaries`` finds them: each app registers its summary modules in its
``AppConfig.ready``. A module counts its summary from the raw records (``recount_all``),
reads what is stored (``stored``) and replaces it (``rebuild``)."""

from types import ModuleType

SUMMARIES: list[tuple[str, ModuleType]] = []


def register(name: str, module: ModuleType) -> None:
    if all(module is not known for _name, known in SUMMARIES):
        SUMMARIES.append((name, module))
