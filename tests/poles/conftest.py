import io

import pytest

from poles import seed


@pytest.fixture
def seeded(db):
    """The shipped reference data and the 40 signatories of 19 September 2014."""
    seed.run(stdout=io.StringIO())
