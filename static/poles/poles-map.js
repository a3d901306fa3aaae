/* Map of the poles (/carte/ and /carte/embed/). Progressive enhancement: the list and the
   counts per region are in the HTML; this only draws them on a Leaflet map. */
(function () {
  "use strict";
  var el = document.getElementById("poles-map");
  var dataEl = document.getElementById("poles-geojson");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  el.classList.add("is-active");

  var map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
  window.ptceBaseLayers(map, el);
  var target = el.dataset.linkTarget || "";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  var icon = L.divIcon({ className: "pole-marker", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] });
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
  var markers = {};
  var metro = [];
  var all = [];
  data.features.forEach(function (feature) {
    if (!feature.geometry) { return; }
    var lon = feature.geometry.coordinates[0];
    var lat = feature.geometry.coordinates[1];
    var p = feature.properties;
    var marker = L.marker([lat, lon], { icon: icon, title: p.name, alt: p.name, keyboard: true });
    var town = p.town;
    // A town no document gives is deduced: say so (the pole's page gives the reasoning).
    if (town && p.sources && p.sources.town && p.sources.town.kind === "inference") {
      town += " (" + (el.dataset.inferredLabel || "déduite") + ")";
    }
    var place = [town, (p.departments || []).join(", ")].filter(Boolean).join(" · ");
    marker.bindPopup(
      "<strong>" + escapeHtml(p.name) + "</strong>" +
      (p.carrier_structure ? "<br><span>" + escapeHtml(p.carrier_structure) + "</span>" : "") +
      "<br><span class=\"popup-place\">" + escapeHtml(place) + " — " + escapeHtml(p.region) + "</span>" +
      "<br><a href=\"" + escapeHtml(p.url) + "\"" + (target ? " target=\"" + target + "\" rel=\"noopener\"" : "") + ">" +
      escapeHtml(el.dataset.popupLink || "Voir la fiche") + "</a>"
    );
    cluster.addLayer(marker);
    markers[p.slug] = marker;
    all.push([lat, lon]);
    if (lat > 41 && lat < 51.5 && lon > -5.5 && lon < 10) { metro.push([lat, lon]); }
  });
  map.addLayer(cluster);
  var points = metro.length ? metro : all;
  if (points.length > 8 && metro.length === points.length) {
    map.fitBounds([[42.3, -4.8], [51.1, 8.3]]);
  } else if (points.length > 1) {
    map.fitBounds(points, { padding: [30, 30], maxZoom: 9 });
  } else if (points.length === 1) {
    map.setView(points[0], 9);
  } else {
    map.fitBounds([[41.3, -5.2], [51.1, 9.6]]);
  }

  // "Locate on the map" buttons in the text list.
  document.querySelectorAll(".map-pole-list li[data-slug]").forEach(function (item) {
    var marker = markers[item.dataset.slug];
    if (!marker) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-link locate-button";
    button.textContent = el.dataset.locateShort || "Localiser";
    button.setAttribute("aria-label", (el.dataset.locateLabel || "Localiser") + " : " + item.querySelector("a").textContent);
    button.addEventListener("click", function () {
      cluster.zoomToShowLayer(marker, function () { marker.openPopup(); });
      el.scrollIntoView({ behavior: "smooth", block: "center" });
    });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(button);
  });
  window.ptcePolesMap = { map: map, cluster: cluster, markers: markers };
})();
