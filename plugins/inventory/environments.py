# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: environments
short_description: PingOne environments as inventory hosts
version_added: 0.1.0
description:
  - Makes each PingOne environment the worker application can see an inventory host, so a play can run
    the collection's modules once per environment, in waves (C(serial)) and per group.
  - The hosts run with C(ansible_connection=local) and the controller's Python (C(ansible_python_interpreter)
    is set to C({{ ansible_playbook_python }})), because the modules talk to the PingOne API from the controller.
  - Each host has the variables C(pingone_environment_id), C(pingone_environment_name),
    C(pingone_environment_type) and C(pingone_region), and is in the groups C(pingone_type_<type>)
    (C(pingone_type_sandbox), C(pingone_type_production)) and C(pingone_region_<region>) (C(pingone_region_na), ...).
  - The connection options are only used to list the environments; no credential is put into the inventory.
    Give the modules their connection with C(module_defaults) (group C(group/pingone.platform.pingone)).
  - The configuration file name must end with C(pingone.yml), C(pingone.yaml), C(pingone_environments.yml)
    or C(pingone_environments.yaml).
  - Environments being deleted (status C(DELETE_PENDING)) are left out unless O(include_delete_pending=true).
  - A key of the configuration file that is no option (such as C(type) for O(types)) is an error that names the
    closest option, so that a typo never widens the inventory.
  - Ansible only warns when an inventory source fails to parse (a wrong secret, PingOne unreachable). Set
    C(unparsed_is_failed) and C(any_unparsed_is_failed) in the C([inventory]) section of C(ansible.cfg) to make it an
    error, as C(playbooks/ansible.cfg) of this collection does.
author:
  - pingone.platform developers (@pingone-platform)
extends_documentation_fragment:
  - pingone.platform.pingone
  - pingone.platform.environment_filters
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin; marks the file as a source for it.
    type: str
    required: true
    choices: [pingone.platform.environments]
  filters:
    description:
      - Jinja2 conditions on the host variables (C(pingone_environment_id), C(pingone_environment_name),
        C(pingone_environment_type), C(pingone_region)); an environment becomes a host only if every condition is true.
      - For what the other filter options cannot say, such as a name pattern or a list of names to leave out.
    type: list
    elements: str
    default: []
  hostname:
    description:
      - What names the hosts. Environment names are unique in an organization, but can be renamed; IDs never change.
    type: str
    choices: [name, id]
    default: name
'''

EXAMPLES = r'''
# pingone.yml, the smallest: every live environment, grouped by type and region, credentials from the
# PINGONE_* variables, is the single line
#   plugin: pingone.platform.environments

# pingone_environments.yml: European sandboxes named by ID, with groups of your own
plugin: pingone.platform.environments
region_code: EU
types: [SANDBOX]
hostname: id
keyed_groups:
  # team_payments, team_identity, ... from names like payments-sandbox-1
  - key: pingone_environment_name.split('-')[0]
    prefix: team
groups:
  canary: pingone_environment_name.endswith('-canary')
compose:
  pingone_console_url: "'https://console.pingone.eu/?env=' ~ pingone_environment_id"

