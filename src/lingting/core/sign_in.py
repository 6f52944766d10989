"""Sign-in throttling with django-axes: where a sign-in comes from, and when it is refused.

Failed attempts are kept in the database (axes' AccessAttempt), so a lock outlives a restart.
Two rules, each with its own limit: an account is locked after
LINGTING_LOGIN_FAILURES_PER_ACCOUNT failures from anywhere, an address after
LINGTING_LOGIN_FAILURES_PER_ADDRESS failures for any accounts, both until
LINGTING_LOGIN_COOL_OFF_MINUTES have passed since the last failure (`lingting
axes_reset_username NAME` or `axes_reset_ip ADDRESS` unlock sooner). Every failed sign-in
goes into the audit trail with the name tried and the address, never the password.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lingting.core.services import audit_record


def client_address(request: HttpRequest) -> str:
    """The address the sign-in came from, as the outermost trusted proxy saw it.

    Each of the LINGTING_TRUSTED_PROXIES proxies appends the address it received from to
    X-Forwarded-For; what stands further left was sent by the client and may be forged, so
    the address is read exactly that many hops back, never from the left.
    """
    hops = [*_forwarded_for(request), request.META.get("REMOTE_ADDR", "")]
    trusted = settings.LINGTING_TRUSTED_PROXIES
    return str(hops[-1 - trusted] if len(hops) > trusted else hops[0])


def _forwarded_for(request: HttpRequest) -> list[str]:
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [hop.strip() for hop in header.split(",") if hop.strip()]


class SignInAttemptHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with a limit per rule and an audit entry per failure."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures counted against AXES_FAILURE_LIMIT (the account limit): the account's
        own, or the address's scaled to that limit, whichever is nearer its lock.

        Axes compares one count with one limit for all its rules; an office address shared
        by a whole shift needs a higher one than an account, hence the scaling.
        """
        per_account, per_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT
        address_limit = settings.LINGTING_LOGIN_FAILURES_PER_ADDRESS
        return max(per_account, per_address * account_limit // address_limit)

    def user_login_failed(
        self,
        sender: object,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:  # not a sign-in from a browser: nothing to record or lock
            return
        audit_record(
            actor=None,  # whoever tried is not known: the name tried is the object
            action="login.failed",
            object_type="user",
            object_id=(get_client_username(request, credentials) or "")[:128],
            after={
                "address": getattr(request, "axes_ip_address", client_address(request)),
                "locked": bool(getattr(request, "axes_locked_out", False)),
            },
        )


def locked_out_page(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The login page again, saying why (axes' AXES_LOCKOUT_CALLABLE): too many failures
    for this account or from this address; 429 Too Many Requests."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    refusal = _(
        "登录失败次数过多，该账号或地址已被暂时锁定。请 %(minutes)s 分钟后再试，或请管理员解锁。"
    ) % {"minutes": settings.LINGTING_LOGIN_COOL_OFF_MINUTES}
    context = {"form": form, "next": request.POST.get("next", ""), "refusal": refusal}
    return render(request, "core/login.html", context, status=429)
