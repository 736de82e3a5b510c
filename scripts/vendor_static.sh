#!/usr/bin/env bash
# Copy the front-end libraries pinned in package.json / package-lock.json into static/vendor/.
# The copied files are committed, so only whoever upgrades a library needs Node.js and npm.
# Upgrade: change the version in package.json, run `npm install`, then `make vendor`, and commit
# package.json, package-lock.json and static/vendor/.
set -euo pipefail

cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "vendor_static.sh: npm is needed (Node.js 18 or newer)" >&2; exit 1; }

npm ci --no-audit --no-fund --ignore-scripts

modules=node_modules
vendor=static/vendor

rm -rf "$vendor/htmx" "$vendor/leaflet" "$vendor/leaflet.markercluster" "$vendor/tom-select"
mkdir -p "$vendor/htmx" "$vendor/leaflet" "$vendor/leaflet.markercluster" "$vendor/tom-select"

# htmx
cp "$modules/htmx.org/dist/htmx.min.js" "$vendor/htmx/"
cp "$modules/htmx.org/LICENSE" "$vendor/htmx/LICENSE"

# Leaflet: the script (with the source map it names, which the manifest static storage
# resolves at collectstatic), the stylesheet and the images the stylesheet refers to.
cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.js.map" "$vendor/leaflet/"
cp "$modules/leaflet/dist/leaflet.css" "$vendor/leaflet/"
cp -R "$modules/leaflet/dist/images" "$vendor/leaflet/images"
cp "$modules/leaflet/LICENSE" "$vendor/leaflet/LICENSE"

# Leaflet.markercluster: the directory's map groups nearby organisations into one marker at low
# zoom. Its script styles markers only through the CSSOM (allowed by the Content Security
# Policy); its two stylesheets are files.
cp "$modules/leaflet.markercluster/dist/leaflet.markercluster.js" "$modules/leaflet.markercluster/dist/leaflet.markercluster.js.map" "$vendor/leaflet.markercluster/"
cp "$modules/leaflet.markercluster/dist/MarkerCluster.css" "$modules/leaflet.markercluster/dist/MarkerCluster.Default.css" "$vendor/leaflet.markercluster/"
cp "$modules/leaflet.markercluster/MIT-LICENCE.txt" "$vendor/leaflet.markercluster/LICENSE"

# Tom Select: the searchable CPV picker. Its script sets styles only through the CSSOM (allowed
# by the Content Security Policy) and its stylesheet is a file; the portal's own styles adjust it.
cp "$modules/tom-select/dist/js/tom-select.complete.min.js" "$modules/tom-select/dist/js/tom-select.complete.min.js.map" "$vendor/tom-select/"
cp "$modules/tom-select/dist/css/tom-select.min.css" "$modules/tom-select/dist/css/tom-select.min.css.map" "$vendor/tom-select/"
cp "$modules/tom-select/LICENSE" "$vendor/tom-select/LICENSE"

# Record which versions were copied, for whoever audits the vendored files.
node -e '
const lock = require("./package-lock.json").packages;
for (const name of ["htmx.org", "leaflet", "leaflet.markercluster", "tom-select"]) {
  console.log(`${name} ${lock["node_modules/" + name].version}`);
}' > "$vendor/VERSIONS"

echo "Vendored into $vendor:"
cat "$vendor/VERSIONS"
