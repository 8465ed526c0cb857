"""errors.py: what a failed call says (list, user, email, status, endpoint), what it means for the run, and never
a secret."""

from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError


def test_the_message_names_what_failed():
    error = SendGridError('refused', list_name='blocks', user='tenant-42', email='a@x.test', status=403,
                          endpoint='GET v3/suppression/blocks')
    assert str(error) == 'blocks, user tenant-42, email a@x.test: refused (HTTP 403, GET v3/suppression/blocks)'
    assert error.to_dict()['status'] == 403


def test_secrets_are_masked_in_every_part():
    error = SendGridError('key SG.secret-1 refused', api_message='SG.secret-1 is wrong', secrets=('SG.secret-1',))
    assert 'SG.secret-1' not in str(error) and 'SG.secret-1' not in repr(error.to_dict())


def test_context_is_added_without_losing_anything():
    error = SendGridError('busy', status=503, secrets=('k',))
    error.retried = True
    again = error.with_context(list_name='bounces', email='b@x.test')
    assert (again.list_name, again.email, again.status, again.retried) == ('bounces', 'b@x.test', 503, True)


def test_what_an_error_means_for_the_run():
    assert SendGridError('x', status=401).stops_run and SendGridError('x', status=302).stops_run
    assert SendGridError('x', unreachable=True).stops_run and SendGridError('x', malformed=True).stops_run
    assert not SendGridError('x', status=400).stops_run
    assert SendGridError('x', status=429).exhausted_retries and not SendGridError('x', status=404).exhausted_retries
