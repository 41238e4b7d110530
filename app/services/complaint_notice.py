"""The text message (短信 / 微信) a desk sends a caller once their complaint is registered,
from the administrator's template: the number to quote, and when to expect an answer."""

from __future__ import annotations

from app.services.complaints import ComplaintRow


def complaint_notice(template: str, centre: str, row: ComplaintRow) -> str:
    """The template with the complaint filled in; empty when the desk sends no message. Only
    the known placeholders are replaced, so a brace the administrator typed stays. Read by
    the caller, so the date is in the callers' language whatever the UI's."""
    if not template.strip():
        return ""
    due = row.resolve.due_at.astimezone() if row.resolve.due_at else None
    values = {"{centre}": centre, "{name}": row.customer_name, "{number}": row.number,
              "{due}": f"{due.month}月{due.day}日{due:%H:%M}" if due else ""}
    text = template.strip()
    for key, value in values.items():
        text = text.replace(key, value)
    return text
