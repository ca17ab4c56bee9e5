"""The notes feed renders note text as text: escaped, only http(s) links, long notes folded."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from psa.models import NoteItem, Section
from ui.detail.history import History
from ui.detail.note_html import COLLAPSE_CHARS, NoteColours, linkify, note_html
from ui.detail.notes_view import NotesView

HOSTILE = ('<script>alert(1)</script><img src="http://evil/x.png"> '
           '<a href="javascript:alert(2)">click</a> javascript:alert(3) '
           'file:///C:/secret.txt data:text/html,<b>x</b> &amp; '
           'see https://example.com/a?b=1&c=2. and (http://example.org/x_(y)) '
           'and http://q.test/"onmouseover="alert(4)')


def note(note_id: int, text: str, **flags: object) -> NoteItem:
    return NoteItem(id=note_id, text=text, author="Dana",
                    created=datetime(2026, 11, 20 + note_id % 5, 9, tzinfo=UTC), **flags)


def test_note_text_is_escaped_and_only_http_links_are_made() -> None:
    html = linkify(HOSTILE)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;amp;" in html
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    # A URL inside would-be markup is still just a URL in text: a link, never an image.
    assert hrefs == ["http://evil/x.png", "https://example.com/a?b=1&amp;c=2",
                     "http://example.org/x_(y)", "http://q.test/"]
    assert "javascript:alert(3)" in html and 'href="javascript' not in html
    assert 'onmouseover="' not in html


def test_a_rendered_feed_shows_text_literally(qtbot: QtBot) -> None:
    opened: list[QUrl] = []
    view = NotesView(opened.append)
    qtbot.addWidget(view)
    view.show_section(1, Section(value=(note(1, HOSTILE),)))
    text = view.browser.toPlainText()
    assert "<script>alert(1)</script>" in text
    assert '<a href="javascript:alert(2)">click</a>' in text
    view.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    view.browser.anchorClicked.emit(QUrl("file:///C:/secret.txt"))
    view.browser.anchorClicked.emit(QUrl("https://example.com/a?b=1&c=2"))
    assert [u.toString() for u in opened] == ["https://example.com/a?b=1&c=2"]


def test_badges_customer_highlight_and_order_toggle(qtbot: QtBot) -> None:
    view = NotesView(lambda _url: None)
    qtbot.addWidget(view)
    newest_first = (
        note(3, "Resolved.", resolution=True),
        note(2, "Internal remark", internal=True),
        note(1, "Hello, my printer…", discussion=True, from_customer=True),
    )
    view.show_section(7, Section(value=newest_first))
    text = view.browser.toPlainText()
    assert text.index("Resolved.") < text.index("Internal remark") < text.index("Hello")
    for badge in ("Resolution", "Internal", "Discussion", "Customer"):
        assert badge in text
    colours = NoteColours()
    assert colours.customer_card in note_html(newest_first[2], colours, expanded=False)
    assert colours.customer_card not in note_html(newest_first[1], colours, expanded=False)
    view.order_button.click()
    text = view.browser.toPlainText()
    assert text.index("Hello") < text.index("Internal remark") < text.index("Resolved.")
    assert [n.id for n in view.notes] == [1, 2, 3]


def test_long_notes_fold_with_more_and_less(qtbot: QtBot) -> None:
    view = NotesView(lambda _url: None)
    qtbot.addWidget(view)
    long_text = "start " + "word " * (COLLAPSE_CHARS // 4) + "THE-END"
    view.show_section(1, Section(value=(note(5, long_text),)))
    assert "THE-END" not in view.browser.toPlainText()
    assert "more" in view.browser.toPlainText()
    view.browser.anchorClicked.emit(QUrl("dd-note:more/5"))
    assert "THE-END" in view.browser.toPlainText()
    view.browser.anchorClicked.emit(QUrl("dd-note:less/5"))
    assert "THE-END" not in view.browser.toPlainText()


def test_history_is_like_a_browsers() -> None:
    history = History(limit=3)
    for ticket in (1, 2, 3):
        history.visit(ticket)
    assert history.back() == 2 and history.back() == 1 and history.back() is None
    history.visit(9)  # a new visit drops the forward part
    assert history.items() == [1, 9] and not history.can_forward()
    history.visit(9)
    for ticket in (10, 11):
        history.visit(ticket)
    assert history.items() == [9, 10, 11]
