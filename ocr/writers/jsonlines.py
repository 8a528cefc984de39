"""JSON Lines: one page object per line, so pages can be streamed as they are read."""
import json

EXTENSION = ".jsonl"


def render(pages):
    return "".join(json.dumps(p.to_dict()) + "\n" for p in pages)
