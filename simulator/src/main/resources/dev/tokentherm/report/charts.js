// Draws every chart of a tokentherm report from its embedded JSON (report.Chart).
(function () {
  function option(c) {
    var shared = c.x;
    var log = c.kind === 'cdf';
    var series = c.series.map(function (s) {
      var xs = s.x || shared;
      var data = [];
      for (var i = 0; i < s.y.length; i++) {
        if (!log || xs[i] > 0) { data.push([xs[i], s.y[i]]); }
      }
      return {
        name: s.name, type: c.kind === 'scatter' && !s.joined ? 'scatter' : 'line', data: data,
        yAxisIndex: s.axis || 0, showSymbol: c.kind === 'scatter', symbolSize: s.joined ? 7 : 4,
        step: c.kind === 'cdf' ? false : undefined, sampling: s.joined ? undefined : 'lttb',
        lineStyle: {width: s.joined ? 2 : 1.2}, z: s.joined ? 3 : 2
      };
    });
    var legend = c.series.map(function (s) { return s.name; });
    var marksX = (c.marks || []).filter(function (m) { return m.x !== undefined; }).map(function (m) { return m.x; });
    var marksY = (c.marks || []).filter(function (m) { return m.y !== undefined; }).map(function (m) { return m.y; });
    // labels of nearby lines (thermal limits a few °C apart) take turns along the line
    var places = ['insideEndTop', 'insideMiddleTop', 'insideStartTop'];
    var markData = (c.marks || []).map(function (m, i) {
      var label = {position: places[i % places.length]};
      return m.x !== undefined ? {name: m.name, xAxis: m.x, label: label} : {name: m.name, yAxis: m.y, label: label};
    });
    if (markData.length > 0) {
      series.push({
        name: 'thresholds', type: 'line', data: [],
        markLine: {symbol: 'none', silent: true, data: markData,
          label: {formatter: '{b}'}, lineStyle: {type: 'dashed', color: '#c23531'}}
      });
    }
    // threshold lines stay in view: the axes reach them
    function reach(marks) {
      return marks.length === 0 ? null : function (v) { return Math.max.apply(null, [v.max].concat(marks)); };
    }
    var yAxis = [{type: 'value', name: c.y_name, scale: c.kind !== 'cdf', max: c.kind === 'cdf' ? 1 : reach(marksY)}];
    if (c.y2_name) { yAxis.push({type: 'value', name: c.y2_name, scale: true}); }
    return {
      animation: false,
      title: {text: c.title, left: 'center', textStyle: {fontSize: 14}},
      tooltip: {trigger: c.kind === 'scatter' ? 'item' : 'axis'},
      legend: {type: 'scroll', bottom: 0, data: legend},
      grid: {left: 70, right: c.y2_name ? 70 : 30, top: 50, bottom: 70},
      xAxis: {type: log ? 'log' : 'value', name: c.x_name + (log ? ' (log scale)' : ''), nameLocation: 'middle',
        nameGap: 25, scale: !log, max: reach(marksX)},
      yAxis: yAxis,
      dataZoom: [{type: 'inside'}],
      series: series
    };
  }
  function draw() {
    var nodes = document.querySelectorAll('div.chart');
    for (var i = 0; i < nodes.length; i++) {
      var div = nodes[i];
      var c = JSON.parse(document.getElementById(div.getAttribute('data-chart')).textContent);
      echarts.init(div, null, {renderer: 'canvas'}).setOption(option(c));
    }
    window.tokenthermChartsDrawn = nodes.length;
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
