/* Small map of one pole on its page (progressive enhancement). */
(function () {
  "use strict";
  var el = document.getElementById("pole-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = parseFloat(el.dataset.lat);
  var lon = parseFloat(el.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) { return; }
  el.classList.add("is-active");
  var map = L.map(el, { scrollWheelZoom: false, keyboard: false, zoomSnap: 0.5, maxZoom: 18, dragging: !L.Browser.mobile }).setView([lat, lon], 5.5);
  window.ptceBaseLayers(map, el);
  var icon = L.divIcon({ className: "pole-marker", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] });
  L.marker([lat, lon], { icon: icon, title: el.dataset.name, alt: el.dataset.name, keyboard: false }).addTo(map);
})();
