# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's own checks: unknown config keys, scrubbed messages."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.pingone.platform.plugins.inventory.environments import unknown_option_problems
from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import masked

OPTIONS = ('plugin', 'types', 'regions', 'name_prefix', 'hostname', 'filters', 'client_secret', 'cache')


def test_a_typo_names_the_closest_option():
    assert unknown_option_problems({'plugin': 'x', 'type': ['SANDBOX']}, OPTIONS) == ["unknown option 'type' (did you mean 'types'?)"]


def test_an_unrelated_key_is_named_alone():
    assert unknown_option_problems({'plugin': 'x', 'zzz': 1}, OPTIONS) == ["unknown option 'zzz'"]


def test_known_keys_have_no_problem():
    assert unknown_option_problems({'plugin': 'x', 'types': [], 'name_prefix': 'demo-'}, OPTIONS) == []


def test_the_one_masker_replaces_every_secret_longest_first():
    # Before ansible-core 2.19 remove_values replaced in the order given: 'Secret-1' first left '-long' in clear.
    assert masked('a Secret-1 and Secret-1-long', ['Secret-1', 'Secret-1-long']) == 'a ******** and ********'
    assert masked('a Secret-1 and Secret-1-long', {'Secret-1', 'Secret-1-long', None}) == 'a ******** and ********'


def _plugin_with_options(options, configured):
    from ansible_collections.pingone.platform.plugins.inventory.environments import InventoryModule
    from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import connection_argument_spec
    plugin = InventoryModule()
    plugin._options = dict(dict((name, spec.get('default')) for name, spec in connection_argument_spec().items()), **options)
    plugin._configured = set(configured)
    return plugin


def test_requests_per_minute_comes_from_its_variable_over_the_default(monkeypatch):
    monkeypatch.setenv('PINGONE_REQUESTS_PER_MINUTE', '30')
    assert _plugin_with_options({}, ())._connection_options()['requests_per_minute'] == '30'


def test_requests_per_minute_of_the_config_file_wins_over_its_variable(monkeypatch):
    monkeypatch.setenv('PINGONE_REQUESTS_PER_MINUTE', '30')
    plugin = _plugin_with_options({'requests_per_minute': 60}, ['requests_per_minute'])
    assert plugin._connection_options()['requests_per_minute'] == 60


def test_requests_per_minute_defaults_without_variable(monkeypatch):
    monkeypatch.delenv('PINGONE_REQUESTS_PER_MINUTE', raising=False)
    assert _plugin_with_options({}, ())._connection_options()['requests_per_minute'] == 180
