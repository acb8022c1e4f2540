"""The stored files of records (FileField) and the transactions that change them."""

from django.db import transaction


def remove_after_commit(field_file) -> None:
    """Delete the stored file ``field_file`` names now (a record's file being replaced or
    dropped) once the current transaction commits, when no record points to it any more.
    Never before: until the commit the record still points to it, and a rollback keeps it
    so; never on a rollback, whose on_commit callbacks are discarded. Outside a transaction
    it is deleted at once. A storage that fails to delete is logged, not raised at the user
    whose change was saved (``robust``)."""
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
