package dev.feedserver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** PNG bar and line charts of suite figures (XChart), written beside the JSON. Stateless. */
final class Charts {
    private Charts() {
    }

    static void downcalls(Path file, JmhFigures figures) {
        List<String> names = List.of("criticalOffHeap", "criticalHeap", "plainOffHeap", "checkedFacade");
        List<Double> values = names.stream().map(n -> figures.get(n).median()).toList();
        bar(file, "FFM downcall cost (one-row dot product)", "ns per call", names, values);
    }

    static void bar(Path file, String title, String yAxis, List<String> categories, List<Double> values) {
        bars(file, title, yAxis, categories, Map.of(yAxis, values), false);
    }

    /** Grouped bars, one colour per series (legend shown when there are several); optionally a log y axis. */
    static void bars(Path file, String title, String yAxis, List<String> categories,
                     Map<String, List<Double>> series, boolean logarithmic) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).yAxisTitle(yAxis).build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0.0");
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (logarithmic) {
            chart.getStyler().setYAxisMin(1.0); // bars start at 1, not at 0 (which a log axis cannot show)
        }
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        write(chart, file);
    }

    /**
     * Lines with markers through (x, y) points, one series each (points in the order given), on a
     * log x axis: for example recall against latency, one series per index.
     */
    static void lines(Path file, String title, String xAxis, String yAxis, Map<String, double[][]> series) {
        lines(file, title, xAxis, yAxis, series, true);
    }

    /** As {@link #lines(Path, String, String, String, Map)}, with a linear x axis when {@code logX} is false. */
    static void lines(Path file, String title, String xAxis, String yAxis, Map<String, double[][]> series, boolean logX) {
        XYChart chart = new XYChartBuilder().width(900).height(550).title(title).xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        series.forEach((name, points) -> {
            double[] x = new double[points.length];
            double[] y = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                x[i] = points[i][0];
                y[i] = points[i][1];
            }
            chart.addSeries(name, x, y);
        });
        write(chart, file);
    }

    private static void write(Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
