"""Simplified Chinese formats: dates and times in form fields written as ISO first.

A form widget writes a date with the first input format; Django's zh_Hans list starts with
`2026/11/24`, which `<input type="date">` (and `datetime-local`) reject, so every date filter
showed empty. The other forms are still read."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y年%n月%j日 %H:%M",
    "%Y年%n月%j日 %H:%M:%S",
    "%Y年%n月%j日 %H:%M:%S.%f",
]
