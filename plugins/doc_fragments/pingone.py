# -*- coding: utf-8 -*-
# Copyright: pingone.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment:
    # The connection options of every module and plugin. The env var names are those of the
    # PingOne Terraform provider, so one set of credentials serves both tools.
    DOCUMENTATION = r'''
options:
  client_id:
    description:
      - Client ID of the PingOne worker application used to authenticate.
      - The worker application needs the Environment Admin role on every environment it manages.
      - Mutually exclusive with O(access_token).
      - If not set, the value of the E(PINGONE_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Client secret of the worker application. Never shown in output.
      - If not set, the value of the E(PINGONE_CLIENT_SECRET) environment variable is used.
    type: str
  auth_environment_id:
    description:
      - ID of the environment that holds the worker application (not necessarily the environment managed).
      - If not set, the value of the E(PINGONE_ENVIRONMENT_ID) environment variable is used.
    type: str
  region_code:
    description:
      - PingOne region of the tenant; selects C(auth.pingone.<tld>) and C(api.pingone.<tld>).
      - Defaults to V(NA) when neither this nor O(api_hostname) and O(auth_hostname) are set.
      - If not set, the value of the E(PINGONE_REGION_CODE) environment variable is used.
    type: str
    choices: [AP, AU, CA, EU, NA, SG]
  access_token:
    description:
      - A PingOne access token to use instead of client credentials. Never shown in output.
      - Mutually exclusive with O(client_id) and O(client_secret).
      - If not set, the value of the E(PINGONE_API_ACCESS_TOKEN) environment variable is used.
    type: str
  api_hostname:
    description:
      - C(host[:port]) of the management API, overriding the region; the base URL is C(https://<api_hostname>/v1).
      - If not set, the value of the E(PINGONE_API_SERVICE_HOSTNAME) environment variable is used.
    type: str
  auth_hostname:
    description:
      - C(host[:port]) of the authentication service, overriding the region;
        the token URL is C(https://<auth_hostname>/<auth_environment_id>/as/token).
      - If not set, the value of the E(PINGONE_AUTH_SERVICE_HOSTNAME) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of PingOne. Only turn this off for a local test server.
      - V(false) warns on every task (and inventory run) that uses it, because the client secret and access tokens
        then go to whichever server answers. Prefer O(ca_path). Cannot be combined with O(ca_path).
    type: bool
    default: true
  token_cache:
    description:
      - Reuse one access token across the tasks of a run (and later runs) until shortly before it expires,
        kept in C(~/.ansible/pingone_tokens/) in a file only its owner can read, named by a hash of the credentials.
      - Without it, every task asks PingOne for a new token. Has no effect with O(access_token).
      - An expired or revoked token is replaced automatically.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authorities to trust instead of the system ones (for example a local emulator's CA).
      - Checked before any request; a missing, unreadable or non-PEM file is an error naming this option.
      - If not set, the value of the E(PINGONE_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request. Failed requests answered 408, 429 or 5xx are retried
        three times with exponential backoff, honouring C(Retry-After).
    type: int
    default: 30
  role_propagation_timeout:
    description:
      - Seconds to keep retrying a call that PingOne answers 403 on an environment that exists,
        as it does for a while after the Environment Admin role was granted. V(0) fails at once.
      - A 403 is told apart by reading the environment, as the PingOne Terraform provider does. An environment
        that is not there fails at once, naming it; after the wait the task fails naming the Environment Admin role,
        the environment and the worker application's client ID.
    type: int
    default: 30
requirements:
  - requests (Python library on the Ansible controller)
notes:
  - Authenticates with the OAuth 2.0 client credentials grant of a PingOne worker application, or with a given access token.
  - Set the connection once for every module of the collection with C(module_defaults) and the action group
    C(group/pingone.platform.pingone).
'''
