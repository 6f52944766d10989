"""Chinese first, English available; language switch and logout are CSRF-protected POSTs."""

from __future__ import annotations

import ast
import gettext
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lingting.core.models import User

ClientFor = Callable[[User], Client]
LIST_URL = reverse("interactions:contact_list")
LOCALE = Path(settings.LOCALE_PATHS[0])


def test_chinese_is_the_default(client_for: ClientFor, agent_li: User) -> None:
    page = client_for(agent_li).get(LIST_URL).content.decode()

    assert '<html lang="zh-hans">' in page
    assert "联络记录" in page
    assert "退出" in page


def test_english_available(client_for: ClientFor, agent_li: User) -> None:
    client = client_for(agent_li)

    response = client.post(reverse("set_language"), {"language": "en", "next": LIST_URL})
    page = client.get(LIST_URL).content.decode()

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert '<html lang="en">' in page
    assert "Contacts" in page
    assert "Sign out" in page
    assert "还没有联络记录" not in page
    assert "No contacts yet" in page


def test_english_detail_page(client_for: ClientFor, qa_zhao: User, make_contact: Any) -> None:
    contact = make_contact(score=95)
    client = client_for(qa_zhao)
    client.post(reverse("set_language"), {"language": "en"})

    page = client.get(reverse("interactions:contact_detail", args=[contact.pk])).content.decode()

    assert "Transcript" in page
    assert "Customer" in page
    assert "Agent" in page


def test_login_page_switches_language_before_signing_in(client: Client, db: None) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": reverse("core:login")})

    page = client.get(reverse("core:login")).content.decode()

    assert "Sign in" in page
    assert "Username" in page


def test_csrf_on_setlang(agent_li: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent_li)

    response = client.post(reverse("set_language"), {"language": "en"})

    assert response.status_code == 403


def test_csrf_on_logout(agent_li: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent_li)

    refused = client.post(reverse("core:logout"))
    assert refused.status_code == 403
    assert client.get(LIST_URL).status_code == 200  # still signed in

    page = client.get(LIST_URL).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    done = client.post(reverse("core:logout"), {"csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert client.get(LIST_URL).status_code == 302  # signed out: back to the login page


def test_logout_by_get_is_refused(client_for: ClientFor, agent_li: User) -> None:
    client = client_for(agent_li)

    assert client.get(reverse("core:logout")).status_code == 405


def test_pages_carry_a_strict_csp_without_inline_scripts(
    client_for: ClientFor, agent_li: User
) -> None:
    response = client_for(agent_li).get(LIST_URL)
    policy = response.headers["Content-Security-Policy"]
    page = response.content.decode()

    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "style-src 'self'" in policy
    assert "<script>" not in page
    assert " style=" not in page
    assert "<script src=" in page


def _po_entries() -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) → msgstr (msgstr[1] for plurals) of the English .po, header left
    out; the context is "" where an entry has none."""
    po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries: dict[tuple[str, str], str] = {}
    for block in filter(None, (b.strip() for b in po.split("\n\n")[1:])):
        fields = dict(
            line.split(" ", 1) for line in block.splitlines() if line and not line.startswith("#")
        )
        msgstr = fields.get("msgstr[1]", fields.get("msgstr", '""'))
        # a .po string is a C string literal (\" and \\ escaped), which Python reads alike
        context, msgid = fields.get("msgctxt", '""'), fields["msgid"]
        entries[(ast.literal_eval(context), ast.literal_eval(msgid))] = ast.literal_eval(msgstr)
    return entries


def _mo_catalog() -> gettext.GNUTranslations:
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_every_english_message_is_translated() -> None:
    po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")

    assert "#, fuzzy" not in po
    assert [msgid for msgid, msgstr in _po_entries().items() if not msgstr] == []


def test_compiled_messages_match_the_po_file() -> None:
    catalog = _mo_catalog()

    stale = [
        (context, msgid)
        for (context, msgid), msgstr in _po_entries().items()
        if "%(" not in msgid
        and (catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)) != msgstr
    ]
    assert stale == [], "run scripts/compile-messages"


@pytest.mark.parametrize("phrase", ["联络记录", "服务禁语", "对话记录"])
def test_mo_file_has_the_translations(phrase: str) -> None:
    assert _mo_catalog().gettext(phrase) != phrase
