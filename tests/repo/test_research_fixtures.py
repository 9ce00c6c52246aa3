# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Repository checks run on the checkout itself (not on ansible-test's copy of it).

The unit tests read copies of the research samples; these must stay identical to the research
in ../shared beside the checkout, which CI always provides.
"""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "unit", "plugins", "module_utils", "fixtures", "samples")
RESEARCH = os.path.join(os.path.dirname(ROOT), "shared", "research", "alluxio", "samples")


def test_fixtures_match_the_research_samples():
    assert os.path.isdir(RESEARCH), "%s is missing: clone the project beside ../shared" % RESEARCH
    research = sorted(n for n in os.listdir(RESEARCH) if n.endswith(".txt"))
    assert research == sorted(n for n in os.listdir(FIXTURES) if n.endswith(".txt"))
    for name in research:
        with open(os.path.join(RESEARCH, name)) as mine, open(os.path.join(FIXTURES, name)) as theirs:
            assert mine.read() == theirs.read(), name
