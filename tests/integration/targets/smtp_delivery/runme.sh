#!/usr/bin/env bash
# Who sends (issue 16): an environment whose notificationsSettings let PingOne's own service send although its SMTP
# settings match is reported `pingone` by pingone_smtp_info, `differs` by the audit, and `smtp` after one rollout
# with every other notificationsSettings field unchanged; a rerun writes nothing. Also PingOne's refusal of an SMTP
# host that does not resolve (the emulator's resolve_hosts switch) names the option `host`.
set -eu
exec python delivery_test.py "$@"
