"""Pages of the sociale kaart.

Public (no login): search by postcode, a service's page, the public HSDS export. Veilig Thuis and
112 are on every page, and so is 'Snel weg', which leaves for a neutral site at once. Professionals (logged in): the same search with contact persons and
referral details, and the routekaart — standalone, or from a case (read through
`cases.selectors.case_get`, so it is access-logged as a read of that case). Functioneel beheerders
and the platformbeheerder keep records up to date, see what is out of date, import and export.
"""

from __future__ import annotations

from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_POST

from meldwijzer.audit.models import Purpose, Subject
from meldwijzer.cases import selectors as case_selectors
from meldwijzer.core import events as core_events
from meldwijzer.core import paging
from meldwijzer.core.decorators import actor_required, current_actor, requested_subject
from meldwijzer.core.rate_limits import DOWNLOAD, PAGE, public_rate_limit
from meldwijzer.organisations.roles import Permission
from meldwijzer.social_map import (
    exports,
    hsds,
    hsds_import,
    import_jobs,
    routes,
    rules,
    selectors,
    services,
)
from meldwijzer.social_map.forms import (
    ContactFormSet,
    ImportForm,
    LocationForm,
    ProviderForm,
    RouteForm,
    SearchForm,
    ServiceForm,
    clean_postcode,
    contact_specs,
    page_number,
)
from meldwijzer.social_map.models import Location, Provider, Service
from meldwijzer.social_map.services import DirectoryError

PAGE_SIZE = 20
# Where 'Snel weg' on the public pages goes: a neutral site that looks like ordinary browsing.
QUICK_EXIT_URL = "https://www.weeronline.nl/"
EDITORS = (Permission.DIRECTORY_EDIT_OWN, Permission.DIRECTORY_MANAGE)


def editor_required(view: Any) -> Any:
    """Logged in, with a role that keeps sociale kaart records (functioneel or platformbeheer);
    anyone else is refused, and the refusal logged."""

    @actor_required(subject=Subject.SOCIAL_MAP)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor = current_actor(request)
        if not any(actor.can(permission) for permission in EDITORS):
            requested = requested_subject(kwargs, default=Subject.SOCIAL_MAP, path=request.path)
            core_events.request_refused(
                actor=actor,
                subject=requested.subject,
                subject_id=requested.subject_id,
                purpose=Purpose.ADMINISTRATION,
            )
        return view(request, *args, **kwargs)

    return wrapped


# --- Search (public and professional) -------------------------------------------------------------


