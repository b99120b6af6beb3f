#!/usr/bin/env bash
# pingone_smtp's SMTP preflight against real SMTP servers on 127.0.0.x (started by preflight_test.py with
# tools/smtp_server.py) and the emulator: which step fails, zero writes when it does, the test message, no password
# in -vvvv output.
set -eu
exec python preflight_test.py "$@"
