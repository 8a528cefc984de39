"""Shared XML serialisation for the XML formats (hOCR, ALTO, PAGE): always well-formed, whatever the text."""
import re
import xml.etree.ElementTree as ET

from .. import __version__

SOFTWARE = "handocr"
VERSION = __version__
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, escaped or not: C0 controls but tab and newlines, surrogates, U+FFFE/FFFF."""


def xml_safe(text):
    """``text`` with every character XML cannot hold written as a visible escape.

    A control character U+0001 becomes ``\\x01``; a byte of a file name that was
    not UTF-8 (decoded by Python as a lone surrogate, ``os.fsdecode``) becomes
    ``\\xNN`` of that byte; U+FFFE / U+FFFF become ``\\ufffe`` / ``\\uffff``.
    """
    def escape(match):
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return NOT_XML.sub(escape, text)


def serialise(root, doctype=""):
    """UTF-8 XML text of ``root``: declaration, optional doctype, indented elements.

    Every text, tail and attribute value passes through :func:`xml_safe`, so a file
    name or a reading holding control characters still gives well-formed XML.
    """
    for node in root.iter():
        node.text = None if node.text is None else xml_safe(node.text)
        node.tail = None if node.tail is None else xml_safe(node.tail)
        for key, value in node.attrib.items():
            node.attrib[key] = xml_safe(value)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + (doctype + "\n" if doctype else "") + body + "\n"


def element(parent, tag, **attrs):
    """``SubElement`` (or a root when ``parent`` is None) with attribute values as strings."""
    attrs = {k: str(v) for k, v in attrs.items()}
    return ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)
