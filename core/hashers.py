"""The portal's password hasher."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the parameters of OWASP's Password Storage Cheat Sheet (19 MiB, 2 passes,
    1 lane) instead of Django's (100 MiB, 2 passes, 8 lanes).

    Django's cost about 140 ms of both cores of the district's two-core server per login: fifty
    officers logging in at the start of a meeting queued for seconds, and the login form was the
    cheapest way to load the server. These cost about 20 ms of one core. The algorithm name stays
    "argon2", so hashes made with Django's parameters still verify, and ``must_update`` rehashes
    them with these at the user's next login."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
