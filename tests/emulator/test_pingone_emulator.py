"""Tests of the PingOne emulator itself, over real HTTPS with requests.

`verify=` is passed on every request: REQUESTS_CA_BUNDLE in the environment would override Session.verify.
"""

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

from pingone_emulator import start_emulator

EMULATOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pingone_emulator.py")
SMTP_PATH = "/v1/environments/{}/notificationsSettings/emailDeliverySettings"
VALID_SETTINGS = {
    "host": "smtp.example.com",
    "port": 587,
    "username": "mailer",
    "password": "s3cret-Value",
    "from": {"address": "noreply@example.com", "name": "Example"},
    "replyTo": {"address": "help@example.com"},
}


class Api:
    """A thin client of one emulator: PingOne calls, token handling and the admin endpoints."""

    def __init__(self, server):
        self.server = server
        self.info = server.info
        self.session = requests.Session()
        self._token = None

    def call(self, method, path, token=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if token is not False:
            headers.setdefault("Authorization", f"Bearer {token or self.token()}")
        url = path if path.startswith("https://") else self.server.url + path
        return self.session.request(method, url, headers=headers, verify=self.server.ca_path, timeout=10, **kwargs)

    def request_token(self, env_id=None, basic=True, secret=None, grant_type="client_credentials"):
        form = {"grant_type": grant_type}
        credentials = (self.info["client_id"], secret or self.info["client_secret"])
        if not basic:
            form.update(client_id=credentials[0], client_secret=credentials[1])
        return self.session.post(f"{self.server.url}/{env_id or self.info['auth_environment_id']}/as/token", data=form,
                                 auth=credentials if basic else None, verify=self.server.ca_path, timeout=10)

    def token(self):
        if self._token is None:
            self._token = self.request_token().json()["access_token"]
        return self._token

    def admin(self, method, path, expect=200, **kwargs):
        response = self.session.request(method, self.server.url + "/_emulator/" + path, verify=self.server.ca_path, timeout=10, **kwargs)
        assert response.status_code == expect, response.text
        return response.json()

    def smtp(self, method, env_id, **kwargs):
        return self.call(method, SMTP_PATH.format(env_id), **kwargs)

    def log(self):
        return self.admin("GET", "log")["requests"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    emulator = start_emulator(tmp_path_factory.mktemp("emulator"))
    yield emulator
    emulator.stop()


@pytest.fixture
def api(server):
    """A fresh client of the shared emulator, reset (settings, log, config, environments) so tests stay independent."""
    requests.post(f"{server.url}/_emulator/reset", json={"seed": 6}, verify=server.ca_path, timeout=10).raise_for_status()
    return Api(server)


@pytest.fixture
def env_id(api):
    return api.info["environments"][1]["id"]


def _is_json(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def assert_p1_error(response, status, code, detail_code=None, target=None):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["id"] and body["message"].startswith("The request could not be completed.")
    if detail_code:
        assert {"code": detail_code, "target": target} in [{"code": entry["code"], "target": entry.get("target")} for entry in body["details"]]
    return body


# --- info file and identity ------------------------------------------------------------------------------

def test_info_file_describes_the_running_emulator(server):
    with open(server.info_path, encoding="utf-8") as stream:
        info = json.load(stream)
    assert info == server.info
    assert info["url"] == f"https://127.0.0.1:{server.port}" and info["host"] == f"127.0.0.1:{server.port}"
    assert os.path.isabs(info["ca_path"]) and info["pid"] == os.getpid()
    assert info["client_secret"].startswith("emulator-secret-")
    names = [env["name"] for env in info["environments"]]
    assert names[0] == "Administrators" and info["environments"][0]["id"] == info["auth_environment_id"]
    assert len(names) == 7 and "demo-sandbox-na-1" in names
    assert {(env["type"], env["region"]) for env in info["environments"][1:5]} == {
        ("SANDBOX", "NA"), ("PRODUCTION", "NA"), ("SANDBOX", "EU"), ("PRODUCTION", "EU")}


def test_same_seed_gives_same_ids(server, tmp_path):
    with start_emulator(tmp_path) as other:
        assert other.info["environments"] == server.info["environments"]
        assert other.info["client_id"] == server.info["client_id"]


# --- tokens ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("basic", [True, False], ids=["basic", "form"])
def test_token_with_client_credentials(api, basic):
    api.admin("POST", "config", json={"token_auth_method": "basic" if basic else "post"})
    response = api.request_token(basic=basic)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["access_token"]
    assert api.call("GET", "/v1/environments", token=body["access_token"]).status_code == 200


def test_token_wrong_secret_or_environment_is_invalid_client(api):
    assert api.request_token(secret="wrong").status_code == 401
    api.admin("POST", "config", json={"token_auth_method": "post"})
    assert api.request_token(basic=False, secret="wrong").json()["error"] == "invalid_client"
    api.admin("POST", "config", json={"token_auth_method": "basic"})
    assert api.request_token(env_id=api.info["environments"][1]["id"]).status_code == 401


UNSUPPORTED_METHOD = re.compile(r"Request denied: Unsupported authentication method \(Correlation ID: [0-9a-f-]{36}\)")


@pytest.mark.parametrize("app_method, sent_basic", [("basic", False), ("post", True)], ids=["basic-app-gets-post", "post-app-gets-basic"])
def test_token_with_the_other_auth_method_is_unsupported(api, app_method, sent_basic):
    """PingOne enforces the worker app's tokenEndpointAuthMethod, even with the right secret (pingone-api.md section 0)."""
    api.admin("POST", "config", json={"token_auth_method": app_method})
    response = api.request_token(basic=sent_basic)
    assert response.status_code == 401
    assert set(response.json()) == {"error", "error_description"} and response.json()["error"] == "invalid_client"
    assert UNSUPPORTED_METHOD.fullmatch(response.json()["error_description"])
    assert api.request_token(basic=not sent_basic).status_code == 200
    assert [(entry["auth_header"], entry["status"]) for entry in api.log()] == [
        ("basic" if sent_basic else None, 401), ("basic" if not sent_basic else None, 200)]


def test_token_auth_method_is_basic_by_default_and_a_start_option(tmp_path):
    with start_emulator(tmp_path) as basic_app, start_emulator(tmp_path / "post", token_auth_method="post") as post_app:
        assert Api(basic_app).request_token(basic=True).status_code == 200
        assert Api(basic_app).request_token(basic=False).status_code == 401
        assert Api(post_app).request_token(basic=False).status_code == 200
        assert UNSUPPORTED_METHOD.fullmatch(Api(post_app).request_token(basic=True).json()["error_description"])


def test_token_other_grant_type_is_unsupported(api):
    response = api.request_token(grant_type="password")
    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


def test_api_without_token_is_401(api):
    body = assert_p1_error(api.call("GET", "/v1/environments", token=False), 401, "ACCESS_FAILED", "INVALID_TOKEN")
    assert "invalid or has expired" in body["message"]
    assert_p1_error(api.call("GET", "/v1/environments", token="not-a-token"), 401, "ACCESS_FAILED")


def test_expired_token_is_401(api):
    api.admin("POST", "config", json={"token_ttl": 1})
    token = api.request_token().json()["access_token"]
    assert api.call("GET", "/v1/environments", token=token).status_code == 200
    time.sleep(1.1)
    assert_p1_error(api.call("GET", "/v1/environments", token=token), 401, "ACCESS_FAILED", "INVALID_TOKEN")


# --- environments ------------------------------------------------------------------------------------------

def test_environment_listing_pages_through_next_links(api):
    names, url, pages = [], "/v1/environments?limit=3", 0
    while url:
        body = api.call("GET", url).json()
        pages += 1
        assert body["count"] == 7 and body["size"] == len(body["_embedded"]["environments"])
        names += [env["name"] for env in body["_embedded"]["environments"]]
        url = body["_links"].get("next", {}).get("href")
        assert url is None or url.startswith(api.server.url + "/v1/environments?limit=3&cursor=")
    assert pages == 3 and names == [env["name"] for env in api.info["environments"]]


def test_environment_listing_uses_page_size_and_host_header(api):
    api.admin("POST", "config", json={"page_size": 5})
    body = api.call("GET", "/v1/environments", headers={"Host": "api.example.test"}).json()
    assert body["size"] == 5 and body["_links"]["next"]["href"].startswith("https://api.example.test/v1/environments?cursor=")
    env = body["_embedded"]["environments"][0]
    assert env["_links"]["self"]["href"] == f"https://api.example.test/v1/environments/{env['id']}"
    assert set(env) >= {"id", "name", "type", "region", "status", "organization", "createdAt", "updatedAt"}


def test_environment_listing_filters(api):
    def names(scim_filter):
        response = api.call("GET", "/v1/environments", params={"filter": scim_filter})
        assert response.status_code == 200, response.text
        return [env["name"] for env in response.json()["_embedded"]["environments"]]

    assert names('name sw "demo-sandbox"') == ["demo-sandbox-na-1", "demo-sandbox-eu-1", "demo-sandbox-na-2"]
    first = api.info["environments"][1]
    assert names(f'(name sw "DEMO") AND (id eq "{first["id"]}")') == [first["name"]]
    assert names('status eq "ACTIVE" and name sw "nothing"') == []


@pytest.mark.parametrize("scim_filter", ['type eq "SANDBOX"', 'name sw "a" or name sw "b"', 'name sw demo', '(name sw "a"'])
def test_environment_listing_rejects_unsupported_filters(api, scim_filter):
    response = api.call("GET", "/v1/environments", params={"filter": scim_filter})
    assert_p1_error(response, 400, "INVALID_DATA", "INVALID_FILTER", "filter")


def test_read_one_environment(api, env_id):
    assert api.call("GET", f"/v1/environments/{env_id}").json()["id"] == env_id
    assert_p1_error(api.call("GET", "/v1/environments/00000000-0000-0000-0000-000000000000"), 404, "NOT_FOUND")


# --- email delivery settings -------------------------------------------------------------------------------

def test_default_state_is_links_only(api, env_id):
    response = api.smtp("GET", env_id)
    assert response.status_code == 200
    assert response.json() == {"_links": {
        "self": {"href": f"{api.server.url}{SMTP_PATH.format(env_id)}"},
        "environment": {"href": f"{api.server.url}/v1/environments/{env_id}"}}}


def test_default_state_can_be_404(api, env_id):
    api.admin("POST", "config", json={"default_state": "404"})
    assert_p1_error(api.smtp("GET", env_id), 404, "NOT_FOUND")


def test_put_then_get_never_returns_the_password(api, env_id):
    # A read-only protocol other than HTTP (which selects the custom provider variant) is ignored: 587 gives SMTP.
    put = api.smtp("PUT", env_id, json={**VALID_SETTINGS, "protocol": "SMTPS", "updatedAt": "x", "unknown": 1})
    assert put.status_code == 200, put.text
    body = put.json()
    assert "password" not in put.text and VALID_SETTINGS["password"] not in put.text
    assert body["protocol"] == "SMTP" and body["environment"] == {"id": env_id} and body["updatedAt"].endswith("Z")
    assert {key: body[key] for key in ("host", "port", "username", "from", "replyTo")} == {
        key: VALID_SETTINGS[key] for key in ("host", "port", "username", "from", "replyTo")}
    assert api.smtp("GET", env_id).json() == body
    stored = api.admin("GET", "state")["settings"][env_id]
    assert stored["password_sha256"] == hashlib.sha256(VALID_SETTINGS["password"].encode()).hexdigest()


def test_put_is_a_full_replace_with_default_port(api, env_id):
    api.smtp("PUT", env_id, json=VALID_SETTINGS)
    replacement = {key: VALID_SETTINGS[key] for key in ("host", "username", "password")}
    body = api.smtp("PUT", env_id, json={**replacement, "from": {"address": "a@example.com"}}).json()
    assert body["port"] == 465 and body["protocol"] == "SMTPS" and "replyTo" not in body and body["from"] == {"address": "a@example.com"}


@pytest.mark.parametrize("port25_protocol", ["SMTPS", "SMTP"])
def test_port_25_protocol_follows_the_switch(api, env_id, port25_protocol):
    api.admin("POST", "config", json={"port25_protocol": port25_protocol})
    assert api.smtp("PUT", env_id, json={**VALID_SETTINGS, "port": 25}).json()["protocol"] == port25_protocol


@pytest.mark.parametrize("change, detail_code, target", [
    ({"host": ""}, "REQUIRED_VALUE", "host"),
    ({"host": "not_a host"}, "INVALID_VALUE", "host"),
    ({"host": "localhost"}, "INVALID_VALUE", "host"),
    ({"host": "-smtp.example.com"}, "INVALID_VALUE", "host"),
    ({"port": "587"}, "INVALID_VALUE", "port"),
    ({"port": True}, "INVALID_VALUE", "port"),
    ({"port": 70000}, "OUT_OF_RANGE", "port"),
    ({"port": 0}, "OUT_OF_RANGE", "port"),
    ({"username": None}, "REQUIRED_VALUE", "username"),
    ({"password": ""}, "REQUIRED_VALUE", "password"),
    ({"from": None}, "REQUIRED_VALUE", "from"),
    ({"from": {"address": "no-at-sign"}}, "INVALID_VALUE", "from.address"),
    ({"from": {"address": "a@example.com", "name": ""}}, "EMPTY_VALUE", "from.name"),
    ({"replyTo": {"name": "Help"}}, "REQUIRED_VALUE", "replyTo.address"),
    ({"replyTo": {"address": "help@example.com", "name": ""}}, "EMPTY_VALUE", "replyTo.name"),
])
def test_put_validation_errors(api, env_id, change, detail_code, target):
    response = api.smtp("PUT", env_id, json={**VALID_SETTINGS, **change})
    assert_p1_error(response, 400, "INVALID_DATA", detail_code, target)
    assert api.admin("GET", "state")["settings"][env_id] is None


def test_put_collects_every_error(api, env_id):
    body = assert_p1_error(api.smtp("PUT", env_id, json={"port": -1}), 400, "INVALID_DATA")
    assert sorted(entry["target"] for entry in body["details"]) == ["from", "host", "password", "port", "username"]
    assert body["message"] == "The request could not be completed. One or more validation errors were in the request."


def test_put_needs_a_json_object(api, env_id):
    assert_p1_error(api.smtp("PUT", env_id, data="host=x", headers={"Content-Type": "text/plain"}), 415, "INVALID_REQUEST")
    assert_p1_error(api.smtp("PUT", env_id, data="{not json", headers={"Content-Type": "application/json"}), 400, "INVALID_REQUEST")
    assert_p1_error(api.smtp("PUT", env_id, json=[VALID_SETTINGS]), 400, "INVALID_REQUEST")


def test_delete_resets_to_default_and_is_idempotent(api, env_id):
    api.smtp("PUT", env_id, json=VALID_SETTINGS)
    for attempt in range(2):
        response = api.smtp("DELETE", env_id)
        assert response.status_code == 204 and response.content == b"", attempt
    assert set(api.smtp("GET", env_id).json()) == {"_links"}


def test_no_role_or_unknown_environment_is_403(api, env_id):
    api.admin("POST", "config", json={"no_role": [env_id]})
    for method in ("GET", "PUT", "DELETE"):
        body = assert_p1_error(api.smtp(method, env_id, json=VALID_SETTINGS), 403, "ACCESS_FAILED", "INSUFFICIENT_PERMISSIONS")
        assert body["message"] == "The request could not be completed. You do not have access to this resource."
    assert_p1_error(api.smtp("GET", "00000000-0000-0000-0000-000000000000"), 403, "ACCESS_FAILED")
    assert api.smtp("GET", api.info["environments"][2]["id"]).status_code == 200


def test_transaction_id_is_echoed_or_generated(api, env_id):
    echoed = api.smtp("GET", env_id, headers={"X-Ping-External-Transaction-ID": "rollout-42"})
    assert echoed.headers["X-Ping-External-Transaction-ID"] == "rollout-42"
    assert api.smtp("GET", env_id).headers["X-Ping-External-Transaction-ID"]


# --- faults and latency ------------------------------------------------------------------------------------

def test_429_fault_with_retry_after_then_recovers(api, env_id):
    api.admin("POST", "config", json={"faults": [{"method": "PUT", "path_contains": env_id, "status": 429, "times": 2, "retry_after": 3}]})
    assert api.smtp("GET", env_id).status_code == 200  # other methods are not affected
    for attempt in range(2):
        response = api.smtp("PUT", env_id, json=VALID_SETTINGS)
        assert_p1_error(response, 429, "REQUEST_LIMITED", "LIMIT_EXCEEDED")
        assert response.headers["Retry-After"] == "3", attempt
    assert api.smtp("PUT", env_id, json=VALID_SETTINGS).status_code == 200
    assert api.admin("GET", "state")["config"]["faults"] == []


def test_500_and_503_faults(api, env_id):
    api.token()  # before the faults: the first one matches any request
    api.admin("POST", "config", json={"faults": [{"status": 500}, {"method": "*", "path_contains": "/as/token", "status": 503}]})
    assert_p1_error(api.call("GET", "/v1/environments"), 500, "UNEXPECTED_ERROR")
    response = api.request_token()
    assert response.status_code == 503 and "Retry-After" not in response.headers
    assert api.smtp("GET", env_id).status_code == 200


def test_hang_fault_takes_the_request_and_never_answers(api, env_id):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "GET", "path_contains": env_id, "kind": "hang", "seconds": 2}]})
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.session.get(api.server.url + SMTP_PATH.format(env_id), headers={"Authorization": f"Bearer {api.token()}"},
                        verify=api.server.ca_path, timeout=0.5)
    assert time.monotonic() - started < 2
    assert api.smtp("GET", env_id).status_code == 200  # served meanwhile, and the fault was used up
    assert [(entry["method"], entry["status"]) for entry in api.log()[-2:]] == [("GET", None), ("GET", 200)]


