"""Imports: a file (bytes) → parsed rows → ``write_values``, the one write path.

``import_file`` is what the API, the ``cegah import`` command and the background task
call. It refuses a file over the size limit and a file it cannot read with one conflict,
checks a JSON file's data set, and hands the rows to ``write_values`` — which validates
every row first and, by default, writes nothing unless every row is valid.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import bulk, numbers
from cegah.core.scope import scope_for
from cegah.indicators.models import DataSet, DataValue
from cegah.indicators.services import (
    DELETE,
    Conflict,
    WriteSummary,
    strategy_named,
    unknown_strategy,
    write_values,
)

from . import parsers
from .models import ImportJob


def max_bytes() -> int:
    return int(settings.CEGAH_IMPORT_MAX_MB) * 1024 * 1024


def too_large_conflict(size: int) -> Conflict:
    return Conflict(
        "file",
        _("The file is %(size).1f MB; the limit is %(limit)s MB.")
        % {"size": size / 1024 / 1024, "limit": settings.CEGAH_IMPORT_MAX_MB},
    )


def refused(conflict: Conflict, dry_run: bool = False) -> WriteSummary:
    """The answer for a file that could not be read at all: one conflict, nothing written."""
    summary = WriteSummary(dry_run=dry_run)
    summary.conflicts.append(conflict)
    return summary


_NUMBER = re.compile(r"\d+")


def _order(conflict: Conflict) -> tuple[int, int]:
    """File-level conflicts first, then by row number (``row 12``, ``dataValues[3]``)."""
    match = _NUMBER.search(conflict.object)
    return (1, int(match.group())) if match else (0, 0)


@bulk.collector_paused()
def import_file(
    actor,
    data: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    dry_run: bool = False,
    atomic: bool = True,
    progress: Callable[[int, int], None] | None = None,
    strategy: str = "",
    language: str | None = None,
) -> WriteSummary:
    """Import one file. ``actor`` None is the system (the command without --user).
    ``strategy``: DHIS2's import strategy by name (empty: CREATE_AND_UPDATE; an unknown
    name refuses the file). ``language``: the importing person's, for numbers people type
    in spreadsheets (the active language when None)."""
    if actor is not None and not scope_for(actor).can_write:
        raise PermissionDenied(_("Your role cannot enter data."))
    chosen = strategy_named(strategy)
    if chosen is None:
        return refused(unknown_strategy(strategy), dry_run)
    if len(data) > max_bytes():
        return refused(too_large_conflict(len(data)), dry_run)
    try:
        fmt = parsers.detect_format(data[:16], filename, content_type)
        parsed = parsers.parse(data, fmt, language, deleting=chosen == DELETE)
    except parsers.FileProblem as problem:
        return refused(problem.conflict, dry_run)
    total = len(parsed.rows) + len({c.object for c in parsed.conflicts})
    data_set, data_set_conflicts = _data_set_check(parsed)
    before = parsed.conflicts + data_set_conflicts
    # With problems found already and all-or-nothing, nothing will be written; the rows
    # are still checked (a dry run) so the answer lists every problem in the file at once.
    checks_only = bool(before) and atomic
    summary = write_values(
        actor,
        parsed.rows,
        source=DataValue.Source.IMPORTED,
        dry_run=dry_run or checks_only,
        atomic=atomic,
        progress=progress,
        strategy=chosen,
        data_set=data_set,
    )
    if checks_only:
        summary.dry_run = dry_run
        summary.imported = summary.updated = summary.deleted = 0
    summary.conflicts = sorted(before + summary.conflicts, key=_order)
    summary.ignored = total - summary.imported - summary.updated - summary.deleted
    return summary


def _data_set_check(parsed: parsers.Parsed) -> tuple[DataSet | None, list[Conflict]]:
    """The data set a JSON file names, and a conflict per row of another element (the
    rows are left out): a file naming its data set may only hold that data set's
    elements, at its org-unit level (``write_values``)."""
    if not parsed.data_set:
        return None, []
    data_set = DataSet.objects.filter(code=parsed.data_set).first()
    if data_set is None:
        return None, [
            Conflict("dataSet", _("Unknown data set %(code)s.") % {"code": parsed.data_set})
        ]
    members = set(data_set.elements.values_list("code", flat=True))
    conflicts = []
    kept = []
    for row in parsed.rows:
        code = row.data_element.strip().upper()
        if code in members:
            kept.append(row)
        else:
            conflicts.append(
                Conflict(
                    row.ref,
                    _("%(element)s is not in data set %(data_set)s.")
                    % {"element": row.data_element, "data_set": data_set.code},
                )
            )
    parsed.rows = kept
    return data_set, conflicts


# ---------------------------------------------------------------------------------------
# Background imports


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def create_job(actor, upload, *, dry_run: bool) -> ImportJob:
    """Store an uploaded file privately and queue its import for the worker."""
    from .tasks import run_import

    if not scope_for(actor).can_write:
        raise PermissionDenied(_("Your role cannot enter data."))
    suffix = Path(upload.name or "").suffix.lower()[:10]
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]+", suffix or "") else ""
    stored = imports_dir() / f"{uuid.uuid4().hex}{suffix}"
    with open(stored, "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    stored.chmod(0o600)
    job = ImportJob.objects.create(
        user=actor,
        filename=(upload.name or "upload")[:255],
        stored_as=str(stored.relative_to(Path(settings.DATA_DIR))),
        size=upload.size or 0,
        content_type=(getattr(upload, "content_type", "") or "")[:120],
        dry_run=dry_run,
        language=numbers.language(),
    )
    result = run_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    return job


def run_job(job_id: int) -> dict | None:
    """The worker's side: import the stored file as its owner, recording progress."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    started = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, started_at=started, stage=_("Reading the file"), progress=2
    )
    progress = JobProgress(job.pk)
    try:
        data = (Path(settings.DATA_DIR) / job.stored_as).read_bytes()
        summary = import_file(
            job.user,
            data,
            filename=job.filename,
            content_type=job.content_type,
            dry_run=job.dry_run,
            progress=progress,
            language=job.language,
        ).as_dict()
    except Exception as exc:  # the job must end, and say why
        progress.close()
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED,
            error=str(exc)[:2000] or exc.__class__.__name__,
            finished_at=timezone.now(),
            stage="",
        )
        raise
    progress.close()
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.DONE,
        progress=100,
        stage="",
        summary=summary,
        finished_at=timezone.now(),
    )
    return {"status": summary["status"], "importCount": summary["importCount"]}


