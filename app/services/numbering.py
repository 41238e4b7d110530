"""Form numbers (TS202611-0001): one sequence per prefix and month, taken inside the
transaction that saves the form.

The counter row is incremented with one atomic upsert, so two desks saving at once on
PostgreSQL queue on the row lock and get consecutive numbers; SQLite serialises writers with
BEGIN IMMEDIATE anyway. The unique constraint on the number stays as the last guard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.db.models import FormSequence
from app.domain.complaints import format_number


def next_number(session: Session, prefix: str, at: datetime) -> str:
    period = at.astimezone().strftime("%Y%m")  # the month on the desk's calendar
    key = f"{prefix}{period}"
    # Only the dialect in use is imported: PostgreSQL's takes a few hundredths of a second
    # to load, and a desk on SQLite never needs it.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(FormSequence).values(key=key, last=1)
    statement = statement.on_conflict_do_update(
        index_elements=[FormSequence.key], set_={"last": FormSequence.last + 1}
    ).returning(FormSequence.last)
    sequence = session.execute(statement).scalar_one()
    return format_number(prefix, period, sequence)