@pytest.mark.parametrize("kind, check", [
    ("html", lambda response: response.headers["Content-Type"] == "text/html" and response.text.startswith("<html>")),
    ("truncated_json", lambda response: response.headers["Content-Type"] == "application/json" and not _is_json(response.text)),
    ("json_null", lambda response: response.json() is None),
    ("json_list", lambda response: isinstance(response.json(), list) and response.json()[0]["host"] == "smtp.example.com"),
])
def test_body_faults_serve_the_request_and_mangle_the_answer(api, env_id, kind, check):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "PUT", "kind": kind}]})
    response = api.smtp("PUT", env_id, json=VALID_SETTINGS)
    assert response.status_code == 200 and check(response)
    assert api.smtp("GET", env_id).json()["host"] == "smtp.example.com"  # the write was applied


def test_no_access_token_fault_drops_the_token_from_the_answer(api):
    api.admin("POST", "config", json={"faults": [{"path_contains": "/as/token", "kind": "no_access_token"}]})
    response = api.request_token()
    assert response.status_code == 200 and "access_token" not in response.json() and response.json()["token_type"] == "Bearer"
    assert "access_token" in api.request_token().json()


def test_body_faults_leave_errors_and_empty_answers_alone(api, env_id):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "DELETE", "kind": "html"}, {"method": "PUT", "kind": "json_null"}]})
    response = api.smtp("DELETE", env_id)
    assert response.status_code == 204 and response.content == b""
    assert_p1_error(api.smtp("PUT", env_id, json={}), 400, "INVALID_DATA")


