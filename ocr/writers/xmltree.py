"""Shared XML serialisation for the XML formats (hOCR, ALTO, PAGE)."""
import xml.etree.ElementTree as ET

from .. import __version__

SOFTWARE = "handocr"
VERSION = __version__
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def serialise(root, doctype=""):
    """UTF-8 XML text of ``root``: declaration, optional doctype, indented elements."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + (doctype + "\n" if doctype else "") + body + "\n"


def element(parent, tag, **attrs):
    """``SubElement`` (or a root when ``parent`` is None) with attribute values as strings."""
    attrs = {k: str(v) for k, v in attrs.items()}
    return ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)
