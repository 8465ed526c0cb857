# Copyright (c) mailops.sendgrid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: subusers
short_description: SendGrid subusers as hosts, to clean each one's suppression lists in parallel
version_added: 1.0.0
author:
  - mailops.sendgrid developers (@mailops)
description:
  - Reads the subusers (and reseller customers) under a SendGrid account through Web API v3 (C(GET /v3/subusers),
    page by page) and makes each one a host named by its username, run on the controller.
  - Every host has C(sendgrid_user), the value the collection's modules, lookup and role take as C(user) (sent as
    C(on-behalf-of)), C(sendgrid_subuser), the subuser as the API describes it (C(id), C(username), C(email),
    C(disabled), C(region)), C(sendgrid_region) and C(sendgrid_api_url) (see O(region)), and runs on the
    controller (C(ansible_connection=local)) with the Python that runs Ansible
    (C(ansible_python_interpreter)). Hosts are in the group C(sendgrid_subusers) and in C(sendgrid_subusers_enabled) or
    C(sendgrid_subusers_disabled).
  - With O(filters), O(compose), O(groups) and O(keyed_groups) hosts are selected, given variables and grouped from
    those fields; with O(cache) the answer is kept and a later run reads no subuser from the API. The cache is kept
    per source file and per value of the options that decide which subusers are read (O(api_url), O(api_user),
    O(username), O(region)), so an edited prefix reads anew; O(filters), O(compose) and the groups apply to the
    cached answer.
  - The inventory source file must end in C(sendgrid.yml), C(sendgrid.yaml), C(sendgrid_subusers.yml) or
    C(sendgrid_subusers.yaml).
