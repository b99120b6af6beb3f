# Offline stand-in for the get-pip script ansible-test downloads to bootstrap pip in its sanity venvs
# (ci-files.testing.ansible.com is unreachable here); see shared/ansible-tooling.md.
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
os.environ.pop('PIP_CONFIG_FILE', None)  # ensurepip points it at os.devnull, which would drop /etc/pip.conf
args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))
