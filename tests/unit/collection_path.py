"""The collection made importable and loadable by Ansible from a plain clone, for the unit and contract tests."""

import os
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def put_collection_on_path():
    """Make `ansible_collections.mailops.sendgrid` importable and loadable by Ansible's plugin loader from a
    plain clone: a collections folder holding a link to this tree, registered with Ansible's collection finder
    (what ansible-test units does for its own runs). ANSIBLE_COLLECTIONS_PATH names it for the playbooks run."""
    if ROOT.replace(os.sep, '/').endswith('/ansible_collections/mailops/sendgrid'):
        base = os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))
    else:
        base = tempfile.mkdtemp(prefix='mailops-collections-')
        os.makedirs(os.path.join(base, 'ansible_collections', 'mailops'))
        os.symlink(ROOT, os.path.join(base, 'ansible_collections', 'mailops', 'sendgrid'))
    os.environ['ANSIBLE_COLLECTIONS_PATH'] = base
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    _AnsibleCollectionFinder(paths=[base], scan_sys_paths=False)._install()
    return base
