"""Which regular backups to keep: the newest of each of the last 7 days, 4 weeks and 12
months that have a backup, and every one of the last 24 hours (a desk that backs up every
few hours can go back to this morning). A pure function of the times the backups were taken.

Counting buckets that have a backup (rather than calendar days back from today) means a desk
switched off for a month still keeps its last 7 daily backups.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Policy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    all_within: timedelta = timedelta(hours=24)


DEFAULT = Policy()


def to_keep(taken: Iterable[datetime], now: datetime, policy: Policy = DEFAULT) -> set[datetime]:
    """The times (of ``taken``, local and aware) whose backups stay; the rest may go."""
    newest_first = sorted(set(taken), reverse=True)
    keep = {moment for moment in newest_first if now - moment < policy.all_within}
    buckets: tuple[tuple[int, Callable[[datetime], Hashable]], ...] = (
        (policy.daily, lambda moment: moment.date()),
        (policy.weekly, lambda moment: moment.isocalendar()[:2]),
        (policy.monthly, lambda moment: (moment.year, moment.month)),
    )
    for count, bucket_of in buckets:
        seen: set[Hashable] = set()
        for moment in newest_first:  # the newest of each bucket, newest buckets first
            bucket = bucket_of(moment)
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.add(bucket)
            keep.add(moment)
    return keep
