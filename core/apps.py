from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core.collation import register

        connection_created.connect(register, dispatch_uid="core.collation")
