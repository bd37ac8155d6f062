package dev.feedserver.bench;

import dev.feedserver.bench.agents.SystemFigures;
import dev.feedserver.generation.orchestration.TokenCount;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The {@code agents} suite's plot: mean model tokens per output (in and out stacked) for both
 * systems, beside their pass rates (jobs that succeeded, and the story's first-attempt pass
 * rate). Stateless.
 */
final class AgentsChart {

    private static final List<String> SYSTEMS = List.of("two-step", "agent graph");

    private AgentsChart() {
    }

    static void write(Path file, int briefs, SystemFigures ours, SystemFigures theirs) {
        CategoryChart tokens = new CategoryChartBuilder().width(700).height(500)
                .title(String.format(Locale.ROOT, "Model tokens per output (mean of %d briefs)", briefs))
                .yAxisTitle("tokens (stories260K tokenizer)").build();
        style(tokens);
        tokens.getStyler().setStacked(true);
        tokens.addSeries("read (prompt)", SYSTEMS, List.of(ours.tokens(TokenCount::modelIn).mean(),
                theirs.tokens(TokenCount::modelIn).mean()));
        tokens.addSeries("generated", SYSTEMS, List.of(ours.tokens(TokenCount::modelOut).mean(),
                theirs.tokens(TokenCount::modelOut).mean()));
        CategoryChart pass = new CategoryChartBuilder().width(700).height(500).title("Constraint pass rate")
                .yAxisTitle("% of briefs / of story stages").build();
        style(pass);
        pass.getStyler().setYAxisMax(100.0);
        pass.addSeries("job succeeded", SYSTEMS, List.of(100 * ours.passRate(), 100 * theirs.passRate()));
        pass.addSeries("story passed on attempt 1", SYSTEMS, List.of(
                100 * ours.firstAttemptPassRates().getOrDefault("story", 0.0),
                100 * theirs.firstAttemptPassRates().getOrDefault("story", 0.0)));
        BufferedImage left = BitmapEncoder.getBufferedImage(tokens);
        BufferedImage right = BitmapEncoder.getBufferedImage(pass);
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(both, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0");
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    }
}
