"""Background tasks (Django's tasks API; the database backend runs them in `cegah worker`)."""

from django_tasks import task

from . import services


@task()
def run_import(job_id: int):
    """Import an uploaded file stored for an ImportJob; progress is kept on the job."""
    return services.run_job(job_id)
