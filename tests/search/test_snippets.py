"""Highlighted snippets: matched words in <mark>, everything else escaped."""

from ratusha.search.analysis import parse_query
from ratusha.search.snippets import make_snippet


def test_matches_are_marked_in_the_summary():
    snippet = make_snippet(parse_query("зверненням ради"), "Звернення до міської ради від мешканців")
    assert snippet.html == "<mark>Звернення</mark> до міської <mark>ради</mark> від мешканців"
    assert snippet.source == "summary"
    assert snippet.words_matched == 2


def test_html_is_escaped():
    summary = "<script>alert('рада')</script> & <b>звернення</b> \"ради\""
    html = make_snippet(parse_query("рада звернення"), summary).html
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html
    assert "<mark>рада</mark>" in html and "<mark>звернення</mark>" in html
    assert "&quot;<mark>ради</mark>&quot;" in html


def test_window_around_matches_in_a_long_file_text():
    words = ["слово"] * 500 + ["виявлено", "пошкодження", "опори", "мосту"] + ["текст"] * 500
    file_text = " ".join(words) + " <img src=x onerror=alert(1)>"
    snippet = make_snippet(parse_query("пошкоджень мостів"), "Супровідний лист", file_text)
    assert snippet.source == "file"
    assert "<mark>пошкодження</mark> опори <mark>мосту</mark>" in snippet.html
    assert snippet.html.startswith("…") and snippet.html.endswith("…")
    assert len(snippet.html) < 500
    assert "<img" not in snippet.html


def test_no_match_in_text_shows_the_summary():
    snippet = make_snippet(parse_query("01-10/245"), "Лист <без> збігів")
    assert snippet.html == "Лист &lt;без&gt; збігів"
    assert snippet.words_matched == 0


def test_summary_preferred_when_it_matches_as_well():
    snippet = make_snippet(parse_query("тариф"), "Про тарифи", "тариф тариф тариф")
    assert snippet.source == "summary"
    assert snippet.html == "Про <mark>тарифи</mark>"