# A playbook using it: one task per environment, the connection set once
# - hosts: pingone_type_sandbox
#   gather_facts: false
#   serial: 10
#   module_defaults:
#     group/pingone.platform.pingone:
#       region_code: EU
#   tasks:
#     - pingone.platform.pingone_smtp_info:
#         environment_id: "{{ pingone_environment_id }}"
'''

import difflib
import os

from ansible.errors import AnsibleParserError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every inventory string anyway
    def trust_as_template(value):
        return value

from ansible_collections.pingone.platform.plugins.module_utils.pingone import environments, smtp_input

from ansible_collections.pingone.platform.plugins.module_utils.pingone.errors import PingOneError, masked
from ansible_collections.pingone.platform.plugins.module_utils.pingone.options import (
    ENV_VARS, connection_argument_spec, connection_problems, tls_warnings)
from ansible_collections.pingone.platform.plugins.module_utils.pingone.transport import HAS_REQUESTS, PingOneClient

display = Display()


def unknown_option_problems(config, known_options):
    """A message per key of the config file that is no option (Ansible ignores them: `type:` for `types:` would list
    every environment), naming the closest option."""
    problems = []
    for key in sorted(set(config) - set(known_options), key=str):
        closest = difflib.get_close_matches(str(key), sorted(known_options), n=1)
        problems.append('unknown option %r%s' % (key, ' (did you mean %r?)' % closest[0] if closest else ''))
    return problems


CONFIG_FILE_SUFFIXES = ('pingone.yml', 'pingone.yaml', 'pingone_environments.yml', 'pingone_environments.yaml')


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'pingone.platform.environments'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(CONFIG_FILE_SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        self._configured = set(config)
        problems = unknown_option_problems(config, self._options)
        if problems:
            raise AnsibleParserError('Invalid pingone.platform.environments configuration: ' + '; '.join(problems))
        listed = self._listed_environments(path, cache)
        selected = environments.select(listed, types=self.get_option('types'), regions=self.get_option('regions'),
                                       include_delete_pending=self.get_option('include_delete_pending'))
        for environment in selected:
            if self._passes_filters(environment):
                self._add_environment(environment)

    def _passes_filters(self, environment):
        host_vars = environments.host_vars(environment)
        for condition in self.get_option('filters'):
            try:
                passed = self._compose(condition, host_vars)
            except Exception as error:  # pylint: disable=broad-except  # any template error, named for the user
                raise AnsibleParserError('filters: cannot evaluate %r: %s' % (condition, error))
            if not boolean(passed, strict=False):
                return False
        return True

    def _connection_options(self):
        """The connection options as a module would get them: the config file first, then the PINGONE_* variables.

        The variables are read here, from client.ENV_VARS, rather than declared as `env:` in the documentation,
        so that the modules' argument spec and this plugin take the names from the same place.
        """
        options = {}
        for name in connection_argument_spec():
            value = self.get_option(name)
            if name in ENV_VARS and name not in getattr(self, '_configured', ()):
                value = os.environ.get(ENV_VARS[name]) or value  # over a default (requests_per_minute has one)
            options[name] = value
        return options

    def _list_from_api(self):
        if not HAS_REQUESTS:
            raise AnsibleParserError('The pingone.platform.environments inventory plugin needs the Python library requests '
                                     'on the controller (pip install requests).')
        options = self._connection_options()
        problems = connection_problems(options)
        name_prefix_problem = smtp_input.text_problem('name_prefix', self.get_option('name_prefix'),
                                                      max_length=environments.MAX_NAME_PREFIX_LENGTH)
        problems += [name_prefix_problem] if name_prefix_problem else []
        if problems:
            raise AnsibleParserError('Invalid pingone.platform.environments configuration: ' + '; '.join(problems))
        for warning in tls_warnings(options):
            display.warning('pingone.platform.environments: ' + warning)
        secrets = set()
        client = PingOneClient(options, on_secret=secrets.update)
        try:
            api_environments = environments.list_environments(client, self.get_option('name_prefix'))
        except PingOneError as error:
            # An error body may echo the request (a proxy, a WAF): no secret the client sent may reach the message.
            # `from None`: the original exception, unscrubbed, would be printed with the traceback at -vvv.
            raise AnsibleParserError(masked('Could not list the PingOne environments: %s' % error, secrets)) from None
        # Only the fields the inventory uses are kept, so a cache holds nothing more.
        return [environments.summarize(api_environment) for api_environment in api_environments]

    def _listed_environments(self, path, cache):
        """The environment summaries, from the inventory cache when it is enabled and fresh."""
        use_cache = self.get_option('cache')
        cache_key = self.get_cache_key(path)
        if use_cache and cache:
            try:
                return self._cache[cache_key]
            except KeyError:
                pass  # nothing cached yet, or expired
        listed = self._list_from_api()
        if use_cache:
            self._cache[cache_key] = listed
        return listed

    def _add_environment(self, environment):
        hostname = environment[self.get_option('hostname')]
        self.inventory.add_host(hostname)
        for var_name, value in environments.host_vars(environment).items():
            self.inventory.set_variable(hostname, var_name, value)
        # The modules call the PingOne API from the controller, with the Python that runs Ansible (it has requests).
        self.inventory.set_variable(hostname, 'ansible_connection', 'local')
        self.inventory.set_variable(hostname, 'ansible_python_interpreter', trust_as_template('{{ ansible_playbook_python }}'))
        for group_name in environments.group_names(environment):
            group_name = self.inventory.add_group(self._sanitize_group_name(group_name))
            self.inventory.add_child(group_name, hostname)

        strict = self.get_option('strict')
        host_vars = self.inventory.get_host(hostname).get_vars()
        self._set_composite_vars(self.get_option('compose'), host_vars, hostname, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), host_vars, hostname, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, hostname, strict=strict)
