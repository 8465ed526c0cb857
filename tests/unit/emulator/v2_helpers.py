"""Requests to the emulator exactly as the seed documents write them, and readers for their answers."""

import xml.etree.ElementTree as ET

import requests


def call(emu, path, params, method='POST'):
    """Send `params` as the documents do: a form body for POST, a query string for GET."""
    url = '%s/%s' % (emu.url, path)
    if method == 'POST':
        return requests.post(url, data=params, timeout=30)
    return requests.get(url, params=params, timeout=30)


def json_pairs(resp):
    """The JSON body with the key order kept, so field order is checked too."""
    return resp.json(object_pairs_hook=list)


def xml_tree(resp):
    """(tag, text or [children]) for the whole document; parsing proves it is well-formed."""
    def walk(elem):
        children = list(elem)
        if children:
            return (elem.tag, [walk(c) for c in children])
        return (elem.tag, (elem.text or '').strip())
    return walk(ET.fromstring(resp.content))


def as_xml_records(root, item, records):
    """What xml_tree gives for a listing of `records` (lists of (field, value) pairs)."""
    return (root, [(item, list(record)) for record in records])


def pairs(*records):
    return [list(r.items()) for r in records]
