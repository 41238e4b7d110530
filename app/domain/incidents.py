"""Incidents (突发事件): one cause, many callers — 停水, 停电, a lift out of order. Whom an
incident touches is an estate and some buildings; a caller is touched when one of their
units is there."""

from __future__ import annotations

import enum
import re

from app.i18n import translate


class IncidentKind(enum.StrEnum):
    WATER = "water"
    POWER = "power"
    LIFT = "lift"
    GAS = "gas"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {IncidentKind.WATER: translate("Incident", "Water cut"),
                IncidentKind.POWER: translate("Incident", "Power cut"),
                IncidentKind.LIFT: translate("Incident", "Lift out of order"),
                IncidentKind.GAS: translate("Incident", "Gas cut"),
                IncidentKind.OTHER: translate("Incident", "Other")}[self]


_BUILDING_WORDS = re.compile(r"(号楼|栋|幢|座|号)$")


def parse_buildings(text: str) -> list[str]:
    """"3栋, 5号楼，7" as ["3", "5", "7"]: the building numbers units are filed under."""
    parts = re.split(r"[,，、\s]+", text.strip())
    return [_BUILDING_WORDS.sub("", part) for part in parts if _BUILDING_WORDS.sub("", part)]


def touches(estate: str, buildings: list[str], unit_estate: str, unit_building: str) -> bool:
    """An incident of ``estate`` (empty: every estate) and ``buildings`` (empty: all of them)
    touches a unit of that estate and building."""
    if estate and unit_estate and estate != unit_estate:
        return False
    return not buildings or unit_building in buildings
