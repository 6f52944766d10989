"""Deterministic demo data: a contact-center organisation and a month of inbound calls.

`organisation.demo_org(seed)` builds the ACD queues, teams and agents (some good, some
clearly poor); `traffic.generate_contacts(org, seed=..., start=...)` yields
interaction-format records (`shared/design/FORMATS.md`) in time order: answered calls with
timed Mandarin transcripts and CDR-only abandoned calls. Transcripts are composed
(`conversation`) from the lines of `phrases` along the scripts of `scenarios`, following
the QA standard of seed 002 (opening/closing lines, 服务禁语, 口头禅, polite words, thanks,
apologies, the 11 order-flow steps), so every automatic check has something to find, and
some harmless look-alikes ("不清楚的话我帮您查一下") so precision shows; each agent's habits
(`styles`) decide how well a call follows the standard, and `timeline` times its turns.

Only `random.Random` seeded from `seed` is used (`draws`): the same seed gives identical
output. Plain Python, no Django: the benchmarks and tests use it alone.
"""
