"""Pages of the knowledge area: the knowledge per step and beroepsgroep, the signals per target
group, and the redacteur's pages to write new versions and read their history.

Every logged-in professional may read the texts; only a redacteur (`KNOWLEDGE_EDIT`) opens the
editing pages. What the case page and the signal form show is in `knowledge_case.py`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from meldwijzer.audit.models import Subject
from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_profession
from meldwijzer.trainings import knowledge
from meldwijzer.trainings.events import trainings_refused
from meldwijzer.trainings.knowledge_forms import KnowledgeForm, StepChoiceForm
from meldwijzer.trainings.knowledge_markdown import markdown_render
from meldwijzer.trainings.knowledge_versions import (
    KnowledgeConflict,
    knowledge_all,
    knowledge_current_many,
    knowledge_get,
    knowledge_history,
    knowledge_save,
    step_knowledge_get,
)


def _step_url(number: int, profession: str) -> str:
    return reverse("trainings:knowledge_step", args=[number, profession])


@actor_required()
def knowledge_home_view(request: HttpRequest) -> HttpResponse:
    """Choose a step and beroepsgroep; the own beroepsgroep is chosen at first."""
    actor = current_actor(request)
    if "stap" in request.GET:
        form = StepChoiceForm(request.GET)
        if form.is_valid():
            return redirect(_step_url(form.cleaned_data["stap"], form.cleaned_data["beroepsgroep"]))
    else:
        form = StepChoiceForm(
            initial={"stap": 1, "beroepsgroep": actor_profession(actor=actor) or knowledge.GENERAL}
        )
    return render(request, "trainings/knowledge/home.html", {"form": form})


@actor_required()
def knowledge_step_view(request: HttpRequest, number: int, profession: str) -> HttpResponse:
    actor = current_actor(request)
    found = step_knowledge_get(number=number, profession=profession)
    if found is None:
        trainings_refused(
            actor=actor, subject=Subject.KNOWLEDGE, subject_id=f"stap-{number}/{profession}"[:64]
        )
    form = StepChoiceForm(initial={"stap": number, "beroepsgroep": profession})
    return render(
        request,
        "trainings/knowledge/step.html",
        {
            "step": found,
            "form": form,
            "may_edit": actor.can(Permission.KNOWLEDGE_EDIT),
            "steps": [(n, _step_url(n, profession)) for n in knowledge.STEP_NUMBERS],
        },
    )


@actor_required()
def target_groups_view(request: HttpRequest) -> HttpResponse:
    texts = knowledge_current_many(knowledge.target_group_keys())
    return render(request, "trainings/knowledge/target_groups.html", {"texts": texts.values()})


@actor_required()
def target_group_view(request: HttpRequest, name: str) -> HttpResponse:
    actor = current_actor(request)
    text = knowledge_get(actor=actor, key=knowledge.target_group_key(name))
    shipped = knowledge.shipped()[text.key]
    labels = dict(CATEGORIES)
    return render(
        request,
        "trainings/knowledge/target_group.html",
        {
            "text": text,
            "categories": [labels[code] for code in shipped.categories],
            "may_edit": actor.can(Permission.KNOWLEDGE_EDIT),
        },
    )


@actor_required(Permission.KNOWLEDGE_EDIT, subject=Subject.KNOWLEDGE)
def editor_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "trainings/knowledge/editor_list.html", {"texts": knowledge_all()})


def _key(group: str, name: str) -> str:
    return f"{group}/{name}"


@actor_required(Permission.KNOWLEDGE_EDIT, subject=Subject.KNOWLEDGE)
def editor_edit_view(request: HttpRequest, group: str, name: str) -> HttpResponse:
    """Edit a text: 'Voorbeeld bekijken' shows it without saving; 'Opslaan' saves a new version."""
    actor = current_actor(request)
    key = _key(group, name)
    current = knowledge_get(actor=actor, key=key)
    preview = None
    status = 200
    if request.method == "POST":
        form = KnowledgeForm(request.POST)
        based_on = _based_on(request, current.version)
        if form.is_valid() and request.POST.get("actie") == "voorbeeld":
            preview = form.cleaned_data
        elif form.is_valid():
            try:
                saved = knowledge_save(actor=actor, key=key, based_on=based_on, **form.cleaned_data)
            except KnowledgeConflict:
                form.add_error(
                    None,
                    "Iemand anders heeft deze tekst intussen gewijzigd. Bekijk de nieuwe versie "
                    "in de geschiedenis en breng uw wijziging daarna opnieuw aan.",
                )
                status = 409
            else:
                messages.success(
                    request, f"Versie {saved.version} van ‘{saved.title}’ is opgeslagen."
                )
                return redirect("trainings:knowledge_history", group=group, name=name)
        else:
            status = 400
    else:
        based_on = current.version
        form = KnowledgeForm(
            initial={
                "title": current.title,
                "body": current.body,
                "as_of": current.as_of,
                "source": current.source,
            }
        )
    return render(
        request,
        "trainings/knowledge/edit.html",
        {
            "text": current,
            "form": form,
            "based_on": based_on,
            "preview": preview,
            "preview_html": _preview_html(preview),
        },
        status=status,
    )


def _based_on(request: HttpRequest, default: int) -> int:
    try:
        return int(request.POST.get("versie", default))
    except ValueError:
        return -1  # not a version: saving it is refused as a conflict


def _preview_html(preview: dict[str, object] | None) -> str:
    if preview is None:
        return ""
    return markdown_render(str(preview["body"]), heading_offset=1)


@actor_required(Permission.KNOWLEDGE_EDIT, subject=Subject.KNOWLEDGE)
def editor_history_view(request: HttpRequest, group: str, name: str) -> HttpResponse:
    actor = current_actor(request)
    versions = knowledge_history(actor=actor, key=_key(group, name))
    return render(
        request,
        "trainings/knowledge/history.html",
        {"versions": versions, "text": versions[0], "group": group, "name": name},
    )


# What the case page and the signal form show (`cases.extensions`, registered in apps.py).


urlpatterns: list[URLPattern] = [
    path("kennis/", knowledge_home_view, name="knowledge"),
    path("kennis/stap-<int:number>/<slug:profession>/", knowledge_step_view, name="knowledge_step"),
    path("kennis/doelgroepen/", target_groups_view, name="knowledge_target_groups"),
    path("kennis/doelgroepen/<slug:name>/", target_group_view, name="knowledge_target_group"),
    path("kennis/beheer/", editor_list_view, name="knowledge_editor"),
    path("kennis/beheer/<slug:group>/<slug:name>/", editor_edit_view, name="knowledge_edit"),
    path(
        "kennis/beheer/<slug:group>/<slug:name>/geschiedenis/",
        editor_history_view,
        name="knowledge_history",
    ),
]