def test_loop_next_link_points_the_last_page_at_itself(api):
    api.admin("POST", "config", json={"page_size": 4, "loop_next_link": True})
    first = api.call("GET", "/v1/environments").json()
    last = api.call("GET", first["_links"]["next"]["href"]).json()
    assert last["_links"]["next"]["href"] == last["_links"]["self"]["href"] == first["_links"]["next"]["href"]


def test_fail_env_writes_fails_only_writes_of_that_environment(api, env_id):
    api.admin("POST", "config", json={"fail_env_writes": [env_id]})
    assert_p1_error(api.smtp("PUT", env_id, json=VALID_SETTINGS), 500, "UNEXPECTED_ERROR")
    assert_p1_error(api.smtp("DELETE", env_id), 500, "UNEXPECTED_ERROR")
    assert api.smtp("GET", env_id).status_code == 200
    assert api.smtp("PUT", api.info["environments"][2]["id"], json=VALID_SETTINGS).status_code == 200


def test_lose_env_writes_answers_the_write_but_keeps_the_old_settings(api, env_id):
    api.admin("POST", "config", json={"lose_env_writes": [env_id]})
    response = api.smtp("PUT", env_id, json=VALID_SETTINGS)
    assert response.status_code == 200 and response.json()["host"] == VALID_SETTINGS["host"]
    assert "host" not in api.smtp("GET", env_id).json()


