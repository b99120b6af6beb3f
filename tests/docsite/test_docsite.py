# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The built docsite (make docs) has a page for every module, inventory plugin, filter and role, and the guide.

Run by tools/test.sh (stage docs): DOCSITE_DIR=<built HTML> COLLECTION_DIR=<collection root> pytest tests/docsite
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
from html.parser import HTMLParser

import pytest
import yaml

DOCSITE_DIR = os.environ.get('DOCSITE_DIR', '')
COLLECTION_DIR = os.environ.get('COLLECTION_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
FQCN_PREFIX = 'pingone.platform.'
PAGES_DIR = os.path.join(DOCSITE_DIR, 'collections', 'pingone', 'platform')


class PageReader(HTMLParser):
    """The text of the page's first <h1> and every link target (without its #anchor)."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.title = ''
        self.links = set()
        self._h1_depth = 0
        self._h1_seen = False

    def handle_starttag(self, tag, attrs):
        if tag == 'h1' and not self._h1_seen:
            self._h1_depth = 1
        elif self._h1_depth:
            self._h1_depth += 1
        if tag == 'a':
            self.links.update(value.split('#')[0] for name, value in attrs if name == 'href' and value)

    def handle_endtag(self, tag):
        if self._h1_depth:
            self._h1_depth -= 1
            if not self._h1_depth:
                self._h1_seen = True

    def handle_data(self, data):
        if self._h1_depth:
            self.title += data


def read_page(name):
    path = os.path.join(PAGES_DIR, name)
    assert os.path.isfile(path), 'the docsite has no page %s' % path
    reader = PageReader()
    with open(path, encoding='utf-8') as page:
        reader.feed(page.read())
    return reader


def content():
    """(plugin type, name) of everything the collection ships that has documentation."""
    found = []
    for plugin_type, folder in (('module', 'modules'), ('inventory', 'inventory'), ('filter', 'filter')):
        plugin_dir = os.path.join(COLLECTION_DIR, 'plugins', folder)
        for file_name in sorted(os.listdir(plugin_dir)):
            if file_name.endswith('.py') and file_name != '__init__.py':
                found.append((plugin_type, file_name[:-3]))
    for role in sorted(os.listdir(os.path.join(COLLECTION_DIR, 'roles'))):
        found.append(('role', role))
    return found


def test_docsite_was_built():
    assert DOCSITE_DIR, 'set DOCSITE_DIR to the built docsite (tools/test.sh does)'
    assert os.path.isfile(os.path.join(DOCSITE_DIR, 'index.html'))


def test_content_is_found():
    kinds = set(plugin_type for plugin_type, dummy in content())
    assert kinds == {'module', 'inventory', 'filter', 'role'}


@pytest.mark.parametrize('plugin_type,name', content())
def test_every_plugin_and_role_has_a_page(plugin_type, name):
    page = read_page('%s_%s.html' % (name, plugin_type))
    assert page.title.startswith('%s%s %s' % (FQCN_PREFIX, name, plugin_type)), page.title
    assert '%s_%s.html' % (name, plugin_type) in read_page('index.html').links


def test_every_extra_doc_has_a_page():
    with open(os.path.join(COLLECTION_DIR, 'docs', 'docsite', 'extra-docs.yml'), encoding='utf-8') as extra:
        documents = [doc for section in yaml.safe_load(extra)['sections'] for doc in section['toctree']]
    assert documents
    for document in documents:
        page = read_page(os.path.join('docsite', '%s.html' % document))
        assert page.title.strip()
        assert 'docsite/%s.html' % document in read_page('index.html').links


def test_user_guide_covers_the_topics():
    text = re.sub(r'\s+', ' ', open(os.path.join(PAGES_DIR, 'docsite', 'user_guide.html'), encoding='utf-8').read())
    for heading in ('Set up the worker application', 'The rollout and audit playbooks', 'Password handling',
                    'Failure behaviour'):
        assert heading in text
