package dev.feedserver.bench;

import dev.feedserver.bench.ReportMarkdown.Skipped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./feedserver bench report}: reads every {@code *.json} result file in a folder and
 * writes one Markdown report of them (see {@link ReportMarkdown}). A file that is not a result
 * file is skipped with a warning and listed in the report; it never fails the run. Progress on
 * stdout, warnings on stderr. Single run, one thread.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Markdown report of every result file in a folder: machine, command, headline metrics and plots per suite.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "bench/results", description = "Folder of the *.json result files and PNG plots (default ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--output", defaultValue = "bench/results/REPORT.md", description = "Markdown file to write (default ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(results)) {
            System.err.println("report: results folder " + results + " does not exist or is not a folder");
            return 1;
        }
        List<Path> jsonFiles = list(results, "*.json");
        if (jsonFiles.isEmpty()) {
            System.err.println("report: no *.json result files in " + results);
            return 1;
        }
        List<ResultSummary> summaries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : jsonFiles) {
            try {
                ResultSummary summary = ResultSummary.read(file);
                summaries.add(summary);
                System.out.println("read " + file + " (suite " + summary.suite() + ", " + summary.metrics().size() + " metrics)");
            } catch (IOException | IllegalArgumentException e) {
                // One unreadable file must not cost the report of all the others.
                skipped.add(new Skipped(file, e.getMessage()));
                System.err.println("report: skipping " + file + ": " + e.getMessage());
            }
        }
        summaries.sort(Comparator.comparing(ResultSummary::suite).thenComparing(s -> s.file().getFileName().toString()));
        SuitePlots plots = SuitePlots.assign(summaries.stream().map(ResultSummary::suite).toList(), list(results, "*.{png,PNG}"));
        Path folder = output.toAbsolutePath().getParent();
        String markdown = new ReportMarkdown(folder).render(results, summaries, plots, skipped);
        write(output, markdown);
        System.out.println("wrote " + output + " (" + summaries.size() + " suites, " + skipped.size() + " files skipped)");
        return 0;
    }

    private static List<Path> list(Path folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, glob)) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    /** Through a temporary file and a rename, so a reader never sees half a report. */
    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report " + file, e);
        }
    }
}
