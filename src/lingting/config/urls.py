from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from lingting.config.api import api_urlpatterns
from lingting.config.home import home
from lingting.interactions.urls import urlpatterns as recording_urlpatterns
from lingting.quality.urls import contact_urlpatterns
from lingting.surveys import views as survey_views

urlpatterns = [
    path("", home, name="home"),
    path("", include("lingting.core.urls")),
    # The contact pages show scores (quality's), the recording is the contact's own
    # (interactions'): one namespace, as the URLs have always been.
    path("contacts/", include((contact_urlpatterns + recording_urlpatterns, "interactions"))),
    path("quality/", include("lingting.quality.urls")),
    path("performance/", include("lingting.performance.urls")),
    path("coaching/", include("lingting.coaching.urls")),
    path("reports/", include("lingting.reports.urls")),
    path("workforce/", include("lingting.workforce.urls")),
    path("calendars/", include("lingting.calendars.urls")),
    path("tickets/", include("lingting.workorders.urls")),
    path("knowledge/", include("lingting.knowledge.urls")),
    path("bot/", include("lingting.knowledge.urls_bot")),
    # The customer's survey page: no login, reached by the link in the invitation.
    path("survey/<str:token>/", survey_views.answer, name="survey_answer"),
    path("surveys/", include("lingting.surveys.urls")),
    path("campaigns/", include("lingting.campaigns.urls")),
    path("webhooks/", include("lingting.webhooks.urls")),
    path("api/", api_urlpatterns()),
    # Open to anonymous users so the login page can switch language; POST with CSRF only.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]

# A refused parameter (lingting.core.params.BadParameter) shows its message.
handler400 = "lingting.core.errors.bad_request"
