"""cegah token create USERNAME: a personal API token, printed once as the last line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cegah.accounts.models import User
from cegah.accounts.services import create_token


class Command(BaseCommand):
    help = "Personal API tokens. `create USERNAME`: make one and print it (shown only once)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for USERNAME")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        create.add_argument("--days", type=int, default=None)

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {opts['username']!r}.")
        try:
            token, secret = create_token(user, opts["name"], opts["days"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Token {token.name!r} for {user.username}, expires {token.expires_at:%Y-%m-%d}. "
            "It is shown only now:"
        )
        self.stdout.write(secret)