class JobProgress:
    """``progress(done, total)`` for an import job, written by a thread of its own through
    its own database connection.

    The import runs in one transaction on the caller's connection, and a large one stores
    rows on that connection from a worker thread while it checks the next ones; progress
    written there would show only when the import ends (and must not be written there
    while rows are being stored). The reporter writes only the latest figure, at most one
    write at a time; if the database makes it wait (SQLite has one writer at a time) the
    import does not wait with it. ``close`` waits for the last write, so the job's final
    state is written after it."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._percent = 2
        self._latest: tuple[int, str] | None = None
        self._closed = False
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def __call__(self, done: int, total: int) -> None:
        # Checking rows is most of the work before the last chunk is stored: show 5–90 %.
        percent = min(5 + int(85 * done / total) if total else 90, 99)
        if percent < self._percent + 2 and done != total:
            return
        self._percent = percent
        stage = _("Writing") if done == total else _("Checking rows")
        with self._wake:
            self._latest = (percent, str(stage))
            self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._report, name="cegah-progress")
            self._thread.start()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _report(self) -> None:
        try:
            while True:
                with self._wake:
                    while self._latest is None and not self._closed:
                        self._wake.wait()
                    latest, self._latest = self._latest, None
                if latest is None:
                    return
                try:
                    ImportJob.objects.filter(pk=self.job_id).update(
                        progress=latest[0], stage=latest[1]
                    )
                except DatabaseError:
                    pass  # a progress figure is not worth failing or holding up the import
        finally:
            connection.close()  # this thread's own connection