def test_stale_reads_answer_the_settings_before_each_write(api, env_id):
    api.admin("POST", "config", json={"stale_reads": 2})
    assert api.smtp("PUT", env_id, json=VALID_SETTINGS).status_code == 200
    assert ["host" in api.smtp("GET", env_id).json() for read in range(3)] == [False, False, True]
    assert api.smtp("DELETE", env_id).status_code == 204
    assert ["host" in api.smtp("GET", env_id).json() for read in range(3)] == [True, True, False]


def test_latency_delays_answers(api, env_id):
    api.admin("POST", "config", json={"latency_ms": 150})
    started = time.monotonic()
    api.smtp("GET", env_id)
    assert time.monotonic() - started >= 0.15


def test_echo_requests_quotes_headers_and_bodies_in_error_answers(api, env_id):
    api.admin("POST", "config", json={"echo_requests": True, "faults": [{"method": "PUT", "status": 409}]})
    token = api.token()
    answer = api.smtp("PUT", env_id, json=VALID_SETTINGS).json()
    assert f"Authorization: Bearer {token}" in answer["message"] and VALID_SETTINGS["password"] in answer["message"]
    refused = api.request_token(basic=False, secret="Echoed-Secret-9").json()
    assert "client_secret=Echoed-Secret-9" in refused["error_description"]
    assert token in api.admin("GET", "state")["issued_tokens"]
    api.admin("POST", "config", json={"echo_requests": False})
    assert "Echoed-Secret-9" not in api.request_token(basic=False, secret="Echoed-Secret-9").text


