#!/usr/bin/env python
"""A local emulator of the slice of the PingOne Platform API this collection uses.

HTTPS on 127.0.0.1 with a throwaway CA: client-credentials tokens, environments (list with paging and
SCIM filters, read one) and the SMTP email delivery settings (GET/PUT/DELETE), answering the way PingOne
does (P1Error bodies, 401 without a valid token, 403 without the role, full-replace PUT with validation).
What PingOne leaves open is a switch (default-state body, protocol for port 25); faults, latency and a
request log are driven through the admin endpoints under /_emulator/. See README.md next to this file.

Run it:    python pingone_emulator.py --state-dir DIR       (info for clients: DIR/emulator.json)
Import it: server = start_emulator(DIR); ...; server.stop()
"""

import argparse
import base64
import contextlib
import copy
import dataclasses
import datetime
import hashlib
import hmac
import http.client
import http.server
import ipaddress
import json
import math
import os
import re
import secrets
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http import HTTPStatus

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Every id is derived from a name, so the same seed gives the same ids on every run and machine.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "pingone-emulator.invalid")
ADMIN_ENV_NAME = "Administrators"
SEED_TIME = "2024-01-01T00:00:00.000Z"
ENV_TYPES = ("PRODUCTION", "SANDBOX")
ENV_STATUSES = ("ACTIVE", "DELETE_PENDING")
REGIONS = ("NA", "EU", "CA", "AP", "AU", "SG")

DEFAULT_SMTP_PORT = 465
SMTP_PORTS = frozenset({25, 587, 2525})  # documented rule: these use SMTP, every other port SMTPS
SETTINGS_FIELDS = ("host", "port", "protocol", "username", "from", "replyTo")  # what GET returns; never the password
WRITABLE_FIELDS = ("host", "port", "username", "password", "from", "replyTo")
# The custom HTTP provider variant of the same resource (pingone-api.md section 2): protocol "HTTP".
CUSTOM_FIELDS = ("protocol", "name", "provider", "authentication", "from", "replyTo", "requests")
CUSTOM_PROVIDER_TYPE = "CUSTOM_PROVIDER"
# authentication.method -> the fields it needs. The secrets among them are write-only, like the SMTP password:
# nothing public says PingOne returns them.
AUTH_METHOD_FIELDS = {
    "BASIC": ("username", "password"),
    "BEARER": ("authToken",),
    "OAUTH2": ("authUrl", "clientId", "clientSecret"),
    "CUSTOM_HEADER": ("headerName", "headerValue"),
}
AUTH_SECRETS = ("password", "authToken", "clientSecret", "headerValue")
REQUEST_METHODS = ("GET", "POST")
REQUEST_BODY_VARIABLES = ("${to}", "${message}")  # the Terraform provider refuses a body without them
TRACE_HEADERS = ("X-Ping-External-Transaction-ID", "X-Ping-External-Session-ID")
ADMIN_PREFIX = "/_emulator/"

TOKEN_PATH = re.compile(r"/([^/]+)/as/token")
ENV_LIST_PATH = re.compile(r"/v1/environments")
ENV_PATH = re.compile(r"/v1/environments/([^/]+)")
EMAIL_PATH = re.compile(r"/v1/environments/([^/]+)/notificationsSettings/emailDeliverySettings")
NOTIFICATIONS_PATH = re.compile(r"/v1/environments/([^/]+)/notificationsSettings")
ADMIN_NOTIFICATIONS_PATH = re.compile(r"/_emulator/notifications/([^/]+)")
ADMIN_SETTINGS_PATH = re.compile(r"/_emulator/settings/([^/]+)")

MSG_INVALID_TOKEN = "The request could not be completed. The access token is invalid or has expired."
MSG_NO_ACCESS = "The request could not be completed. You do not have access to this resource."
MSG_NOT_FOUND = "The request could not be completed. The requested resource was not found."
MSG_INVALID_DATA = "The request could not be completed. One or more validation errors were in the request."
MSG_BAD_JSON = "The request could not be completed. The request body is not a valid JSON object."

# status -> (P1Error code, message, detail code or None): the error vocabulary of pingone-api.md section 4.
STATUS_ERRORS = {
    400: ("INVALID_DATA", MSG_INVALID_DATA, None),
    401: ("ACCESS_FAILED", MSG_INVALID_TOKEN, "INVALID_TOKEN"),
    403: ("ACCESS_FAILED", MSG_NO_ACCESS, "INSUFFICIENT_PERMISSIONS"),
    404: ("NOT_FOUND", MSG_NOT_FOUND, None),
    415: ("INVALID_REQUEST", "The request could not be completed. The Content-Type must be application/json.", None),
    429: ("REQUEST_LIMITED", "The request could not be completed. You have exceeded your request limit.", "LIMIT_EXCEEDED"),
    500: ("UNEXPECTED_ERROR", "The request could not be completed. An unexpected error occurred.", None),
}

HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
EMAIL_LOCAL_PART = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}")
FILTER_TOKEN = re.compile(r'\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"]+')
CURSOR_TEXT = re.compile(r"offset:(\d+)")

# The SCIM filters PingOne documents for GET /environments (pingone-api.md section 8); anything else is rejected.
FILTER_OPERATORS = {
    ("name", "sw"): lambda env, value: env["name"].lower().startswith(value.lower()),
    ("id", "eq"): lambda env, value: env["id"].lower() == value.lower(),
    ("status", "eq"): lambda env, value: env["status"].lower() == value.lower(),
    ("organization.id", "eq"): lambda env, value: env["organization"]["id"].lower() == value.lower(),
}


def is_int(value):
    """JSON integers only: Python's bool is an int, PingOne's is not."""
    return isinstance(value, int) and not isinstance(value, bool)


def now_rfc3339():
    """The timestamp format of PingOne's updatedAt: RFC 3339, milliseconds, Z."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# PingOne's updatedAt format, which the admin endpoint accepts to seed a time of last write.
UPDATED_AT_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def deterministic_id(kind, name):
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def derive_protocol(port, port25_protocol):
    """The read-only protocol PingOne reports for a port."""
    if port == 25:
        return port25_protocol  # the live API was seen answering SMTPS for 25, against its docs
    return "SMTP" if port in SMTP_PORTS else "SMTPS"


def is_hostname(text):
    labels = text.split(".")
    return (len(text) <= 253 and len(labels) >= 2 and not labels[-1].isdigit()
            and all(HOST_LABEL.fullmatch(label) for label in labels))


def is_host(text):
    with contextlib.suppress(ValueError):
        ipaddress.IPv4Address(text)
        return True
    return is_hostname(text)


def is_email(text):
    local, at_sign, domain = text.rpartition("@")
    return bool(at_sign and EMAIL_LOCAL_PART.fullmatch(local) and is_hostname(domain))


def field_paths(value, prefix=""):
    """Dotted paths of the leaves of a JSON object: what a request carried, without the values."""
    if isinstance(value, dict) and value:
        return [path for key, item in value.items() for path in field_paths(item, f"{prefix}{key}.")]
    return [prefix[:-1]] if prefix else []


# --- errors and messages -------------------------------------------------------------------------------

@dataclasses.dataclass
class Response:
    status: int
    payload: object = None
    headers: dict = dataclasses.field(default_factory=dict)
    raw: bytes = None  # a body sent as is instead of the JSON of payload (faults that mangle answers)


class Hang(Exception):
    """A fault: the connection was accepted and the request read, but no answer comes for `seconds`, then it closes."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds


