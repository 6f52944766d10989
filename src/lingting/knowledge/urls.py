from django.urls import path

from lingting.knowledge.views import articles, bulletins, suggestions

app_name = "knowledge"

urlpatterns = [
    path("", articles.article_index, name="list"),
    path("new/", articles.article_new, name="create"),
    path("review/", articles.review_queue, name="review"),
    path("a/<str:code>/", articles.article_detail, name="detail"),
    path("a/<str:code>/edit/", articles.article_change, name="edit"),
    path("a/<str:code>/history/", articles.article_history, name="history"),
    path("a/<str:code>/<str:action>/", articles.article_act, name="act"),
    path("bulletins/", bulletins.bulletin_index, name="bulletins"),
    path("bulletins/new/", bulletins.bulletin_new, name="bulletin_new"),
    path("bulletins/report/", bulletins.bulletin_report, name="bulletin_report"),
    path("bulletins/<id:bulletin_id>/", bulletins.bulletin_read, name="bulletin"),
    path(
        "bulletins/<id:bulletin_id>/readers/",
        bulletins.bulletin_reader_list,
        name="bulletin_readers",
    ),
    path(
        "bulletins/<id:bulletin_id>/remind/",
        bulletins.bulletin_send_reminder,
        name="bulletin_remind",
    ),
    path(
        "contact/<id:contact_id>/articles/",
        suggestions.contact_articles,
        name="contact_articles",
    ),
]
