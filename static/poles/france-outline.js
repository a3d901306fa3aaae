/* Simplified outline of metropolitan France and Corsica (about 0.1° precision), drawn under the
   markers when no map tiles can be loaded, so the map keeps its bearings offline. */
window.PTCE_FRANCE_OUTLINE = {
  "type": "MultiPolygon",
  "coordinates": [
    [[[2.37, 51.05], [2.55, 51.09], [3.15, 50.78], [3.7, 50.3], [4.2, 50.0], [4.85, 50.15], [4.8, 49.8],
      [5.4, 49.6], [5.9, 49.5], [6.4, 49.47], [7.0, 49.2], [7.6, 49.05], [8.2, 48.97], [7.8, 48.6],
      [7.55, 48.0], [7.6, 47.6], [7.0, 47.45], [6.9, 47.3], [6.45, 46.95], [6.1, 46.6], [6.0, 46.25],
      [6.2, 46.2], [6.8, 46.4], [6.8, 45.95], [7.05, 45.5], [6.63, 45.1], [7.0, 44.85], [6.9, 44.4],
      [7.7, 44.1], [7.5, 43.78], [7.25, 43.68], [6.9, 43.42], [6.6, 43.15], [5.9, 43.1], [5.35, 43.3],
      [4.9, 43.4], [4.6, 43.35], [4.0, 43.55], [3.7, 43.4], [3.2, 43.25], [3.05, 42.9], [3.17, 42.45],
      [2.7, 42.35], [2.0, 42.4], [1.7, 42.5], [1.4, 42.7], [0.7, 42.85], [0.0, 42.7], [-0.7, 42.9],
      [-1.4, 43.05], [-1.78, 43.37], [-1.5, 43.6], [-1.25, 44.3], [-1.2, 45.2], [-1.1, 45.6], [-1.2, 46.0],
      [-1.2, 46.2], [-1.8, 46.5], [-2.15, 46.9], [-2.5, 47.3], [-3.0, 47.5], [-3.6, 47.75], [-4.35, 47.8],
      [-4.5, 48.0], [-4.75, 48.35], [-4.55, 48.65], [-3.6, 48.75], [-3.0, 48.85], [-2.3, 48.65],
      [-1.6, 48.65], [-1.6, 49.2], [-1.9, 49.7], [-1.25, 49.7], [-1.15, 49.35], [-0.2, 49.3], [0.1, 49.5],
      [0.2, 49.7], [1.2, 49.95], [1.6, 50.2], [1.6, 50.8], [1.9, 50.95], [2.37, 51.05]]],
    [[[9.4, 43.0], [9.55, 42.6], [9.5, 42.1], [9.25, 41.4], [9.15, 41.38], [8.8, 41.6], [8.6, 41.9],
      [8.65, 42.3], [8.75, 42.6], [9.3, 42.7], [9.35, 43.0], [9.4, 43.0]]]
  ]
};
/* The base of every map: the outline in a pane under the tiles, so that it shows wherever
   tiles are missing (offline, refused, or not configured), and the tile layer of
   settings.MAP_TILE_URL, sent with a Referer (OpenStreetMap refuses tiles without one).
   When no tile can be loaded, the departments' outlines and names (data-outline: a data file
   of IGN's GEOFLA, Licence Ouverte, see scripts/build_france_outline.py) are loaded into the
   same pane, so that a zoomed map keeps its bearings. */
window.ptceBaseLayers = function (map, el) {
  "use strict";
  var pane = map.createPane("ptce-outline");
  pane.style.zIndex = 150; // under the tile pane (200)
  pane.style.pointerEvents = "none";
  var style = { color: "#6b8f84", weight: 1.5, fillColor: "#f4f1e8", fillOpacity: 1 };
  if (window.PTCE_FRANCE_OUTLINE) {
    L.geoJSON(window.PTCE_FRANCE_OUTLINE, { pane: "ptce-outline", interactive: false, style: style }).addTo(map);
  }
  var requested = false;
  function showLabels() {
    map.getContainer().classList.toggle("show-department-labels", map.getZoom() >= 7);
  }
  function loadDepartments() {
    if (requested || !el.dataset.outline || !window.fetch) { return; }
    requested = true;
    fetch(el.dataset.outline)
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        L.geoJSON(data, {
          pane: "ptce-outline",
          interactive: false,
          style: { color: "#8aa79e", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1 },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.nom + " (" + feature.properties.code + ")", {
              permanent: true, direction: "center", className: "department-label", pane: "ptce-outline", interactive: false
            });
          }
        }).addTo(map);
        map.on("zoomend", showLabels);
        showLabels();
        el.dataset.outlineState = "departments";
      })
      .catch(function () { requested = false; });
  }
  if (el.dataset.tiles) {
    var tiles = L.tileLayer(el.dataset.tiles, {
      maxZoom: 18,
      attribution: el.dataset.attribution || "",
      referrerPolicy: "strict-origin-when-cross-origin"
    });
    tiles.on("tileerror", loadDepartments);
    tiles.addTo(map);
  } else {
    loadDepartments();
  }
};
