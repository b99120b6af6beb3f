"""For the Python drivers of integration targets: the emulator's admin API, and checks that are all reported.

A driver imports it from its sibling target: sys.path.insert(0, '../setup_emulator').
"""

import json

import requests

INTEGRATION_CONFIG = json.load(open('../../integration_config.yml'))
EMULATOR = INTEGRATION_CONFIG['emulator']


def admin(method, path, body=None):
    """Call /_emulator/<path>; the JSON answer."""
    response = requests.request(method, EMULATOR['url'] + '/_emulator/' + path, json=body,
                                verify=EMULATOR['ca_path'], timeout=30)
    response.raise_for_status()
    return response.json()


class Checks:
    """Every check is printed and counted; exit() fails the driver when any failed."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, what):
        print('%s: %s' % ('ok' if condition else 'FAILED', what))
        if not condition:
            self.failures.append(what)

    def exit(self):
        if self.failures:
            raise SystemExit('%d checks failed:\n- %s' % (len(self.failures), '\n- '.join(self.failures)))
        print('every check passed')
