"""Shared fixtures: the registered ids and the observation forms every test covers."""
import pytest

import schemaarcade

IDS = schemaarcade.env_ids()
#: (obs_type, options) pairs: every form, pooled and downsampled too.
FORMS = [("none", {}), ("grid", {}), ("grid", {"pool": 4}), ("entities", {}), ("entities", {"expand_pixels": True}),
         ("pixels", {}), ("pixels", {"size": 42})]


def form_name(form):
    obs_type, options = form
    return obs_type + "".join(f"-{k}{v}" for k, v in options.items())


@pytest.fixture(params=FORMS, ids=form_name)
def form(request):
    return request.param
