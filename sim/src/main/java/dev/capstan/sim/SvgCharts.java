package dev.capstan.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.svg.SVGGraphics2D;

/** The look the simulator's line charts share (white, grey grid, Capstan's line dashed) and their writing as SVG. */
final class SvgCharts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private SvgCharts() {}

  /** Styles the chart's plot; {@code policies} name its series in order. */
  static void style(JFreeChart chart, Iterable<String> policies) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setRange(0, 100);
    int i = 0;
    for (String policy : policies) {
      // Capstan's line is dashed so that it stays visible where it lies on another policy's.
      plot.getRenderer().setSeriesStroke(i++, policy.equals("capstan")
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(2f));
    }
  }

  static void write(JFreeChart chart, Path file) throws IOException {
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    Files.writeString(file, g2.getSVGDocument(), StandardCharsets.UTF_8);
  }
}
