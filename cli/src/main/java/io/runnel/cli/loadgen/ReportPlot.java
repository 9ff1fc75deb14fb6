package io.runnel.cli.loadgen;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run as a PNG with XChart: throughput over time above, the latency distribution (latency by percentile,
 * on a log scale of 1/(1-p)) below. Works headless.
 */
public final class ReportPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;

    private ReportPlot() {
    }

    /**
     * Draws a run's plot and writes it, replacing the file. Sets {@code java.awt.headless} when it is not set.
     *
     * @param report        the run, for its throughput samples and title
     * @param latencyMicros the run's latency histogram, in microseconds
     * @param png           where to write the PNG
     * @throws IOException when the file cannot be written
     */
    public static void write(LoadReport report, Histogram latencyMicros, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart throughput = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput: " + report.client() + " → " + report.stream())
                .xAxisTitle("seconds").yAxisTitle("records/s").build();
        throughput.getStyler().setLegendVisible(false);
        List<Double> t = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        for (Progress.Sample s : report.throughput()) {
            t.add(s.seconds());
            rate.add(s.recordsPerSecond());
        }
        if (t.isEmpty()) {
            t.add(report.elapsedSeconds());
            rate.add(report.recordsPerSecond());
        }
        XYSeries ts = throughput.addSeries("records/s", t, rate);
        ts.setMarker(SeriesMarkers.NONE);

        XYChart latency = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Latency distribution (handed over → in the stream)")
                .xAxisTitle("percentile: 1/(1-p)  (10 = p90, 100 = p99, 1000 = p99.9)")
                .yAxisTitle("latency, ms").build();
        latency.getStyler().setLegendVisible(false);
        latency.getStyler().setXAxisLogarithmic(true);
        List<Double> inverse = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        if (latencyMicros.getTotalCount() > 0) {
            for (HistogramIterationValue v : latencyMicros.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) {
                    break;
                }
                inverse.add(1 / (1 - p));
                millis.add(v.getValueIteratedTo() / 1000.0);
            }
        }
        if (inverse.isEmpty()) {
            inverse.add(1.0);
            millis.add(0.0);
        }
        XYSeries ls = latency.addSeries("latency", inverse, millis);
        ls.setMarker(SeriesMarkers.NONE);

        // One image, the two charts stacked; written to exactly the path asked for (XChart would add ".png").
        BufferedImage top = BitmapEncoder.getBufferedImage(throughput);
        BufferedImage bottom = BitmapEncoder.getBufferedImage(latency);
        BufferedImage both = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        try {
            g.drawImage(top, 0, 0, null);
            g.drawImage(bottom, 0, HEIGHT, null);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(both, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }
}
