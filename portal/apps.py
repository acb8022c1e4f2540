from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from .collation import register
        from .figures import watch_writes

        connection_created.connect(register, dispatch_uid="portal.collation")
        connection_created.connect(watch_writes, dispatch_uid="portal.figures")
