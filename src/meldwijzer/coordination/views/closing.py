"""Closing a coordination file with agreements on following the family's safety
(`coordination.closing.file_close`). Only the casusregisseur of an open file sees the page; to
anyone else it does not exist (404, logged as refused). The agreements are the same as when a
meldcode dossier closes after afweging 5 = ja: who follows, how and until when, and the ground
for sharing when that professional works for another organisation. A refused agreement leaves
the file open and the form filled in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meldwijzer.audit.models import Action
from meldwijzer.cases.followers import follower_choices
from meldwijzer.cases.forms import FollowupForm
from meldwijzer.cases.services import CaseInputError
from meldwijzer.coordination import closing, selectors
from meldwijzer.coordination.overview import file_context
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import ConflictError, CoordinationError
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import selectors as privacy_selectors


class FileCloseForm(FollowupForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("follower", "how", "until"):
            self.fields[name].conditional = True  # type: ignore[attr-defined]


def _may_lead(access: FileAccess) -> bool:
    return access.may_lead


@actor_required(Permission.CASE_WORK)
def file_close_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    access = selectors.file_get(
        actor=actor,
        file_id=file_id,
        action=Action.UPDATE if posted else Action.READ,
        need=_may_lead,
    )
    file = access.file
    grounds = list(
        privacy_selectors.sharing_grounds(
            organisation=file.lead_organisation,
            client_pseudonym=file.client_pseudonym,
            in_force=True,
        )
    )
    form = FileCloseForm(
        request.POST or None,
        followers=follower_choices(),
        grounds=grounds,
        initial={"version": file.version},
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                closing.file_close(
                    actor=actor,
                    access=access,
                    expected_version=form.cleaned_data["version"],
                    followup=form.agreement(),
                )
            except CaseInputError as error:
                file.refresh_from_db()  # closed in memory before the rollback
                form.add_error(None, str(error))
                for name, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            except ConflictError as error:
                form.add_error(None, str(error))
                status = 409
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "Het regiedossier is afgesloten. Het vervolgplan voor het volgen van de "
                    "veiligheid is gestart.",
                )
                return redirect("coordination:detail", file_id=file.pk)
    return render(
        request,
        "coordination/file_close.html",
        file_context(access, form=form, grounds=grounds),
        status=status,
    )
