"""Drifted items must never crash a mapper: a record or ``MalformedItem``, nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadsignal.sources.mappers import MalformedItem, map_post_item, map_profile_item
from tests.sources.samples import APIMAESTRO_POST, DEV_FUSION_PROFILE, HARVEST_POST, HARVEST_PROFILE, sample

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["Present", "Issued Sep 2023", "May 2024 - Present · 1 yr", "2016 - 2020", "Jan", "13/2020"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _keys(item: Any) -> list[tuple[str, ...]]:
    """Every path to a value inside the item."""
    paths: list[tuple[str, ...]] = []

    def walk(value: Any, path: tuple[str, ...]) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, str(index)))

    walk(item, ())
    return [p for p in paths if p]


def _replace(item: Any, path: tuple[str, ...], value: Any) -> None:
    target = item
    for key in path[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(path[-1])] = value
    else:
        target[path[-1]] = value


def _drift(base: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    item = sample(base)
    paths = _keys(item)
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        path = data.draw(st.sampled_from(paths))
        try:
            _replace(item, path, data.draw(json_values))
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # an earlier replacement removed this path
    return item


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=st.sampled_from([HARVEST_PROFILE, DEV_FUSION_PROFILE]))
def test_profile_mapper_never_crashes_on_drift(data: st.DataObject, base: dict[str, Any]) -> None:
    item = _drift(base, data)
    try:
        record = map_profile_item(item, source="fuzz")
    except MalformedItem:
        return
    assert record.profile_url.startswith("https://www.linkedin.com/in/")
    assert record.full_name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=st.sampled_from([HARVEST_POST, APIMAESTRO_POST]))
def test_post_mapper_never_crashes_on_drift(data: st.DataObject, base: dict[str, Any]) -> None:
    item = _drift(base, data)
    try:
        post = map_post_item(item, source="fuzz")
    except MalformedItem:
        return
    if post is not None:
        assert post.post_id.isdigit()
        assert post.posted_at is None or post.posted_at.tzinfo is not None
