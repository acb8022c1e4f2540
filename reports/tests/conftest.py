"""A small program with known figures: what each report and check must show."""

import datetime

import pytest
from django.utils import timezone

from activities.models import ExemplaryExample, Initiative, InitiativeYear, OutstandingArea, Supervision
from households import aid, fund, gaps
from households.models import (
    EntryKind,
    FundEntry,
    Household,
    HouseholdStatus,
    Sponsorship,
    Status,
    Support,
    SupportFunding,
)
from organizations.models import OrgKind
from programs.models import Campaign, ContentKind, Program, ProgramContent
from registrations import tallies
from registrations.models import ItemKind, Registration, RegistrationItem, RegistrationPeriod

YEAR = 2019


class Data:
    """Ia Dom meets most rules in 2019; Ia Kla fails most of them."""

    def __init__(self, world, *, extra_households: int = 0):
        self.world = world
        campaign = Campaign.objects.create(name="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh")
        self.program = Program.objects.create(
            campaign=campaign,
            owner_unit=world.district,
            number="01/CTPH-MTTQ-TCCTXH",
            title="Chương trình phối hợp 2017",
            start_year=2017,
            end_year=2021,
        )
        self.content = ProgramContent.objects.create(
            program=self.program, kind=ContentKind.CONTENT, order=1, title="Phát triển kinh tế"
        )
        self.field = ProgramContent.objects.create(
            program=self.program, kind=ContentKind.MODEL_FIELD, order=1, title="Thực phẩm an toàn"
        )
        self.period = RegistrationPeriod.objects.create(
            program=self.program,
            year=YEAR,
            opens_on=datetime.date(YEAR, 1, 1),
            registration_deadline=datetime.date(YEAR, 3, 31),
            results_deadline=datetime.date(YEAR, 12, 31),
        )
        now = timezone.now()
        self.registrations = {}
        for commune in (world.iadom, world.iakla):
            for kind in (OrgKind.FRONT, OrgKind.WOMEN, OrgKind.FARMERS):
                self.registrations[(commune.pk, kind)] = Registration.objects.create(
                    period=self.period, organization=world.org(commune, kind)
                )
        # Ia Dom: all three on time and accepted; the Front and the women reported results.
        for kind in (OrgKind.FRONT, OrgKind.WOMEN, OrgKind.FARMERS):
            reg = self.registrations[(world.iadom.pk, kind)]
            reg.status, reg.submitted_at, reg.accepted_at = "accepted", now, now
            if kind != OrgKind.FARMERS:
                reg.results_status, reg.results_submitted_at = "confirmed", now
            reg.save()
        RegistrationItem.objects.create(
            registration=self.registrations[(world.iadom.pk, OrgKind.FRONT)],
            kind=ItemKind.CONTENT,
            description="Phát triển kinh tế hộ",
            content=self.content,
            result="achieved",
        )
        # Ia Kla: the Front submitted late; the others never did.
        late = self.registrations[(world.iakla.pk, OrgKind.FRONT)]
        late.status, late.submitted_at, late.is_late = "submitted", now, True
        late.save()

        OutstandingArea.objects.create(
            program=self.program,
            area=world.iadom_areas[0],
            year=YEAR,
            organization=world.org(world.iadom, OrgKind.FRONT),
            result="recognized",
        )
        # Initiatives: every member organization of Ia Dom runs one; Ia Kla's women only.
        self.initiatives = []
        for commune, kinds in (
            (world.iadom, [k for k in OrgKind if k != OrgKind.FRONT]),
            (world.iakla, [OrgKind.WOMEN]),
        ):
            for kind in kinds:
                ini = Initiative.objects.create(
                    organization=world.org(commune, kind),
                    field=self.field,
                    name=f"Mô hình {kind} {commune.name}",
                    start_year=2018,
                    status="running",
                )
                InitiativeYear.objects.create(
                    initiative=ini, year=YEAR, participants=10, households=4, value_vnd=1_000_000
                )
                self.initiatives.append(ini)
        Initiative.objects.create(
            organization=world.org(world.iakla, OrgKind.YOUTH), field=self.field, name="Đã dừng",
            start_year=2017, status="planned",
        )  # fmt: skip

        # Households: Ia Dom 2 poor sponsored by the women in each area; Ia Kla 2 poor unsponsored.
        self.households = []
        women_iadom = world.org(world.iadom, OrgKind.WOMEN)
        for area in world.iadom_areas:
            for i in range(2):
                h = self._household(area, f"Hộ {area.name} {i}", Status.POOR)
                Sponsorship.objects.create(organization=women_iadom, household=h, year=YEAR)
        for i, area in enumerate(world.iakla_areas):
            self._household(area, f"Hộ Ia Kla {i}", Status.POOR)
        self._household(world.iakla_areas[0], "Rơ Châm H'Nga", Status.NEAR_POOR)
        self._household(world.iakla_areas[1], "Ksor Blối", Status.ESCAPED)
        last = self._household(world.iakla_areas[1], "Hộ thoát năm trước", Status.ESCAPED, year=YEAR - 1)
        HouseholdStatus.objects.create(household=last, year=YEAR, status=Status.AVERAGE)
        for i in range(extra_households):
            h = self._household(world.iadom_areas[i % 2], f"Hộ thêm {i}", Status.POOR)
            Sponsorship.objects.create(
                organization=world.org(world.iadom, OrgKind.FARMERS), household=h, year=YEAR
            )
        support = Support.objects.create(
            household=self.households[0], date=datetime.date(YEAR, 5, 1), kind="house", value=60_000_000
        )
        SupportFunding.objects.create(support=support, source="fund", amount=40_000_000)
        SupportFunding.objects.create(support=support, source="family", amount=20_000_000)
        # Paid from Ia Dom's fund: its ledger's spending, after a receipt that covers it.
        FundEntry.objects.create(
            unit=world.iadom, kind=EntryKind.RECEIPT, date=datetime.date(YEAR, 4, 1), amount=40_000_000,
            donor="Huyện hỗ trợ",
        )  # fmt: skip
        FundEntry.objects.create(
            unit=world.iadom, kind=EntryKind.SPENDING, date=support.date, amount=40_000_000,
            household=support.household, support=support, purpose="Nhà Đại đoàn kết",
        )  # fmt: skip

        Supervision.objects.create(
            kind="supervision", topic="Rà soát hộ nghèo", program_area="poverty", subject="UBND xã",
            held_on=datetime.date(YEAR, 6, 1), lead_organization=world.org(world.iakla, OrgKind.FRONT),
            follow_up_status="open", follow_up_due=datetime.date(YEAR, 9, 1),
        )  # fmt: skip
        Supervision.objects.create(
            kind="criticism", topic="Góp ý dự thảo", program_area="new_rural", subject="Đề án",
            held_on=datetime.date(YEAR, 7, 1), lead_organization=world.org(world.district, OrgKind.FRONT),
        )  # fmt: skip
        ExemplaryExample.objects.create(
            kind="person", name="Ksor H'Bia", organization=world.org(world.iadom, OrgKind.WOMEN),
            field=self.field, year=YEAR, achievement="Làm kinh tế giỏi",
        )  # fmt: skip
        # The district fund: 2018 receipts 10M, spending 4M; 2019 receipts 7M, spending 5M.
        for date, kind, amount in (
            (datetime.date(2018, 10, 17), EntryKind.RECEIPT, 10_000_000),
            (datetime.date(2018, 12, 1), EntryKind.SPENDING, 4_000_000),
            (datetime.date(YEAR, 10, 17), EntryKind.RECEIPT, 7_000_000),
            (datetime.date(YEAR, 11, 1), EntryKind.SPENDING, 5_000_000),
        ):
            FundEntry.objects.create(unit=world.district, kind=kind, date=date, amount=amount)
        # Written without the services, like the bulk loaders: count the summaries too.
        gaps.rebuild()
        aid.rebuild()
        fund.rebuild()
        tallies.rebuild()

    def _household(self, area, name, status, year=YEAR):
        h = Household.objects.create(area=area, head_name=name, birth_year=1980)
        HouseholdStatus.objects.create(household=h, year=year, status=status)
        self.households.append(h)
        return h


@pytest.fixture
def data(world, replayed):
    data = replayed("reports data", lambda: Data(world))
    data.world = world
    return data