def test_unresolvable_hosts_fail_validation_on_host(api, env_id):
    api.admin("POST", "config", json={"unresolvable_hosts": ["smtp.example.com"]})
    answer = api.smtp("PUT", env_id, json=VALID_SETTINGS)
    assert answer.status_code == 400
    assert [(entry["code"], entry["target"]) for entry in answer.json()["details"]] == [("INVALID_VALUE", "host")]
    assert api.smtp("PUT", env_id, json=dict(VALID_SETTINGS, host="mail.example.com")).status_code == 200


def test_bad_config_is_rejected(api):
    for change in ({"token_ttl": "1"}, {"port25_protocol": "TLS"}, {"faults": [{"status": 200}]}, {"unknown": 1},
                   {"role_granted_after": ["env"]}, {"role_granted_after": {"env": -1}},
                   {"echo_requests": "yes"}, {"unresolvable_hosts": "smtp.example.com"},
                   {"token_auth_method": "client_secret_basic"}, {"loop_next_link": "yes"}, {"faults": [{"kind": "teapot"}]},
                   {"faults": [{"kind": "hang", "seconds": 0}]}):
        api.admin("POST", "config", json=change, expect=400)
    api.admin("POST", "reset", json={"seed": -1}, expect=400)
    assert len(api.admin("GET", "state")["environments"]) == 7


# --- request log, reset and admin helpers ------------------------------------------------------------------

def test_request_log_records_fields_never_values(api, env_id):
    api.admin("POST", "config", json={"token_auth_method": "post"})
    api.request_token(basic=False)
    api.admin("POST", "config", json={"token_auth_method": "basic"})
    api.smtp("PUT", env_id, json=VALID_SETTINGS, params={"x": "1"})
    api.admin("GET", "state")
    log = api.log()
    assert [(entry["seq"], entry["method"], entry["status"]) for entry in log] == [(1, "POST", 200), (2, "POST", 200), (3, "PUT", 200)]
    assert log[0]["body_fields"] == ["client_id", "client_secret", "grant_type"] and log[0]["auth_header"] is None
    assert log[0]["env"] == api.info["auth_environment_id"]
    assert log[1]["auth_header"] == "basic"  # the client's own token request
    assert log[2] == {**log[2], "path": SMTP_PATH.format(env_id), "query": "x=1", "env": env_id, "auth_header": "bearer",
                      "body_fields": ["from.address", "from.name", "host", "password", "port", "replyTo.address", "username"]}
    text = json.dumps(log)
    assert VALID_SETTINGS["password"] not in text and api.info["client_secret"] not in text and "smtp.example.com" not in text


def test_reset_clears_settings_log_and_config_but_keeps_tokens(api, env_id):
    api.smtp("PUT", env_id, json=VALID_SETTINGS)
    api.admin("POST", "config", json={"default_state": "404"})
    info = api.admin("POST", "reset", json={"config": {"page_size": 2}})
    assert info == api.info and api.log() == []
    assert api.smtp("GET", env_id).status_code == 200  # same cached token, default state "links" again
    assert api.call("GET", "/v1/environments").json()["size"] == 2