options:
  plugin:
    description: The name of this plugin.
    type: str
    required: true
    choices: [mailops.sendgrid.subusers]
  username:
    description:
      - Only subusers whose username starts with this, as the API filters (sent as C(username)).
    type: str
  region:
    description:
      - Only subusers of this region, V(global) or V(eu), as the API filters (sent as C(region)); V(all), the
        default, reads every region.
      - Each host has its region in C(sendgrid_region), and in C(sendgrid_api_url) the API URL to manage it
        through, V(https://api.eu.sendgrid.com) for an EU subuser when O(api_url) is SendGrid's own (an emulator
        or a proxy given in O(api_url) serves every region, so it is every host's).
      - The inventory itself reads the subusers through O(api_url), the parent account's.
    type: str
    choices: [all, global, eu]
    default: all
    version_added: 1.0.0
  page_size:
    description:
      - Subusers read per request, from 1 to 500.
    type: int
    default: 500
  filters:
    description:
      - Include or exclude subusers. Each item has one key, C(include) or C(exclude), whose value is a Jinja2
        conditional over the host's variables (C(sendgrid_subuser.disabled), C(sendgrid_user), composed variables).
        The first item whose condition is true decides; a subuser no item decides on is included.
    type: list
    elements: dict
    default: []
  api_version:
    description:
      - Only V(v3); Web API v2 cannot list subusers.
    choices: [v3]
extends_documentation_fragment:
  - mailops.sendgrid.sendgrid
  - mailops.sendgrid.sendgrid.plugins
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
notes:
  - Give the key through the environment (C(SENDGRID_API_KEY)) or a vaulted value in the source file; it never
    appears in the inventory, its cache or its errors.
"""

EXAMPLES = r"""
# fleet.sendgrid.yml: every enabled tenant subuser, grouped by its email domain
plugin: mailops.sendgrid.subusers
username: tenant-
filters:
  - exclude: sendgrid_subuser.disabled
keyed_groups:
  - key: sendgrid_subuser.email.split('@')[-1]
    prefix: domain
compose:
  tenant_id: sendgrid_user.removeprefix('tenant-')
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/mailops-sendgrid
cache_timeout: 3600
"""

import hashlib
import json
import sys

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.mailops.sendgrid.plugins.module_utils.backends import open_client
from ansible_collections.mailops.sendgrid.plugins.module_utils.errors import SendGridError
from ansible_collections.mailops.sendgrid.plugins.module_utils.constants import DEFAULT_API_URL
from ansible_collections.mailops.sendgrid.plugins.module_utils.options import (
    OptionError, Options, check_api_url, check_known, region_url)
from ansible_collections.mailops.sendgrid.plugins.module_utils.subusers import MAX_PAGE_SIZE, Subusers

GROUP = 'sendgrid_subusers'
SOURCE_ENDINGS = ('sendgrid.yml', 'sendgrid.yaml', 'sendgrid_subusers.yml', 'sendgrid_subusers.yaml')


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'mailops.sendgrid.subusers'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(SOURCE_ENDINGS)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        try:
            # Ansible ignores a key no option has: a misspelled filter option would widen the hosts cleaned.
            check_known(config, self._options, 'option')
        except OptionError as exc:
            raise AnsibleParserError('%s: %s' % (path, exc)) from None
        cache_key = self._cache_key(path)
        use_cache = self.get_option('cache') and cache
        subusers = None
        if use_cache:
            try:
                subusers = self._cache[cache_key]
            except KeyError:
                subusers = None
        if subusers is None:
            subusers = self._read_subusers()
            if self.get_option('cache'):
                self._cache[cache_key] = subusers
        self._populate(subusers)

    def _cache_key(self, path):
        """The source file's key, and a digest of the options that decide which subusers are read (never the API
        key): an edited prefix, region or account reads anew instead of serving the old hosts."""
        deciding = {name: self.get_option(name) for name in ('api_url', 'api_user', 'username', 'region')}
        digest = hashlib.sha256(json.dumps(deciding, sort_keys=True, default=str).encode('utf-8')).hexdigest()
        return '%s_%s' % (self.get_cache_key(path), digest[:16])

    # ---- reading -----------------------------------------------------------------------------------------
    def _read_subusers(self):
        page_size = self.get_option('page_size')
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise AnsibleParserError('%s: page_size must be an integer from 1 to %d, got %r' % (
                self.NAME, MAX_PAGE_SIZE, page_size))
        username = self.get_option('username')
        if username is not None and (not isinstance(username, str) or not username.strip()):
            raise AnsibleParserError('%s: username must not be empty or blank: omit it to read every subuser'
                                     % self.NAME)
        try:
            region = self.get_option('region')
            return list(Subusers(open_client(self._options_read(), read_only=True)).read(
                username, page_size, region=None if region == 'all' else region))
        except SendGridError as exc:
            raise AnsibleParserError('%s: %s' % (self.NAME, to_native(exc))) from None

    def _options_read(self):
        """The connection options; `region` here selects hosts, so it never picks this plugin's URL; the pages are
        read one after the other (no `concurrency`) and nothing is deleted (no `batch_size`)."""
        return Options.read(self.get_option, absent=('region', 'concurrency', 'batch_size'))

    # ---- populating --------------------------------------------------------------------------------------
    def _populate(self, subusers):
        strict = self.get_option('strict')
        filters = self._checked_filters()
        try:
            # Without the key: a cached answer is used with no key at hand.
            api_url = check_api_url(self.get_option('api_url') or DEFAULT_API_URL)
        except SendGridError as exc:
            raise AnsibleParserError('%s: %s' % (self.NAME, to_native(exc))) from None
        self.inventory.add_group(GROUP)
        for state in ('enabled', 'disabled'):
            self.inventory.add_group('%s_%s' % (GROUP, state))
            self.inventory.add_child(GROUP, '%s_%s' % (GROUP, state))
        for subuser in subusers:
            # Run on the controller with the Python running Ansible, as the implicit localhost does: it has the
            # collection's requirements. Set here, never cached, so a cache made elsewhere cannot point at a Python
            # this machine does not have.
            region = subuser.get('region') or 'global'
            host_vars = {'sendgrid_user': subuser['username'], 'sendgrid_subuser': dict(subuser),
                         'sendgrid_region': region, 'sendgrid_api_url': region_url(region, api_url),
                         'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
            if not self._selected(filters, host_vars, strict):
                continue
            host = self.inventory.add_host(subuser['username'],
                                           group='%s_%s' % (GROUP, 'disabled' if subuser['disabled'] else 'enabled'))
            for name, value in host_vars.items():
                self.inventory.set_variable(host, name, value)
            self._set_composite_vars(self.get_option('compose'), host_vars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), host_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, host, strict=strict)

    def _checked_filters(self):
        filters = self.get_option('filters') or []
        for index, item in enumerate(filters):
            if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in ('include', 'exclude') \
                    or not isinstance(next(iter(item.values())), str) or not next(iter(item.values())).strip():
                raise AnsibleParserError('%s: filters[%d] must have one key, include or exclude, whose value is a '
                                         'Jinja2 condition, got %r' % (self.NAME, index, item))
        return filters

    def _selected(self, filters, host_vars, strict):
        for index, item in enumerate(filters):
            (kind, condition), = item.items()
            try:
                decided = self._compose(condition, host_vars)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                if strict:
                    raise AnsibleParserError('%s: filters[%d] (%s) failed for %s: %s' % (
                        self.NAME, index, condition, host_vars['sendgrid_user'], to_native(exc))) from None
                continue
            if decided:
                return kind == 'include'
        return True