class ApiError(Exception):
    """An error answer; raised anywhere while handling a request and turned into the response in one place."""

    def __init__(self, status, payload, headers=None):
        super().__init__(status)
        self.response = Response(status, payload, headers or {})


def detail(code, target, message, **inner_error):
    entry = {"code": code}
    if target:
        entry["target"] = target
    entry["message"] = message
    if inner_error:
        entry["innerError"] = inner_error
    return entry


def p1_error(status, details=None, code=None, message=None, headers=None):
    """A P1Error answer; code, message and detail default to what PingOne sends for the status."""
    phrase = HTTPStatus(status)
    default_code, default_message, detail_code = STATUS_ERRORS.get(
        status, (phrase.name, f"The request could not be completed. {phrase.phrase}.", None))
    payload = {"id": str(uuid.uuid4()), "code": code or default_code, "message": message or default_message}
    if details is None and detail_code:
        details = [detail(detail_code, None, payload["message"])]
    if details:
        payload["details"] = details
    return ApiError(status, payload, headers)


def oauth_error(status, error, description):
    """The token endpoint speaks OAuth 2.0 errors, not P1Error."""
    return ApiError(status, {"error": error, "error_description": description})


# --- requests ------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Request:
    method: str
    path: str
    query: str
    headers: http.client.HTTPMessage  # case-insensitive get()
    body: bytes
    host: str

    def header(self, name):
        return self.headers.get(name) or ""

    @property
    def base_url(self):
        # Links are absolute and follow the Host the client used, as PingOne's _links do.
        return f"https://{self.host}"

    def authorization(self):
        """(scheme in lower case, credentials) of the Authorization header."""
        scheme, credentials = (self.header("Authorization").split(None, 1) + ["", ""])[:2]
        return scheme.lower(), credentials.strip()

    def params(self):
        return dict(urllib.parse.parse_qsl(self.query, keep_blank_values=True))

    def url_with(self, **params):
        pairs = [(key, value) for key, value in urllib.parse.parse_qsl(self.query, keep_blank_values=True) if key not in params]
        query = urllib.parse.urlencode(pairs + list(params.items()), quote_via=urllib.parse.quote)
        return f"{self.base_url}{self.path}?{query}"

    def media_type(self):
        return self.header("Content-Type").split(";")[0].strip().lower()

    def form(self):
        return dict(urllib.parse.parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json_object(self, empty=None):
        """The body as a JSON object; `empty` is what an empty body means (None: not allowed)."""
        if not self.body and empty is not None:
            return empty
        try:
            value = json.loads(self.body.decode("utf-8"))
        except ValueError:  # also UnicodeDecodeError
            value = None
        if not isinstance(value, dict):
            raise p1_error(400, code="INVALID_REQUEST", message=MSG_BAD_JSON)
        return value

    def body_fields(self):
        with contextlib.suppress(ValueError):
            if self.media_type() == "application/x-www-form-urlencoded":
                return sorted(self.form())
            if self.body and "json" in self.media_type():
                return sorted(field_paths(json.loads(self.body.decode("utf-8"))))
        return []


def allow(request, *methods):
    if request.method not in methods:
        raise p1_error(405, headers={"Allow": ", ".join(methods)})


def echo_request(request, response):
    """Quote the whole request in an error answer, as some proxies, WAFs and debug pages do: a client must not
    print what it sent (its token, its client secret, the SMTP password) when it prints the error."""
    headers = "; ".join(f"{name}: {value}" for name, value in request.headers.items())
    echo = f" [request: {request.method} {request.path} headers: {headers} body: {request.body.decode('utf-8', 'replace')}]"
    payload = response.payload
    if isinstance(payload, dict):
        key = "error_description" if "error_description" in payload else "message"
        payload[key] = payload.get(key, "") + echo
        for entry in payload.get("details", []):
            entry["message"] = entry.get("message", "") + echo


# --- SMTP settings validation --------------------------------------------------------------------------

def _string(value, target, details, required):
    """A string field: missing/null/"" of a required one is REQUIRED_VALUE, "" of an optional one EMPTY_VALUE."""
    if value is None or (required and value == ""):
        if required:
            details.append(detail("REQUIRED_VALUE", target, f"{target} is required."))
        return None
    if not isinstance(value, str):
        details.append(detail("INVALID_VALUE", target, f"{target} must be a string."))
        return None
    if value == "":
        details.append(detail("EMPTY_VALUE", target, f"{target} must not be empty."))
        return None
    return value


def _address(value, target, details, required):
    if value is None:
        if required:
            details.append(detail("REQUIRED_VALUE", target, f"{target} is required."))
        return None
    if not isinstance(value, dict):
        details.append(detail("INVALID_VALUE", target, f"{target} must be an object."))
        return None
    address = _string(value.get("address"), f"{target}.address", details, required=True)
    if address is not None and not is_email(address):
        details.append(detail("INVALID_VALUE", f"{target}.address", f"{target}.address must be a valid email address."))
    name = _string(value.get("name"), f"{target}.name", details, required=False)
    result = {"address": address}
    if name is not None:
        result["name"] = name
    return result


def resolves(host):
    """Whether a DNS lookup of host answers (the resolve_hosts switch: PingOne checks this since May 2026)."""
    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return True


def validate_settings(body, unresolvable_hosts=(), resolve_hosts=False):
    """Check a PUT body as PingOne does; return (fields to store, list of error details)."""
    details = []
    fields = {}
    host = _string(body.get("host"), "host", details, required=True)
    if host is not None and not is_host(host):
        details.append(detail("INVALID_VALUE", "host", "host must be a valid hostname or IPv4 address."))
    elif host is not None and (host.lower() in unresolvable_hosts or (resolve_hosts and not resolves(host))):
        # PingOne now checks that the SMTP host resolves (pingone-api.md section 0); the exact text is unknown.
        details.append(detail("INVALID_VALUE", "host", "host must be a hostname that resolves."))
    fields["host"] = host
    port = body.get("port")
    if port is None:
        port = DEFAULT_SMTP_PORT
    elif not is_int(port):
        details.append(detail("INVALID_VALUE", "port", "port must be an integer."))
    elif not 1 <= port <= 65535:
        details.append(detail("OUT_OF_RANGE", "port", "port must be between 1 and 65535.", rangeMinimumValue=1, rangeMaximumValue=65535))
    fields["port"] = port
    fields["username"] = _string(body.get("username"), "username", details, required=True)
    fields["password"] = _string(body.get("password"), "password", details, required=True)
    fields["from"] = _address(body.get("from"), "from", details, required=True)
    reply_to = _address(body.get("replyTo"), "replyTo", details, required=False)
    if reply_to is not None:
        fields["replyTo"] = reply_to
    # protocol, environment, updatedAt, _links are read-only and unknown fields are ignored, not rejected.
    return fields, details


def _custom_authentication(value, details):
    target = "authentication"
    if value is None:
        details.append(detail("REQUIRED_VALUE", target, f"{target} is required."))
        return None
    if not isinstance(value, dict):
        details.append(detail("INVALID_VALUE", target, f"{target} must be an object."))
        return None
    method = value.get("method")
    if method not in AUTH_METHOD_FIELDS:
        details.append(detail("INVALID_VALUE", f"{target}.method", f"{target}.method must be one of {', '.join(AUTH_METHOD_FIELDS)}.",
                              allowedValues=list(AUTH_METHOD_FIELDS)))
        return None
    authentication = {"method": method}
    for field in AUTH_METHOD_FIELDS[method]:
        authentication[field] = _string(value.get(field), f"{target}.{field}", details, required=True)
    if method == "OAUTH2":
        # Read-only, and the only values PingOne offers.
        authentication.update(grantType="CLIENT_CREDENTIALS", clientAuthenticationMethod="BASIC_AUTH_HEADER")
    return authentication


def _custom_request(value, target, details):
    if not isinstance(value, dict):
        details.append(detail("INVALID_VALUE", target, f"{target} must be an object."))
        return None
    delivery_method = _string(value.get("deliveryMethod"), f"{target}.deliveryMethod", details, required=True)
    if delivery_method is not None and delivery_method != "EMAIL":
        details.append(detail("INVALID_VALUE", f"{target}.deliveryMethod", f"{target}.deliveryMethod must be EMAIL.", allowedValues=["EMAIL"]))
    method = _string(value.get("method"), f"{target}.method", details, required=True)
    if method is not None and method not in REQUEST_METHODS:
        details.append(detail("INVALID_VALUE", f"{target}.method", f"{target}.method must be GET or POST.", allowedValues=list(REQUEST_METHODS)))
    url = _string(value.get("url"), f"{target}.url", details, required=True)
    if url is not None and not url.startswith("https://"):
        details.append(detail("INVALID_VALUE", f"{target}.url", f"{target}.url must be an https URL."))
    headers = value.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(item, str) for item in headers.values()):
        details.append(detail("INVALID_VALUE", f"{target}.headers", f"{target}.headers must map names to strings."))
    body = _string(value.get("body"), f"{target}.body", details, required=True)
    if body is not None and not all(variable in body for variable in REQUEST_BODY_VARIABLES):
        details.append(detail("INVALID_VALUE", f"{target}.body", f"{target}.body must include {' and '.join(REQUEST_BODY_VARIABLES)}."))
    request = {"deliveryMethod": delivery_method, "method": method, "url": url, "body": body}
    if headers:
        request["headers"] = copy.deepcopy(headers)
    return request


