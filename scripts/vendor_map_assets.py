"""Refresh the map's offline assets shipped in the package (src/camp_planner/outputs/assets).

The travel map (``camp_planner.outputs.maps``) inlines Leaflet and jQuery, which folium's pages
otherwise load from CDNs, so that every map.html draws on a closed network. This script
fetches the versions the installed folium uses from the npm registry (``npm pack``), and
copies the files the map needs, with each package's licence, into the package:

    leaflet/leaflet.js, leaflet/leaflet.css, leaflet/images/*.png, leaflet/LICENSE
    jquery/jquery-<version>.min.js, jquery/LICENSE.txt
    markercluster/leaflet.markercluster.js, markercluster/MarkerCluster.css,
        markercluster/MIT-LICENCE.txt   (Leaflet.markercluster, pinned: not one of folium's)
    manifest.json   (npm spec, files and their SHA-256)

Usage: ``.venv/bin/python scripts/vendor_map_assets.py`` (needs ``npm``); run it after
upgrading folium when tests/outputs/test_maps.py says the versions differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import folium

ASSETS = Path(__file__).resolve().parents[1] / "src" / "camp_planner" / "outputs" / "assets"
_JSDELIVR = re.compile(r"https://cdn\.jsdelivr\.net/npm/(?P<name>[^@/]+)@(?P<version>[^/]+)/")
_JQUERY = re.compile(r"https://code\.jquery\.com/jquery-(?P<version>[\d.]+)(?:\.min)?\.js")


def folium_versions() -> dict[str, str]:
    """The Leaflet and jQuery versions of the installed folium's CDN links."""
    links = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    leaflet = _JSDELIVR.match(links["leaflet"])
    jquery = _JQUERY.fullmatch(links["jquery"])
    if leaflet is None or jquery is None:
        raise SystemExit(f"unexpected folium CDN links: {links['leaflet']}, {links['jquery']}")
    return {"leaflet": leaflet["version"], "jquery": jquery["version"]}


def npm_pack(spec: str, into: Path) -> Path:
    """Download and unpack one npm package; returns its ``package/`` folder."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed (apt-get install npm)")
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "pack", "--silent", "--pack-destination", str(into), spec],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (tarball,) = into.glob("*.tgz")
    with tarfile.open(tarball) as tar:
        tar.extractall(into, filter="data")
    tarball.unlink()
    return into / "package"


#: Packages the map uses besides folium's: folder -> (npm name, pinned version).
PINNED = {"markercluster": ("leaflet.markercluster", "1.5.3")}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor(out: Path) -> dict[str, object]:
    """Fetch and copy the assets into `out`; returns the manifest written."""
    versions = folium_versions()
    wanted = {
        "leaflet": {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "LICENSE": "LICENSE",
        },
        "jquery": {
            "dist/jquery.min.js": f"jquery-{versions['jquery']}.min.js",
            "LICENSE.txt": "LICENSE.txt",
        },
        "markercluster": {
            "dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "dist/MarkerCluster.css": "MarkerCluster.css",
            "MIT-LICENCE.txt": "MIT-LICENCE.txt",
        },
    }
    manifest: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in wanted.items():
            npm_name, version = PINNED.get(name, (name, versions.get(name, "")))
            spec = f"{npm_name}@{version}"
            package = npm_pack(spec, Path(tmp) / name)
            target = out / name
            shutil.rmtree(target, ignore_errors=True)
            copied = {}
            for source, dest in files.items():
                (target / dest).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(package / source, target / dest)
                copied[dest] = _sha256(target / dest)
            entry: dict[str, object] = {"npm": spec, "version": version, "files": copied}
            if name in PINNED:
                entry["pinned"] = True  # not one of folium's CDN links
            manifest[name] = entry
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ASSETS)
    args = parser.parse_args()
    manifest = vendor(args.out)
    for name, entry in manifest.items():
        assert isinstance(entry, dict)
        print(f"{entry['npm']}: {', '.join(entry['files'])} -> {args.out / name}")


if __name__ == "__main__":
    main()
