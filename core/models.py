from django.db import models


class DataVersion(models.Model):
    """One row whose token changes after every committed write to the portal's data.

    Figures kept between requests (``core.figures``) are stored under the token they were
    computed at, so a write makes every one of them stale at once, in every server process.
    """

    token = models.UUIDField()

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return str(self.token)
