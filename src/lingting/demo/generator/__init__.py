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
A `scenarios.Surge` (the demo's last week: `scenarios.sms_outage`) turns a growing share of
some queues' calls to one new problem, so that 客户之声 has a spike to show.

Beside the office-hours queues, `hotline.demo_hotline(seed)` builds a 24-hour 95598 line
(seed 004 篇9: four teams on 四班三运转, 安多 seats and a 康巴 speaker among them), and
`hotline_traffic.hotline_contacts` its calls in every hour as CDR-only records, for planning.

Only `random.Random` seeded from `seed` is used (`draws`): the same seed gives identical
output. Plain Python, no Django: the benchmarks and tests use it alone.
"""
