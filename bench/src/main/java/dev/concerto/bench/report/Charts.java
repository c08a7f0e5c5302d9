package dev.concerto.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts (XChart, drawn headless) written next to a report. Each method writes one file and
 * returns its name, for a Markdown link. Stateless; callers pass whole data sets.
 */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    private Charts() {
    }

    /** One named series of (x, y) points. */
    public record Series(String name, List<Double> x, List<Double> y) {
    }

    /** A scatter plot (points, no lines), e.g. onset error over the piece per configuration. */
    public static String scatter(Path file, String title, String xTitle, String yTitle, List<Series> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Series s : series) {
            if (!s.x().isEmpty()) {
                chart.addSeries(s.name(), s.x(), s.y());
            }
        }
        return save(chart, file);
    }

    /** Lines with markers, e.g. latency percentiles against buffer size. */
    public static String lines(Path file, String title, String xTitle, String yTitle, List<Series> series)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Series s : series) {
            if (!s.x().isEmpty()) {
                chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return save(chart, file);
    }

    /**
     * A histogram: each series' values counted into {@code bins} equal bins from the smallest value
     * to the 99.5th percentile of all values (larger values are counted in the last bin, so a few
     * outliers do not squash the rest into one bar), drawn as overlapping bars.
     */
    public static String histogram(Path file, String title, String xTitle, Map<String, List<Double>> values, int bins)
            throws IOException {
        List<Double> all = new java.util.ArrayList<>();
        values.values().forEach(all::addAll);
        java.util.Collections.sort(all);
        double lo = all.isEmpty() ? 0 : all.get(0);
        double hi = all.isEmpty() ? 1 : all.get((int) Math.min(all.size() - 1, Math.floor(all.size() * 0.995)));
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle + " (the last bar also counts everything above it)").yAxisTitle("count").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setXAxisDecimalPattern("#0.00");
        if (lo >= hi) {
            lo = 0;
            hi = 1;
        }
        double width = Math.max((hi - lo) / bins, 1e-9);
        List<Double> centres = new java.util.ArrayList<>();
        for (int b = 0; b < bins; b++) {
            centres.add(lo + (b + 0.5) * width);
        }
        for (var e : values.entrySet()) {
            List<Double> counts = new java.util.ArrayList<>(java.util.Collections.nCopies(bins, 0.0));
            for (double d : e.getValue()) {
                int b = Math.max(0, Math.min(bins - 1, (int) ((d - lo) / width)));
                counts.set(b, counts.get(b) + 1);
            }
            chart.addSeries(e.getKey(), centres, counts);
        }
        return save(chart, file);
    }

    private static String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file.getFileName().toString();
    }
}
