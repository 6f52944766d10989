"""Signing in; the pages themselves live in the domain apps."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login (already open to anonymous users) in Lingting's page; a signed-in
    user who comes back to it goes straight on."""

    template_name = "core/login.html"
    redirect_authenticated_user = True
