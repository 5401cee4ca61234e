"""The `meldwijzer` command: run the demo, serve, migrate, create an administrator, check the log
and write its checkpoints."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEMO_BANNER = """
Meldwijzer draait op {url}

Demo-accounts (wachtwoord voor allemaal: {password}):
{accounts}

Tweestapsverificatie: voeg in een authenticator-app de sleutel {secret} toe,
of gebruik de code die in demomodus op het inlogscherm staat
(of: `meldwijzer demo-code`).

Dit is een demo met verzonnen gegevens. Zet nooit echte cliëntgegevens in de demo.
Stoppen: Ctrl+C
"""


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldwijzer.conf.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    _django_setup()
    from django.core.management import call_command

    call_command(*args)


def _serve(host: str, port: int, workers: int) -> int:
    _manage("collectstatic", "--noinput", "--verbosity", "0")
    command = [
        sys.executable, "-m", "gunicorn", "meldwijzer.conf.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
        "--access-logfile", "-", "--logger-class", "meldwijzer.core.server_log.RedactingLogger",
        "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]  # fmt: skip
    os.execv(sys.executable, command)  # noqa: S606 - replaces this process with gunicorn
    return 0  # pragma: no cover


def cmd_demo(args: argparse.Namespace) -> int:
    from meldwijzer.demo.target import (
        DemoRefused,
        default_demo_dir,
        demo_database_check,
        demo_directory_check,
        demo_directory_mark,
    )

    data_dir = Path(os.environ.get("MELDWIJZER_DATA_DIR") or default_demo_dir())
    try:
        # Before Django starts: the settings would already write secrets into the directory.
        demo_directory_check(data_dir=data_dir, database_url=os.environ.get("DATABASE_URL", ""))
        demo_directory_mark(data_dir)
        os.environ["MELDWIJZER_DATA_DIR"] = str(data_dir)
        os.environ["MELDWIJZER_DEMO_MODE"] = "1"
        _django_setup()
        demo_database_check()
    except DemoRefused as refusal:
        print(f"Fout: {refusal}", file=sys.stderr)
        return 1
    _manage("migrate", "--noinput", "--verbosity", "0")
    _manage("demo_load")
    from meldwijzer.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET_BASE32, DEMO_USERS

    accounts = "\n".join(
        f"  {username:<18} {', '.join(f'{role.label} bij {org}' for org, role in roles)}"
        for username, _, _, roles in DEMO_USERS
    )
    host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host  # noqa: S104
    print(
        DEMO_BANNER.format(
            url=f"http://{host}:{args.port}/account/inloggen/",
            password=DEMO_PASSWORD,
            accounts=accounts,
            secret=DEMO_TOTP_SECRET_BASE32,
        ),
        flush=True,
    )
    if args.no_serve:
        return 0
    return _serve(args.host, args.port, args.workers)


def cmd_serve(args: argparse.Namespace) -> int:
    _manage("migrate", "--noinput", "--verbosity", "0")
    return _serve(args.host, args.port, args.workers)


def cmd_migrate(args: argparse.Namespace) -> int:
    _manage("migrate", "--noinput")
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _manage(
        "createadmin",
        "--username", args.username, "--email", args.email,
        "--organisation", args.organisation,
    )  # fmt: skip
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    files = [option for path in args.checkpoints for option in ("--controlepunten", path)]
    months = [option for month in args.months for option in ("--maand", month)]
    _manage("audit_verify", *files, *months)
    return 0


def cmd_audit_partitions(args: argparse.Namespace) -> int:
    _manage("audit_partitions")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    _manage("audit_checkpoint")
    return 0


def cmd_audit_prune(args: argparse.Namespace) -> int:
    _manage("audit_prune", *(["--dry-run"] if args.dry_run else []))
    return 0


def cmd_audit_client(args: argparse.Namespace) -> int:
    _manage("audit_client", args.client)
    return 0


def cmd_demo_code(args: argparse.Namespace) -> int:
    os.environ["MELDWIJZER_DEMO_MODE"] = "1"
    _manage("demo_code")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _manage("check", *(["--deploy"] if args.deploy else []), "--fail-level", "WARNING")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    options = ["--days", str(args.days)]
    options += ["--today", args.today] if args.today else []
    options += ["--dry-run"] if args.dry_run else []
    _manage("reminders", *options)
    return 0


def cmd_trainings_reminders(args: argparse.Namespace) -> int:
    options = ["--today", args.today] if args.today else []
    options += ["--dry-run"] if args.dry_run else []
    _manage("trainings_reminders", *options)
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    _manage("retention", *(["--dry-run"] if args.dry_run else []))
    return 0


def cmd_datalab(args: argparse.Namespace) -> int:
    if args.datalab_command == "pseudonymise":
        options = [args.source, args.target]
        options += ["--sleutel-bestand", args.key_file] if args.key_file else []
    elif args.datalab_command == "import":
        options = [args.path, "--bron", args.bron, "--soort", args.soort]
        options += ["--organisatie", args.organisatie]
    else:
        options = [args.target, "--sleutel-bestand", args.key_file]
        options += ["--organisatie", args.organisatie]
    _manage("datalab", args.datalab_command, *options)
    return 0


# --- Backup and restore (core/backup.py, docs/backup.md) -----------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    _django_setup()
    from django.conf import settings
    from django.db import connection

    from meldwijzer.core import backup

    try:
        target, seconds = backup.timed(
            lambda: backup.backup_make(
                database=backup.Database.from_django(connection.settings_dict),
                to=Path(args.to) if args.to else settings.BACKUP_DIR,
                data_dir=Path(settings.DATA_DIR),
                checkpoint_file=Path(settings.AUDIT_CHECKPOINT_FILE),
            )
        )
    except backup.BackupRefused as refusal:
        print(f"Fout: {refusal}", file=sys.stderr)
        return 1
    print(backup.backup_summary(target, seconds=seconds))
    return 0


def _chain_check(checkpoints: Path | None) -> tuple[str, list[str], list[str]]:
    from meldwijzer.audit.verification import audit_chain_verify

    result = audit_chain_verify([checkpoints] if checkpoints else None)
    checked = (
        f"{result.rows_checked} regels in {result.chains_checked} ketens, "
        f"{result.checkpoints_checked} controlepunten; {'in orde' if result.ok else 'NIET in orde'}."
    )
    return checked, result.problems, result.notes


def cmd_restore(args: argparse.Namespace) -> int:
    _django_setup()
    from django.conf import settings
    from django.db import connection

    from meldwijzer.core import backup

    database = backup.Database.from_django(connection.settings_dict)
    connection.close()
    try:
        result, seconds = backup.timed(
            lambda: backup.restore_run(
                source=Path(args.source),
                database=database,
                data_dir=Path(settings.DATA_DIR),
                force=args.force,
                chain_check=_chain_check,
            )
        )
    except backup.BackupRefused as refusal:
        print(f"Fout: {refusal}", file=sys.stderr)
        return 1
    print(backup.restore_summary(result, seconds=seconds))
    return 0 if result.ok else 1


def cmd_manage(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["meldwijzer manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meldwijzer",
        description="Meldwijzer: de meldcode huiselijk geweld en kindermishandeling. "
        "Gegevens staan in MELDWIJZER_DATA_DIR (standaard een map per gebruiker), "
        "of in PostgreSQL als DATABASE_URL is gezet.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="opdracht")

    def add_server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
        p.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1)")
        p.add_argument("--workers", type=int, default=2, help="aantal gunicorn-workers")

    demo = sub.add_parser(
        "demo",
        help="start de demo met de regio Noordoostpolder",
        description="Bijwerken van de database, laden van de demoregio en starten van de server. "
        "Zonder MELDWIJZER_DATA_DIR komt de demo in een eigen map, los van echte gegevens.",
    )
    add_server_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="alleen laden, niet starten")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="start de server (gunicorn + whitenoise)")
    add_server_options(serve)
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="werk de database bij").set_defaults(func=cmd_migrate)

    admin = sub.add_parser(
        "createadmin",
        help="maak een platformbeheerder aan",
        description="Maak een platformbeheerder aan. Het wachtwoord wordt gevraagd of gelezen "
        "uit MELDWIJZER_ADMIN_PASSWORD.",
    )
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--organisation", required=True, help="naam van de organisatie")
    admin.set_defaults(func=cmd_createadmin)

    audit = sub.add_parser("audit", help="toegangslogboek (NEN 7513)")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="opdracht")
    verify = audit_sub.add_parser(
        "verify",
        help="controleer de hashketen en vergelijk met de controlepunten; afsluitcode 1 bij een "
        "afwijking (ook bij een ingekort of gewist logboek)",
    )
    verify.add_argument(
        "--controlepunten",
        dest="checkpoints",
        action="append",
        default=[],
        metavar="BESTAND",
        help="vergelijk met dit bestand met controlepunten (een kopie uit syslog of een "
        "back-up) in plaats van het ingestelde; mag vaker",
    )
    verify.add_argument(
        "--maand",
        "--month",
        dest="months",
        action="append",
        default=[],
        metavar="JJJJ-MM",
        help="controleer alleen deze maand, verankerd op de laatste regel ervoor, en meld per "
        "maand; mag vaker; 'alle' controleert elke maand apart",
    )
    verify.set_defaults(func=cmd_audit_verify)
    audit_sub.add_parser(
        "partitions",
        help="maak op PostgreSQL de maandpartities van het toegangslogboek aan (deze maand en de "
        "volgende drie; dagelijks, voor cron); verplaatst regels uit de standaardpartitie",
    ).set_defaults(func=cmd_audit_partitions)
    audit_sub.add_parser(
        "checkpoint",
        help="schrijf een ondertekend controlepunt buiten de database (voor cron); afsluitcode 1 "
        "als het logboek niet meer past bij het vorige",
    ).set_defaults(func=cmd_audit_checkpoint)
    prune = audit_sub.add_parser(
        "prune",
        help="verwijder de maanden ouder dan de bewaartermijn (ten minste 5 jaar; maandelijks, "
        "voor cron); elke keten houdt een ondertekend anker, zodat verify blijft werken",
    )
    prune.add_argument(
        "--dry-run",
        action="store_true",
        help="laat zien welke maanden verwijderd zouden worden; wijzig niets",
    )
    prune.set_defaults(func=cmd_audit_prune)
    client = audit_sub.add_parser(
        "client",
        help="toon wie de gegevens van één cliënt inzag of wilde inzien (ook geweigerd), "
        "nieuwste eerst",
    )
    client.add_argument("client", metavar="CLIENT", help="cliëntpseudoniem (cl-…) of casusnummer")
    client.set_defaults(func=cmd_audit_client)

    sub.add_parser("demo-code", help="toon de huidige inlogcode van de demo-accounts").set_defaults(
        func=cmd_demo_code
    )

    check = sub.add_parser("check", help="controleer de configuratie")
    check.add_argument("--deploy", action="store_true", help="controleer op productie-instellingen")
    check.set_defaults(func=cmd_check)

    reminders = sub.add_parser(
        "reminders",
        help="e-mail elke professional de vervolgcontacten die binnenkort of te laat zijn "
        "(dagelijks, voor cron); elke herinnering gaat één keer",
    )
    reminders.add_argument(
        "--days", type=int, default=3, help="herinner zoveel dagen vooraf (standaard 3)"
    )
    reminders.add_argument("--today", default="", help="doe alsof het deze dag is (JJJJ-MM-DD)")
    reminders.add_argument(
        "--dry-run", action="store_true", help="laat zien wat verstuurd zou worden; verstuur niets"
    )
    reminders.set_defaults(func=cmd_reminders)

    training_reminders = sub.add_parser(
        "trainings-reminders",
        help="e-mail elke professional wiens meldcodetraining binnenkort opgefrist moet worden "
        "of verlopen is (dagelijks, voor cron); elke herinnering gaat één keer",
    )
    training_reminders.add_argument(
        "--today", default="", help="doe alsof het deze dag is (JJJJ-MM-DD)"
    )
    training_reminders.add_argument(
        "--dry-run", action="store_true", help="laat zien wat verstuurd zou worden; verstuur niets"
    )
    training_reminders.set_defaults(func=cmd_trainings_reminders)

    retention = sub.add_parser(
        "retention",
        help="vernietig afgesloten dossiers waarvan de bewaartermijn is verstreken en waarop "
        "geen bewaarplicht rust (dagelijks, voor cron)",
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="laat zien wat vernietigd zou worden; wijzig niets"
    )
    retention.set_defaults(func=cmd_retention)

    datalab = sub.add_parser("datalab", help="het datalab: pseudonimiseren, inlezen, uitvoeren")
    datalab_sub = datalab.add_subparsers(dest="datalab_command", required=True, metavar="opdracht")
    pseudonymise = datalab_sub.add_parser(
        "pseudonymise",
        help="maak van de eigen export (met BSN, namen, adressen) het gedeelde bestand met "
        "pseudoniemen; draait bij de partner, vóór het delen",
    )
    pseudonymise.add_argument("source", metavar="IN", help="de eigen export (.csv of .xlsx)")
    pseudonymise.add_argument("target", metavar="OUT", help="het gedeelde bestand (.csv of .xlsx)")
    pseudonymise.add_argument(
        "--sleutel-bestand",
        dest="key_file",
        default="",
        metavar="PATH",
        help="bestand met de regionale sleutel (anders MELDWIJZER_DATALAB_KEY)",
    )
    datalab_import = datalab_sub.add_parser(
        "import", help="lees een gedeeld bestand in, ook als het te groot is voor de pagina"
    )
    datalab_import.add_argument("path", metavar="PATH")
    datalab_import.add_argument("--bron", required=True, metavar="NAAM", help="naam van de bron")
    datalab_import.add_argument(
        "--soort",
        default="partner",
        choices=["veilig_thuis", "partner", "platform"],
        help="soort bron (standaard partner)",
    )
    datalab_import.add_argument(
        "--organisatie", required=True, metavar="NAAM", help="de organisatie van het datalab"
    )
    export_cases = datalab_sub.add_parser(
        "export-cases", help="schrijf de eigen dossiers van de gemeente als gedeeld bestand"
    )
    export_cases.add_argument("target", metavar="OUT")
    export_cases.add_argument("--sleutel-bestand", dest="key_file", required=True, metavar="PATH")
    export_cases.add_argument(
        "--organisatie", required=True, metavar="NAAM", help="de organisatie van het datalab"
    )
    datalab.set_defaults(func=cmd_datalab)

    backup = sub.add_parser(
        "backup",
        help="maak een back-up terwijl de server draait (database, bestanden, manifest); "
        "zonder de sleutels",
    )
    backup.add_argument(
        "--to", default="", metavar="MAP", help="map voor de back-up (anders MELDWIJZER_BACKUP_DIR)"
    )
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser(
        "restore",
        help="zet een back-up terug in een lege database van dezelfde soort en vergelijk de "
        "inhoud met het manifest; afsluitcode 1 bij een weigering of afwijking",
    )
    restore.add_argument("source", metavar="MAP", help="de map van de back-up")
    restore.add_argument(
        "--force", action="store_true", help="vervang ook een database die al gegevens heeft"
    )
    restore.set_defaults(func=cmd_restore)

    manage = sub.add_parser("manage", help="Django-beheeropdrachten (voor beheerders)")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from django.core.management.base import CommandError

    try:
        return int(args.func(args) or 0)
    except CommandError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
