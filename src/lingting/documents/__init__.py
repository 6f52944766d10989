"""The document kit every report and page download uses: a document's model (sections,
tables, charts), its periods, and its writers (CSV, XLSX, PDF) with the one download
response. It knows no domain: the quality reports, the KPI and work-order pages lay out
what they show as a `ReportDocument` and hand it here."""
