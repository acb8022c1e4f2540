from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Only its commands (seed_demo, seed_bench): no models, no pages."""

    name = "devdata"
