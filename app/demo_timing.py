"""When generated demo work happens: the front desk's calls come at any hour it is open,
but the work that follows — dispatch, handling, resolution, callbacks — is done in business
hours on working days and in order, as a real centre does it. Shared by the small demo
(``app.demo``) and the benchmark's bulk generator (``app.demo_bulk``)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from app.domain.working_time import WorkingCalendar


class WorkClock:
    def __init__(self, calendar: WorkingCalendar, rng: random.Random) -> None:
        self.calendar = calendar
        self.rng = rng

    def after(self, moment: datetime, working_minutes: float) -> datetime:
        """``working_minutes`` of business hours after ``moment`` (at least one): work that
        comes in after closing is done the next working morning."""
        return self.calendar.add(moment, max(1, round(working_minutes)))

    def callback_done(self, not_before: datetime, due: datetime,
                      late_share: float = 0.12) -> datetime:
        """When a callback is made: on the working day it comes up (its due day), after the
        work it follows and before it is due; ``late_share`` of them later than due."""
        if self.rng.random() < late_share:
            return self.after(due, self.rng.uniform(30, 600))
        day = self.calendar.local_date(due)
        opening = self.calendar.opening(day)
        earliest = max(opening, self.after(not_before, 10))
        if earliest >= due:
            return self.after(due, self.rng.uniform(5, 60))
        span = (due - earliest).total_seconds()
        return earliest + timedelta(seconds=self.rng.uniform(0, span))
