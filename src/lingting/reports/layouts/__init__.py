"""Each report laid out as a ReportDocument: the sections, tables and charts a QA
supervisor hands to management (002 §七), in the words of the seed. One module per report
(`quality`: the weekly and monthly report, with its `forecast` section; `daily`, `cases`,
`training`), and `kinds.document_for`, the one entry point for every kind.
"""
