# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module test runs twice: as a module process runs the module, and as the action plugins run it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.pingone.platform.tests.unit import module_args


@pytest.fixture(params=module_args.PATHS, autouse=True)
def execution_path(request):
    module_args.state['path'] = request.param
    yield request.param
    module_args.state['path'] = 'module'
