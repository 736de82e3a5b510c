// The map of the directory (templates/directory/organisation_map.html) and of the premises
// (templates/premises/premises_list.html, which names an empty area in data-empty): asks the
// GeoJSON endpoint for the places of the area in view, with the page's filters, each time the map stops
// moving, and groups nearby ones into one marker (Leaflet.markercluster). An area holding more
// places than one answer carries comes as counts per grid cell (pestor/maps.py,
// features_in_box): each drawn as a group marker that zooms into its places when chosen. What
// the map shows is said in the live region below the map. Without JavaScript the map stays hidden and the table
// on the page, paginated and filtered alike, is its text equivalent.
(function () {
  "use strict";

  function gettext(text) { return window.gettext ? window.gettext(text) : text; }
  function ngettext(one, many, count) {
    return window.ngettext ? window.ngettext(one, many, count) : (count === 1 ? one : many);
  }
  function interpolate(format, values) {
    return window.interpolate ? window.interpolate(format, values) : format.replace("%s", values[0]);
  }

  function clamp(value, low, high) { return Math.min(Math.max(value, low), high); }

  function popupOf(properties) {
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    popup.appendChild(link);
    return popup;
  }

  function draw(element) {
    var status = document.getElementById(element.dataset.status);
    var url = element.dataset.geojsonUrl;
    var centre = element.dataset.centre.split(",").map(Number);
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, Number(element.dataset.zoom));
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.attribution,
    }).addTo(map);
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    map.addLayer(cluster);
    var cells = L.layerGroup().addTo(map);
    var pending = null;
    var timer = null;

    function say(text) { if (status) { status.textContent = text; } }

    function load() {
      var bounds = map.getBounds();
      var west = clamp(bounds.getWest(), -180, 180);
      var east = clamp(bounds.getEast(), -180, 180);
      var south = clamp(bounds.getSouth(), -90, 90);
      var north = clamp(bounds.getNorth(), -90, 90);
      var bbox = [west, south, east, north].map(function (n) { return n.toFixed(5); }).join(",");
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "bbox=" + bbox, {
        headers: { Accept: "application/geo+json, application/json" },
        signal: pending.signal,
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          cluster.clearLayers();
          cells.clearLayers();
          if (data.clustered) {
            drawCells(data.features);
            return;
          }
          var markers = data.features.map(function (feature) {
            var position = feature.geometry.coordinates;
            var name = feature.properties.name;
            return L.marker([position[1], position[0]], { title: name, alt: name })
              .bindPopup(popupOf(feature.properties));
          });
          cluster.addLayers(markers);
          var count = markers.length;
          if (count === 0) {
            say(element.dataset.empty || gettext("No organisation in this area of the map."));
          } else {
            say(interpolate(ngettext("%s place in this area of the map.", "%s places in this area of the map.", count), [count]));
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError") { say(gettext("The map could not load the places. The table below lists them.")); }
        });
    }

    function drawCells(features) {
      var total = 0;
      features.forEach(function (feature) {
        var position = feature.geometry.coordinates;
        var count = feature.properties.count;
        var bounds = feature.properties.bounds;
        total += count;
        var label = interpolate(
          ngettext("%s place here: zoom in", "%s places here: zoom in", count), [count.toLocaleString()]);
        var size = count < 10 ? "small" : (count < 100 ? "medium" : "large");
        var icon = L.divIcon({
          html: "<div><span>" + count.toLocaleString() + "</span></div>",
          className: "marker-cluster marker-cluster-" + size,
          iconSize: L.point(40, 40),
        });
        var marker = L.marker([position[1], position[0]], { icon: icon, title: label, keyboard: true });
        marker.on("click", function () {
          map.fitBounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]], {
            maxZoom: Math.min(map.getZoom() + 3, 18),
          });
        });
        cells.addLayer(marker);
        // A button's name comes from its text (the bare number) before its title: say it all.
        marker.getElement().setAttribute("aria-label", label);
      });
      say(interpolate(
        ngettext("%s place in this area of the map, shown in groups: choose a group or zoom in to see it.",
          "%s places in this area of the map, shown in groups: choose a group or zoom in to see them.", total),
        [total.toLocaleString()]));
    }

    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 200);
    });
    load();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined" || typeof L.markerClusterGroup === "undefined") { return; }
    document.querySelectorAll(".map[data-geojson-url]").forEach(draw);
  });
})();
