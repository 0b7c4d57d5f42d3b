"""The demo town's case conferences, area meeting and informal network: every task state, a spike with its
area meeting, and the demo supporters linked with consent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from waakvlam.cases.models import AreaMeeting, CaseConference, Spike, Task
from waakvlam.core.models import User
from waakvlam.network.models import SupporterLink
from waakvlam.network.selectors import links_of_supporter


@pytest.mark.django_db
def test_the_demo_has_cases_with_tasks_in_every_state_a_spike_and_the_informal_network() -> None:
    call_command("load-demo", "--households", "600", "--signals", "0", "--seed", "3")
    today = timezone.localdate()
    case_tasks = Task.objects.filter(conference__isnull=False)
    assert case_tasks.filter(status="open", due_on__gte=today).exists()
    assert case_tasks.filter(status="open", due_on__lt=today).exists()  # overdue
    assert case_tasks.filter(status="done").exists()
    assert case_tasks.filter(status="dropped").exclude(settle_note="").exists()
    assert set(CaseConference.objects.values_list("status", flat=True)) == {"open", "closed"}
    assert all(c.agenda.exists() for c in CaseConference.objects.all())
    spike = Spike.objects.get(neighbourhood__name="Marktveld", category="nuisance")
    assert spike.count >= 7
    meeting = AreaMeeting.objects.get(spike=spike)
    assert meeting.tasks.count() == 3
    for username in ("buddy", "vrijwilliger"):
        supporter = User.objects.get(username=username)
        assert supporter.role == "informal_supporter" and supporter.two_factor_exempt
        assert supporter.check_password("demo-waakvlam")
        assert links_of_supporter(supporter).exists()
    assert not SupporterLink.objects.filter(consent_note="").exists()
