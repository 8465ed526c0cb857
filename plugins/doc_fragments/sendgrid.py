# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every module and the lookup share.
    DOCUMENTATION = r"""
options:
  api_version:
    description:
      - The SendGrid Web API to speak. V(v3) is what every live SendGrid account serves; V(v2), retired by SendGrid
        in February 2025, is what the collection's emulator and v2-compatible servers serve.
      - A playbook written for V(v2) runs unchanged on V(v3) with this one option changed; on V(v3), O(api_key) must
        be an API key, sent as a Bearer token in the C(Authorization) header, and a C(user) is sent as the C(on-behalf-of) header.
      - If not set, the environment variable E(SENDGRID_API_VERSION) is used, then V(v3).
    type: str
    choices: [v3, v2]
    version_added: 1.0.0
  region:
    description:
      - The SendGrid region of the account or subuser, V(global) or V(eu). It picks the API URL when O(api_url) is not
        set, V(https://api.sendgrid.com) or V(https://api.eu.sendgrid.com); EU subusers are managed through the EU one.
      - If not set, the environment variable E(SENDGRID_REGION) is used, then V(global).
    type: str
    choices: [global, eu]
    version_added: 1.0.0
  api_user:
    description:
      - The SendGrid username to authenticate with, sent as the C(api_user) form field (O(api_version=v2)).
      - Omit it, or set it to V(apikey), to authenticate with an API key in O(api_key); O(api_version=v3) accepts
        nothing else.
      - If not set, the environment variable E(SENDGRID_API_USER) is used.
    type: str
  api_key:
    description:
      - The password of O(api_user), or an API key when O(api_user) is omitted or V(apikey). Must not be empty.
      - Sent only as a POST form field (v2) or in the C(Authorization) header (v3), never in a URL, and never shown
        in output or errors, in any form a server may echo it (URL-encoded, JSON-escaped, or cut short).
      - Required. If not set, the environment variable E(SENDGRID_API_KEY) is used; a lookup also reads the play
        variable C(sendgrid_api_key), and a module the C(api_key) of C(module_defaults) for the action group
        C(group/mailops.sendgrid.sendgrid). Without any of them the task fails, naming these.
    type: str
  api_url:
    description:
      - The base URL of the SendGrid Web API, without C(/v3) (V(https://api.eu.sendgrid.com) for EU accounts).
      - Point it at the emulator (C(tests/emulator/serve.py)) for tests and demos.
      - If not set, the environment variable E(SENDGRID_API_URL) is used, then the URL of O(region)
        (V(https://api.sendgrid.com) by default). An empty or blank value is an error, never a fallback.
      - Must not carry credentials (V(https://user:pass@host)); such a URL is refused before any request.
      - A redirect from this URL is never followed, since it would carry the credentials elsewhere; it fails, naming
        where it points.
    type: str
  timeout:
    description:
      - Seconds to wait for the connection and for each answer, headers and body together. A server that stays
        silent this long, or has not finished its answer by then, fails the request; it is not retried.
      - Greater than 0 and at most 3600 (not V(nan)).
    type: float
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url).
      - Set to V(false) only for a test server with a self-signed certificate; prefer O(ca_path).
    type: bool
    default: true
  ca_path:
    description:
      - A file of PEM certificate authorities to verify the certificate of O(api_url) with. It must exist.
    type: path
  max_retries:
    description:
      - How often to retry a request that got HTTP 429, 500, 502, 503 or 504, or a dropped connection, with
        exponential back-off and jitter, honouring C(Retry-After) (at most 60 seconds).
      - Client errors (4xx other than 429) are never retried. A C(Retry-After) that is no number of seconds or date is
        ignored for the normal back-off.
      - From 0 to 20.
    type: int
    default: 5
notes:
  - SendGrid retired Web API v2 in February 2025; V(v3) is the default. The collection's emulator serves both.
  - Email addresses are compared as SendGrid compares them, ignoring the case of ASCII letters only (so a look-alike
    Unicode letter never matches), and are never syntax-checked, since the lists hold addresses such as C(brandon)
    and C(isaac@hotmail).
  - An answer of the wrong shape (a delete not answered with success, a listing that is not a list of records, a
    count that is no count) is an error naming the endpoint. An answer larger than 64 MiB is refused, and paging
    that does not advance, or goes past 10 million records, is an error. The unpaged lists (a group's addresses,
    the account's group suppressions) are read as they arrive with ijson, whatever their size; without ijson they
    are parsed whole, within the 64 MiB.
requirements:
  - requests >= 2.25
  - urllib3 >= 2.0
  - ijson >= 3.2 (optional, for unpaged group lists in flat memory)
"""

    # Where requests run side by side (pages read ahead, addresses asked or deleted in parallel): every plugin but
    # the inventory, which reads its pages one after the other.
    CONCURRENCY = r"""
options:
  concurrency:
    description:
      - How many requests may run at once (the pages of a long list read ahead, addresses asked or deleted side by
        side). From 1 to 64.
    type: int
    default: 8
"""

    # Where addresses are deleted (or added) in bulk: the list modules and the cleanup.
    BATCH_SIZE = r"""
notes:
  - When three deletes in a row still fail after their retries, a bulk run stops and reports the addresses not yet
    deleted as not attempted; a re-run finishes the job.
options:
  batch_size:
    description:
      - On O(api_version=v3), how many addresses one bulk delete request carries; batches run up to O(concurrency)
        at a time. From 1 to 1000. V(v2) deletes one address a request.
    type: int
    default: 500
    version_added: 1.0.0
"""

    # The opt-out rule (module_utils/consent.py) of the modules and the cleanup that can remove opt-outs by rule.
    OPT_OUTS = r"""
options:
  remove_opt_outs:
    description:
      - Spam reports, global unsubscribes and group unsubscribes are people who asked not to be mailed, not
        delivery failures. A run that would remove them by rule (not one named address at a time) is refused before
        any request that writes, naming the lists and counts, unless this is V(true). A rule that selects none of
        them is no refusal.
      - Remove opt-outs only when the people asked to hear from you again. To reach them with mail they must get
        (password resets, receipts), send with the mail send's bypass filters (C(bypass_list_management),
        C(bypass_unsubscribe_management), C(bypass_spam_management)) instead. Unsubscribes removed can be added back
        (see the bulk-cleanup guide's undo); spam reports cannot be added back through the API.
    type: bool
    default: false
    version_added: 2.0.0
"""

    # email/emails/state and the check and diff mode of every suppression-list module.
    SUPPRESSION = r"""
options:
  email:
    description:
      - One address. Compared case-insensitively with the list and never syntax-checked.
      - Mutually exclusive with O(emails) and O(delete_all).
    type: str
  emails:
    description:
      - Several addresses; duplicates that differ only in case count once.
      - An empty list is a run with nothing to do (no request, not changed), so the addresses a lookup matched can be
        passed as they are; only O(delete_all) selects a whole list. A blank item is an error.
      - Mutually exclusive with O(email) and O(delete_all).
    type: list
    elements: str
  state:
    description:
      - V(absent) removes the addresses from the list; V(present) asserts that they are listed.
    type: str
    choices: [absent, present]
    default: absent
attributes:
  check_mode:
    support: full
    details: No write request is made; the result reports exactly what a real run would remove.
  diff_mode:
    support: full
    details: The listed addresses the task concerns, before and after.
"""

    # The attributes every module has beyond check and diff mode. Listed before ansible.builtin's
    # action_common_attributes fragments: the first fragment to name a field wins, and theirs say N/A.
    ATTRIBUTES = r"""
attributes:
  platform:
    platforms: all
  action:
    support: none
  async:
    support: none
  bypass_host_loop:
    support: none
  action_group:
    support: full
    membership:
      - mailops.sendgrid.sendgrid
"""

    # Where a lookup also reads the connection options (modules get these through argument_spec fallbacks).
    # The user option of the lists only Web API v3 has.
    V3_USER = r"""
options:
  user:
    description:
      - A subuser (its username) or a reseller's customer (V(account-id <id>)) under the account of O(api_key), sent
        as the C(on-behalf-of) header. Without it, the account's own list is managed.
    type: str
"""

    # The subuser selection of the modules that manage a setting of many subusers in one task.
    SUBUSERS = r"""
options:
  subusers:
    description:
      - Every subuser whose username starts with C(username) (all of them when it is unset), read from
        C(GET /v3/subusers), with C(include_disabled) the disabled ones too; the same selection as the cleanup
        entries' C(subusers). Each is managed through its region, up to O(concurrency) at once, and has its own
        entry in the result. Mutually exclusive with O(user).
    type: dict
    suboptions:
      username:
        description: The username prefix (compared on the server, ignoring case).
        type: str
      include_disabled:
        description: Include disabled subusers.
        type: bool
        default: false
"""

    PLUGINS = r"""
options:
  api_user:
    env:
      - name: SENDGRID_API_USER
  api_key:
    env:
      - name: SENDGRID_API_KEY
  api_url:
    env:
      - name: SENDGRID_API_URL
  api_version:
    env:
      - name: SENDGRID_API_VERSION
  region:
    env:
      - name: SENDGRID_REGION
"""

    # The play variables a lookup also reads its connection from (a module takes them from module_defaults).
    VARS = r"""
options:
  api_user:
    vars:
      - name: sendgrid_api_user
  api_key:
    vars:
      - name: sendgrid_api_key
  api_url:
    vars:
      - name: sendgrid_api_url
  api_version:
    vars:
      - name: sendgrid_api_version
  region:
    vars:
      - name: sendgrid_region
  timeout:
    vars:
      - name: sendgrid_timeout
  validate_certs:
    vars:
      - name: sendgrid_validate_certs
  ca_path:
    vars:
      - name: sendgrid_ca_path
  max_retries:
    vars:
      - name: sendgrid_max_retries
  concurrency:
    vars:
      - name: sendgrid_concurrency
notes:
  - The connection options are read, from highest precedence to lowest, from the lookup's keyword arguments, then
    from the play variables named C(sendgrid_*) (for example C(sendgrid_api_key) in inventory or play vars), then
    from the environment variables C(SENDGRID_*), then the defaults. Modules take theirs from their arguments, the
    C(mailops.sendgrid.sendgrid) action group of C(module_defaults), and the same environment variables.
"""
