"""The categories and attributes the emulated model "recognizes"."""

from __future__ import annotations

import zlib

import attrs


@attrs.frozen
class Attribute:
    """An attribute, its options, and how often its answer changes between frames."""

    attribute_id: int
    name: str
    options: tuple[tuple[int, str], ...]
    """(option_id, option_name) pairs."""
    change_rate: float
    """Probability, per sampled frame, that a video's answer switches option."""


@attrs.frozen
class Category:
    """A category, the group it belongs to, its typical box shape and its own attributes."""

    category_id: int
    name: str
    group: str
    aspect: float
    """Typical height / width of its box."""
    size: float
    """Typical width of its box, as a fraction of the frame."""
    attributes: tuple[Attribute, ...]


# Ids of the names the public documentation shows, so examples look familiar.
_KNOWN_IDS = {
    "House (detached)": 2084323334,
    "Garage (detached)": 3212613421,
    "Building Exterior Color": 1371766615,
    "Building Exterior Color/White / Off-white": 3498033303,
    "Building Exterior Material": 448392115,
    "Building Exterior Material/Wood (incl. timber siding)": 3887467550,
}


def _id(key: str) -> int:
    return _KNOWN_IDS.get(key) or zlib.crc32(key.encode("utf-8")) or 1


def _attribute(name: str, options: list[str], change_rate: float = 0.02) -> Attribute:
    return Attribute(
        attribute_id=_id(name),
        name=name,
        options=tuple((_id(f"{name}/{option}"), option) for option in options),
        change_rate=change_rate,
    )


_EXTERIOR_COLOR = _attribute(
    "Building Exterior Color", ["White / Off-white", "Gray", "Beige / Tan", "Red / Brick", "Blue", "Yellow"]
)
_EXTERIOR_MATERIAL = _attribute(
    "Building Exterior Material",
    ["Wood (incl. timber siding)", "Brick", "Stone", "Vinyl siding", "Stucco", "Glass curtain wall"],
)
_STORIES = _attribute("Number of Stories", ["1", "2", "3", "4 or more"])
_ROOF = _attribute("Roof Type", ["Gable", "Hip", "Flat", "Mansard"])
_GARAGE_DOOR = _attribute("Garage Door State", ["Open", "Closed", "Partially open"], 0.05)
_VEHICLE_COLOR = _attribute("Vehicle Color", ["White", "Black", "Silver", "Red", "Blue", "Green"])
_BODY_TYPE = _attribute("Body Type", ["Sedan", "SUV", "Hatchback", "Pickup", "Van", "Coupe"])
_MOTION = _attribute("Motion State", ["Moving", "Stopped", "Parked"], 0.08)
_HEADLIGHTS = _attribute("Headlights", ["On", "Off"], 0.04)
_LIGHT_STATE = _attribute("Signal State", ["Red", "Yellow", "Green", "Off"], 0.15)
_LIGHT_TYPE = _attribute("Signal Type", ["Vehicle", "Pedestrian", "Arrow"])
_ACTIVITY = _attribute("Activity", ["Walking", "Standing", "Running", "Sitting"], 0.08)
_CLOTHING = _attribute("Upper Clothing Color", ["Black", "White", "Red", "Blue", "Green", "Gray"])
_FOLIAGE = _attribute("Foliage", ["Full", "Sparse", "Bare"])
_SIGN_TYPE = _attribute("Sign Type", ["Stop", "Yield", "Speed limit", "No parking", "One way"])
_CONDITION = _attribute("Condition", ["Good", "Worn", "Damaged"])

# Attributes any object may carry, used when a category's own run out.
GENERIC_ATTRIBUTES: tuple[Attribute, ...] = (
    _attribute("Occlusion", ["None", "Partial", "Heavy"], 0.06),
    _attribute("Lighting", ["Daylight", "Overcast", "Dusk", "Night"], 0.01),
    _attribute("Visibility", ["Clear", "Blurred", "Obstructed"], 0.05),
    _attribute("Distance", ["Near", "Mid-range", "Far"], 0.04),
    _CONDITION,
    _attribute("Viewpoint", ["Front", "Side", "Rear", "Top"], 0.03),
)


def _category(name: str, group: str, aspect: float, size: float, *attributes: Attribute) -> Category:
    return Category(
        category_id=_id(name), name=name, group=group, aspect=aspect, size=size, attributes=tuple(attributes)
    )


CATEGORIES: tuple[Category, ...] = (
    _category("House (detached)", "building", 0.8, 0.35, _EXTERIOR_COLOR, _EXTERIOR_MATERIAL, _STORIES, _ROOF),
    _category("Garage (detached)", "building", 0.7, 0.25, _GARAGE_DOOR, _EXTERIOR_COLOR, _EXTERIOR_MATERIAL),
    _category("Apartment Building", "building", 1.4, 0.3, _EXTERIOR_COLOR, _EXTERIOR_MATERIAL, _STORIES),
    _category("Office Building", "building", 1.8, 0.25, _EXTERIOR_MATERIAL, _STORIES, _EXTERIOR_COLOR),
    _category("Car", "vehicle", 0.55, 0.18, _VEHICLE_COLOR, _BODY_TYPE, _MOTION, _HEADLIGHTS),
    _category("Truck", "vehicle", 0.7, 0.25, _VEHICLE_COLOR, _MOTION, _HEADLIGHTS),
    _category("Bus", "vehicle", 0.6, 0.3, _VEHICLE_COLOR, _MOTION, _HEADLIGHTS),
    _category("Motorcycle", "vehicle", 0.9, 0.08, _VEHICLE_COLOR, _MOTION),
    _category("Bicycle", "vehicle", 0.8, 0.08, _MOTION, _CONDITION),
    _category("Traffic Light", "street", 2.5, 0.04, _LIGHT_STATE, _LIGHT_TYPE),
    _category("Street Sign", "street", 1.0, 0.05, _SIGN_TYPE, _CONDITION),
    _category("Pedestrian", "person", 2.6, 0.06, _ACTIVITY, _CLOTHING),
    _category("Cyclist", "person", 1.6, 0.08, _ACTIVITY, _CLOTHING),
    _category("Tree", "vegetation", 1.3, 0.2, _FOLIAGE),
    _category("Hedge", "vegetation", 0.4, 0.25, _FOLIAGE),
)


def synthetic_attribute(index: int) -> Attribute:
    """A filler attribute, for objects asked to carry more attributes than the taxonomy has."""
    return _attribute(f"Custom Attribute {index + 1}", ["Option A", "Option B", "Option C"], 0.03)