def test_reset_with_seed_reseeds_and_rewrites_the_info_file(api):
    info = api.admin("POST", "reset", json={"seed": 2})
    assert [env["name"] for env in info["environments"]] == ["Administrators", "demo-sandbox-na-1", "demo-production-na-1"]
    with open(api.server.info_path, encoding="utf-8") as stream:
        assert json.load(stream) == info


def test_admin_adds_environments_and_stores_drifted_settings(api):
    added = api.admin("POST", "environments", json={"environments": [{"name": "extra-prod-ap", "type": "PRODUCTION", "region": "AP"}]})
    new_id = added["environments"][0]["id"]
    assert api.call("GET", f"/v1/environments/{new_id}").json()["region"] == "AP"
    api.admin("POST", "environments", json={"environments": [{"name": "extra-prod-ap"}]}, expect=409)
    view = api.admin("PUT", f"settings/{new_id}", json={**VALID_SETTINGS, "host": "drifted.example.com"})
    assert view["host"] == "drifted.example.com" and "password" not in view
    assert api.smtp("GET", new_id).json()["host"] == "drifted.example.com"


def test_every_write_stamps_updated_at_as_pingone_does_and_later_each_time(api, env_id):
    first = api.smtp("PUT", env_id, json=VALID_SETTINGS).json()["updatedAt"]
    time.sleep(0.002)
    second = api.smtp("PUT", env_id, json=VALID_SETTINGS).json()["updatedAt"]
    # RFC 3339, milliseconds, Z (pingone-api.md section 2): the format sorts as the time does.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", second) and second > first
    assert api.smtp("GET", env_id).json()["updatedAt"] == second


def test_admin_seeds_updated_at_and_refuses_another_format(api, env_id):
    view = api.admin("PUT", f"settings/{env_id}", json={**VALID_SETTINGS, "updatedAt": "2026-01-02T03:04:05.678Z"})
    assert view["updatedAt"] == "2026-01-02T03:04:05.678Z"
    assert api.smtp("GET", env_id).json()["updatedAt"] == "2026-01-02T03:04:05.678Z"
    for wrong in ("2026-01-02T03:04:05Z", "2026-01-02 03:04:05.678Z", "2026-01-02T03:04:05.678+00:00", 20260102):
        api.admin("PUT", f"settings/{env_id}", json={**VALID_SETTINGS, "updatedAt": wrong}, expect=400)
    # Without one, the admin write is stamped now, like an API write.
    assert api.admin("PUT", f"settings/{env_id}", json=VALID_SETTINGS)["updatedAt"] > "2026-01-02T03:04:05.678Z"


# --- custom HTTP provider (pingone-api.md section 2) ----------------------------------------------------

CUSTOM_PROVIDER = {
    "protocol": "HTTP",
    "name": "Acme Mail API",
    "provider": "CUSTOM_PROVIDER",
    "authentication": {"method": "BEARER", "authToken": "acme-T0ken-value"},
    "from": {"address": "noreply@example.com", "name": "Example"},
    "replyTo": {"address": "help@example.com"},
    "requests": [{"deliveryMethod": "EMAIL", "method": "POST", "url": "https://mail.acme.example/send",
                  "headers": {"content-type": "application/json"},
                  "body": '{"to": "${to}", "from": "${from}", "message": "${message}"}'}],
}
CUSTOM_SECRETS = {"password": "basic-Pa55", "authToken": "acme-T0ken-value", "clientSecret": "oauth-S3cret", "headerValue": "hdr-S3cret"}
AUTHENTICATIONS = [
    {"method": "BASIC", "username": "acme", "password": "basic-Pa55"},
    {"method": "BEARER", "authToken": "acme-T0ken-value"},
    {"method": "OAUTH2", "authUrl": "https://auth.acme.example/token", "clientId": "acme-client", "clientSecret": "oauth-S3cret"},
    {"method": "CUSTOM_HEADER", "headerName": "X-Api-Key", "headerValue": "hdr-S3cret"},
]


@pytest.mark.parametrize("authentication", AUTHENTICATIONS, ids=lambda auth: auth["method"])
def test_custom_provider_put_then_get_never_returns_the_secrets(api, env_id, authentication):
    put = api.smtp("PUT", env_id, json={**CUSTOM_PROVIDER, "authentication": authentication})
    assert put.status_code == 200, put.text
    got = api.smtp("GET", env_id).json()
    for body in (put.json(), got):
        assert body["protocol"] == "HTTP" and body["name"] == "Acme Mail API" and body["provider"] == "CUSTOM_PROVIDER"
        assert body["authentication"]["method"] == authentication["method"]
        assert body["requests"][0]["url"] == "https://mail.acme.example/send"
        assert body["from"] == {"address": "noreply@example.com", "name": "Example"}
        assert "host" not in body and "port" not in body
        assert not any(secret in json.dumps(body) for secret in CUSTOM_SECRETS.values())
    if authentication["method"] == "OAUTH2":
        assert got["authentication"]["grantType"] == "CLIENT_CREDENTIALS"


