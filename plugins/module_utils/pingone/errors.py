# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every failed call as one exception type: PingOne's error body (P1Error, or OAuth's at the token endpoint) and
the 2xx answers that carry no JSON object; and masked(), the one masker of secrets in what is reported (modules,
preflight, inventory)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.common.parameters import remove_values


def masked(value, secrets):
    """value with every secret replaced: AnsibleModule's own masker (remove_values), given the secrets longest first,
    as ansible-core 2.19 and later sort them themselves; before 2.19 a secret that starts another would leave the
    other's tail in clear."""
    return remove_values(value, sorted(set(secret for secret in secrets if secret), key=len, reverse=True))


class PingOneError(Exception):
    """Any failed call: HTTP status plus PingOne's error code, id and details when the body had them."""

    def __init__(self, message, status=None, code=None, error_id=None, details=None):
        super(PingOneError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.error_id = error_id
        self.details = details or []

    def __str__(self):
        text = self.message
        if self.status:
            text = 'PingOne API answered %s%s: %s' % (self.status, ' ' + self.code if self.code else '', self.message)
        for detail in self.details:
            text += '; %s: %s' % (detail.get('target') or detail.get('code'), detail.get('message'))
        if self.error_id:
            text += ' (PingOne error id %s)' % self.error_id
        return text

    def as_result(self):
        """Fields for fail_json: the API's own words, never a request body."""
        return dict(status=self.status, code=self.code, error_id=self.error_id, details=self.details)


def error_from_response(response, action):
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    # P1Error bodies carry id/code/message/details; the token endpoint answers OAuth's error/error_description.
    message = body.get('message') or body.get('error_description') or response.reason or 'no message'
    return PingOneError('%s failed: %s' % (action, message), status=response.status_code,
                        code=body.get('code') or body.get('error'), error_id=body.get('id'),
                        details=body.get('details'))


def answer_problem(response):
    """What is wrong with a 2xx answer that should carry a JSON object, or None."""
    if not response.content:
        return 'an empty body'
    try:
        body = response.json()
    except ValueError:
        # Typically an HTML page of a proxy or gateway, or a body cut off mid-way; its text may echo the request.
        return 'a body that is not JSON (%d bytes of %s)' % (len(response.content), response.headers.get('Content-Type') or 'no Content-Type')
    if not isinstance(body, dict):
        return 'JSON %s where an object was expected' % ('null' if body is None else type(body).__name__)
    return None


def unexpected_answer(response, action, method):
    message = '%s failed: PingOne answered %s with %s' % (action, response.status_code, answer_problem(response))
    if method == 'PUT':
        message += '; the write may have been applied: rerunning the task is safe, it reads before it writes'
    return PingOneError(message)
