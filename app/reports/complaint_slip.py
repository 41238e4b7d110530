"""What a printed complaint slip (投诉处理单) holds: every field as the text to print, so the
renderer in ``ui/complaint_slip.py`` only lays it out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SlipData:
    centre_name: str  # the page header
    number: str  # TS202611-0001, also the QR code's content
    registered_at: str  # local date and time, already formatted
    source: str
    customer: str  # name and title
    unit: str
    phone: str
    category: str
    severity: str
    description: str
    demand: str  # 客户诉求
    department: str
    assignee: str
    dispatcher: str  # 派单人, printed beside the signature line
    response_due: str  # formatted deadlines; empty when not set
    resolve_due: str
    company_at_fault: str  # 是 / 否 / 待定, already a label
    resolution: str = ""  # printed when known, else blank lines for the handler to write on
    measures: str = ""
    rework_count: int = 0  # sent back after an unsatisfied callback (返工), how many times
    rework_reason: str = ""  # what the customer said at the last of those callbacks
    extra: dict[str, str] = field(default_factory=dict)
