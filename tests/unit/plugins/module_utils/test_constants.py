"""constants.py: the values are consistent with one another (defaults within their bounds, a URL per region)."""

from urllib.parse import urlsplit

from ansible_collections.mailops.sendgrid.plugins.module_utils import constants


def test_defaults_lie_within_their_bounds():
    assert 1 <= constants.DEFAULT_BATCH_SIZE <= constants.MAX_BATCH_SIZE
    assert 1 <= constants.DEFAULT_CONCURRENCY <= constants.MAX_CONCURRENCY
    assert 0 <= constants.DEFAULT_MAX_RETRIES <= constants.MAX_RETRIES
    assert 0 < constants.DEFAULT_TIMEOUT <= constants.MAX_TIMEOUT
    assert constants.DEFAULT_API_VERSION in constants.API_VERSIONS


def test_every_region_has_an_https_url_and_the_default_is_sendgrids_own():
    assert constants.REGIONS == tuple(constants.REGION_URLS) and constants.DEFAULT_REGION in constants.REGIONS
    assert all(urlsplit(url).scheme == 'https' for url in constants.REGION_URLS.values())
    assert constants.REGION_URLS[constants.DEFAULT_REGION] == constants.DEFAULT_API_URL
    assert 429 in constants.RETRY_STATUSES
