"""{% page_parts "slot" obj %}: where higher apps' registered parts go on a page (core/page_parts.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from waakvlam.core.page_parts import page_parts_render

register = template.Library()


@register.simple_tag(takes_context=True)
def page_parts(context: template.Context, slot: str, obj: Any) -> SafeString:
    return page_parts_render(slot, context.get("request"), obj)