def _search(request: HttpRequest, *, professional: bool) -> HttpResponse:
    form = SearchForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    results, page, pages, outside_region = None, 1, 0, ""
    if valid and form.searched:
        page = page_number(request.GET.get("pagina"))
        results = selectors.service_search(
            form.criteria(), offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        pages = (results.total + PAGE_SIZE - 1) // PAGE_SIZE
        if results.origin is not None:
            outside_region = selectors.directory_region().outside(results.origin)
    query = {key: value for key, value in request.GET.items() if key != "pagina" and value}

    def page_url(number: int) -> str:
        return f"?{urlencode({**query, 'pagina': number})}#kop-resultaten"

    postcode = form.cleaned_data.get("postcode", "") if valid else ""
    return render(
        request,
        "social_map/search.html",
        {
            "form": form,
            "results": results,
            "professional": professional,
            "page": page,
            "pages": pages,
            "previous_url": page_url(page - 1) if page > 1 else "",
            "next_url": page_url(page + 1) if page < pages else "",
            "postcode_query": urlencode({"postcode": postcode}) if postcode else "",
            "outside_region": outside_region,
            "quick_exit_url": "" if professional else QUICK_EXIT_URL,
        },
        status=400 if form.is_bound and not valid else 200,
    )


@public_rate_limit(PAGE, quick_exit_url=QUICK_EXIT_URL)
def public_search_view(request: HttpRequest) -> HttpResponse:
    """Hulp zoeken: for residents, without logging in."""
    return _search(request, professional=False)


@actor_required(Permission.DIRECTORY_VIEW)
def search_view(request: HttpRequest) -> HttpResponse:
    return _search(request, professional=True)


def _service(request: HttpRequest, service_id: int, *, professional: bool) -> HttpResponse:
    service = selectors.service_findable(service_id)
    if service is None:
        raise Http404("Deze hulp staat niet (meer) in de sociale kaart.")
    try:
        postcode = clean_postcode(request.GET.get("postcode", ""))
    except ValidationError:
        postcode = ""  # a mistyped postcode only means no distance on this page
    origin = selectors.Criteria(postcode=postcode).origin
    view = selectors.service_view(service, professional=professional, origin=origin)
    return render(
        request,
        "social_map/service_detail.html",
        {
            "view": view,
            "professional": professional,
            "origin": origin,
            "can_edit": professional and rules.can_edit(current_actor(request), service.provider),
            "quick_exit_url": "" if professional else QUICK_EXIT_URL,
        },
    )


@public_rate_limit(PAGE, quick_exit_url=QUICK_EXIT_URL)
def public_service_view(request: HttpRequest, service_id: int) -> HttpResponse:
    return _service(request, service_id, professional=False)


@actor_required(Permission.DIRECTORY_VIEW)
def service_detail_view(request: HttpRequest, service_id: int) -> HttpResponse:
    return _service(request, service_id, professional=True)


# --- Routekaart --------------------------------------------------------------------------------


def _route(request: HttpRequest, initial: dict[str, Any], context: dict[str, Any]) -> HttpResponse:
    actor = current_actor(request)
    submitted = "toon" in request.GET
    form = RouteForm(request.GET if submitted else None, initial=initial)
    route = None
    if submitted and form.is_valid():
        data = form.cleaned_data
        situation = routes.Situation(
            violence=frozenset(data["violence"]),
            target_groups=frozenset(data["target_groups"]),
            profiles=frozenset(data["profiles"]),
            urgency=frozenset(data["urgency"]),
            step=data["step"],
            postcode=data["postcode"],
        )
        officer = selectors.officer_for(actor.organisation)
        route = routes.route_build(situation, officer=officer)
        origin = selectors.Criteria(postcode=situation.postcode).origin
        if origin is not None:
            context["outside_region"] = selectors.directory_region().outside(origin)
        if route.consult and officer is None:
            context["officer_colleagues"] = selectors.officer_colleagues(actor.organisation)
    return render(
        request,
        "social_map/route.html",
        {"form": form, "route": route, "route_version": routes.rules().version, **context},
        status=400 if submitted and not form.is_valid() else 200,
    )


@actor_required(Permission.CASE_WORK)
def route_view(request: HttpRequest) -> HttpResponse:
    """The routekaart without a case."""
    actor = current_actor(request)
    return _route(request, {"postcode": actor.organisation.postcode}, {"case": None})


@actor_required(Permission.CASE_WORK)
def case_route_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The routekaart for a case: a read of that case, filled in from the dossier."""
    actor = current_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id, part="routekaart")
    initial = selectors.route_initial_for_case(case)
    return _route(request, initial, {"case": case, "suggested": initial["profiles"]})


# --- Keeping records up to date ------------------------------------------------------------------


@editor_required
def manage_view(request: HttpRequest) -> HttpResponse:
    """The records the person keeps, with what is out of date first (the reminder list)."""
    actor = current_actor(request)
    search = request.GET.get("zoek", "").strip()[:100]
    page = selectors.provider_page(actor=actor, search=search, page=paging.page_number(request))
    return render(
        request,
        "social_map/manage.html",
        {
            "providers": page.object_list,
            "page": page,
            "search": search,
            "filters_query": paging.query_without_page(request),
            "stale": selectors.stale_records(
                providers=selectors.provider_list_editable(actor=actor)
            ),
            "stale_days": rules.stale_days(),
            "today": timezone.localdate(),
            "may_manage": actor.can(Permission.DIRECTORY_MANAGE),
        },
    )


def _provider_form(request: HttpRequest, provider: Provider) -> HttpResponse:
    actor = current_actor(request)
    may_choose_owner = actor.can(Permission.DIRECTORY_MANAGE)
    initial: dict[str, Any] = {}
    if provider.pk:
        officer = provider.contacts.filter(meldcode_officer=True).first()
        initial = {
            "phone": services.main_phone(provider=provider, location=None),
            "owner": provider.owner_id,
            "officer_name": officer.name if officer else "",
            "officer_email": officer.email if officer else "",
            "officer_phone": services.main_phone(contact=officer) if officer else "",
        }
    form = ProviderForm(
        request.POST or None, instance=provider, initial=initial, may_choose_owner=may_choose_owner
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.provider_save(
                actor=actor,
                provider=form.save(commit=False),
                phone=form.cleaned_data["phone"],
                officer=form.officer(),
                owner=form.cleaned_data.get("owner") if may_choose_owner else None,
            )
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"De gegevens van {saved.name} zijn opgeslagen.")
            return redirect("social_map:provider_edit", provider_id=saved.pk)
    context: dict[str, Any] = {"form": form, "provider": provider}
    if provider.pk:
        context.update(
            services_list=provider.services.order_by("name"),
            locations=provider.locations.order_by("name"),
            history=selectors.change_history([provider.uid]),
            stale=rules.is_stale(provider.verified_on),
        )
    return render(
        request, "social_map/provider_form.html", context, status=400 if form.errors else 200
    )


@editor_required
def provider_create_view(request: HttpRequest) -> HttpResponse:
    return _provider_form(request, Provider())


@editor_required
def provider_edit_view(request: HttpRequest, provider_id: int) -> HttpResponse:
    actor = current_actor(request)
    return _provider_form(
        request, selectors.provider_get_editable(actor=actor, provider_id=provider_id)
    )


@require_POST
@editor_required
def provider_verify_view(request: HttpRequest, provider_id: int) -> HttpResponse:
    actor = current_actor(request)
    provider = selectors.provider_get_editable(actor=actor, provider_id=provider_id)
    services.provider_verify(actor=actor, provider=provider)
    messages.success(request, f"{provider.name} is gemarkeerd als gecontroleerd.")
    return redirect("social_map:provider_edit", provider_id=provider.pk)


def _service_form(request: HttpRequest, service: Service) -> HttpResponse:
    actor = current_actor(request)
    provider = service.provider
    initial = {"phone": services.main_phone(service=service, location=None)} if service.pk else {}
    form = ServiceForm(request.POST or None, instance=service, provider=provider, initial=initial)
    initial_contacts = [
        {
            "contact_id": contact.pk,
            "name": contact.name,
            "title": contact.title,
            "email": contact.email,
            "phone": services.main_phone(contact=contact),
        }
        for contact in (service.contacts.order_by("pk") if service.pk else [])
    ]
    contacts = ContactFormSet(request.POST or None, initial=initial_contacts, prefix="contact")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        try:
            saved = services.service_save(
                actor=actor,
                service=form.save(commit=False),
                terms=form.terms(),
                languages=form.cleaned_data["languages"],
                areas=form.cleaned_data["areas"],
                locations=list(form.cleaned_data["locations"]),
                phone=form.cleaned_data["phone"],
                hours=form.cleaned_data["hours"],
                contacts=contact_specs(contacts),
            )
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"De dienst {saved.name} is opgeslagen en gecontroleerd.")
            return redirect("social_map:service_edit", service_id=saved.pk)
    return render(
        request,
        "social_map/service_form.html",
        {
            "form": form,
            "contacts": contacts,
            "service": service,
            "provider": provider,
            "history": selectors.change_history([service.uid]) if service.pk else [],
            "stale": rules.is_stale(service.verified_on) if service.pk else False,
        },
        status=400 if form.errors or contacts.total_error_count() else 200,
    )


@editor_required
def service_create_view(request: HttpRequest, provider_id: int) -> HttpResponse:
    actor = current_actor(request)
    provider = selectors.provider_get_editable(actor=actor, provider_id=provider_id)
    return _service_form(request, Service(provider=provider))


@editor_required
def service_edit_view(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = current_actor(request)
    return _service_form(
        request, selectors.service_get_editable(actor=actor, service_id=service_id)
    )


@require_POST
@editor_required
def service_verify_view(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = current_actor(request)
    service = selectors.service_get_editable(actor=actor, service_id=service_id)
    services.service_verify(actor=actor, service=service)
    messages.success(request, f"{service.name} is gemarkeerd als gecontroleerd.")
    return redirect("social_map:service_edit", service_id=service.pk)


def _location_form(request: HttpRequest, location: Location) -> HttpResponse:
    actor = current_actor(request)
    initial = {"phone": services.main_phone(location=location)} if location.pk else {}
    form = LocationForm(request.POST or None, instance=location, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.location_save(
                actor=actor, location=form.save(commit=False), phone=form.cleaned_data["phone"]
            )
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De locatie is opgeslagen.")
            return redirect("social_map:provider_edit", provider_id=saved.provider_id)
    return render(
        request,
        "social_map/location_form.html",
        {"form": form, "location": location, "provider": location.provider},
        status=400 if form.errors else 200,
    )


@editor_required
def location_create_view(request: HttpRequest, provider_id: int) -> HttpResponse:
    actor = current_actor(request)
    provider = selectors.provider_get_editable(actor=actor, provider_id=provider_id)
    return _location_form(request, Location(provider=provider))


@editor_required
def location_edit_view(request: HttpRequest, location_id: int) -> HttpResponse:
    actor = current_actor(request)
    return _location_form(
        request, selectors.location_get_editable(actor=actor, location_id=location_id)
    )


# --- Import and export ------------------------------------------------------------------------


@editor_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Choose a file; the import then runs as a job (`import_jobs`), shown on its own page."""
    actor = current_actor(request)
    may_choose_owner = actor.can(Permission.DIRECTORY_MANAGE)
    form = ImportForm(
        request.POST or None, request.FILES or None, may_choose_owner=may_choose_owner
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > hsds_import.MAX_UPLOAD_BYTES:
            form.add_error("file", "Het bestand is groter dan 20 MB.")
        else:
            try:
                job = import_jobs.import_job_start(
                    actor=actor,
                    source=upload.name[:100],
                    data=upload.read(),
                    owner=form.cleaned_data.get("owner") if may_choose_owner else None,
                    trial=form.cleaned_data["trial"],
                )
            except import_jobs.ImportBusy as busy:
                form.add_error(None, str(busy))
                status = 409
            else:
                return redirect("social_map:import_job", job_id=job.pk)
    if form.errors and status == 200:
        status = 400
    running = import_jobs.import_job_running()
    return render(
        request,
        "social_map/import.html",
        {
            "form": form,
            "may_manage": may_choose_owner,
            "running": running,
            "running_visible": running is not None
            and (running.user_id == actor.user.pk or may_choose_owner),
        },
        status=status,
    )


@editor_required
def import_job_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """How far an import is, and its report when it is done. The page asks again every second
    while the import runs (htmx), and gets only the part that changes."""
    job = import_jobs.import_job_get(actor=current_actor(request), job_id=job_id)
    template = (
        "social_map/_import_job.html"
        if request.headers.get("HX-Request")
        else "social_map/import_job.html"
    )
    return render(request, template, {"job": job, "report": import_jobs.stored_report(job)})


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _public_download(request: HttpRequest, kind: str, name: str, content_type: str) -> HttpResponse:
    """A public download, from the cache per version of the map; 304 when the client has this
    version already (If-None-Match or If-Modified-Since). Anyone may keep it, but should ask
    again before using it."""
    stamp = exports.public_stamp(kind)
    etag = f'"{stamp.tag}"'
    last_modified = int(stamp.changed_at.timestamp()) if stamp.changed_at else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        download = exports.public_download(kind)
        response = _download(download.content, name, content_type)
        stamp = download.stamp
    response["ETag"] = f'"{stamp.tag}"'
    if stamp.changed_at is not None:
        response["Last-Modified"] = http_date(stamp.changed_at.timestamp())
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    return response


@public_rate_limit(DOWNLOAD, quick_exit_url=QUICK_EXIT_URL)
def export_public_json_view(request: HttpRequest) -> HttpResponse:
    """The public HSDS export: no contact persons, no confidential addresses."""
    return _public_download(
        request,
        exports.JSON,
        f"sociale-kaart-hsds-{_stamp()}.json",
        "application/json; charset=utf-8",
    )


@public_rate_limit(DOWNLOAD, quick_exit_url=QUICK_EXIT_URL)
def export_public_csv_view(request: HttpRequest) -> HttpResponse:
    return _public_download(
        request, exports.CSV, f"sociale-kaart-hsds-csv-{_stamp()}.zip", "application/zip"
    )


@actor_required(Permission.DIRECTORY_MANAGE, subject=Subject.SOCIAL_MAP_EXPORT)
def export_full_json_view(request: HttpRequest) -> HttpResponse:
    """Everything, for platformbeheer: with contact persons and confidential addresses."""
    services.export_logged(actor=current_actor(request), part="volledig json")
    return _download(
        hsds.export_json(audience=hsds.FULL),
        f"sociale-kaart-hsds-volledig-{_stamp()}.json",
        "application/json; charset=utf-8",
    )


@actor_required(Permission.DIRECTORY_MANAGE, subject=Subject.SOCIAL_MAP_EXPORT)
def export_full_csv_view(request: HttpRequest) -> HttpResponse:
    services.export_logged(actor=current_actor(request), part="volledig csv")
    return _download(
        hsds.export_csv_zip(audience=hsds.FULL),
        f"sociale-kaart-hsds-csv-volledig-{_stamp()}.zip",
        "application/zip",
    )
