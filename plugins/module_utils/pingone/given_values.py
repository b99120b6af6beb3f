# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the option values a task gave, for every module, before any request (pure logic, no I/O).

Ansible's argument spec turns anything given to a `type: str` option into a string: a list given as a password
would be sent as "['a', 'b']". So the shapes are checked on the values as the task gave them, before that
conversion, and the words are about the option, never its value (it may be a secret).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def _type_name(value):
    if isinstance(value, dict):
        return 'a mapping'
    if isinstance(value, (list, tuple, set)):
        return 'a list'
    if isinstance(value, bool):
        return 'a boolean'
    return 'a number' if isinstance(value, (int, float)) else 'a %s' % type(value).__name__


def _string_options(argument_spec):
    """Name (and alias) -> (option name, whether it is a secret) for the `type: str` options."""
    names = {}
    for option, spec in argument_spec.items():
        if spec.get('type', 'str') == 'str':
            for name in [option] + list(spec.get('aliases') or []):
                names[name] = (option, bool(spec.get('no_log')))
    return names


def shape_problems(argument_spec, given):
    """A string option given a list or a mapping, or a secret given anything but a string, named; never its value."""
    problems = []
    string_options = _string_options(argument_spec)
    for name, value in sorted(given.items()):
        option, secret = string_options.get(name, (None, False))
        if option is None or value is None or isinstance(value, str):
            continue
        if secret or isinstance(value, (dict, list, tuple, set)):
            hint = ' (quote it in YAML)' if secret and not isinstance(value, (dict, list, tuple, set)) else ''
            problems.append('%s must be a string, got %s%s' % (option, _type_name(value), hint))
    return problems


def whitespace_problems(argument_spec, params):
    """Every string option given only whitespace (spaces, tabs, ...), named: it is never a real value."""
    return ['%s must not be only whitespace' % option
            for option in sorted(params) if option in argument_spec and argument_spec[option].get('type', 'str') == 'str'
            and isinstance(params[option], str) and params[option] and not params[option].strip()]
