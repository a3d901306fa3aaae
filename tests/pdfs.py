"""What every PDF the portal makes must be: tagged (PDF/UA), titled. `pdfinfo` (poppler-utils)
reads it as a screen reader's tools would."""

import subprocess


def assert_tagged_pdf(content: bytes, *, title: str) -> str:
    """`content` is a tagged PDF whose title holds `title`; returns pdfinfo's report."""
    info = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Tagged:          yes" in info, info
    title_line = next((line for line in info.splitlines() if line.startswith("Title:")), "")
    assert title in title_line, info
    return info
