# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment:
    # The environment filters shared by pingone_environment_info and the environments inventory plugin.
    DOCUMENTATION = r'''
options:
  name_prefix:
    description:
      - Only environments whose name starts with this text (PingOne compares without regard to case).
      - Sent to PingOne as the SCIM filter C(name sw "<name_prefix>").
      - At most 256 characters, without control characters.
    type: str
  types:
    description:
      - Only environments of these types. All types when not set.
    type: list
    elements: str
    choices: [PRODUCTION, SANDBOX]
  regions:
    description:
      - Only environments in these PingOne regions. All regions when not set.
    type: list
    elements: str
    choices: [AP, AU, CA, EU, NA, SG]
  include_delete_pending:
    description:
      - Also take the environments whose status is C(DELETE_PENDING) (deleted, waiting for the hard delete).
    type: bool
    default: false
'''
