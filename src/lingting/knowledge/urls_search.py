"""The vault's search pages, included by knowledge.urls (in its namespace)."""

from django.urls import path

from lingting.knowledge.views import search

urlpatterns = [
    path("search/", search.search, name="search"),
    path("search/<id:search_id>/open/<str:code>/", search.search_open, name="search_open"),
    path("gaps/", search.gaps, name="gaps"),
    path("words/", search.words, name="words"),
]
