// Monthly trend: received and resolved bars on a count axis (left), the on-time rate on its own
// percentage axis (right). Each dataset names its axis: without it Chart.js puts every dataset on the
// first y axis it finds, and the bars were drawn against the rate's 80–100 scale (clipped at the top).
(function () {
  var el = document.getElementById("trend");
  var source = document.getElementById("trend-data");
  if (!el || !source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  // Series names come translated from the template (data-label-*), in the reader's language; numbers
  // on the axes and in the tooltips follow the page's language too (1.455 in Vietnamese, 1,455 in English).
  var label = function (key, fallback) { return el.dataset[key] || fallback; };
  var rates = data.map(function (d) { return d.on_time_rate === null ? null : Math.round(d.on_time_rate * 10000) / 100; });
  var known = rates.filter(function (r) { return r !== null; });
  // The rate axis starts at a round ten below the lowest rate (0 at worst), so a dip stays visible.
  var rateMin = known.length ? Math.max(0, Math.floor((Math.min.apply(null, known) - 5) / 10) * 10) : 0;
  new Chart(el, {
    type: "bar",
    data: {
      labels: data.map(function (d) { return d.month; }),
      datasets: [
        { type: "bar", yAxisID: "count", label: label("labelReceived", "Tiếp nhận"),
          data: data.map(function (d) { return d.received; }), backgroundColor: "#0d6efd88", order: 2 },
        { type: "bar", yAxisID: "count", label: label("labelResolved", "Đã giải quyết"),
          data: data.map(function (d) { return d.resolved; }), backgroundColor: "#19875488", order: 2 },
        { type: "line", yAxisID: "rate", label: label("labelRate", "Tỷ lệ đúng hạn (%)"), data: rates,
          borderColor: "#dc3545", backgroundColor: "#dc3545", order: 1 }
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      locale: document.documentElement.lang || "vi",
      // The legend lists the series in the order of the data, whatever order they are drawn in.
      plugins: { legend: { labels: { sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } } },
      scales: {
        count: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 },
                 title: { display: true, text: label("labelCount", "Hồ sơ") } },
        rate: { type: "linear", position: "right", min: rateMin, max: 100, grid: { drawOnChartArea: false },
                title: { display: true, text: "%" } }
      }
    }
  });
})();
