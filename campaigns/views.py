from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from organizations import access

from .models import ContentKind, Program


@login_required
def program_list(request):
    programs = access.visible(Program.objects.select_related("owner_unit", "campaign"), request.user)
    return render(request, "campaigns/program_list.html", {"programs": programs})


@login_required
def program_detail(request, pk):
    program = access.get_visible_or_404(
        request.user, Program.objects.select_related("owner_unit", "campaign", "parent"), pk=pk
    )
    contents = list(program.contents.all())
    return render(
        request,
        "campaigns/program_detail.html",
        {
            "program": program,
            "campaign_contents": [c for c in contents if c.kind == ContentKind.CONTENT],
            "model_fields": [c for c in contents if c.kind == ContentKind.MODEL_FIELD],
            "parties": program.parties.select_related("organization"),
            "assignments": program.assignments.all(),
        },
    )
