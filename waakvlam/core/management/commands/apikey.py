from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waakvlam.core.apikeys import SCOPES, UnknownScope, api_key_create, api_key_revoke
from waakvlam.core.models import ApiKey, Organisation


class Command(BaseCommand):
    help = "Create, list or revoke API keys of partner organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a key and print it once")
        create.add_argument("--org", required=True, help="organisation slug, e.g. woonstede")
        create.add_argument("--scope", action="append", choices=SCOPES, help="repeat for several scopes")
        create.add_argument("--name", default="")
        listing = sub.add_parser("list", help="list keys with last use")
        listing.add_argument("--org")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                known = ", ".join(Organisation.objects.values_list("slug", flat=True)[:20]) or "none yet; run load-demo"
                raise CommandError(f"No organisation with slug {options['org']!r}. Known: {known}.")
            try:
                api_key, key = api_key_create(organisation=organisation, scopes=options["scope"], name=options["name"])
            except UnknownScope as error:
                raise CommandError(str(error)) from None
            self.stdout.write(key)
            self.stderr.write(
                f"Key {api_key.prefix} for {organisation.slug} with scopes {', '.join(api_key.scopes)}. It is shown only now."
            )
        elif action == "list":
            keys = ApiKey.objects.select_related("organisation").order_by("organisation__slug", "created_at")
            if options["org"]:
                keys = keys.filter(organisation__slug=options["org"])
            for k in keys:
                state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
                self.stdout.write(
                    f"{k.prefix}  {k.organisation.slug:<16} {state:<18} last used {used}  {','.join(k.scopes)}"
                )
        else:
            found = ApiKey.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No API key with prefix {options['prefix']!r}; see `waakvlam apikey list`.")
            api_key_revoke(api_key=found)
            self.stdout.write(f"Revoked {found.prefix}.")