def validate_custom_provider(body):
    """Check a PUT body of the custom HTTP provider variant; return (fields to store, list of error details)."""
    details = []
    fields = {"protocol": "HTTP", "provider": CUSTOM_PROVIDER_TYPE}
    if body.get("provider") not in (None, CUSTOM_PROVIDER_TYPE):
        details.append(detail("INVALID_VALUE", "provider", f"provider must be {CUSTOM_PROVIDER_TYPE}.", allowedValues=[CUSTOM_PROVIDER_TYPE]))
    fields["name"] = _string(body.get("name"), "name", details, required=True)
    fields["authentication"] = _custom_authentication(body.get("authentication"), details)
    requests_given = body.get("requests")
    if not requests_given:
        details.append(detail("REQUIRED_VALUE", "requests", "requests is required."))
    elif not isinstance(requests_given, list):
        details.append(detail("INVALID_VALUE", "requests", "requests must be a list."))
    else:
        fields["requests"] = [_custom_request(item, f"requests[{index}]", details) for index, item in enumerate(requests_given)]
    for key, target in (("from", "from"), ("replyTo", "replyTo")):
        address = _address(body.get(key), target, details, required=False)
        if address is not None:
            fields[key] = address
    return fields, details


def is_custom_provider(settings):
    return settings.get("protocol") == "HTTP"


def settings_view(env_id, stored, base_url):
    """What GET/PUT answer: the stored settings without the secrets, or the default state's bare links."""
    env_href = f"{base_url}/v1/environments/{env_id}"
    view = {"_links": {"self": {"href": f"{env_href}/notificationsSettings/emailDeliverySettings"}, "environment": {"href": env_href}}}
    if stored is not None and is_custom_provider(stored):
        view.update({key: copy.deepcopy(stored[key]) for key in CUSTOM_FIELDS if key in stored})
        if isinstance(view.get("authentication"), dict):
            view["authentication"] = {key: value for key, value in view["authentication"].items() if key not in AUTH_SECRETS}
    elif stored is not None:
        view.update({key: copy.deepcopy(stored[key]) for key in SETTINGS_FIELDS if key in stored})
    if stored is not None:
        view["environment"] = {"id": env_id}
        view["updatedAt"] = stored["updatedAt"]
    return view


# --- environments filter and paging --------------------------------------------------------------------

def invalid_filter(text):
    return p1_error(400, [detail("INVALID_FILTER", "filter", f"Unsupported or malformed filter: {text}")])


