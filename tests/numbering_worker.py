"""One front desk registering complaints as fast as it can, in a process of its own, for the
numbering test on PostgreSQL: ``python numbering_worker.py URL SCHEMA COUNT START_AT``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import Database  # noqa: E402
from app.domain.complaints import Category  # noqa: E402
from app.domain.roles import Actor  # noqa: E402
from app.services.complaints import ComplaintInput, ComplaintService  # noqa: E402


def main() -> None:
    url, schema, count, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    service = ComplaintService(Database(url, search_path=schema))
    service.get  # noqa: B018 - imports done before the start line
    time.sleep(max(0.0, start_at - time.time()))  # every desk starts at the same instant
    numbers = [service.create(Actor.system(), ComplaintInput(
        category=Category.NOISE, description=f"并发 {i}", phone="13800138000"),
        allow_duplicate=True).row.number for i in range(count)]
    print(json.dumps(numbers))


if __name__ == "__main__":
    main()
