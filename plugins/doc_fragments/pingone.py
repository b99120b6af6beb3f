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
      - PingOne region of the organization; selects C(auth.pingone.<tld>) and C(api.pingone.<tld>).
      - Required unless O(api_hostname) is given, and with client credentials O(auth_hostname) too.
        There is no default region; a task without one fails before any request.
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
        kept in C(~/.ansible/pingone_tokens/) in a file only its owner can read, named by a hash of the client ID
        and token URL. A keyed hash of the secret inside it tells a changed secret apart; files of other
        credentials whose token has expired are removed.
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
      - Seconds to wait for each attempt of an HTTP request to connect, and then for its answer.
      - A server that accepts a request and never answers is tried at most twice, whatever O(retries) says.
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
  retries:
    description:
      - How many times a request is retried when PingOne answers 408, 429, 500, 501, 502, 503 or 504,
        or the connection fails (refused, reset, a connect timeout), as PingOne's own SDK does; V(0) disables retries.
        A read that timed out is retried once only. The read of the SMTP settings also retries a 404 and a body
        that is not a JSON object.
      - The waits between attempts double from 1 second (plus up to 1 second of jitter), each at most
        30 seconds; a C(Retry-After) (seconds or an HTTP date) is honoured, capped at 30 seconds; a malformed
        C(Retry-After) is ignored.
      - A certificate or hostname verification failure is never retried.
      - "Worst case of one HTTP request: (O(retries) + 1) x O(timeout) + O(retries) x 30 seconds, 570 seconds
        (9.5 minutes) with the defaults. A task takes at most that times its number of requests:
        M(pingone.platform.pingone_smtp) makes up to six (a token, a read, a write, up to three read-backs),
        the info modules one per environment or page. Lower O(retries) or O(timeout) to fail sooner."
    type: int
    default: 9
  token_auth_method:
    description:
      - How the worker application authenticates at the token endpoint; it must match the application's
        C(Token Endpoint Authentication Method) in PingOne, which answers any other method with
        C(401 invalid_client) "Unsupported authentication method".
      - V(client_secret_basic) sends the client ID and secret in an HTTP Basic C(Authorization) header
        (the default of worker applications made in the PingOne console).
      - V(client_secret_post) sends them as form fields of the request body.
      - V(auto) tries V(client_secret_basic), then V(client_secret_post) when PingOne answers "Unsupported
        authentication method", as PingOne's Go SDK does. The method that worked is kept with the cached token
        (O(token_cache)), so later tasks go straight to it.
    type: str
    choices: [auto, client_secret_basic, client_secret_post]
    default: auto
  requests_per_minute:
    description:
      - At most this many API requests in any rolling minute, shared by every task, fork and run on this
        controller that calls the same PingOne API host, so that a fleet stays under PingOne's rate limit
        instead of drawing C(429) answers. V(0) sends without pacing.
      - A request counts from before it is sent until a minute after its answer, retries included; token
        requests are not counted. A C(429) with C(Retry-After) holds back every process, not only the one that got it.
      - The default is under the share of one client IP (35 %) of the 600 configuration requests a minute of a
        PingOne licence. Lower it when other automation uses the same licence; divide it by the slice count of
        an AWX job with slices (slices on different nodes do not share it).
      - The state is a small file in C(~/.ansible/pingone_tokens/). The time a task waited is its
        C(rate_wait_seconds) (shown with C(-v)).
      - If not set, the value of the E(PINGONE_REQUESTS_PER_MINUTE) environment variable is used.
    type: int
    default: 180
requirements:
  - requests (Python library on the Ansible controller)
notes:
  - Authenticates with the OAuth 2.0 client credentials grant of a PingOne worker application, or with a given access token.
  - Set the connection once for every module of the collection with C(module_defaults) and the action group
    C(group/pingone.platform.pingone).
'''

    # The action group of the API modules: module_defaults for group/pingone.platform.pingone sets the connection once.
    ACTION_GROUP = r'''
attributes:
  action_group:
    description: Use C(group/pingone.platform.pingone) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - pingone.platform.pingone
'''
