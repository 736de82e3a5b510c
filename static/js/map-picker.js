// Lets a member place the organisation's seat on a map; the latitude and longitude fields
// remain the way to do it without JavaScript or a pointer.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("seat-picker");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!element || !lat || !lon || typeof L === "undefined") { return; }
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    if (lat.value && lon.value) {
      var start = [parseFloat(lat.value.replace(",", ".")), parseFloat(lon.value.replace(",", "."))];
      place(start);
      map.setView(start, 15);
    } else {
      map.setView([parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)], 12);
    }
    map.on("click", function (event) {
      place(event.latlng);
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
    });
  });
})();
