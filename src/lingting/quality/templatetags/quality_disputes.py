"""What a monitoring record's page shows of disputes (the page's view belongs to reviews;
the disputes come from their own selector)."""

from __future__ import annotations

from django import template
from django.template.context import Context

from lingting.core.permissions import request_user
from lingting.quality.models import Dispute, Evaluation
from lingting.quality.selectors.disputes import RecordDisputes, record_disputes

register = template.Library()


@register.simple_tag(takes_context=True)
def disputes_of_record(context: Context, evaluation: Evaluation) -> RecordDisputes:
    """`{% disputes_of_record evaluation as disputes %}`: its disputes, and the items the
    signed-in user may still dispute."""
    return record_disputes(user=request_user(context["request"]), evaluation=evaluation)


@register.filter
def dispute_of(disputes: RecordDisputes, item: str) -> Dispute | None:
    """`{{ disputes|dispute_of:item.item }}`: the dispute of one item, if any."""
    return disputes.by_item.get(item)
