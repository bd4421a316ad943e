package dev.capstan.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The allocation chart: allocated GPU % against arrived workload, one line per policy, as SVG (JFreeChart, JFreeSVG). */
public final class AllocationChart {
  private AllocationChart() {}

  public static void writeSvg(Map<String, double[]> curves, String title, Path file) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    curves.forEach((policy, curve) -> {
      XYSeries series = new XYSeries(policy);
      for (int pct = 0; pct < curve.length; pct++) {
        if (!Double.isNaN(curve[pct])) {
          series.add(pct, curve[pct]);
        }
      }
      data.addSeries(series);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, "arrived workload (% of cluster GPU capacity)",
        "allocated GPUs (% of capacity)", data, PlotOrientation.VERTICAL, true, false, false);
    SvgCharts.style(chart, curves.keySet());
    SvgCharts.write(chart, file);
  }
}
