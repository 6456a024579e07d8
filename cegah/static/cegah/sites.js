// Site registry pages: region search on the list, the maturity chart on a site page, and
// the upload progress on the import page. No inline scripts (CSP); data comes from
// json_script tags and data- attributes.
(function () {
  "use strict";

  // Region search: <input data-region-search="/api/v1/regions" list="…"> fills its datalist
  // with matching regions ("35.78 Kota Surabaya"); choosing one puts its code in the input.
  function regionSearch(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-region-search");
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (/^[0-9.]*$/.test(text) || text.length < 3 || text === last) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = text;
        // Regencies first, then districts: a village can still be typed as its code.
        var q = "&q=" + encodeURIComponent(text);
        Promise.all([2, 3].map(function (level) {
          return fetch(url + "?limit=15&level=" + level + q, {credentials: "same-origin"})
            .then(function (r) { return r.ok ? r.json() : {items: []}; });
        }))
          .then(function (answers) {
            list.replaceChildren();
            answers.forEach(function (data) { (data.items || []).forEach(function (region) {
              var option = document.createElement("option");
              option.value = region.code;
              option.label = region.code + " " + region.name;
              option.textContent = region.code + " " + region.name;
              list.appendChild(option);
            }); });
          })
          .catch(function () {});
      }, 250);
    });
  }

  // Maturity trajectory: <div data-chart="maturity" data-source="id of a json_script">.
  function maturityChart(el) {
    if (!window.echarts) { return; }
    var source = document.getElementById(el.getAttribute("data-source"));
    var points = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, {renderer: "svg"});
    chart.setOption({
      grid: {left: 40, right: 30, top: 30, bottom: 30},
      tooltip: {trigger: "axis"},
      xAxis: {type: "time"},
      yAxis: {type: "value", min: 0, max: 4, interval: 1},
      series: [{
        name: el.getAttribute("data-label-maturity"),
        type: "line",
        step: false,
        symbolSize: 8,
        data: points.map(function (p) { return [p.date, p.maturity]; }),
        markLine: {
          symbol: "none",
          lineStyle: {type: "dashed", color: "#2fb344"},
          label: {formatter: el.getAttribute("data-label-functioning"), position: "insideEndTop"},
          data: [{yAxis: 3}]
        }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // Upload progress: <form data-upload-progress="id of a .progress-bar"> posted by htmx.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("[data-upload-progress]");
    if (!form || !event.detail.lengthComputable) { return; }
    var bar = document.getElementById(form.getAttribute("data-upload-progress"));
    var percent = Math.round(100 * event.detail.loaded / event.detail.total);
    bar.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(percent));
    if (percent >= 100) { bar.classList.add("progress-bar-indeterminate"); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-region-search]").forEach(regionSearch);
    document.querySelectorAll("[data-chart=maturity]").forEach(maturityChart);
  });
})();
