"""The Nu HTML Checker (npm package ``vnu-jar``, a devDependency) over the pages a
browser test saw.

``Tab.check()`` saves each page's document as the browser holds it; at the end of
the test the checker reads them all in one Java run (the JVM start costs seconds)
and the test fails on any error. Without Java or the jar the check cannot run;
``test_html_checker.py`` then skips with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = ROOT / "test-artifacts" / "html"


def missing() -> str | None:
    """Why the checker cannot run here, or None."""
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install -y default-jre-headless)"
    if not VNU.exists():
        return f"{VNU.relative_to(ROOT)} is missing (npm ci installs vnu-jar)"
    return None


def save(name: str, html: str) -> Path:
    PAGES.mkdir(parents=True, exist_ok=True)
    path = PAGES / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def clear(prefix: str) -> None:
    """Forget the pages an earlier run of the same test saved."""
    for old in PAGES.glob(f"{prefix}-*.html"):
        old.unlink()


def errors(paths: list[Path]) -> list[str]:
    """The checker's errors on these files, as "file:line: message"."""
    if not paths:
        return []
    done = subprocess.run(  # noqa: S603 - our jar, our saved files
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = _messages(done.stderr) or _messages(done.stdout)
    if done.returncode and not messages:
        raise RuntimeError(f"the HTML checker failed: {done.stderr[-2000:]}")
    return [
        f"{Path(unquote(urlsplit(m.get('url', '')).path)).name}:"
        f"{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def _messages(output: str) -> list[dict]:
    for line in output.splitlines():
        if line.startswith("{"):
            found: list[dict] = json.loads(line).get("messages", [])
            return found
    return []
