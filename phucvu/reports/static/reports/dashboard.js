// Monthly trend: received and resolved bars, on-time rate line (Chart.js, vendored).
(function () {
  var el = document.getElementById("trend");
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  if (!el || !window.Chart) return;
  // Series names come translated from the template (data-label-*), in the reader's language.
  var label = function (key, fallback) { return el.dataset[key] || fallback; };
  new Chart(el, {
    data: {
      labels: data.map(function (d) { return d.month; }),
      datasets: [
        { type: "bar", label: label("labelReceived", "Tiếp nhận"), data: data.map(function (d) { return d.received; }), backgroundColor: "#0d6efd88" },
        { type: "bar", label: label("labelResolved", "Đã giải quyết"), data: data.map(function (d) { return d.resolved; }), backgroundColor: "#19875488" },
        { type: "line", label: label("labelRate", "Tỷ lệ đúng hạn (%)"), yAxisID: "rate",
          data: data.map(function (d) { return d.on_time_rate === null ? null : Math.round(d.on_time_rate * 10000) / 100; }),
          borderColor: "#dc3545" }
      ]
    },
    options: { responsive: true, animation: false,
      scales: { rate: { position: "right", min: 80, max: 100, grid: { drawOnChartArea: false } } } }
  });
})();
