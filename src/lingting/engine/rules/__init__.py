"""The rule kinds a scorecard item can use, built from YAML settings and ready to score.

One module per part of the work: `scan` (the shared Aho-Corasick scan of a contact's turns),
`matchers` (where a rule's words occur), `meaning` (conditions on what the contact meant:
the customer's emotion, the agent's tone, resolution), `verdicts` (what a rule decides, and
the `Rule` protocol), `words` and `timings` (the rule kinds), `combined` (rules that wrap
other rules) and `config` (building a rule from its YAML settings: `build_rule`).

Every rule answers `evaluate(scan, lo, hi) -> Verdict` over the turns at positions lo..hi
(inclusive), so that an `anchored` rule can narrow another rule to the turns before or after
an anchor. A rule that needs what a contact lacks (timings, a CDR field, any turn of its
speaker) answers "na": never a failure and never an exception.

The kinds, as written under an item's `rule:` (`speaker:` agent | customer | any, default
agent, wherever words are matched; `only_if:` {channel, direction, said, emotion_end,
emotion_peak, resolved, satisfaction_below} on any rule):

    phrases       mode: forbidden | required, match: any | all, phrases, except_in, within
    regex         mode, pattern, except_in, except_pattern, within
    sequence      steps: [{name, phrases, speaker, required}], until: {phrases, hangup_by}
    count         phrases | pattern, except_in, max_hits, max_per_100_chars, min_hits
    conditional   trigger: {phrases…}, response: {phrases…}, within_turns
    anchored      anchor: {phrases…, occurrence: first | last}, position: after | before, rule
    all           rules: [rule, rule…]
    answer_speed  max_rings, seconds_per_ring
    speech_rate   min_cpm, max_cpm (default 150–260), min_speaking_s, min_turn_chars
    dead_air      max_gap_s, max_count, notice: {phrases}, max_gap_after_notice_s
    interruption  min_overlap_s, max_count
    hold          max_total_s, max_single_s, notice: {phrases, last_turns}
    volume        speaker, min_db, max_db, reference_dbfs, reference_db   (from the recording)
    level_gap     max_db                                                  (from the recording)
    raised_voice  speaker, min_jump_db                                    (from the recording)
    hangup        fails_when_by: agent
    outcome       fail_when: {emotion_end, emotion_peak, resolved, satisfaction_below}

`within:` is one of first_turns, last_turns, first_seconds, last_seconds.

A sequence with `until:` judges only contacts the agent ended — by saying one of its phrases
(the first counts), or, with `hangup_by: agent`, by hanging up or closing the chat (the call
record's hangup_by) — and its steps must all come before that ending; an agent who ends at
once has missed every step.

A words block (a conditional's trigger or response, an anchor, `said`, a count) may match
meaning instead of, or beside, words: `emotion: [calm | anxious | dissatisfied | angry |
pleased]` with `min_intensity` in the customer's turns, `tone: [apology | soothing | warm |
impatient | blaming | dismissive]` in the agent's. With both, either counts.
"""
