import pytest


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Report files go to a temporary directory, never into the repository's private/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
