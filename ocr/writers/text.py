"""Plain text: the page's lines; a ``==> FILE <==`` header before each page when there are several."""
EXTENSION = ".txt"


def page_label(page):
    """``FILE`` or ``FILE [page N]`` for a page of a multi-page document."""
    return page.source if page.page_count == 1 else f"{page.source} [page {page.page}]"


def render(pages):
    if len(pages) == 1:
        return pages[0].text + "\n" if pages[0].text else ""
    return "".join(f"==> {page_label(p)} <==\n" + (p.text + "\n" if p.text else "") for p in pages)
