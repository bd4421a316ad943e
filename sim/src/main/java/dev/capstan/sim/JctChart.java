package dev.capstan.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The JCT CDF chart: the share of jobs done within a JCT (log scale), one line per policy, as SVG (JFreeChart, JFreeSVG). */
public final class JctChart {
  /** Points drawn per line: the CDF read at this many evenly spaced shares of jobs. */
  private static final int POINTS = 500;

  private JctChart() {}

  /** {@code jcts}: each policy's JCTs in seconds, sorted. */
  public static void writeSvg(Map<String, double[]> jcts, String title, Path file) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    jcts.forEach((policy, sorted) -> {
      XYSeries series = new XYSeries(policy, false);
      for (int i = 0; i <= POINTS && sorted.length > 0; i++) {
        int at = (int) ((long) i * (sorted.length - 1) / POINTS);
        series.add(Math.max(1, sorted[at]), 100.0 * (at + 1) / sorted.length);
      }
      data.addSeries(series);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, "job completion time", "jobs completed (%)", data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.getXYPlot().setDomainAxis(new LogAxis("job completion time (s, log scale)"));
    SvgCharts.style(chart, jcts.keySet());
    SvgCharts.write(chart, file);
  }
}
