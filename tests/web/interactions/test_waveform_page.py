"""What was heard in a call's recording, on the contact and review pages: the figures row
and the two-lane waveform with dead air, overtalk and each deduction marked."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.interactions.services.listening import listen_recording
from lingting.quality.models import AssignmentKind, ContactScore, ReviewAssignment, ScorecardVersion
from tests.conftest import ContactFactory
from tests.engine.call_audio import call, voiced, write_wav
from tests.web.interactions.heard_call import (
    MONO_METRICS,
    STEREO_METRICS,
    STEREO_WAVEFORM,
    listened,
    peaks,
    recorded_brush_off,
)

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    settings.LINGTING_RECORDINGS_ROOT = tmp_path / "recordings"
    return Path(settings.LINGTING_RECORDINGS_ROOT)


@pytest.fixture
def brush_off(make_contact: ContactFactory, root: Path) -> Contact:
    return recorded_brush_off(make_contact, root)


def to_review(
    contact: Contact, reviewer: User, kind: AssignmentKind, version: ScorecardVersion
) -> ReviewAssignment:
    """An assignment of `contact`, its score moved onto the real standard scorecard (the
    review page reads the scorecard's items; the factory's stand-in has none)."""
    ContactScore.objects.filter(contact=contact).update(version=version)
    return ReviewAssignment.objects.create(contact=contact, reviewer=reviewer, kind=kind)


def contact_page(client: Client, contact: Contact) -> str:
    response = client.get(reverse("interactions:contact_detail", args=[contact.pk]))
    assert response.status_code == 200
    return response.content.decode()


def sound_section(html: str) -> str:
    start = html.index('<section class="sound"')
    return html[start : html.index("</section>", start)]


def waveform_svg(html: str) -> ET.Element:
    start = html.index('<svg id="waveform"')
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def lanes(svg: ET.Element) -> list[str]:
    return [g.get("data-speaker", "") for g in svg.iter(f"{SVG}g") if g.get("data-speaker")]


def shaded(svg: ET.Element, kind: str) -> list[tuple[str | None, str | None]]:
    return [
        (rect.get("x"), rect.get("width"))
        for rect in svg.iter(f"{SVG}rect")
        if f"wf-{kind}" in (rect.get("class") or "").split()
    ]


def markers(svg: ET.Element) -> list[tuple[str | None, str]]:
    """(seconds, tooltip) of each deduction marker."""
    return [
        (g.get("data-seek"), g.findtext(f"{SVG}title") or "")
        for g in svg.iter(f"{SVG}g")
        if "wf-marker" in (g.get("class") or "").split()
    ]


def test_the_contact_page_draws_the_agent_above_the_customer_with_dead_air_and_overtalk(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)

    svg = waveform_svg(contact_page(client_for(agent_li), brush_off))

    assert lanes(svg) == ["agent", "customer"]
    # 12 s across 1000 units: dead air from 6 to 8.5 s, both talking from 2.6 to 3 s.
    assert shaded(svg, "silence") == [("500", "208.3")]
    assert shaded(svg, "overtalk") == [("216.7", "33.3")]
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert {"坐席", "客户", "0:00", "0:12"} <= set(labels)
    notches = [
        path.findtext(f"{SVG}title")
        for path in svg.iter(f"{SVG}path")
        if "wf-interruption" in (path.get("class") or "").split()
    ]
    assert notches == ["客户打断坐席 0:02"]


def test_a_call_the_task_worker_heard_is_drawn_as_it_sounds(
    client_for: ClientFor, brush_off: Contact, root: Path, agent_li: User
) -> None:
    # The brush-off as sound (8 kHz stereo, the agent on channel 0): the customer cuts in
    # at 2.6 s, both are silent from 6 to 8.5 s.
    rate = 8000
    placed = [
        (0, 0.0, voiced(3.0, rate)),
        (1, 2.6, voiced(3.4, rate, seed=1)),
        (0, 8.5, voiced(2.5, rate, seed=2)),
    ]
    write_wav(root / "C-WAVE.wav", call(12.0, rate, placed), rate)
    listen_recording(brush_off.recordings.get())

    html = contact_page(client_for(agent_li), brush_off)

    svg = waveform_svg(html)
    assert lanes(svg) == ["agent", "customer"]
    ((silence_x, _),) = shaded(svg, "silence")
    ((overtalk_x, _),) = shaded(svg, "overtalk")
    assert float(silence_x or 0) == pytest.approx(500, abs=10)  # 6 s of 12
    assert float(overtalk_x or 0) == pytest.approx(216.7, abs=10)  # 2.6 s
    assert [seconds for seconds, _ in markers(svg)] == ["6.000", "8.500"]
    assert "坐席 0 次 · 客户 1 次" in sound_section(html)


def test_each_deduction_is_marked_at_its_evidence_with_the_items_title(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)

    html = contact_page(client_for(agent_li), brush_off)

    # Dead air at its own time; the forbidden phrase at the start of its turn.
    assert markers(waveform_svg(html)) == [("6.000", "1. 冷场 0:06"), ("8.500", "2. 服务禁语 0:08")]
    deductions = re.findall(r'class="wf-seek" data-seek="([\d.]+)"', html)
    assert deductions == ["6.000", "8.500"]


def test_the_figures_say_levels_are_dbfs_not_sound_pressure(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)

    section = sound_section(contact_page(client_for(agent_li), brush_off))

    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section))
    assert figures == {
        "坐席音量": "-18.2 dBFS",
        "客户音量": "-24.6 dBFS",
        "坐席说话占比": "62%",
        "抢话": "0.4 秒",
        "冷场": "1 段，共 2.5 秒（最长 2.5 秒）",
        "打断": "坐席 0 次 · 客户 1 次",
    }
    assert "不是声压级 dB SPL" in section
    assert 'id="bleed-note"' not in section


def test_channels_that_bleed_into_each_other_are_said_to_mislead(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(
        brush_off, metrics={**STEREO_METRICS, "channels_separated": False}, waveform=STEREO_WAVEFORM
    )

    section = sound_section(contact_page(client_for(agent_li), brush_off))

    assert re.search(r'id="bleed-note">两个声道互相串音', section)


def test_a_mono_recording_is_one_lane_said_plainly_without_per_speaker_figures(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(
        brush_off,
        metrics=MONO_METRICS,
        waveform={"duration_s": 12.0, "lanes": {"mono": peaks((0.0, 6.0), (8.5, 11.0))}},
    )

    html = contact_page(client_for(agent_li), brush_off)

    svg = waveform_svg(html)
    assert lanes(svg) == ["mono"]
    assert shaded(svg, "overtalk") == []
    assert "单声道" in [text.text for text in svg.iter(f"{SVG}text")]
    section = sound_section(html)
    assert "单声道（坐席与客户未分开）" in section
    assert "坐席音量" not in section
    assert "抢话</dt>" not in section
    assert "无法分别统计音量、说话占比、抢话和打断" in section


def test_a_recording_that_could_not_be_read_says_why(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    # As the task worker stores it: the reason is a sentence of its own, the file's named.
    listened(brush_off, error="录音无法分析（C-WAVE.wav）：not a WAV file <RIFF missing>")

    section = sound_section(contact_page(client_for(agent_li), brush_off))

    assert "录音无法分析（C-WAVE.wav）：not a WAV file &lt;RIFF missing&gt;</p>" in section
    assert "<svg" not in section


def test_a_listening_without_peaks_shows_its_figures_alone(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=None)

    section = sound_section(contact_page(client_for(agent_li), brush_off))

    assert "<dt>坐席音量</dt><dd>-18.2 dBFS</dd>" in section
    assert "<svg" not in section


def test_a_listening_with_nothing_readable_says_so(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(brush_off, metrics=None, waveform={"lanes": "?"})

    section = sound_section(contact_page(client_for(agent_li), brush_off))

    assert "这段录音没有可显示的分析结果。" in section


def test_a_recording_not_listened_to_yet_is_pending(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    section = sound_section(contact_page(client_for(agent_li), brush_off))

    assert "录音正在后台分析" in section
    assert "<svg" not in section


def test_a_contact_without_a_recording_shows_nothing_of_sound(
    client_for: ClientFor, make_contact: ContactFactory, agent_li: User
) -> None:
    contact = make_contact("C-CHAT", agent="A1001", channel="chat")

    html = contact_page(client_for(agent_li), contact)

    assert 'class="sound"' not in html
    assert "waveform.js" not in html


def test_the_waveform_needs_no_inline_style_or_script(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)

    html = contact_page(client_for(agent_li), brush_off)

    section = sound_section(html)
    assert "style=" not in section
    assert "<script" not in section
    assert "onclick" not in section
    assert re.search(r'<script src="[^"]*interactions/waveform\.js" defer>', html)


def test_the_player_offers_playback_speeds(
    client_for: ClientFor, brush_off: Contact, agent_li: User
) -> None:
    html = contact_page(client_for(agent_li), brush_off)

    rates = re.findall(r'data-rate="([\d.]+)" aria-pressed="(true|false)"', html)
    assert rates == [
        ("0.75", "false"),
        ("1", "true"),
        ("1.25", "false"),
        ("1.5", "false"),
        ("2", "false"),
    ]


def test_without_a_playable_file_the_deductions_link_to_their_evidence_instead(
    client_for: ClientFor, brush_off: Contact, root: Path, agent_li: User
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)
    (root / "C-WAVE.wav").unlink()

    html = contact_page(client_for(agent_li), brush_off)

    assert lanes(waveform_svg(html)) == ["agent", "customer"]
    assert 'href="#ev-dead_air-0"' in html
    assert 'href="#ev-forbidden_phrases-0"' in html
    assert "waveform-playhead" not in html
    assert "waveform.js" not in html


def test_an_agent_cannot_see_the_waveform_of_another_agents_call(
    client_for: ClientFor, brush_off: Contact, agent_zhang: User, leader_wang: User, org: Any
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)
    url = reverse("interactions:contact_detail", args=[brush_off.pk])

    assert client_for(agent_zhang).get(url).status_code == 404
    assert client_for(org.users["leader_liu"]).get(url).status_code == 404  # another team's
    assert lanes(waveform_svg(contact_page(client_for(leader_wang), brush_off))) == [
        "agent",
        "customer",
    ]


def test_the_reviewer_sees_the_deductions_on_the_waveform_of_the_review_page(
    client_for: ClientFor, brush_off: Contact, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)
    assignment = to_review(brush_off, qa_sun, AssignmentKind.SAMPLE, standard_version)

    response = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk]))

    html = response.content.decode()
    assert [seconds for seconds, _ in markers(waveform_svg(html))] == ["6.000", "8.500"]
    assert 'data-rate="1.5"' in html


def test_a_blind_calibration_review_shows_the_sound_but_not_the_machines_deductions(
    client_for: ClientFor, brush_off: Contact, qa_sun: User, standard_version: ScorecardVersion
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)
    assignment = to_review(brush_off, qa_sun, AssignmentKind.CALIBRATION, standard_version)

    html = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk])).content.decode()

    svg = waveform_svg(html)
    assert lanes(svg) == ["agent", "customer"]
    assert markers(svg) == []
    assert "服务禁语" not in sound_section(html)


def test_the_waveform_costs_the_contact_page_no_query_of_its_own(
    client_for: ClientFor,
    brush_off: Contact,
    qa_zhao: User,
    django_assert_max_num_queries: Any,
) -> None:
    listened(brush_off, metrics=STEREO_METRICS, waveform=STEREO_WAVEFORM)
    client = client_for(qa_zhao)

    # As many as a page without a recording (test_contact_detail's bound): the recording
    # and its listening come with the contact, and the player reads the same recording.
    with django_assert_max_num_queries(9):
        html = contact_page(client, brush_off)
    assert lanes(waveform_svg(html)) == ["agent", "customer"]
