# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The input checks of the SMTP options, before any request: each message names its option. Pure, no I/O."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import unicodedata

from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import uuid_problems
from ansible_collections.pingone.platform.plugins.module_utils.pingone.smtp import FIELDS

# Limits checked before any request. PingOne publishes none (pingone-api.md section 2), so these are the
# protocols' own: a DNS name is at most 253 characters in labels of at most 63 (RFC 1035), an address at most
# 254 (RFC 5321); names and user names are capped at a length no mail header or SMTP login needs.
MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63
MAX_ADDRESS_LENGTH = 254
MAX_NAME_LENGTH = 256
MAX_USERNAME_LENGTH = 256
# Unicode categories that end up as line breaks or controls in mail headers or the SMTP dialogue: Cc (C0 such as
# CR, LF, NUL, and C1 such as U+0085 NEL), Zl (U+2028) and Zp (U+2029). Format characters (Cf) stay allowed:
# real names in some scripts need ZWJ and ZWNJ.
FORBIDDEN_CATEGORIES = ('Cc', 'Zl', 'Zp')
TEXT_OPTIONS = ('host', 'username', 'from_address', 'from_name', 'reply_to_address', 'reply_to_name')
MAX_LENGTHS = {'host': MAX_HOST_LENGTH, 'username': MAX_USERNAME_LENGTH, 'from_address': MAX_ADDRESS_LENGTH,
               'from_name': MAX_NAME_LENGTH, 'reply_to_address': MAX_ADDRESS_LENGTH, 'reply_to_name': MAX_NAME_LENGTH}

# A DNS name of two labels or more, each of letters, digits and inner hyphens: an SMTP host, or an address's domain.
DOMAIN = r'[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+'
EMAIL_PATTERN = re.compile(r'^[^@\s]+@' + DOMAIN + r'\Z')
HOSTNAME_PATTERN = re.compile('^' + DOMAIN + r'\Z')


def validate(params):
    """Messages for invalid module options, each naming its option; found before any request."""
    problems = []
    problems.extend(uuid_problems('environment_id', [params.get('environment_id')], 'a PingOne environment id (a UUID)'))
    problems.extend(role_propagation_timeout_problems(params))
    given = dict((option, params.get(option)) for option in FIELDS if params.get(option) is not None)
    if params.get('state') == 'absent':
        extra = sorted(given) + (['password'] if params.get('password') is not None else [])
        if extra:
            problems.append('%s cannot be used with state=absent, which resets the environment to PingOne\'s built-in email service'
                            % ', '.join(extra))
        return problems
    port = given.get('port')
    if isinstance(port, bool):
        # A YAML true/false passes Ansible's int check and would be sent as JSON true.
        problems.append('port must be a number from 1 to 65535, got the boolean %r' % port)
    elif port is not None and not 1 <= port <= 65535:
        problems.append('port must be between 1 and 65535, got %r' % port)
    text_problems = dict((option, text_problem(option, given.get(option))) for option in TEXT_OPTIONS)
    problems.extend(problem for problem in text_problems.values() if problem)
    host = given.get('host')
    if host and not text_problems['host'] and not HOSTNAME_PATTERN.match(host):
        problems.append('host must be a hostname such as smtp.example.com, got %r' % host)
    for option in ('from_address', 'reply_to_address'):
        address = given.get(option)
        if address and not text_problems[option] and not EMAIL_PATTERN.match(address):
            problems.append('%s must be an email address such as noreply@example.com, got %r' % (option, address))
    for option in ('host', 'username', 'from_address'):
        if given.get(option) == '':
            problems.append('%s cannot be empty' % option)
    if params.get('password') == '':
        problems.append('password cannot be empty')
    if given.get('reply_to_name') and not given.get('reply_to_address'):
        # PingOne requires replyTo.address whenever replyTo is sent; known before any request.
        problems.append('reply_to_name needs reply_to_address: give both (clear both with empty strings to remove the reply-to)')
    if params.get('update_password') == 'always' and not params.get('password'):
        problems.append('update_password=always needs password')
    return problems


def role_propagation_timeout_problems(params):
    timeout = params.get('role_propagation_timeout')
    return ['role_propagation_timeout must be 0 (no wait) or more seconds, got %r' % timeout] if timeout is not None and timeout < 0 else []


def text_problem(option, value, max_length=None):
    """The problem with the text of one option (control characters, length), or None."""
    max_length = max_length or MAX_LENGTHS[option]
    if not value:
        return None
    if has_forbidden_character(value):
        return ('%s must not contain control characters or line separators (newline, carriage return, NUL, U+0085, '
                'U+2028, U+2029, ...), got %r' % (option, value))
    if len(value) > max_length:
        return '%s must be at most %d characters, got %d' % (option, max_length, len(value))
    if option == 'host':
        long_labels = [label for label in value.split('.') if len(label) > MAX_LABEL_LENGTH]
        if long_labels:
            return 'host must have labels (the parts between dots) of at most %d characters, got one of %d' % (
                MAX_LABEL_LENGTH, len(long_labels[0]))
    return None


def has_forbidden_character(value):
    return any(unicodedata.category(character) in FORBIDDEN_CATEGORIES for character in value)
