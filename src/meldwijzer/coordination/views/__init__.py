"""The coordination pages, one module per area: `files` (the list and the file's overview),
`inbox` (reports arriving at Veilig Thuis, hand-overs), `team` (invitations, family, agreements,
wie doet wat), `plan` (safety plan, contact notes), `matching` (match signals) and `conferences`.

Each area module also provides the hooks `overview` collects: `sections`, `worklist`,
`file_nav` and `case_actions`."""