@pytest.mark.parametrize("change, detail_code, target", [
    ({"name": None}, "REQUIRED_VALUE", "name"),
    ({"authentication": None}, "REQUIRED_VALUE", "authentication"),
    ({"authentication": {"method": "DIGEST"}}, "INVALID_VALUE", "authentication.method"),
    ({"authentication": {"method": "BASIC", "username": "acme"}}, "REQUIRED_VALUE", "authentication.password"),
    ({"authentication": {"method": "BEARER"}}, "REQUIRED_VALUE", "authentication.authToken"),
    ({"requests": None}, "REQUIRED_VALUE", "requests"),
    ({"requests": []}, "REQUIRED_VALUE", "requests"),
    ({"requests": [{**CUSTOM_PROVIDER["requests"][0], "method": "PATCH"}]}, "INVALID_VALUE", "requests[0].method"),
    ({"requests": [{**CUSTOM_PROVIDER["requests"][0], "url": None}]}, "REQUIRED_VALUE", "requests[0].url"),
    ({"requests": [{**CUSTOM_PROVIDER["requests"][0], "deliveryMethod": "SMS"}]}, "INVALID_VALUE", "requests[0].deliveryMethod"),
    ({"requests": [{**CUSTOM_PROVIDER["requests"][0], "body": '{"to": "${to}"}'}]}, "INVALID_VALUE", "requests[0].body"),
    ({"provider": "SENDGRID"}, "INVALID_VALUE", "provider"),
    ({"from": {"address": "not-an-address"}}, "INVALID_VALUE", "from.address"),
])
def test_custom_provider_put_validation(api, env_id, change, detail_code, target):
    body = {key: value for key, value in {**CUSTOM_PROVIDER, **change}.items() if value is not None}
    assert_p1_error(api.smtp("PUT", env_id, json=body), 400, "INVALID_DATA", detail_code, target)
    assert set(api.smtp("GET", env_id).json()) == {"_links"}


def test_a_put_of_either_variant_replaces_the_other(api, env_id):
    api.smtp("PUT", env_id, json=VALID_SETTINGS)
    custom = api.smtp("PUT", env_id, json=CUSTOM_PROVIDER).json()
    assert "host" not in api.smtp("GET", env_id).json() and custom["protocol"] == "HTTP"
    smtp = api.smtp("PUT", env_id, json=VALID_SETTINGS).json()
    got = api.smtp("GET", env_id).json()
    assert got["host"] == "smtp.example.com" and got["protocol"] == "SMTP" == smtp["protocol"]
    assert not {"name", "provider", "authentication", "requests"} & set(got)
    api.smtp("PUT", env_id, json=CUSTOM_PROVIDER)
    assert api.smtp("DELETE", env_id).status_code == 204
    assert set(api.smtp("GET", env_id).json()) == {"_links"}


def test_admin_stores_a_custom_provider(api, env_id):
    view = api.admin("PUT", f"settings/{env_id}", json=CUSTOM_PROVIDER)
    assert view["name"] == "Acme Mail API" and "authToken" not in view["authentication"]
    got = api.smtp("GET", env_id).json()
    assert got["protocol"] == "HTTP" and got["requests"] == CUSTOM_PROVIDER["requests"]
    assert api.admin("GET", "state")["settings"][env_id]["provider"] == "CUSTOM_PROVIDER"


# --- role propagation (pingone-api.md sections 0 and 4) -------------------------------------------------

def test_role_granted_after_answers_403_until_then(api, env_id):
    other_id = api.info["environments"][2]["id"]
    api.admin("POST", "config", json={"role_granted_after": {env_id: 1}})
    assert_p1_error(api.smtp("GET", env_id), 403, "ACCESS_FAILED", "INSUFFICIENT_PERMISSIONS")
    assert api.call("GET", f"/v1/environments/{env_id}").status_code == 200  # the environment itself is there
    assert api.smtp("GET", other_id).status_code == 200
    time.sleep(1.1)
    assert api.smtp("GET", env_id).status_code == 200


def test_role_granted_after_counts_from_the_config_change(api, env_id):
    api.admin("POST", "config", json={"role_granted_after": {env_id: 0}})
    assert api.smtp("GET", env_id).status_code == 200
    api.admin("POST", "config", json={"role_granted_after": {env_id: 30}})
    assert api.smtp("GET", env_id).status_code == 403
    api.admin("POST", "reset", json={})
    assert api.smtp("GET", env_id).status_code == 200


def test_unknown_environment_is_403_on_settings_and_404_itself(api):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_p1_error(api.smtp("GET", unknown), 403, "ACCESS_FAILED")
    assert_p1_error(api.call("GET", f"/v1/environments/{unknown}"), 404, "NOT_FOUND")


# --- script mode -------------------------------------------------------------------------------------------

