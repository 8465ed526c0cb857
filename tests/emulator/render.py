"""The v2 response bodies in JSON and XML, with the field order of the documents."""

import json
from xml.sax.saxutils import escape

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def records(fmt, root, item, fields, rows):
    """A listing: a JSON array of objects, or <root><item><field>..</field></item></root>."""
    if fmt == 'json':
        return json.dumps([{f: row[f] for f in fields} for row in rows], indent=1)
    parts = [XML_DECLARATION, '<%s>\n' % root]
    for row in rows:
        parts.append('<%s>\n' % item)
        parts.extend('<%s>%s</%s>\n' % (f, escape(str(row[f])), f) for f in fields)
        parts.append('</%s>\n' % item)
    parts.append('</%s>\n' % root)
    return ''.join(parts)


def message(fmt, text):
    """{"message": text}: "success", or the bounce endpoints' "Email does not exist"."""
    if fmt == 'json':
        return json.dumps({'message': text})
    return '%s<result>\n<message>%s</message>\n</result>\n' % (XML_DECLARATION, escape(text))


def errors(fmt, errs):
    if fmt == 'json':
        return json.dumps({'message': 'error', 'errors': list(errs)})
    items = ''.join('<error>%s</error>\n' % escape(e) for e in errs)
    return '%s<result>\n<message>error</message>\n<errors>\n%s</errors>\n</result>\n' % (XML_DECLARATION, items)


def auth_error(fmt, code, text):
    if fmt == 'json':
        return json.dumps({'error': {'code': code, 'message': text}})
    return ('%s<result>\n<error>\n<code>%d</code>\n<message>%s</message>\n</error>\n</result>\n'
            % (XML_DECLARATION, code, escape(text)))


def count(fmt, number):
    if fmt == 'json':
        return json.dumps({'count': number})
    return '%s<result>\n<count>%d</count>\n</result>\n' % (XML_DECLARATION, number)


def content_type(fmt):
    return 'application/json' if fmt == 'json' else 'text/xml; charset=utf-8'
