from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "lingting.coaching"
    verbose_name = "Coaching and 3+1 improvement plans"
