from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core.collation import register
        from core.figures import watch_writes

        connection_created.connect(register, dispatch_uid="core.collation")
        connection_created.connect(watch_writes, dispatch_uid="core.figures")
