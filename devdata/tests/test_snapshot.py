"""The tests' data written back from memory (devdata.snapshot) is the data its builders
write: the ``world`` and ``demo`` fixtures rely on it."""

from devdata import snapshot
from devdata.world import build_world
from organizations.models import Unit, User


def test_snapshot_rows_a_builder_added_written_again_give_the_same_database(db):
    before = snapshot.take()
    build_world()
    built = snapshot.take()
    snapshot.restore(before)
    assert not Unit.objects.exists()
    snapshot.insert(snapshot.added(before, built))
    assert snapshot.take() == built
    # The id sequences moved past the rows written back: a new row takes a new id.
    new = Unit.objects.create(name="Thôn mới", level="area", parent=Unit.objects.get(name="Xã Ia Dom"))
    assert new.pk > max(Unit.objects.exclude(pk=new.pk).values_list("pk", flat=True))


def test_snapshot_world_inserted_is_the_world_built(world):
    assert world.iadom.parent == world.district and world.iadom_areas[0].parent == world.iadom
    assert world.mttq_iadom.check_password("DucCo@2017") and world.admin.is_superuser
    assert User.objects.count() == 7
