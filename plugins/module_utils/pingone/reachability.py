# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether PingOne can reach an SMTP server's addresses: the pure rule of the preflight's step `address`."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress


def address_problem(host, addresses, allow_private):
    """Why PingOne cannot reach host at these addresses, or None.

    PingOne connects to the SMTP server from its cloud (pingone-api.md section 0): an address that is not globally
    routable (private, loopback, link-local, shared/CGNAT, reserved, multicast) answers the controller but not PingOne.
    """
    unreachable = [address for address in addresses if not is_internet_address(address)]
    if not unreachable or allow_private:
        return None
    return ('%s resolves to %s, which PingOne cannot reach from the internet (not a globally routable address); '
            'set preflight_allow_private=true only when PingOne reaches this server another way (NAT, a relay)'
            % (host, ', '.join(unreachable)))


def is_internet_address(address):
    """Whether an IP address is globally routable: Python's is_global alone lets multicast through."""
    ip = ipaddress.ip_address(address.split('%', 1)[0])  # an IPv6 zone (%eth0) is link-local anyway
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)
