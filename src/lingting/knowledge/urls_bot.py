"""The FAQ bot's public side, under /bot/: no sign-in (customers use it)."""

from django.urls import path

from lingting.knowledge.views import bot

app_name = "bot"

urlpatterns = [
    path("", bot.chat_page, name="chat"),
    path("demo/", bot.demo_site, name="demo"),
    path("api/start/", bot.chat_start, name="start"),
    path("api/messages/", bot.chat_messages, name="messages"),
    path("api/say/", bot.chat_say, name="say"),
    path("api/callback/", bot.chat_callback, name="callback"),
    path("api/end/", bot.chat_end, name="end"),
]
