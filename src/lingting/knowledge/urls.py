from django.urls import include, path

from lingting.knowledge.views import articles, bulletins, console, script_items, suggestions

app_name = "knowledge"

urlpatterns = [
    path("", articles.article_index, name="list"),
    path("new/", articles.article_new, name="create"),
    path("review/", articles.review_queue, name="review"),
    path("a/<str:code>/", articles.article_detail, name="detail"),
    path("a/<str:code>/edit/", articles.article_change, name="edit"),
    path("a/<str:code>/history/", articles.article_history, name="history"),
    path("a/<str:code>/scorecard-items/", script_items.script_items_page, name="script_items"),
    path("a/<str:code>/<str:action>/", articles.article_act, name="act"),
    path("console/", console.console, name="console"),
    path("console/queue/", console.console_queue, name="console_queue"),
    path("console/<id:conversation_id>/", console.console_chat, name="console_chat"),
    path(
        "console/<id:conversation_id>/messages/",
        console.console_messages,
        name="console_messages",
    ),
    path("console/<id:conversation_id>/accept/", console.console_accept, name="console_accept"),
    path("console/<id:conversation_id>/say/", console.console_say, name="console_say"),
    path("console/<id:conversation_id>/close/", console.console_close, name="console_close"),
    path("bot/report/", console.bot_report_page, name="bot_report"),
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
    # The search pages: search, the gaps the search log shows, the owners' words.
    path("", include("lingting.knowledge.urls_search")),
]
