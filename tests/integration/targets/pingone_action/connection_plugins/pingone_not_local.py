# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A connection that is not `local` to the collection's action plugins, but runs commands on this machine.

For the tests and the benchmark only: it forces the hand-over path (the module runs as a module process, as it
would on a bastion host) without needing an SSH server.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
name: pingone_not_local
short_description: The local connection under another name (tests and benchmark of pingone.platform)
description:
  - Runs commands on the controller like ansible.builtin.local, but reports another transport, so the
    pingone.platform action plugins hand the task over to the module.
author: pingone.platform developers
extends_documentation_fragment:
  - connection_pipelining
'''

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    transport = 'pingone_not_local'
