"""cegah worker: runs background tasks (imports) from the database queue.

The database backend's own ``db_worker``, without the code reloader by default (a worker
beside ``cegah serve`` must not restart itself). ``--batch`` runs what is queued and exits.
"""

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = "Run Cegah's background worker (imports). --batch: run what is queued, then exit."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
