"""Make the docsite that `antsibull-docs sphinx-init` set up in DEST build without the network: its intersphinx
mapping is replaced by one local inventory of the Ansible documentation's labels the collection's pages refer to
(antsibull-docs' templates link to them), which keeps those links pointing at docs.ansible.com.

    python tests/tools/docs_offline.py docs/site
"""

import os
import re
import sys
import zlib

ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
# label -> (page and anchor under ANSIBLE_DOCS, title): the labels of Ansible's documentation that the generated
# pages use. A new one shows as an "undefined label" warning, which fails `make docs`.
LABELS = {
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    'action_plugins': ('plugins/action.html#action-plugins', 'Action plugins'),
}
INVENTORY = 'ansible_devel.inv'


def inventory():
    """An intersphinx inventory (Sphinx's version 2 format) of LABELS."""
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    lines = ''.join('%s std:label -1 %s %s\n' % (label, uri, title) for label, (uri, title) in sorted(LABELS.items()))
    return header.encode('utf-8') + zlib.compress(lines.encode('utf-8'))


def main(dest):
    with open(os.path.join(dest, INVENTORY), 'wb') as handle:
        handle.write(inventory())
    conf = os.path.join(dest, 'conf.py')
    with open(conf, encoding='utf-8') as handle:
        text = handle.read()
    local = "intersphinx_mapping = {\n    'ansible_devel': (%r, '../%s'),\n}\n" % (ANSIBLE_DOCS, INVENTORY)
    text, count = re.subn(r'^intersphinx_mapping = \{\n(?:.*\n)*?\}\n', local, text, flags=re.M)
    if count != 1:
        raise SystemExit('%s: no intersphinx_mapping to replace; antsibull-docs changed its conf.py' % conf)
    with open(conf, 'w', encoding='utf-8') as handle:
        handle.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
