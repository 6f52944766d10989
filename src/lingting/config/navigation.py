"""What every page's navigation needs to know about its user: the project layer's, since
the menus name every app's pages."""

from __future__ import annotations

from django.http import HttpRequest

from lingting.calendars.permissions import may_correct_calendar
from lingting.calendars.selectors import calendar_gap_year_or_none
from lingting.campaigns.permissions import (
    may_call_customers,
    may_call_panel_members,
    may_see_campaign_results,
)
from lingting.coaching.permissions import may_see_plans
from lingting.core.models import User
from lingting.core.selectors import notifications_unread_count
from lingting.knowledge.permissions import (
    may_answer_chats,
    may_edit_knowledge,
    may_publish_bulletins,
)
from lingting.knowledge.selectors.bulletins import unread_count as bulletins_unread_count
from lingting.performance.permissions import may_see_assessment
from lingting.quality.permissions import (
    may_configure_judge,
    may_curate_cases,
    may_manage_qa,
    may_read_qa_reports,
    may_review,
    may_see_disputes,
    may_see_own_scores,
)
from lingting.reports.permissions import may_read_quality_reports
from lingting.surveys.permissions import may_see_competitiveness
from lingting.webhooks.permissions import may_manage_webhooks
from lingting.workforce.permissions import (
    may_plan,
    may_see_absences,
    may_see_attrition,
    may_see_broadcast,
    may_see_intraday,
    may_see_occupancy,
    may_see_own_schedule,
    may_see_rosters,
    may_see_swaps,
    may_set_care,
    may_set_up_rosters,
)
from lingting.workorders.permissions import (
    may_configure_workorders,
    may_read_workorder_reports,
    may_see_workorders,
    may_take_workorders,
    sees_all_workorders,
)


def navigation(request: HttpRequest) -> dict[str, bool | int]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {
        "nav_manage_qa": may_manage_qa(user),
        "nav_review": may_review(user),
        "nav_qa_reports": may_read_qa_reports(user),
        "nav_judge": may_configure_judge(user),
        "nav_curate_cases": may_curate_cases(user),
        "nav_disputes": may_see_disputes(user),
        "nav_my_scores": may_see_own_scores(user),
        "nav_coaching": may_see_plans(user),
        "nav_occupancy": may_see_occupancy(user),
        "nav_planning": may_plan(user),
        "nav_rosters": may_see_rosters(user),
        "nav_roster_setup": may_set_up_rosters(user),
        "nav_absences": may_see_absences(user),
        "nav_my_schedule": may_see_own_schedule(user),
        "nav_swaps": may_see_swaps(user),
        "nav_care": may_set_care(user),
        "nav_intraday": may_see_intraday(user),
        "nav_broadcast": may_see_broadcast(user),
        "nav_attrition": may_see_attrition(user),
        "nav_quality_reports": may_read_quality_reports(user),
        "nav_assessment": may_see_assessment(user),
        "unread_notifications": notifications_unread_count(user),
        "unread_bulletins": bulletins_unread_count(user),
        "nav_chats": may_answer_chats(user),
        "nav_bulletin_report": may_publish_bulletins(user),
        "nav_bot_report": may_edit_knowledge(user),
        "nav_calendar": may_correct_calendar(user),
        "nav_tickets": may_see_workorders(user),
        "nav_take_workorders": may_take_workorders(user),
        "nav_workorder_dashboard": sees_all_workorders(user),  # members: from the list
        "nav_workorder_report": may_read_workorder_reports(user),
        "nav_webhooks": may_manage_webhooks(user),
        "nav_campaigns": may_see_campaign_results(user),
        "nav_panels": may_call_panel_members(user),
        "nav_callbacks": may_call_customers(user),
        "nav_competitiveness": may_see_competitiveness(user),
        "nav_workorder_setup": may_configure_workorders(user),
        "calendar_gap_year": (
            (calendar_gap_year_or_none() or 0) if may_correct_calendar(user) else 0
        ),
    }
