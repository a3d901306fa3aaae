/* Map of the poles (/carte/ and /carte/embed/). Progressive enhancement: the counts per region
   and a paginated list of the poles are in the HTML; this script loads the map's points from
   data-points (a compact GeoJSON cached by the server, see poles.exports.map_points: n name,
   c carrier structure, t town, ti true when the town is deduced, d department codes, r region, l logo URL, la logo text) and
   draws them in clusters, added in chunks so that the page keeps answering with 10,000 poles.
   Clustering stops at zoom 13 (markercluster builds its clusters for every zoom level up front:
   the levels above 12, where nearly every marker stands alone, cost more than half of the
   clustering of 10,000 markers). Up to zoom 12, markers on the same spot spread apart (spiderfy)
   when their cluster is opened; from zoom 13, where they would hide each other, the popup of
   one of them lists every pole of that spot. */
(function () {
  "use strict";
  var el = document.getElementById("poles-map");
  if (!el || typeof L === "undefined" || !window.fetch) { return; }
  el.classList.add("is-active");
  var status = document.getElementById("poles-map-status");
  var target = el.dataset.linkTarget || "";
  var FRANCE = [[41.3, -5.2], [51.1, 9.6]];

  var map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.5, minZoom: 2, maxZoom: 18 });
  map.fitBounds(FRANCE);
  window.ptceBaseLayers(map, el);

  var CLUSTER_UNTIL_ZOOM = 12;
  var markers = {};
  var spots = {};  // "lat,lon" -> the markers standing there (for the popup of twins)
  var api = { map: map, markers: markers, drawing: false, ready: false, open: open };
  window.ptcePolesMap = api;
  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    chunkInterval: 200,
    chunkDelay: 5,
    chunkProgress: progress,
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    disableClusteringAtZoom: CLUSTER_UNTIL_ZOOM + 1,
    spiderfyOnMaxZoom: true,
    spiderfyDistanceMultiplier: 1.8
  });
  api.cluster = cluster;
  map.addLayer(cluster);
  // Spread markers gather again, at once, before any zoom: markercluster's animated gathering
  // (200 ms) would take them off the map after a zoom without animation (more than 4 levels at
  // once) had shown them past the clustered levels (its own method, of the vendored 1.5.3).
  map.on("zoomstart", function () { cluster._noanimationUnspiderfy(); });
  var icon = L.divIcon({ className: "pole-marker", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] });

  function say(text) { if (status) { status.textContent = text || ""; } }

  // Stages of the drawing, for the benchmark (bench/in_browser.py reads them).
  function mark(name) { if (window.performance && performance.mark) { performance.mark("ptce-map:" + name); } }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function poleUrl(slug) {
    return (el.dataset.poleUrl || "/poles/__slug__/").replace("__slug__", encodeURIComponent(slug));
  }

  function popupHtml(slug, p) {
    var town = p.t;
    // A town no document gives is deduced (ti): say so (the pole's page gives the reasoning).
    if (town && p.ti) { town += " (" + (el.dataset.inferredLabel || "déduite") + ")"; }
    var place = [town, (p.d || []).join(", ")].filter(Boolean).join(" · ");
    if (p.r) { place = place ? place + " — " + p.r : p.r; }
    var link = "<a href=\"" + escapeHtml(poleUrl(slug)) + "\"" +
      (target ? " target=\"" + target + "\" rel=\"noopener\"" : "") + ">" +
      escapeHtml(el.dataset.popupLink || "Voir la fiche") + "</a>";
    return "<div class=\"pole-popup\">" +
      (p.l ? "<img class=\"pole-popup-logo\" src=\"" + escapeHtml(p.l) + "\" alt=\"" + escapeHtml(p.la || "") + "\" width=\"64\" height=\"64\" loading=\"lazy\">" : "") +
      "<div><strong>" + escapeHtml(p.n) + "</strong>" +
      (p.c ? "<br><span>" + escapeHtml(p.c) + "</span>" : "") +
      (place ? "<br><span class=\"popup-place\">" + escapeHtml(place) + "</span>" : "") +
      "<br>" + link + "</div></div>";
  }

  // Popups are made on first use: 10,000 of them up front cost for nothing.
  function ensurePopup(marker) {
    if (!marker.getPopup()) {
      // Made at each opening: the poles of the same spot once they are no longer spread.
      marker.bindPopup(function () {
        var twins = map.getZoom() > CLUSTER_UNTIL_ZOOM ? spots[marker.ptceSpot] : [marker];
        return twins.map(function (m) { return popupHtml(m.ptceSlug, m.ptceProperties); }).join("");
      }, { maxWidth: 300 });
    }
    return marker;
  }
  cluster.on("click", function (event) {
    var marker = event.layer;
    if (marker && marker.ptceSlug && !marker.isPopupOpen()) { ensurePopup(marker).openPopup(); }
  });

  function open(slug) {
    var marker = markers[slug];
    if (!marker) { return false; }
    cluster.zoomToShowLayer(marker, function () { ensurePopup(marker).openPopup(); });
    return true;
  }

  function fit(metro, all) {
    var points = metro.length ? metro : all;
    if (points.length > 8 && metro.length === points.length) {
      map.fitBounds([[42.3, -4.8], [51.1, 8.3]], { animate: false });
    } else if (points.length > 1) {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 9, animate: false });
    } else if (points.length === 1) {
      map.setView(points[0], 9, { animate: false });
    }
  }

  // Called after each chunk; the last chunk's markers reach the map right after this call.
  function progress(processed, total) {
    if (!api.drawing || processed < total || api.ready) { return; }
    api.ready = true;
    mark("clustered");
    window.setTimeout(function () {
      el.dataset.state = "ready";
      say("");
      addLocateButtons();
    }, 0);
  }

  // "Locate on the map" buttons in the text list.
  function addLocateButtons() {
    document.querySelectorAll(".map-pole-list li[data-slug]").forEach(function (item) {
      if (!markers[item.dataset.slug] || item.querySelector(".locate-button")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-link locate-button";
      button.textContent = el.dataset.locateShort || "Localiser";
      button.setAttribute("aria-label", (el.dataset.locateLabel || "Localiser") + " : " + item.querySelector("a").textContent);
      button.addEventListener("click", function () {
        open(item.dataset.slug);
        el.scrollIntoView({ behavior: "smooth", block: "center" });
      });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(button);
    });
  }

  function draw(data) {
    mark("parsed");
    var list = [];
    var metro = [];
    var all = [];
    (data.features || []).forEach(function (feature) {
      if (!feature.geometry || !feature.id) { return; }
      var lon = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var p = feature.properties || {};
      var marker = L.marker([lat, lon], { icon: icon, title: p.n, alt: p.n, keyboard: true });
      marker.ptceSlug = feature.id;
      marker.ptceProperties = p;
      marker.ptceSpot = lat + "," + lon;
      (spots[marker.ptceSpot] = spots[marker.ptceSpot] || []).push(marker);
      markers[feature.id] = marker;
      list.push(marker);
      all.push([lat, lon]);
      if (lat > 41 && lat < 51.5 && lon > -5.5 && lon < 10) { metro.push([lat, lon]); }
    });
    mark("markers");
    fit(metro, all);
    api.drawing = true;
    if (!list.length) { progress(0, 0); return; }
    cluster.addLayers(list, true);
  }

  say(el.dataset.loading);
  el.dataset.state = "loading";
  mark("fetch");
  // The same request as the page's <link rel="preload" as="fetch" crossorigin="anonymous">
  // (no extra header), so that it is the preloaded answer.
  fetch(el.dataset.points, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(draw)
    .catch(function () {
      el.dataset.state = "error";
      say(el.dataset.loadError);
    });
})();
