"""The demo: `lingting demo` fills a contact center to click through, each app's part of it
in a module named for the app, from the contacts `generator` makes (pure Python, no
Django, so the benchmarks and tests use it too). Above every other app: it calls them all."""
