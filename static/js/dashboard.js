/* Dashboard charts: data from the json_script "dashboard-data"; each canvas names its chart.
 * One measure and one value scale a chart. On a phone the labels are larger, the legend
 * goes under the chart and the bars by commune lie flat, so that the names can be read. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#b71c1c", "#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f"];
  var phone = window.matchMedia("(max-width: 576px)").matches;
  Chart.defaults.font.size = phone ? 13 : 12;
  Chart.defaults.color = "#212529";

  function valueScale(title) {
    var scale = { beginAtZero: true, ticks: { precision: 0 } };
    if (title) {
      scale.title = { display: true, text: title };
    }
    return scale;
  }
  function labelScale() {
    return { ticks: { autoSkip: true, maxRotation: phone ? 0 : 45 } };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart) {
      return;
    }
    var type = canvas.dataset.type || "bar";
    // Many names on a narrow screen: horizontal bars, a row per name (years stay upright).
    var flat = phone && type === "bar" && chart.labels.length > 4 &&
      chart.labels.some(function (label) { return String(label).length > 6; });
    if (flat) {
      canvas.parentNode.style.height = Math.max(260, chart.labels.length * chart.series.length * 14 + 80) + "px";
    }
    var scales = flat
      ? { x: valueScale(chart.axis), y: { ticks: { autoSkip: false } } }
      : { x: labelScale(), y: valueScale(chart.axis) };
    new Chart(canvas, {
      type: type,
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            borderColor: colours[i % colours.length],
            backgroundColor: colours[i % colours.length],
            tension: 0.2
          };
        })
      },
      options: {
        // Numbers on the axes and in the tooltips grouped as the page's language writes
        // them (160.000 in Vietnamese), like the figures around the charts.
        locale: document.documentElement.lang || undefined,
        indexAxis: flat ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {
            display: chart.series.length > 1,
            position: phone ? "bottom" : "top",
            labels: { boxWidth: phone ? 14 : 40 }
          }
        },
        scales: scales
      }
    });
    canvas.dataset.rendered = "1";
  });
})();
