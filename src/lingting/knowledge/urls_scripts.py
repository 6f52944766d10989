"""The URLs of a script article's scorecard items, included by the knowledge app's URLs."""

from django.urls import path

from lingting.knowledge.views.script_items import script_items_page

urlpatterns = [
    path("a/<str:code>/scorecard-items/", script_items_page, name="script_items"),
]
