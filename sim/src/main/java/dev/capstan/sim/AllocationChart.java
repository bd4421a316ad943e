package dev.capstan.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The allocation chart: allocated GPU % against arrived workload, one line per policy, as SVG (JFreeChart, JFreeSVG). */
public final class AllocationChart {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

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
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setRange(0, 100);
    XYItemRenderer lines = plot.getRenderer();
    int i = 0;
    for (String policy : curves.keySet()) {
      // Capstan's line is dashed so that it stays visible where it lies on another policy's.
      lines.setSeriesStroke(i++, policy.equals("capstan")
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(2f));
    }
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    Files.writeString(file, g2.getSVGDocument(), StandardCharsets.UTF_8);
  }
}
