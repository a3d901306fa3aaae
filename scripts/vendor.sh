#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry (versions pinned in package.json).
# The copies are committed, so running the portal needs neither npm nor a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --silent --ignore-scripts
rm -rf static/vendor
mkdir -p static/vendor/leaflet static/vendor/leaflet.markercluster tests/vendor
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/leaflet/
cp -r node_modules/leaflet/dist/images static/vendor/leaflet/
cp node_modules/leaflet/LICENSE static/vendor/leaflet/
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
   node_modules/leaflet.markercluster/MIT-LICENCE.txt static/vendor/leaflet.markercluster/
# axe-core only serves the accessibility tests; it is not published with the site.
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/vendor/
echo "static/vendor and tests/vendor refreshed"
