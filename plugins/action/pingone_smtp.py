# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the pingone_smtp module's own code in the controller's worker process; see plugin_utils/controller_action.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.pingone.platform.plugins.modules import pingone_smtp
from ansible_collections.pingone.platform.plugins.plugin_utils.controller_action import PingOneModuleAction


class ActionModule(PingOneModuleAction):
    module = pingone_smtp
