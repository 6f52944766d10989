"""One call's conversation: the beats of its transcript, composed from a scenario's steps
as the agent's habits play them out (greetings, apologies, brush-offs, holds, closing)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from lingting.demo.generator.draws import choice
from lingting.demo.generator.phrases import FILLER_ENDINGS, FILLER_PREFIXES, LINES
from lingting.demo.generator.scenarios import ORDER_FLOW, ORDER_OPTIONAL, Scenario
from lingting.demo.generator.styles import AgentStyle


@dataclass(slots=True)
class Beat:
    speaker: str
    text: str
    lead: str = ""  # what comes before the turn: "" pause, "hold", "dead" air, "cut" in


@dataclass(slots=True)
class Call:
    rng: random.Random
    style: AgentStyle
    slots: dict[str, str]
    upset: bool = False
    apologized: bool = False
    beats: list[Beat] = field(default_factory=list)
    pending: str = ""  # lead for the next agent turn
    thank_next: bool = False  # next agent turn thanks the customer for waiting
    repeated: bool = False
    agent_hangup: bool = False

    def line(self, key: str) -> str:
        return choice(self.rng, LINES[key]).format_map(self.slots)

    def customer(self, key: str) -> None:
        self.add("customer", self.line(key))

    def agent(self, key: str) -> None:
        self.agent_text(self.line(key))

    def agent_text(self, text: str) -> None:
        rng, style = self.rng, self.style
        if self.thank_next:
            text, self.thank_next = self.line("wait_thanks") + text, False
        if rng.random() < style.impolite:
            text = text.replace("您", "你").replace("请问", "").replace("请你", "你")
        if rng.random() < style.filler:
            text = _add_filler(rng, text)
        self.add("agent", text)

    def add(self, speaker: str, text: str, lead: str = "") -> None:
        if speaker == "agent" and self.pending:
            lead, self.pending = self.pending, ""
        last = self.beats[-1] if self.beats else None
        if last is not None and last.speaker == speaker and not lead:
            last.text += text
        else:
            self.beats.append(Beat(speaker, text, lead))


def _add_filler(rng: random.Random, text: str) -> str:
    """One to three 口头禅: 啊，/那个，up front, 这个，mid-way, 啊/呀 at the end."""
    roll, said = rng.random(), text
    if roll > 0.3 and "，" in text[4:]:
        head, _, tail = text.rpartition("，")
        text = f"{head}，{choice(rng, FILLER_PREFIXES)}{tail}"
    if (roll < 0.2 or roll > 0.6) and text.endswith("。"):
        text = text[:-1] + choice(rng, FILLER_ENDINGS)
    if roll < 0.6 or text == said:
        text = choice(rng, FILLER_PREFIXES) + text
    return text


def compose_conversation(call: Call, scenario: Scenario, order: bool) -> None:
    steps = scenario.steps
    if call.upset and not any(s.startswith("U:") for s in steps):
        steps.insert(1, "U:upset_generic")
    _opening(call, order)
    for step in steps:
        _step(call, step)
    if call.rng.random() < call.style.insult:
        call.customer("rude")
        call.agent("insult")
        call.agent_hangup = True
    else:
        _closing(call, order)
    while len(call.beats) < 4:
        call.agent("close_bad")
        call.customer("cust_bye")


def _opening(call: Call, order: bool) -> None:
    rng, style = call.rng, call.style
    if rng.random() < style.opening:
        call.agent("open_order" if order else "open_full")
    elif rng.random() < 0.45:
        call.agent("open_partial")
    elif rng.random() < 0.5:
        call.agent("open_bad")
    else:
        call.customer("cust_hello")
        call.agent("agent_hello_bad")


def _step(call: Call, step: str) -> None:
    if step.startswith("?"):
        if len(call.beats) < 20 and call.rng.random() < 0.5:
            for part in step[1:].split("+"):
                _step(call, part)
        return
    role, _, key = step.partition(":")
    match role:
        case "c":
            call.customer(key)
        case "a":
            call.agent(key)
        case "A":
            _answer(call, key)
        case "U":
            _upset(call, key)
        case "s":
            if not call.apologized and call.rng.random() < call.style.apology:
                call.agent("sorry")
        case "L":
            _lookup(call, key)
        case "i":
            _identity(call)
        case "n":
            _ask_name(call)
        case "O":
            _order_flow(call)
        case _:
            raise ValueError(f"unknown step {step!r}")


def _answer(call: Call, key: str) -> None:
    rng, style = call.rng, call.style
    if rng.random() < style.brushoff:
        call.agent("brushoff")
        call.customer("brushoff_reply")
        call.agent("grudging")
    answer = call.line(key)
    call.agent_text(answer)
    if rng.random() < style.helpful:
        call.agent("helpful")
    if style.fast and not call.repeated and rng.random() < 0.35:
        call.repeated = True
        call.customer("too_fast")
        call.agent_text(call.line("repeat") + answer)


def _upset(call: Call, key: str) -> None:
    call.upset = True
    call.customer(key)
    call.apologized = call.rng.random() < call.style.apology
    call.agent("apology" if call.apologized else "no_apology")


def _lookup(call: Call, key: str) -> None:
    rng, style = call.rng, call.style
    if rng.random() < 0.2:  # a quick look, no hold; a poor agent may go silent instead
        call.agent("quick_look")
        if rng.random() < style.dead_air * 4:
            call.pending = "dead"
        return
    if rng.random() < style.silent_hold:
        if rng.random() < 0.6:
            call.agent("wait_ask_bad")
    else:
        call.slots["lookup"] = call.line(key)
        call.agent("wait_ask")
        call.thank_next = rng.random() < 0.5 + 0.5 * style.identity
    call.pending = "hold"


def _ask_name(call: Call) -> None:
    call.agent("id_ask_bad" if call.rng.random() < call.style.rude_ask else "id_ask")


def _identity(call: Call) -> None:
    rng = call.rng
    if rng.random() < call.style.identity:
        call.agent("id_ask")
        call.customer("my_surname")
        call.agent("id_verify")
        call.customer("my_id4")
        call.agent("id_ok")
    elif rng.random() < 4 * call.style.rude_ask:
        call.agent("id_ask_bad")
        call.customer("my_surname")


def _order_flow(call: Call) -> None:
    rng = call.rng
    names = [name for name, _ in ORDER_FLOW]
    if rng.random() >= call.style.order_full:
        for dropped in rng.sample(ORDER_OPTIONAL, rng.randint(1, 3)):
            names.remove(dropped)
        if rng.random() < 0.4:  # out of order: 三要素 late, or 下订单 before 听需求
            names.remove("identity")
            names.insert(rng.randint(2, len(names)), "identity")
    steps = dict(ORDER_FLOW)
    for name in names:
        for step in steps[name]:
            _step(call, step)


def _closing(call: Call, order: bool) -> None:
    rng, style = call.rng, call.style
    # An upset customer who got no apology often leaves still unhappy, and says no goodbye.
    left_upset = call.upset and not call.apologized and rng.random() < 0.6
    if left_upset:
        call.customer("still_upset")
    if rng.random() < style.closing:
        if not order or rng.random() < 0.6:
            call.agent("close_ask")
            call.customer("close_ask_reply")
        if order:
            call.agent("ord_ending")
            call.agent("ord_bless")
        else:
            call.agent("close_bye")
        if not left_upset and rng.random() < 0.5:
            call.customer("cust_bye")
        if rng.random() < 0.25:
            call.add("system", call.line("survey"))
        call.agent_hangup = rng.random() < style.hangup_first
    else:
        if rng.random() < 0.5:
            call.agent("ord_ending_short" if order else "close_bad")
        call.agent_hangup = rng.random() < 0.3 + style.hangup_first
