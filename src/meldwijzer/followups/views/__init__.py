"""Pages for follow-up after closing: thin views that call one selector or service and render.

`week` (my contacts this week, overdue, the organisation's list, alerts), `plans` (one plan,
recording a contact, changing and ending it), `calendar` (the private calendar address and its
feed), `figures` (aggregated follow-up figures for policy).
"""
