#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# The work is done by the action plugin of the same name, on the controller (plugins/action/rollout_lock.py);
# this file holds its documentation, as ansible.builtin's set_fact and add_host do.

DOCUMENTATION = r'''
module: rollout_lock
short_description: Keep two runs on one controller from changing the same PingOne environments at once
version_added: 0.1.0
description:
  - Takes this controller's rollout lock for the environments a run is about to change, for the rest of the
    ansible-playbook run. The rollout and reset playbooks call it once, in their first play.
  - When another run of the same user on this controller holds any of these environments, the task fails at once,
    naming that run (its ansible-playbook PID and start time) and having sent nothing to PingOne; or, with O(wait),
    it waits for that run to end and then takes the lock, so this run's writes all come after the other's.
  - The holder is the ansible-playbook process. The lock is a small state file in the controller cache folder of
    the collection (C(~/.ansible/pingone_tokens), owner-only, beside the token cache) that records each holder's
    PID, process start time and environments. A holder whose process has ended, however it ended (a SIGKILL, an
    out-of-memory kill, a crashed machine), is ignored, so the lock never needs to be released by hand and a killed
    run blocks nobody. A PID reused by another process is told apart by its start time (read from C(/proc); where
    there is no C(/proc) the PID alone is checked).
  - The lock is per environment, not per PingOne organization, so runs over different environments (two teams,
    two regions) still run side by side.
  - It covers one controller and one user. Pipelines that run on several controllers or containers must be
    serialised by the CI itself (GitLab C(resource_group), GitHub Actions C(concurrency), AWX job templates that do
    not allow simultaneous runs).
  - In check mode it takes no lock, since a dry run writes nothing; so it neither waits for nor blocks another run.
author:
  - pingone.platform developers (@pingone-platform)
attributes:
  check_mode:
    support: full
    description: Takes no lock and changes nothing in check mode.
  diff_mode:
    support: none
    description: Nothing to show.
  action:
    support: full
    description: Runs on the controller only, as an action plugin.
options:
  environment_ids:
    description:
      - The IDs of the PingOne environments the run will change.
    type: list
    elements: str
    required: true
  wait:
    description:
      - Seconds to wait for another run that holds any of these environments to end; V(0) fails at once.
      - The rollout and reset playbooks set it from the C(rollout_lock_wait) variable.
    type: int
    default: 0
  purpose:
    description:
      - What this run does, as a run that it blocks names it.
    type: str
    default: a rollout
notes:
  - The lock lasts as long as the ansible-playbook process that took it, and is taken again (not blocked) by a later
    task of the same run.
seealso:
  - module: pingone.platform.pingone_smtp
'''

EXAMPLES = r'''
- name: Take the rollout lock for the environments of this run
  pingone.platform.rollout_lock:
    environment_ids: "{{ groups['all'] | map('extract', hostvars, 'pingone_environment_id') }}"
    purpose: an SMTP rollout
    wait: "{{ rollout_lock_wait | default(0) }}"
'''

RETURN = r'''
lock_path:
  description: The state file of the lock.
  returned: when the lock was taken
  type: str
  sample: /home/deploy/.ansible/pingone_tokens/rollout_lock.json
waited:
  description: Seconds spent waiting for another run.
  returned: when the lock was taken
  type: int
  sample: 0
holder:
  description: The run that holds the environments, when the task failed because of it.
  returned: failure
  type: dict
  contains:
    pid:
      description: The PID of its ansible-playbook process.
      type: int
      sample: 41235
    started_at:
      description: When that process started (UTC).
      type: str
      sample: '2026-12-04 20:31:02 UTC'
    purpose:
      description: What that run does.
      type: str
      sample: an SMTP rollout (rollout.yml)
'''