def test_script_writes_info_and_cleans_up_on_sigterm(tmp_path):
    info_path = tmp_path / "emulator.json"
    command = [sys.executable, EMULATOR_SCRIPT, "--state-dir", str(tmp_path), "--seed", "1", "--quiet"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        try:
            deadline = time.monotonic() + 10
            while not info_path.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            info = json.loads(info_path.read_text(encoding="utf-8"))
            assert info["pid"] == process.pid and len(info["environments"]) == 2
            response = requests.post(f"{info['url']}/{info['auth_environment_id']}/as/token", data={"grant_type": "client_credentials"},
                                     auth=(info["client_id"], info["client_secret"]), verify=info["ca_path"], timeout=10)
            assert response.status_code == 200
        finally:
            process.send_signal(signal.SIGTERM)
            stderr = process.communicate(timeout=10)[1]
    assert process.returncode == 0 and not info_path.exists()
    assert info["client_secret"] not in stderr


# --- faults of issue 20: connection resets, malformed Retry-After, faults that wait for a write --------------------

def test_reset_fault_resets_the_connection_without_an_answer(api, env_id):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "GET", "path_contains": env_id, "kind": "reset", "times": 2}]})
    for dummy in range(2):
        with pytest.raises(requests.exceptions.ConnectionError) as caught:
            requests.get(api.server.url + SMTP_PATH.format(env_id), headers={"Authorization": f"Bearer {api.token()}"},
                         verify=api.server.ca_path, timeout=5)
        assert "reset" in str(caught.value).lower() or "aborted" in str(caught.value).lower()
    assert api.smtp("GET", env_id).status_code == 200  # the fault was used up
    assert [(entry["method"], entry["status"]) for entry in api.log()[-3:]] == [("GET", None), ("GET", None), ("GET", 200)]


@pytest.mark.parametrize("retry_after", ["soon", "-5", ""])
def test_a_status_fault_can_send_a_malformed_retry_after_as_is(api, env_id, retry_after):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "GET", "path_contains": env_id, "status": 429, "retry_after": retry_after}]})
    response = api.smtp("GET", env_id)
    assert response.status_code == 429 and response.headers["Retry-After"] == retry_after


def test_a_malformed_retry_after_must_be_a_string_or_a_non_negative_number(api):
    api.admin("POST", "config", json={"faults": [{"status": 429, "retry_after": -5}]}, expect=400)
    api.admin("POST", "config", json={"faults": [{"status": 429, "retry_after": [1]}]}, expect=400)


def test_an_after_write_fault_waits_for_a_write_on_its_path(api, env_id):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "GET", "path_contains": env_id, "kind": "html", "after_write": True, "times": 2}]})
    assert api.smtp("GET", env_id).status_code == 200 and api.smtp("GET", env_id).headers["Content-Type"] == "application/json"
    assert api.smtp("PUT", env_id, json=VALID_SETTINGS).status_code == 200
    for dummy in range(2):
        garbled = api.smtp("GET", env_id)
        assert garbled.status_code == 200 and garbled.text.startswith("<html>")
    assert api.smtp("GET", env_id).json()["host"] == VALID_SETTINGS["host"]


def test_a_404_fault_answers_one_chosen_request_with_not_found(api, env_id):
    api.token()
    api.admin("POST", "config", json={"faults": [{"method": "GET", "path_contains": env_id + "/notificationsSettings", "status": 404}]})
    assert_p1_error(api.smtp("GET", env_id), 404, "NOT_FOUND")
    assert api.smtp("GET", env_id).status_code == 200


# --- the per-minute rate limit ---------------------------------------------------------------------------

def test_rate_limit_counts_arrivals_over_a_rolling_minute():
    from pingone_emulator import rate_limited
    assert rate_limited([], 100.0, 2) == ([], None)
    assert rate_limited([50.0], 100.0, 2) == ([50.0], None)
    assert rate_limited([50.0, 70.0], 100.0, 2) == ([50.0, 70.0], 10)  # the oldest leaves the minute at 110
    assert rate_limited([40.0, 70.0], 100.0, 2) == ([70.0], None)      # 40 left at 100: the window is (now - 60, now]
    assert rate_limited([99.5, 99.9], 100.0, 2) == ([99.5, 99.9], 60)
    assert rate_limited([10.0, 20.0, 30.0], 31.0, 0) == ([10.0, 20.0, 30.0], None)  # 0: no limit


def test_rate_limit_answers_429_with_retry_after_and_leaves_tokens_alone(api, env_id):
    api.admin("POST", "config", json={"rate_limit_per_minute": 3})
    api.token()
    for request_number in range(3):
        assert api.smtp("GET", env_id).status_code == 200
    limited = api.smtp("GET", env_id)
    assert_p1_error(limited, 429, "REQUEST_LIMITED", "LIMIT_EXCEEDED")
    assert 58 <= int(limited.headers["Retry-After"]) <= 60
    assert api.request_token().status_code == 200  # the token endpoint is not counted
    assert [entry["status"] for entry in api.log() if entry["path"].startswith("/v1/")] == [200, 200, 200, 429]
    assert api.admin("GET", "state")["config"]["rate_limit_per_minute"] == 3


def test_rate_limit_is_off_by_default_and_a_reset_forgets_the_minute(api, env_id):
    for request_number in range(20):
        assert api.smtp("GET", env_id).status_code == 200
    api.admin("POST", "config", json={"rate_limit_per_minute": 2})
    assert api.smtp("GET", env_id).status_code == 200  # requests before the limit was set are not counted
    assert api.smtp("GET", env_id).status_code == 200
    assert api.smtp("GET", env_id).status_code == 429
    api.admin("POST", "reset", json={"config": {"rate_limit_per_minute": 2}})
    assert api.smtp("GET", env_id).status_code == 200


def test_rate_limit_must_be_a_count(api):
    api.admin("POST", "config", expect=400, json={"rate_limit_per_minute": -1})
