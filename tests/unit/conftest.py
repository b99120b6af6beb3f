# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every unit test gets a HOME of its own: the controller state (token cache, pacing file) is never the user's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest


@pytest.fixture(autouse=True)
def own_home(monkeypatch, tmp_path_factory):
    monkeypatch.setenv('HOME', str(tmp_path_factory.mktemp('home')))