def parse_filter(text):
    """Parse comparisons joined by 'and' (parentheses allowed) into [((attribute, operator), value)]."""
    tokens, position = [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = FILTER_TOKEN.match(text, position)
        if not match:
            raise invalid_filter(text)
        tokens.append(match.group())
        position = match.end()
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else None

    def term():
        nonlocal position
        if peek() == "(":
            position += 1
            conditions = conjunction()
            if peek() != ")":
                raise invalid_filter(text)
            position += 1
            return conditions
        attribute, operator, value = (tokens[position:position + 3] + [None, None, None])[:3]
        key = ((attribute or "").lower(), (operator or "").lower())
        if key not in FILTER_OPERATORS or not value or not value.startswith('"'):
            raise invalid_filter(text)
        position += 3
        try:
            return [(key, json.loads(value))]
        except ValueError as error:
            raise invalid_filter(text) from error

    def conjunction():
        nonlocal position
        conditions = term()
        while (peek() or "").lower() == "and":
            position += 1
            conditions += term()
        return conditions

    conditions = conjunction() if tokens else []
    if position != len(tokens):
        raise invalid_filter(text)
    return conditions


def encode_cursor(offset):
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    if not cursor:
        return 0
    with contextlib.suppress(ValueError):
        match = CURSOR_TEXT.fullmatch(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if match:
            return int(match.group(1))
    raise p1_error(400, [detail("INVALID_VALUE", "cursor", "The cursor is not valid.")])


def parse_limit(value, default):
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= 5000:
        raise p1_error(400, [detail("OUT_OF_RANGE", "limit", "limit must be an integer between 1 and 5000.",
                                    rangeMinimumValue=1, rangeMaximumValue=5000)])
    return int(value)


def mangled(response, kind):
    """A 2xx answer as a misbehaving proxy or gateway might pass it on: see FAULT_KINDS."""
    text = json.dumps(response.payload)
    headers = dict(response.headers)
    if kind == "html":
        return Response(response.status, {}, {**headers, "Content-Type": "text/html"}, raw=PROXY_PAGE)
    if kind == "truncated_json":
        return Response(response.status, {}, headers, raw=text[:len(text) // 2].encode("utf-8"))
    if kind == "json_null":
        return Response(response.status, {}, headers, raw=b"null")
    if kind == "json_list":
        return Response(response.status, {}, headers, raw=json.dumps([response.payload]).encode("utf-8"))
    payload = {key: value for key, value in (response.payload or {}).items() if key != "access_token"}
    return Response(response.status, payload, headers)  # no_access_token


# --- notificationsSettings (who sends: emailProviderFallbackChain) --------------------------------------
# pingone-api.md section 0: a singleton per environment. PUT is a full replace (a field left out returns to its
# default), deliveryMode is required (ALL; WHITELIST for sandboxes), DELETE restores the defaults and answers 200.
# environment, createdAt, updatedAt and _links are read-only. PUT ignores them rather than refusing them: the docs
# mark them read-only without saying a PUT carrying them fails, this emulator ignores the read-only fields of
# emailDeliverySettings the same way, and the request log still shows whether a client sent them.

NOTIFICATIONS_READ_ONLY = ("environment", "createdAt", "updatedAt", "_links")
DELIVERY_MODES = {"ALL": ENV_TYPES, "WHITELIST": ("SANDBOX",)}  # delivery mode -> environment types allowed
PINGONE_EMAIL = "PINGONE_EMAIL"
PINGONE_NOREPLY = {"name": "PingOne", "address": "noreply@pingone.com"}
DEFAULT_SMS_CHAIN = ["PINGONE_TWILIO"]
# How GET answers (a fault switch): "ok"; "404" NOT_FOUND; "garbage" a 200 whose chain is not a list.
NOTIFICATIONS_READ_ANSWERS = ("ok", "404", "garbage")
NOTIFICATIONS_CONFIG_DEFAULTS = {
    "start_on_pingone_email": False,  # environments start with (and DELETE returns to) the chain ["PINGONE_EMAIL"]
    "notifications_read": "ok",
}


def notifications_defaults(start_on_pingone_email):
    """What an environment holds before anyone sets it, and after a DELETE or a PUT that leaves a field out."""
    return {"deliveryMode": "ALL", "from": dict(PINGONE_NOREPLY), "smsProvidersFallbackChain": list(DEFAULT_SMS_CHAIN),
            "emailProviderFallbackChain": [PINGONE_EMAIL] if start_on_pingone_email else []}


def _string_list(value, target, details, allowed=None):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        details.append(detail("INVALID_VALUE", target, f"{target} must be an array of strings."))
    elif allowed is not None and any(item not in allowed for item in value):
        details.append(detail("INVALID_VALUE", target, f"{target} may only contain {', '.join(allowed)}.",
                              allowedValues=list(allowed)))


def validate_notifications(body, env_type, start_on_pingone_email):
    """Check a notificationsSettings PUT as PingOne does; return (object to store, list of error details)."""
    details = []
    stored = notifications_defaults(start_on_pingone_email)
    mode = body.get("deliveryMode")
    if mode is None:
        details.append(detail("REQUIRED_VALUE", "deliveryMode", "deliveryMode is required."))
    elif mode not in DELIVERY_MODES or env_type not in DELIVERY_MODES[mode]:
        allowed = [name for name, types in DELIVERY_MODES.items() if env_type in types]
        details.append(detail("INVALID_VALUE", "deliveryMode", f"deliveryMode must be one of {', '.join(allowed)}.",
                              allowedValues=allowed))
    for target in ("from", "replyTo"):
        if target in body:
            _address(body[target], target, details, required=True)
    if "emailProviderFallbackChain" in body:
        _string_list(body["emailProviderFallbackChain"], "emailProviderFallbackChain", details, allowed=(PINGONE_EMAIL,))
    if "smsProvidersFallbackChain" in body:
        _string_list(body["smsProvidersFallbackChain"], "smsProvidersFallbackChain", details)
    if "whitelist" in body and not isinstance(body["whitelist"], list):
        details.append(detail("INVALID_VALUE", "whitelist", "whitelist must be an array."))
    if "restrictions" in body and not isinstance(body["restrictions"], dict):
        details.append(detail("INVALID_VALUE", "restrictions", "restrictions must be an object."))
    stored.update({key: copy.deepcopy(value) for key, value in body.items() if key not in NOTIFICATIONS_READ_ONLY})
    return stored, details


def notifications_view(env_id, stored, base_url):
    """What GET, PUT and DELETE answer: the stored object with the read-only fields PingOne adds."""
    env_href = f"{base_url}/v1/environments/{env_id}"
    return {"_links": {"self": {"href": f"{env_href}/notificationsSettings"}, "environment": {"href": env_href}},
            "environment": {"id": env_id}, **copy.deepcopy(stored),
            "createdAt": SEED_TIME, "updatedAt": stored.get("updatedAt", SEED_TIME)}


# --- configuration -------------------------------------------------------------------------------------

CONFIG_DEFAULTS = {
    "token_ttl": 3600,           # seconds; PingOne tokens live one hour
    "page_size": 100,            # default `limit` of GET /environments
    "port25_protocol": "SMTPS",  # what the live API answered for port 25; "SMTP" is what the docs say
    "default_state": "links",    # unconfigured GET: "links" = 200 with only _links, "404" = 404 NOT_FOUND
    "no_role": [],               # environment ids the worker app has no Environment Admin role on
    "latency_ms": 0,             # sleep before answering each API request
    "faults": [],                # see _fault
    "fail_env_writes": [],       # environment ids whose settings PUT/DELETE always answer 500
    "lose_env_writes": [],       # environment ids whose settings PUT answers 200 but stores nothing
    "stale_reads": 0,            # GETs after each settings write that still answer the settings before it
    "role_granted_after": {},    # env id -> seconds after this key was set until settings calls stop answering 403
    "echo_requests": False,      # error answers quote the request, headers and body included (a proxy or WAF page)
    "unresolvable_hosts": [],    # SMTP hosts PingOne's hostname validation rejects (it checks that they resolve)
    "token_auth_method": "basic",  # the worker app's tokenEndpointAuthMethod: "basic" (the console's) or "post"
    "loop_next_link": False,     # GET /environments: the last page links to itself as `next` (a server bug)
    # SMTP host validation by a real DNS lookup, as live PingOne does; off because the tests' hosts do not resolve offline
    "resolve_hosts": False,
    **NOTIFICATIONS_CONFIG_DEFAULTS,
    "rate_limit_per_minute": 0,  # API requests allowed in any rolling minute (429 beyond); 0 = no limit
}

# How a fault answers (see _fault): an error status, no answer at all, or a 2xx whose body a proxy mangled.
FAULT_KINDS = ("status", "hang", "html", "truncated_json", "json_null", "json_list", "no_access_token", "reset")
PROXY_PAGE = b"<html><head><title>Proxy</title></head><body>Please log in to the corporate proxy.</body></html>"


def _int_at_least(low, high=None):
    def check(value):
        if not is_int(value) or value < low or (high is not None and value > high):
            raise ValueError(f"must be an integer >= {low}" + (f" and <= {high}" if high is not None else ""))
        return value
    return check


def _one_of(*choices):
    def check(value):
        if str(value) not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)
    return check


def _id_list(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of environment ids")
    return list(value)


def _role_grants(value):
    if not isinstance(value, dict) or not all(isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0
                                              for seconds in value.values()):
        raise ValueError("must map environment ids to seconds >= 0")
    return dict(value)


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _host_list(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of hostnames")
    return [item.lower() for item in value]


def _fault(entry):
    """{"method": "PUT"|"*", "path_contains": str, "kind": "status", "status": int, "times": n, "retry_after": seconds|null,
    "seconds": n}; kind "status" answers the status, "hang" answers nothing for `seconds`, the others mangle a 2xx body."""
    keys = {"method", "path_contains", "kind", "status", "times", "retry_after", "seconds", "after_write"}
    if not isinstance(entry, dict) or set(entry) - keys:
        raise ValueError("each fault is an object with " + ", ".join(sorted(keys)))
    kind = _one_of(*FAULT_KINDS)(entry.get("kind", "status"))
    status = None
    if kind == "status":
        status = _int_at_least(400, 599)(entry.get("status"))
        HTTPStatus(status)  # raises ValueError for codes HTTP does not define
    retry_after = entry.get("retry_after")
    return {
        "method": str(entry.get("method", "*")).upper(),
        "path_contains": str(entry.get("path_contains", "")),
        "kind": kind,
        "status": status,
        "times": _int_at_least(1)(entry.get("times", 1)),
        "retry_after": _fault_retry_after(retry_after),
        "seconds": _int_at_least(1, 600)(entry.get("seconds", 10)),
        "after_write": _boolean(entry.get("after_write", False)),
        "armed": not entry.get("after_write", False),
    }


# --- faults of issue 20: connection resets, malformed Retry-After, faults that wait for a write --------------------

def _fault_retry_after(value):
    """A Retry-After to send with a status fault: seconds (an int >= 0), or any string sent as is (a malformed one)."""
    if value is None or isinstance(value, str):
        return value
    return _int_at_least(0)(value)


class Reset(Exception):
    """A fault: the request is read, then the connection is reset (TCP RST) without an answer."""


RESET = object()  # what handle_api returns for a reset fault: the handler resets the connection


def arm_after_write_faults(faults, request):
    """An `after_write` fault waits for a PUT or DELETE on a path it matches; it meets the requests after that one."""
    if request.method in ("PUT", "DELETE"):
        for fault in faults:
            if fault["path_contains"] in request.path:
                fault["armed"] = True


def reset_connection(connection):
    """Close with SO_LINGER 0: the kernel sends RST, so the client sees 'Connection reset by peer'."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _faults(value):
    if not isinstance(value, list):
        raise ValueError("must be a list of faults")
    return [_fault(entry) for entry in value]


RATE_WINDOW_SECONDS = 60


def rate_limited(arrivals, now, limit):
    """PingOne's per-minute limit (pingone-api.md section 4), counted on arrival over a rolling minute.

    arrivals: the arrival times of the requests served. Returns (the arrivals still in the window, the Retry-After
    in whole seconds if this request is over the limit, else None). A refused request is not counted.
    """
    recent = [arrived for arrived in arrivals if arrived > now - RATE_WINDOW_SECONDS]
    if not limit or len(recent) < limit:
        return recent, None
    return recent, max(1, math.ceil(min(recent) + RATE_WINDOW_SECONDS - now))


CONFIG_CHECKS = {
    "token_ttl": _int_at_least(0),
    "page_size": _int_at_least(1, 5000),
    "port25_protocol": _one_of("SMTP", "SMTPS"),
    "default_state": _one_of("links", "404"),
    "no_role": _id_list,
    "latency_ms": _int_at_least(0),
    "faults": _faults,
    "fail_env_writes": _id_list,
    "lose_env_writes": _id_list,
    "stale_reads": _int_at_least(0),
    "role_granted_after": _role_grants,
    "echo_requests": _boolean,
    "unresolvable_hosts": _host_list,
    "token_auth_method": _one_of("basic", "post"),
    "loop_next_link": _boolean,
    "resolve_hosts": _boolean,
    "start_on_pingone_email": _boolean,
    "notifications_read": _one_of(*NOTIFICATIONS_READ_ANSWERS),
    "rate_limit_per_minute": _int_at_least(0),
}


def merge_config(base, changes):
    """base updated with changes, each checked; ValueError names the bad key."""
    if not isinstance(changes, dict):
        raise ValueError("config must be an object")
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if key not in CONFIG_CHECKS:
            raise ValueError(f"unknown config key {key!r}")
        try:
            merged[key] = CONFIG_CHECKS[key](value)
        except ValueError as error:
            raise ValueError(f"{key}: {error}") from error
    return merged


def admin_value_error(error):
    return p1_error(400, [detail("INVALID_VALUE", None, str(error))])


# --- the emulated service ------------------------------------------------------------------------------

class Emulator:
    """All state (one organization, its environments, settings, tokens, log) and the request handling.

    Knows nothing of sockets: it maps a Request to a Response. One lock guards everything.
    """

    def __init__(self, seed=6, client_id=None, client_secret=None, **config):
        self.client_id = client_id or deterministic_id("client", "worker-app")
        self.client_secret = client_secret or "emulator-secret-" + uuid.uuid5(NAMESPACE, "client-secret").hex[:16]
        self.organization_id = deterministic_id("organization", "emulator")
        self.admin_env_id = deterministic_id("environment", ADMIN_ENV_NAME)
        self.startup_config = merge_config(CONFIG_DEFAULTS, config)
        self.lock = threading.Lock()
        self.role_granted_at = {}  # env id -> monotonic time from which the worker app's role is in effect
        self._set_config(copy.deepcopy(self.startup_config), role_grants_changed=True)
        self.environments = {}  # id -> environment record, in listing order
        self.settings = {}      # env id -> stored settings incl. password; absent = default state
        self.stale = {}         # env id -> [GETs left that answer the old settings, the old settings]
        self.notifications = {}  # env id -> stored notificationsSettings; absent = the defaults
        self.tokens = {}        # access token -> monotonic expiry
        self.log = []
        self.sequence = 0
        self.arrivals = []      # arrival times of the API requests served in the last minute (rate_limit_per_minute)
        self.address = {}       # url, host, port, ca_path: set by the server once it listens
        self.info_path = None
        self._seed(seed)

    def _set_config(self, config, role_grants_changed):
        self.config = config
        if role_grants_changed:
            # A role granted a moment ago answers 403 for a while (pingone-api.md section 0): count from now.
            now = time.monotonic()
            self.role_granted_at = {env_id: now + seconds for env_id, seconds in config["role_granted_after"].items()}

    def _has_role(self, env_id):
        return env_id not in self.config["no_role"] and self.role_granted_at.get(env_id, 0) <= time.monotonic()

    # identity and info

    def _add_environment(self, name, env_type, region, status, created):
        env_id = deterministic_id("environment", name)
        if env_id in self.environments:
            raise p1_error(409, [detail("UNIQUENESS_VIOLATION", "name", f"An environment named {name!r} already exists.")])
        self.environments[env_id] = {
            "id": env_id, "name": name, "type": env_type, "region": region, "status": status,
            "organization": {"id": self.organization_id}, "createdAt": created, "updatedAt": created,
        }
        return self.environments[env_id]

    def _seed(self, count):
        if not is_int(count) or count < 0:
            raise ValueError("seed must be an integer >= 0")
        self.environments = {}
        self._add_environment(ADMIN_ENV_NAME, "PRODUCTION", "NA", "ACTIVE", SEED_TIME)
        for index in range(count):
            # type alternates every environment, region every two: all four (type, region) pairs within 4
            env_type = ("SANDBOX", "PRODUCTION")[index % 2]
            region = ("NA", "EU")[index // 2 % 2]
            self._add_environment(f"demo-{env_type.lower()}-{region.lower()}-{index // 4 + 1}", env_type, region, "ACTIVE", SEED_TIME)

    def info(self):
        return {
            **self.address,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "auth_environment_id": self.admin_env_id,
            "environments": [{key: env[key] for key in ("id", "name", "type", "region")} for env in self.environments.values()],
            "pid": os.getpid(),
        }

    def publish(self):
        """Write the info file atomically, so a waiting caller never reads half of it."""
        if not self.info_path:
            return
        handle, tmp_path = tempfile.mkstemp(dir=os.path.dirname(self.info_path), prefix=".emulator-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(self.info(), stream, indent=2)
        os.replace(tmp_path, self.info_path)

    # the PingOne API

    def handle_api(self, request):
        received = time.time()
        latency_ms = self.config["latency_ms"]
        if latency_ms:
            time.sleep(latency_ms / 1000)  # outside the lock, so slow answers still overlap
        hang_seconds = None
        with self.lock:
            try:
                response = self._route_api(request, received)
            except ApiError as error:
                response = error.response
                if self.config["echo_requests"]:
                    echo_request(request, response)
            except Hang as hang:
                response, hang_seconds = None, hang.seconds
            except Reset:
                response = RESET
            self._record(request, response, received)
        if hang_seconds:
            time.sleep(hang_seconds)  # outside the lock: others are served meanwhile
        return response

    def _route_api(self, request, received):
        self._limit_rate(request, received)
        mangle = self._inject_fault(request)
        response = self._route(request)
        arm_after_write_faults(self.config["faults"], request)
        if mangle and 200 <= response.status < 300 and response.payload is not None:
            response = mangled(response, mangle)
        return response

    def _route(self, request):
        path = request.path
        if match := TOKEN_PATH.fullmatch(path):
            allow(request, "POST")
            return self._token(request, match.group(1))
        if not path.startswith("/v1/"):
            raise p1_error(404)
        self._authorize(request)
        if ENV_LIST_PATH.fullmatch(path):
            allow(request, "GET")
            return self._list_environments(request)
        if match := ENV_PATH.fullmatch(path):
            allow(request, "GET")
            return self._get_environment(request, match.group(1))
        if match := EMAIL_PATH.fullmatch(path):
            allow(request, "GET", "PUT", "DELETE")
            return self._email_settings(request, match.group(1))
        if match := NOTIFICATIONS_PATH.fullmatch(path):
            allow(request, "GET", "PUT", "DELETE")
            return self._notifications_settings(request, match.group(1))
        raise p1_error(404)

    def _limit_rate(self, request, received):
        """rate_limit_per_minute: 429 REQUEST_LIMITED with Retry-After over the limit. The token endpoint has a
        limit of its own, which is not modelled."""
        if TOKEN_PATH.fullmatch(request.path):
            return
        self.arrivals, retry_after = rate_limited(self.arrivals, received, self.config["rate_limit_per_minute"])
        if retry_after is not None:
            raise p1_error(429, headers={"Retry-After": str(retry_after)})
        if self.config["rate_limit_per_minute"]:
            self.arrivals.append(received)

    def _inject_fault(self, request):
        """Raise the first matching fault's error (or Hang); for a body fault, return its kind: the request is served."""
        for fault in self.config["faults"]:
            if fault["armed"] and fault["method"] in ("*", request.method) and fault["path_contains"] in request.path:
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self.config["faults"].remove(fault)
                if fault["kind"] == "hang":
                    raise Hang(fault["seconds"])
                if fault["kind"] == "reset":
                    raise Reset()
                if fault["kind"] != "status":
                    return fault["kind"]
                headers = {} if fault["retry_after"] is None else {"Retry-After": str(fault["retry_after"])}
                raise p1_error(fault["status"], headers=headers)
        return None

    def _token(self, request, env_id):
        form = request.form()
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        scheme, credentials = request.authorization()
        method = "basic" if scheme == "basic" else "post" if client_secret is not None else None
        if method and method != self.config["token_auth_method"]:
            # PingOne enforces the worker app's tokenEndpointAuthMethod (pingone-api.md section 0), in these words.
            raise oauth_error(401, "invalid_client",
                              f"Request denied: Unsupported authentication method (Correlation ID: {uuid.uuid4()})")
        if scheme == "basic":
            # Raw id:secret, as requests' HTTPBasicAuth sends it (no form-encoding of the parts).
            with contextlib.suppress(ValueError):
                client_id, client_secret = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")[::2]
        authenticated = (env_id == self.admin_env_id
                         and hmac.compare_digest((client_id or "").encode(), self.client_id.encode())
                         and hmac.compare_digest((client_secret or "").encode(), self.client_secret.encode()))
        if not authenticated:
            raise oauth_error(401, "invalid_client", "Request denied: client authentication failed.")
        grant_type = form.get("grant_type")
        if not grant_type:
            raise oauth_error(400, "invalid_request", "Request denied: grant_type is required.")
        if grant_type != "client_credentials":
            raise oauth_error(400, "unsupported_grant_type", f"Request denied: unsupported grant_type {grant_type!r}.")
        now = time.monotonic()
        self.tokens = {token: expiry for token, expiry in self.tokens.items() if expiry > now}
        token = secrets.token_urlsafe(32)
        self.tokens[token] = now + self.config["token_ttl"]
        payload = {"access_token": token, "token_type": "Bearer", "expires_in": self.config["token_ttl"], "scope": ""}
        return Response(200, payload, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _authorize(self, request):
        scheme, token = request.authorization()
        expiry = self.tokens.get(token) if scheme == "bearer" else None
        if expiry is None or expiry <= time.monotonic():
            raise p1_error(401)

    def _environment_view(self, env, base_url):
        view = copy.deepcopy(env)
        view["_links"] = {"self": {"href": f"{base_url}/v1/environments/{env['id']}"}}
        return view

    def _list_environments(self, request):
        params = request.params()
        limit = parse_limit(params.get("limit"), self.config["page_size"])
        offset = decode_cursor(params.get("cursor"))
        conditions = parse_filter(params.get("filter") or "")
        matching = [env for env in self.environments.values() if all(FILTER_OPERATORS[key](env, value) for key, value in conditions)]
        page = matching[offset:offset + limit]
        self_href = request.base_url + request.path + (f"?{request.query}" if request.query else "")
        links = {"self": {"href": self_href}}
        if offset + limit < len(matching):
            links["next"] = {"href": request.url_with(cursor=encode_cursor(offset + limit))}
        elif self.config["loop_next_link"]:
            links["next"] = {"href": self_href}
        return Response(200, {
            "_links": links,
            "_embedded": {"environments": [self._environment_view(env, request.base_url) for env in page]},
            "count": len(matching),
            "size": len(page),
        })

    def _get_environment(self, request, env_id):
        if env_id not in self.environments:
            raise p1_error(404)
        return Response(200, self._environment_view(self.environments[env_id], request.base_url))

    def _email_settings(self, request, env_id):
        # PingOne answers 403, not 404, for sub-resources of an environment that does not exist.
        if env_id not in self.environments or not self._has_role(env_id):
            raise p1_error(403)
        if request.method != "GET" and env_id in self.config["fail_env_writes"]:
            raise p1_error(500)
        if request.method == "DELETE":
            self._keep_stale(env_id)
            self.settings.pop(env_id, None)  # reset to PingOne's built-in email service
            return Response(204)
        if request.method == "PUT":
            if request.media_type() != "application/json":
                raise p1_error(415)
            body = request.json_object()
            # One endpoint, two variants told apart by protocol, as PingOne's SDK does (pingone-api.md section 1).
            fields, details = (validate_custom_provider(body) if is_custom_provider(body)
                               else validate_settings(body, self.config["unresolvable_hosts"], self.config["resolve_hosts"]))
            if details:
                raise p1_error(400, details)
            if not is_custom_provider(fields):
                fields["protocol"] = derive_protocol(fields["port"], self.config["port25_protocol"])
            fields["updatedAt"] = now_rfc3339()
            if env_id in self.config["lose_env_writes"]:
                # A write that does not stick (e.g. a concurrent writer): the answer looks right, a read does not.
                return Response(200, settings_view(env_id, fields, request.base_url))
            self._keep_stale(env_id)
            self.settings[env_id] = fields  # a full replace: nothing of the previous settings survives
        stored = self.settings.get(env_id)
        if request.method == "GET" and self.stale.get(env_id, [0])[0] > 0:
            self.stale[env_id][0] -= 1
            stored = self.stale[env_id][1]
        if stored is None and self.config["default_state"] == "404":
            raise p1_error(404)
        return Response(200, settings_view(env_id, stored, request.base_url))

    def _stored_notifications(self, env_id):
        return self.notifications.get(env_id) or notifications_defaults(self.config["start_on_pingone_email"])

    def _notifications_settings(self, request, env_id):
        if env_id not in self.environments or not self._has_role(env_id):
            raise p1_error(403)  # as for the SMTP settings: 403, not 404, for an environment that does not exist
        if request.method == "DELETE":
            self.notifications.pop(env_id, None)
        elif request.method == "PUT":
            if request.media_type() != "application/json":
                raise p1_error(415)
            stored, details = validate_notifications(request.json_object(), self.environments[env_id]["type"],
                                                     self.config["start_on_pingone_email"])
            if details:
                raise p1_error(400, details)
            self.notifications[env_id] = {**stored, "updatedAt": now_rfc3339()}
        elif self.config["notifications_read"] == "404":
            raise p1_error(404)
        view = notifications_view(env_id, self._stored_notifications(env_id), request.base_url)
        if request.method == "GET" and self.config["notifications_read"] == "garbage":
            view["emailProviderFallbackChain"] = "PINGONE_EMAIL, maybe"
        return Response(200, view)

    def _keep_stale(self, env_id):
        """Eventual consistency, which PingOne documents: the next `stale_reads` GETs answer the old settings."""
        self.stale[env_id] = [self.config["stale_reads"], self.settings.get(env_id)]

    def _record(self, request, response, received):
        """One request log entry: what was asked and answered, never a value from the body or headers."""
        self.sequence += 1
        target = TOKEN_PATH.fullmatch(request.path) or ENV_PATH.match(request.path)
        scheme = request.authorization()[0]
        self.log.append({
            "seq": self.sequence,
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "env": target.group(1) if target else None,
            "status": None if response in (None, RESET) else response.status,  # None: a hang or reset fault, never answered
            "body_fields": request.body_fields(),
            "auth_header": scheme if scheme in ("basic", "bearer") else None,
            "time": received,
        })

    # the admin API (no auth, not logged)

    def handle_admin(self, request):
        routes = {
            ("GET", "/_emulator/log"): self._admin_log,
            ("GET", "/_emulator/state"): self._admin_state,
            ("POST", "/_emulator/reset"): self._admin_reset,
            ("POST", "/_emulator/config"): self._admin_config,
            ("POST", "/_emulator/environments"): self._admin_add_environments,
        }
        with self.lock:
            try:
                if (request.method, request.path) in routes:
                    return routes[request.method, request.path](request)
                if (match := ADMIN_SETTINGS_PATH.fullmatch(request.path)) and request.method == "PUT":
                    return self._admin_put_settings(request, match.group(1))
                if (match := ADMIN_NOTIFICATIONS_PATH.fullmatch(request.path)) and request.method == "PUT":
                    return self._admin_put_notifications(request, match.group(1))
                raise p1_error(404)
            except ApiError as error:
                return error.response

    def _admin_log(self, request):
        since = request.params().get("since", "0")
        since = int(since) if since.isdigit() else 0
        return Response(200, {"requests": [entry for entry in self.log if entry["seq"] > since]})

    def _admin_state(self, request):
        settings = {}
        for env_id in self.environments:
            stored = self.settings.get(env_id)
            settings[env_id] = None if stored is None else {
                **settings_view(env_id, stored, request.base_url),
                "password_sha256": hashlib.sha256(stored["password"].encode()).hexdigest() if stored.get("password") else None,
            }
        # issued_tokens: every live access token, so a test can grep a client's output for them.
        notifications = {env_id: notifications_view(env_id, self._stored_notifications(env_id), request.base_url)
                         for env_id in self.environments}
        return Response(200, {**self.info(), "settings": settings, "notifications": notifications,
                              "config": copy.deepcopy(self.config),
                              "issued_tokens": sorted(self.tokens)})

    def _admin_reset(self, request):
        body = request.json_object(empty={})
        try:
            config = merge_config(self.startup_config, body.get("config") or {})
            if body.get("seed") is not None:
                self._seed(body["seed"])
        except ValueError as error:
            raise admin_value_error(error) from error
        self._set_config(config, role_grants_changed=True)
        self.settings.clear()
        self.notifications.clear()
        self.stale.clear()
        self.log.clear()
        self.sequence = 0
        self.arrivals = []
        # Tokens survive a reset, so clients that cached one keep working across tests.
        self.publish()
        return Response(200, self.info())

    def _admin_config(self, request):
        try:
            changes = request.json_object()
            self._set_config(merge_config(self.config, changes), role_grants_changed="role_granted_after" in changes)
        except ValueError as error:
            raise admin_value_error(error) from error
        return Response(200, copy.deepcopy(self.config))

    def _admin_add_environments(self, request):
        entries = request.json_object().get("environments")
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise p1_error(400, [detail("INVALID_VALUE", "environments", "environments must be a list of objects.")])
        added = []
        for entry in entries:
            name, env_type = entry.get("name"), entry.get("type", "SANDBOX")
            region, status = entry.get("region", "NA"), entry.get("status", "ACTIVE")
            if not isinstance(name, str) or not name or env_type not in ENV_TYPES or region not in REGIONS or status not in ENV_STATUSES:
                raise p1_error(400, [detail("INVALID_VALUE", "environments", f"Invalid environment {entry!r}.")])
            added.append(self._add_environment(name, env_type, region, status, now_rfc3339()))
        self.publish()
        return Response(200, {"environments": [self._environment_view(env, request.base_url) for env in added]})

    def _admin_put_notifications(self, request, env_id):
        """Store notificationsSettings as an administrator left them (no validation): the given fields over the
        defaults, so tests can seed from, replyTo, whitelist, smsProvidersFallbackChain, the chain, ..."""
        if env_id not in self.environments:
            raise p1_error(404)
        body = request.json_object()
        stored = {**notifications_defaults(self.config["start_on_pingone_email"]),
                  **{key: copy.deepcopy(value) for key, value in body.items() if key not in NOTIFICATIONS_READ_ONLY},
                  "updatedAt": now_rfc3339()}
        self.notifications[env_id] = stored
        return Response(200, notifications_view(env_id, stored, request.base_url))

    def _admin_put_settings(self, request, env_id):
        """Store settings as given (no validation), to set up drift or odd states for tests."""
        if env_id not in self.environments:
            raise p1_error(404)
        body = request.json_object()
        if is_custom_provider(body):
            stored = {key: copy.deepcopy(body[key]) for key in CUSTOM_FIELDS if key in body}
            stored.setdefault("provider", CUSTOM_PROVIDER_TYPE)
        else:
            stored = {key: copy.deepcopy(body[key]) for key in WRITABLE_FIELDS if key in body}
            stored.setdefault("port", DEFAULT_SMTP_PORT)
            stored["protocol"] = body.get("protocol") or derive_protocol(stored["port"], self.config["port25_protocol"])
        # A seeded time of last write (rotation tests), in PingOne's format only; else now, as an API write.
        updated_at = body.get("updatedAt", now_rfc3339())
        if not isinstance(updated_at, str) or not UPDATED_AT_PATTERN.fullmatch(updated_at):
            raise p1_error(400, [detail("INVALID_VALUE", "updatedAt", "updatedAt must look like 2026-01-02T03:04:05.678Z.")])
        stored["updatedAt"] = updated_at
        self.settings[env_id] = stored
        return Response(200, settings_view(env_id, stored, request.base_url))


# --- HTTPS server --------------------------------------------------------------------------------------

def make_tls_context(state_dir):
    """Make a throwaway CA and a server certificate for localhost/127.0.0.1; write DIR/ca.pem.

    Returns (ca_path, server SSLContext). The server key never touches DIR.
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PingOne emulator test CA")])

    def builder(subject, public_key):
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(public_key)
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))

    usage = {"content_commitment": False, "key_encipherment": False, "data_encipherment": False, "key_agreement": False,
             "encipher_only": False, "decipher_only": False}
    ca_cert = (builder(ca_name, ca_key.public_key())
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, key_cert_sign=True, crl_sign=True, **usage), critical=True)
               .sign(ca_key, hashes.SHA256()))
    server_cert = (builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]), server_key.public_key())
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   # Python 3.13 clients verify strictly and want the authority key id.
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    ca_path = os.path.join(state_dir, "ca.pem")
    with open(ca_path, "wb") as stream:
        stream.write(ca_cert.public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    with tempfile.TemporaryDirectory() as key_dir:  # load_cert_chain only reads files
        chain_path = os.path.join(key_dir, "server.pem")
        with open(os.open(chain_path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as stream:
            stream.write(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            stream.write(server_cert.public_bytes(serialization.Encoding.PEM))
        context.load_cert_chain(chain_path)
    return ca_path, context


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients of the real API expect
    server_version = "PingOneEmulator/1.0"
    timeout = 60  # an idle keep-alive connection is dropped after this
    # Headers and body leave in one write with no Nagle delay; otherwise keep-alive clients wait ~40 ms per answer.
    wbufsize = -1
    disable_nagle_algorithm = True

    def setup(self):
        # The handshake runs here, in the connection's thread, not in accept(): a stuck client stalls nobody.
        self.request.settimeout(self.timeout)
        self.request.do_handshake()
        super().setup()

    def do_GET(self):  # pylint: disable=invalid-name
        url = urllib.parse.urlsplit(self.path)
        request = Request(self.command, url.path, url.query, self.headers, self._read_body(),
                          self.headers.get("Host") or self.server.server_host)
        emulator = self.server.emulator
        response = emulator.handle_admin(request) if url.path.startswith(ADMIN_PREFIX) else emulator.handle_api(request)
        self._send(response)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _read_body(self):
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # chunked bodies are not supported: answer as if empty, then hang up
            return b""
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self.close_connection = True
            return b""
        return self.rfile.read(int(length))

    def _send(self, response):
        if response is None:  # a hang fault: no answer, and the connection closes
            self.close_connection = True
            return
        if response is RESET:
            reset_connection(self.request)
            self.close_connection = True
            return
        body = response.raw if response.raw is not None else b"" if response.payload is None else json.dumps(response.payload).encode("utf-8")
        self.send_response(response.status)
        for name in TRACE_HEADERS:
            # PingOne echoes these (max 100 chars, odd characters turned into _) or makes one up.
            given = self.headers.get(name)
            self.send_header(name, re.sub(r"[^A-Za-z0-9._:-]", "_", given)[:100] if given else str(uuid.uuid4()))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.payload is not None and "Content-Type" not in response.headers:
            self.send_header("Content-Type", "application/json")
        if response.status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if not self.server.quiet:
            sys.stderr.write(f"{self.log_date_time_string()} {format % args}\n")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the benchmark opens many connections at once

    def handle_error(self, request, client_address):
        # Clients that reject the certificate or drop a keep-alive connection are routine, not errors.
        if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class EmulatorServer:
    """A running emulator: .url, .port, .ca_path, .info, .emulator, .stop(). Serves from a background thread."""

    def __init__(self, state_dir, port=0, quiet=True, **options):
        state_dir = os.path.abspath(state_dir)
        os.makedirs(state_dir, exist_ok=True)
        self.emulator = Emulator(**options)
        self.ca_path, context = make_tls_context(state_dir)
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self._httpd.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._httpd.emulator, self._httpd.quiet, self._httpd.server_host = self.emulator, quiet, f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,), name="pingone-emulator", daemon=True)
        self._thread.start()
        with self.emulator.lock:
            self.emulator.address = {"url": self.url, "host": f"127.0.0.1:{self.port}", "port": self.port, "ca_path": self.ca_path}
            self.emulator.info_path = os.path.join(state_dir, "emulator.json")
            self.emulator.publish()  # last: the file appearing means "listening"

    @property
    def info(self):
        with self.emulator.lock:
            return self.emulator.info()

    @property
    def info_path(self):
        return self.emulator.info_path

    def stop(self):
        if self._thread is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        self._thread = None
        with self.emulator.lock:
            info_path, self.emulator.info_path = self.emulator.info_path, None
        with contextlib.suppress(FileNotFoundError):
            os.remove(info_path)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_emulator(state_dir, **options):
    """Start an emulator in a background thread.

    options: port (0 = any free), quiet (no access log, default True), seed, client_id, client_secret,
    and any live config key (token_ttl, page_size, port25_protocol, default_state, latency_ms, ...).
    """
    return EmulatorServer(state_dir, **options)


def main(argv=None):
    parser = argparse.ArgumentParser(description="PingOne API emulator (HTTPS on 127.0.0.1). Writes STATE_DIR/ca.pem and STATE_DIR/emulator.json.")
    parser.add_argument("--state-dir", required=True, help="where ca.pem and emulator.json are written")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port (default)")
    parser.add_argument("--seed", type=int, default=6, help="number of target environments (default 6)")
    parser.add_argument("--page-size", type=int, default=CONFIG_DEFAULTS["page_size"])
    parser.add_argument("--token-ttl", type=int, default=CONFIG_DEFAULTS["token_ttl"], help="seconds")
    parser.add_argument("--port25-protocol", choices=("SMTP", "SMTPS"), default=CONFIG_DEFAULTS["port25_protocol"])
    parser.add_argument("--default-state", choices=("links", "404"), default=CONFIG_DEFAULTS["default_state"])
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--token-auth-method", choices=("basic", "post"), default=CONFIG_DEFAULTS["token_auth_method"],
                        help="the worker app's token endpoint auth method; the other one gets 401 (default basic, as the console)")
    parser.add_argument("--rate-limit-per-minute", type=int, default=0,
                        help="API requests allowed in any rolling minute, 429 with Retry-After beyond (default 0: no limit)")
    parser.add_argument("--client-id", help="worker app client id (default: deterministic)")
    parser.add_argument("--client-secret", help="worker app client secret (default: deterministic)")
    parser.add_argument("--quiet", action="store_true", help="no access log on stderr")
    args = parser.parse_args(argv)
    try:
        server = start_emulator(args.state_dir, port=args.port, quiet=args.quiet, seed=args.seed, client_id=args.client_id,
                                client_secret=args.client_secret, page_size=args.page_size, token_ttl=args.token_ttl,
                                port25_protocol=args.port25_protocol, default_state=args.default_state, latency_ms=args.latency_ms,
                                token_auth_method=args.token_auth_method, rate_limit_per_minute=args.rate_limit_per_minute)
    except ValueError as error:
        parser.error(str(error))
        return 2
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *args: stopping.set())
    sys.stderr.write(f"PingOne emulator listening on {server.url}; info in {server.info_path}\n")
    while not stopping.wait(1):
        pass
    server.stop()
    sys.stderr.write("PingOne emulator stopped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
