"""The emulator's notificationsSettings (who sends) and its SMTP host resolution switch, over real HTTPS."""

import pytest

# The shared emulator and its client (pytest finds fixtures by the names imported here).
from test_pingone_emulator import VALID_SETTINGS, api, assert_p1_error, env_id, server  # noqa: F401 pylint: disable=unused-import

NOTIFICATIONS_PATH = "/v1/environments/{}/notificationsSettings"
ADMIN_SET = {"from": {"name": "Example Identity", "address": "identity@example.com"},
             "replyTo": {"name": "Help", "address": "help@example.com"},
             "whitelist": [{"user": {"id": "5d8b0b2e-0000-4000-8000-000000000001"}}],
             "smsProvidersFallbackChain": ["9f1e0b2e-0000-4000-8000-000000000002", "PINGONE_TWILIO"],
             "restrictions": {"smsVoiceQuota": {"daily": 200}}}


def notifications(api, method, env_id, **kwargs):
    return api.call(method, NOTIFICATIONS_PATH.format(env_id), **kwargs)


def writable(view):
    return {key: value for key, value in view.items() if key not in ("environment", "createdAt", "updatedAt", "_links")}


def test_default_get_lets_the_configured_provider_send(api, env_id):
    view = notifications(api, "GET", env_id).json()
    assert view["emailProviderFallbackChain"] == [] and view["deliveryMode"] == "ALL"
    assert view["environment"] == {"id": env_id} and view["_links"]["self"]["href"].endswith("/notificationsSettings")


def test_switch_starts_environments_on_pingone_email(api, env_id):
    api.admin("POST", "reset", json={"config": {"start_on_pingone_email": True}})
    assert notifications(api, "GET", env_id).json()["emailProviderFallbackChain"] == ["PINGONE_EMAIL"]


def test_put_is_a_full_replace(api, env_id):
    api.admin("PUT", f"notifications/{env_id}", json=ADMIN_SET)
    answer = notifications(api, "PUT", env_id, json={"deliveryMode": "ALL", "emailProviderFallbackChain": []})
    assert answer.status_code == 200, answer.text
    held = writable(notifications(api, "GET", env_id).json())
    assert held == {"deliveryMode": "ALL", "from": {"name": "PingOne", "address": "noreply@pingone.com"},
                    "smsProvidersFallbackChain": ["PINGONE_TWILIO"], "emailProviderFallbackChain": []}


def test_read_modify_write_keeps_every_field(api, env_id):
    api.admin("PUT", f"notifications/{env_id}", json=dict(ADMIN_SET, emailProviderFallbackChain=["PINGONE_EMAIL"]))
    before = writable(notifications(api, "GET", env_id).json())
    answer = notifications(api, "PUT", env_id, json=dict(before, emailProviderFallbackChain=[]))
    assert answer.status_code == 200, answer.text
    assert writable(answer.json()) == dict(before, emailProviderFallbackChain=[])
    assert writable(api.admin("GET", "state")["notifications"][env_id]) == dict(before, emailProviderFallbackChain=[])


@pytest.mark.parametrize("body, detail_code, target", [
    ({"emailProviderFallbackChain": []}, "REQUIRED_VALUE", "deliveryMode"),
    ({"deliveryMode": "SOME"}, "INVALID_VALUE", "deliveryMode"),
    ({"deliveryMode": "ALL", "emailProviderFallbackChain": "PINGONE_EMAIL"}, "INVALID_VALUE", "emailProviderFallbackChain"),
    ({"deliveryMode": "ALL", "emailProviderFallbackChain": ["SENDGRID"]}, "INVALID_VALUE", "emailProviderFallbackChain"),
    ({"deliveryMode": "ALL", "from": {"name": "x"}}, "REQUIRED_VALUE", "from.address"),
    ({"deliveryMode": "ALL", "whitelist": "all"}, "INVALID_VALUE", "whitelist"),
])
def test_put_validation(api, env_id, body, detail_code, target):
    assert_p1_error(notifications(api, "PUT", env_id, json=body), 400, "INVALID_DATA", detail_code, target)
    assert api.admin("GET", "state")["notifications"][env_id]["emailProviderFallbackChain"] == []


def test_whitelist_delivery_mode_is_for_sandboxes_only(api):
    sandbox, production = (next(env["id"] for env in api.info["environments"][1:] if env["type"] == kind)
                           for kind in ("SANDBOX", "PRODUCTION"))
    assert notifications(api, "PUT", sandbox, json={"deliveryMode": "WHITELIST"}).status_code == 200
    assert_p1_error(notifications(api, "PUT", production, json={"deliveryMode": "WHITELIST"}), 400, "INVALID_DATA",
                    "INVALID_VALUE", "deliveryMode")


def test_read_only_fields_are_ignored(api, env_id):
    view = notifications(api, "GET", env_id).json()
    answer = notifications(api, "PUT", env_id, json=dict(view, environment={"id": "other"}, updatedAt="1999-01-01T00:00:00.000Z"))
    assert answer.status_code == 200 and answer.json()["environment"] == {"id": env_id}
    assert answer.json()["updatedAt"] != "1999-01-01T00:00:00.000Z"


def test_delete_restores_the_defaults(api, env_id):
    api.admin("PUT", f"notifications/{env_id}", json=ADMIN_SET)
    answer = notifications(api, "DELETE", env_id)
    assert answer.status_code == 200 and answer.json()["from"]["address"] == "noreply@pingone.com"
    assert "replyTo" not in notifications(api, "GET", env_id).json()


def test_unknown_environment_and_no_role_answer_403(api, env_id):
    assert_p1_error(notifications(api, "GET", "00000000-0000-4000-8000-000000000000"), 403, "ACCESS_FAILED")
    api.admin("POST", "config", json={"no_role": [env_id]})
    assert_p1_error(notifications(api, "PUT", env_id, json={"deliveryMode": "ALL"}), 403, "ACCESS_FAILED")


def test_read_fault_switch(api, env_id):
    api.admin("POST", "config", json={"notifications_read": "404"})
    assert_p1_error(notifications(api, "GET", env_id), 404, "NOT_FOUND")
    api.admin("POST", "config", json={"notifications_read": "garbage"})
    assert not isinstance(notifications(api, "GET", env_id).json()["emailProviderFallbackChain"], list)
    assert api.call("GET", "/v1/environments/%s/notificationsSettings/emailDeliverySettings" % env_id).status_code == 200


def test_requests_are_logged_with_their_fields(api, env_id):
    notifications(api, "PUT", env_id, json={"deliveryMode": "ALL", "emailProviderFallbackChain": []})
    entry = api.log()[-1]
    assert entry["env"] == env_id and entry["body_fields"] == ["deliveryMode", "emailProviderFallbackChain"]


def test_resolve_hosts_switch_refuses_a_host_that_does_not_resolve(api, env_id):
    settings = dict(VALID_SETTINGS, host="smtp.nonexistent.invalid")
    assert api.smtp("PUT", env_id, json=settings).status_code == 200  # off by default
    api.admin("POST", "config", json={"resolve_hosts": True})
    assert_p1_error(api.smtp("PUT", env_id, json=settings), 400, "INVALID_DATA", "INVALID_VALUE", "host")
    assert api.smtp("PUT", env_id, json=dict(VALID_SETTINGS, host="127.0.0.1")).status_code == 200


def test_bad_notifications_config_is_rejected(api):
    for change in ({"start_on_pingone_email": "yes"}, {"notifications_read": "teapot"}, {"resolve_hosts": 1}):
        api.admin("POST", "config", json=change, expect=400)
