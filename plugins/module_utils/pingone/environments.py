# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PingOne environments: the list call and the pure selection shared by pingone_environment_info and the inventory plugin.

API facts are in shared/pingone-api.md, section 8.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

ENVIRONMENT_TYPES = ('PRODUCTION', 'SANDBOX')
# Environment names are short; a longer prefix can match nothing and is a mistake.
MAX_NAME_PREFIX_LENGTH = 256
DELETE_PENDING = 'DELETE_PENDING'
# PingOne leaves `status` out for some environments; those are live ones.
DEFAULT_STATUS = 'ACTIVE'

# The fields reported for each environment; the API object has many more (organization, license, _links, ...).
SUMMARY_FIELDS = ('id', 'name', 'type', 'region', 'status', 'description')

HOST_VARS = {
    'pingone_environment_id': 'id',
    'pingone_environment_name': 'name',
    'pingone_environment_type': 'type',
    'pingone_region': 'region',
}


def name_filter(name_prefix):
    """The SCIM filter for environments whose name starts with name_prefix, or None for every environment.

    SCIM values are JSON-style strings: a quote or backslash in the prefix is escaped, so the filter
    cannot be broken out of.
    """
    if not name_prefix:
        return None
    escaped = name_prefix.replace('\\', '\\\\').replace('"', '\\"')
    return 'name sw "%s"' % escaped


def list_environments(client, name_prefix=None):
    """Every environment the worker application can see (all pages), as API objects.

    Type, region and status are filtered by select(): the API has no `type eq` filter (pingone-api.md section 8).
    """
    scim_filter = name_filter(name_prefix)
    params = {'filter': scim_filter} if scim_filter else None
    return client.get_all('/environments', 'environments', 'Listing environments', params=params)


def summarize(api_environment):
    """The reported fields of one API environment object; a missing status counts as ACTIVE."""
    summary = dict((field, api_environment.get(field)) for field in SUMMARY_FIELDS if api_environment.get(field) is not None)
    summary.setdefault('status', DEFAULT_STATUS)
    return summary


def select(api_environments, types=None, regions=None, include_delete_pending=False, environment_ids=None):
    """The summaries of the environments that pass every given filter, sorted by name.

    An empty or None filter lets everything through. Environments being deleted (DELETE_PENDING) are
    skipped unless include_delete_pending: a rollout must not touch them.
    """
    wanted_ids = set(environment_id.lower() for environment_id in environment_ids) if environment_ids else None
    selected = []
    for environment in (summarize(api_environment) for api_environment in api_environments):
        if types and environment.get('type') not in types:
            continue
        if regions and environment.get('region') not in regions:
            continue
        if environment['status'] == DELETE_PENDING and not include_delete_pending:
            continue
        if wanted_ids is not None and (environment.get('id') or '').lower() not in wanted_ids:
            continue
        selected.append(environment)
    return sorted(selected, key=lambda environment: ((environment.get('name') or '').lower(), environment.get('name') or '',
                                                     environment.get('id') or ''))


def host_vars(environment):
    """The inventory host variables of one environment summary (no credentials: those never go into an inventory)."""
    return dict((var_name, environment.get(field)) for var_name, field in HOST_VARS.items())


def group_names(environment):
    """The default inventory groups of an environment: pingone_type_<type> and pingone_region_<region>, lower case."""
    names = []
    if environment.get('type'):
        names.append('pingone_type_%s' % environment['type'].lower())
    if environment.get('region'):
        names.append('pingone_region_%s' % environment['region'].lower())
    return names
