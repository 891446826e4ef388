import hashlib
import os

import pytest

import zhenhai_analysis as za

from .conftest import DATA, PROJECT


def test_raw_source_matches_its_recorded_checksum():
    sources = za.load_sources()
    assert len(sources) >= 1
    for row in sources.itertuples():
        digest = hashlib.sha256((DATA / "raw" / row.file).read_bytes()).hexdigest()
        assert digest == row.sha256
        assert row.url.startswith("http") and row.published.year == row.report_year


def test_raw_copy_is_the_shared_source_byte_for_byte():
    shared = PROJECT.parent / "shared" / "source" / "zhenhai_2020_work_report_summary.txt"
    recorded = za.load_sources().set_index("source").loc["zhenhai_2020_summary", "sha256"]
    # The published checksum of the report (shared/source/SOURCE.md).
    assert recorded == "3b01dfb4384f9f5aaec3df3a2ee1a0eb22711f1c282f488bee9b03923dad4f82"
    # The shared copy lies beside the repository on developer and CI machines; elsewhere say so.
    if not shared.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{shared} is missing: CI lays shared/ beside the repository")
        pytest.skip(f"{shared} is not here (it lies beside the repository on developer and CI machines)")
    assert hashlib.sha256(shared.read_bytes()).hexdigest() == recorded
