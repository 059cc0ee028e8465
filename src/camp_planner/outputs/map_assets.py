"""The map's script and style files: Leaflet and jQuery, which folium's pages load from
CDNs, and the map's own additions (Leaflet.markercluster and ``camp/camp-map.js``, ``.css``),
all shipped inside the package (``camp_planner/outputs/assets``, vendored from the npm
registry by ``scripts/vendor_map_assets.py``, each with its licence) and inlined into the
page, so a map.html draws with no network (only the tiles come from the web).
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import os
import re
from pathlib import Path

import folium

__all__ = [
    "PACKAGED_ASSETS",
    "find_assets",
    "inline_assets",
    "map_additions",
    "offline_assets",
]

#: folium resources the page needs to work (by folium's names for them).
_REQUIRED = ("leaflet", "jquery", "leaflet_css")
#: The map's additions, always inlined from the package, in this order (after Leaflet).
_ADDITIONS = (
    "markercluster/MarkerCluster.css",
    "markercluster/leaflet.markercluster.js",
    "camp/camp-map.css",
    "camp/camp-map.js",
)


def offline_assets() -> dict[str, str]:
    """The files the page needs to work with no network: file name -> folium's CDN URL."""
    links = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    return {links[name].rsplit("/", 1)[-1]: links[name] for name in _REQUIRED if name in links}


#: The Leaflet and jQuery copies shipped in the package (see assets/README.md).
PACKAGED_ASSETS = Path(__file__).resolve().with_name("assets")
#: Other names accepted for each required file (lower case), besides its CDN file name.
_ACCEPTED: dict[str, re.Pattern[str]] = {
    "leaflet": re.compile(r"leaflet(?:-src)?(?:\.min)?\.js"),
    "leaflet_css": re.compile(r"leaflet(?:\.min)?\.css"),
    "jquery": re.compile(r"jquery(?:-\d+(?:\.\d+)*)?(?:\.min)?\.js"),
}
#: The accepted names in words, for the message when one is missing.
_ACCEPTED_WORDS = {
    "leaflet": "leaflet.min.js or leaflet-src.js",
    "leaflet_css": "leaflet.min.css",
    "jquery": "jquery.js, jquery.min.js or jquery-<version>[.min].js",
}
_SEARCH_DEPTH = 3


def _candidates(folder: Path) -> list[Path]:
    """Files of `folder` and its subfolders (up to 3 levels, hidden ones and node_modules
    skipped), shallowest first."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        depth = len(Path(root).relative_to(folder).parts)
        dirs[:] = sorted(
            d for d in dirs if depth < _SEARCH_DEPTH and not d.startswith(".")
            and d != "node_modules"
        )  # fmt: skip
        found.extend(Path(root) / f for f in sorted(files))
    return sorted(found, key=lambda p: len(p.relative_to(folder).parts))


def find_assets(assets_dir: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """The local file to inline for each CDN file the map needs.

    A file is found in the folder or a subfolder (e.g. an unpacked npm package's ``dist/``)
    under its CDN file name (``leaflet.js``, ``leaflet.css``, ``jquery-3.7.1.min.js``), or
    under a usual other name: ``leaflet-src.js``, ``leaflet.min.css``, ``jquery.js``,
    ``jquery.min.js``, ``jquery-3.6.0.js`` ... (case ignored; the CDN name wins, then a
    minified file).

    Args:
        assets_dir: The folder; None for the copies shipped in the package.

    Returns:
        CDN URL -> local file, for every URL of :func:`offline_assets`.

    Raises:
        FileNotFoundError: A file is missing (the message names it and what is accepted).
    """
    folder = Path(assets_dir) if assets_dir is not None else PACKAGED_ASSETS
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder (expected Leaflet and jQuery files)")
    files = _candidates(folder)
    links = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    found: dict[str, Path] = {}
    missing: list[str] = []
    for role in _REQUIRED:
        url = links.get(role)
        if url is None:
            continue
        exact = url.rsplit("/", 1)[-1].lower()
        matches = [f for f in files if f.name.lower() == exact] or [
            f for f in files if _ACCEPTED[role].fullmatch(f.name.lower())
        ]
        if not matches:
            missing.append(f"{exact} (or {_ACCEPTED_WORDS[role]})")
            continue
        minified = [f for f in matches if ".min." in f.name.lower()]
        found[url] = (minified or matches)[0]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {'; '.join(missing)} (see offline_assets())")
    return found


_LINK = re.compile(
    r'<script src="(?P<js>https?://[^"]+)"></script>'
    r'|<link rel="stylesheet" href="(?P<css>https?://[^"]+)"\s*/?>'
)
_CSS_URL = re.compile(r"""url\((['"]?)(?!data:|https?:|#)([^'")]+)\1\)""")


def _data_uris(css: str, base: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        file = base / match.group(2)
        if not file.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(file.read_bytes()).decode()})"

    return _CSS_URL.sub(replace, css)


@functools.lru_cache(maxsize=16)
def _inline_tag(file: Path, stylesheet: bool, mtime_ns: int) -> str:
    """The ``<script>`` or ``<style>`` element with the file's text (cached per version)."""
    text = file.read_text(encoding="utf-8")
    if stylesheet:
        return (
            "<style>" + _data_uris(text, file.parent).replace("</style", "<\\/style") + "</style>"
        )
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def inline_assets(page: str, assets_dir: str | os.PathLike[str] | None = None) -> str:
    """Inline the CDN scripts and stylesheets of a folium page from local copies.

    Args:
        page: The rendered HTML.
        assets_dir: Folder with the files (:func:`find_assets`); None for the copies
            shipped in the package.

    Returns:
        The page with Leaflet, its CSS and jQuery inlined and the other CDN links removed.

    Raises:
        FileNotFoundError: A file the map needs is missing from `assets_dir`.
    """
    local = find_assets(assets_dir)

    def replace(match: re.Match[str]) -> str:
        url = match.group("js") or match.group("css")
        file = local.get(url)
        if file is None:
            return ""
        return _inline_tag(file, bool(match.group("css")), file.stat().st_mtime_ns)

    return _LINK.sub(replace, page)


def map_additions() -> str:
    """The ``<style>`` and ``<script>`` elements of Leaflet.markercluster and the map's own
    code (``camp/camp-map.js``: shapes, clusters, layers drawn from data), for the page's
    head after Leaflet."""
    tags = []
    for name in _ADDITIONS:
        file = PACKAGED_ASSETS / name
        tags.append(_inline_tag(file, name.endswith(".css"), file.stat().st_mtime_ns))
    return "\n".join(tags)
