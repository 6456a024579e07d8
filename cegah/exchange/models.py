from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """An upload imported in the background: the file (kept privately under
    CEGAH_DATA_DIR), how far the worker got, and the DHIS2-shaped summary at the end.
    Only its owner (and national admins) may see it: see ``queries.import_jobs``."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    filename = models.CharField(_("file"), max_length=255)
    stored_as = models.CharField(max_length=255)  # relative to CEGAH_DATA_DIR
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(max_length=120, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    # The uploader's language: how numbers typed in a spreadsheet are read.
    language = models.CharField(_("language"), max_length=8, default="id")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    summary = models.JSONField(_("summary"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
