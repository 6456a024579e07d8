import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are matched in English here; the UI's default (Indonesian) is
    covered by the page tests, which set their own language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Each test stores evidence files in a directory of its own."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR
