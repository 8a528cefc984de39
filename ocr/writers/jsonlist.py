"""JSON: always a list with one object per page (failed inputs as ``{"file", "page", "error"}``)."""
import json

EXTENSION = ".json"


def render(pages):
    return json.dumps([p.to_dict() for p in pages]) + "\n"
