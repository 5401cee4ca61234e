"""The coordination pages under /regie/, one block per area (see `views`)."""

from django.urls import path

from meldwijzer.coordination.views import (
    closing,
    conferences,
    files,
    holds,
    inbox,
    matching,
    plan,
    team,
)

app_name = "coordination"

urlpatterns = [
    path("", files.file_list_view, name="list"),
    path("<int:file_id>/", files.file_detail_view, name="detail"),
    path("<int:file_id>/afsluiten/", closing.file_close_view, name="file_close"),
    path("<int:file_id>/bewaarplicht/", holds.file_holds_view, name="file_holds"),
    # Inbox and hand-overs.
    path("melden/<int:case_id>/", inbox.report_send_view, name="report_send"),
    path("meldingen/", inbox.inbox_view, name="inbox"),
    path("meldingen/<int:report_id>/", inbox.report_detail_view, name="report_detail"),
    path("meldingen/<int:report_id>/ontvangen/", inbox.report_receive_view, name="report_receive"),
    path(
        "meldingen/<int:report_id>/terugkoppeling/",
        inbox.report_feedback_view,
        name="report_feedback",
    ),
    path(
        "meldingen/<int:report_id>/regiedossier/",
        inbox.report_file_open_view,
        name="report_file_open",
    ),
    path("nieuw/", inbox.file_new_view, name="file_new"),
    path("<int:file_id>/overdracht/", inbox.handovers_view, name="handovers"),
    path("overdracht/<int:handover_id>/", inbox.handover_detail_view, name="handover_detail"),
    path(
        "overdracht/<int:handover_id>/aanvaarden/",
        inbox.handover_accept_view,
        name="handover_accept",
    ),
    path(
        "overdracht/<int:handover_id>/afslaan/",
        inbox.handover_decline_view,
        name="handover_decline",
    ),
    path(
        "overdracht/<int:handover_id>/intrekken/",
        inbox.handover_withdraw_view,
        name="handover_withdraw",
    ),
    # Team, family, agreements, wie doet wat.
    path("uitnodigingen/", team.invitation_list_view, name="invitations"),
    path(
        "uitnodigingen/<int:invitation_id>/aannemen/",
        team.invitation_accept_view,
        name="invitation_accept",
    ),
    path(
        "uitnodigingen/<int:invitation_id>/afslaan/",
        team.invitation_decline_view,
        name="invitation_decline",
    ),
    path("<int:file_id>/team/", team.team_view, name="team"),
    path("<int:file_id>/team/uitnodigen/", team.team_invite_view, name="team_invite"),
    path(
        "<int:file_id>/team/<int:team_member_id>/beeindigen/",
        team.team_member_end_view,
        name="team_member_end",
    ),
    path(
        "<int:file_id>/team/<int:team_member_id>/toestemming-ingetrokken/",
        team.team_consent_withdraw_view,
        name="team_consent_withdraw",
    ),
    path("<int:file_id>/gezin/", team.family_view, name="family"),
    path("<int:file_id>/gezin/toevoegen/", team.family_add_view, name="family_add"),
    path(
        "<int:file_id>/gezin/<int:family_member_id>/wijzigen/",
        team.family_edit_view,
        name="family_edit",
    ),
    path("<int:file_id>/volgend-contact/", team.next_contact_view, name="next_contact"),
    path("<int:file_id>/afspraken/", team.agreement_list_view, name="agreements"),
    path("<int:file_id>/afspraken/nieuw/", team.agreement_add_view, name="agreement_add"),
    path(
        "<int:file_id>/afspraken/<int:agreement_id>/",
        team.agreement_edit_view,
        name="agreement_edit",
    ),
    path("<int:file_id>/wie-doet-wat/", team.who_does_what_view, name="who_does_what"),
    path(
        "<int:file_id>/wie-doet-wat/afdrukken/",
        team.who_does_what_print_view,
        name="who_does_what_print",
    ),
    # Safety plan and contact notes.
    path("<int:file_id>/veiligheidsplan/", plan.safety_plan_view, name="safety_plan"),
    path(
        "<int:file_id>/veiligheidsplan/bewerken/",
        plan.safety_plan_edit_view,
        name="safety_plan_edit",
    ),
    path(
        "<int:file_id>/veiligheidsplan/versies/",
        plan.safety_plan_history_view,
        name="safety_plan_history",
    ),
    path(
        "<int:file_id>/veiligheidsplan/versies/<int:revision_number>/",
        plan.safety_plan_revision_view,
        name="safety_plan_revision",
    ),
    path(
        "<int:file_id>/veiligheidsplan/afdrukken/",
        plan.safety_plan_print_view,
        name="safety_plan_print",
    ),
    path("<int:file_id>/contacten/", plan.contacts_view, name="contacts"),
    path(
        "<int:file_id>/contacten/<int:contact_id>/gezien/",
        plan.contact_acknowledge_view,
        name="contact_acknowledge",
    ),
    # Match signals.
    path("samenloop/", matching.match_list_view, name="match_list"),
    path("samenloop/<int:signal_id>/gezien/", matching.match_seen_view, name="match_seen"),
    # Conferences.
    path("overleggen/", conferences.conference_list_view, name="conferences"),
    path("overleggen/nieuw/", conferences.conference_new_view, name="conference_new"),
    path(
        "overleggen/<int:conference_id>/",
        conferences.conference_detail_view,
        name="conference_detail",
    ),
    path(
        "overleggen/<int:conference_id>/agenda/nieuw/",
        conferences.conference_item_new_view,
        name="conference_item_new",
    ),
    path(
        "overleggen/<int:conference_id>/punten/<int:item_id>/betrokken/",
        conferences.conference_item_confirm_view,
        name="conference_item_confirm",
    ),
    path(
        "overleggen/<int:conference_id>/punten/<int:item_id>/besluiten/",
        conferences.conference_item_decide_view,
        name="conference_item_decide",
    ),
]
