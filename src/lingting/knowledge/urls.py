from django.urls import include, path

from lingting.knowledge.views import articles

app_name = "knowledge"

urlpatterns = [
    path("", articles.article_index, name="list"),
    path("new/", articles.article_new, name="create"),
    path("review/", articles.review_queue, name="review"),
    path("a/<str:code>/", articles.article_detail, name="detail"),
    path("a/<str:code>/edit/", articles.article_change, name="edit"),
    path("a/<str:code>/history/", articles.article_history, name="history"),
    path("a/<str:code>/<str:action>/", articles.article_act, name="act"),
    # The search pages: search, the gaps the search log shows, the owners' words.
    path("", include("lingting.knowledge.urls_search")),
]
