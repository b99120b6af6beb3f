# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Password rotation by date: is the password the user dated newer than PingOne's last write? Pure, no I/O.

PingOne never returns the SMTP password, but it stamps the settings with `updatedAt` on every write
(pingone-api.md section 2). A password dated after that stamp cannot be the one PingOne holds, so it is sent;
once written, PingOne's stamp is later than the date and the next run sends nothing. Only the date the user
gives and PingOne's clock are compared: the controller's clock plays no part.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

# ISO 8601 / RFC 3339 date and time: a time is required, since a date alone (midnight) is earlier than a write
# made later that day, and the new password would never be sent. Seconds, fractions and the zone are optional.
DATE_TIME_PATTERN = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?'
    r'(?:([Zz])|([+-])(\d{2}):?(\d{2}))?\Z')

# Diff markers of a rotation: the password is never shown.
PASSWORD_ROTATED = '(hidden: rotated, will be sent)'


def parse(text):
    """The instant `text` names, as an aware UTC datetime; no zone means UTC. None when it is not a date and time."""
    match = DATE_TIME_PATTERN.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, zone_hours, zone_minutes = match.groups()
    microseconds = int((fraction or '0')[:6].ljust(6, '0'))
    offset = datetime.timedelta(0)
    if sign:
        offset = datetime.timedelta(hours=int(zone_hours), minutes=int(zone_minutes))
        if sign == '-':
            offset = -offset
    try:
        local = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), microseconds,
                                  tzinfo=datetime.timezone(offset))
    except ValueError:  # month 13, 25 o'clock, an offset of a day or more
        return None
    return local.astimezone(datetime.timezone.utc)


def validate(params):
    """The problem with password_updated_at, naming it; [] when it is a date and time (or not given)."""
    value = params.get('password_updated_at')
    if value is None:
        return []
    if params.get('state') == 'absent':
        return ['password_updated_at cannot be used with state=absent, which sends no password']
    if parse(value) is None:
        return ['password_updated_at must be an ISO 8601 date and time such as 2026-12-04T09:30:00Z '
                '(no zone means UTC), got %r' % value]
    return []


def is_due(password_updated_at, updated_at):
    """Whether the password dated `password_updated_at` is newer than PingOne's settings written at `updated_at`.

    Without a date there is no rotation. Settings without a readable updatedAt have never been stamped by a
    write PingOne reports, so the password cannot be known to be there: it is due.
    """
    password_date = parse(password_updated_at) if password_updated_at else None
    if password_date is None:
        return False
    written = parse(updated_at)
    return written is None or password_date > written
