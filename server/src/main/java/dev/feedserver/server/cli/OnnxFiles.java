package dev.feedserver.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.server.http.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * File handling shared by {@code export-onnx} and {@code import-onnx}: an input that is missing,
 * unreadable or not what the option expects becomes a {@link ParameterException} naming the
 * option and the file (picocli prints it with the usage and exits with status 2); outputs are
 * written to a temporary name and renamed, so a failed run leaves no half-written file; the
 * summary is one line of JSON on the command's standard output. Stateless.
 */
final class OnnxFiles {

    private OnnxFiles() {
    }

    /** The bytes of an input file. */
    static byte[] read(CommandSpec spec, String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw invalid(spec, option, file, "no such file");
        } catch (IOException e) {
            throw invalid(spec, option, file, "cannot be read (" + e + ")");
        }
    }

    /** A ranker model file. */
    static RankerModelFile.Loaded readModel(CommandSpec spec, String option, Path file) {
        try {
            return RankerModelFile.read(file);
        } catch (NoSuchFileException e) {
            throw invalid(spec, option, file, "no such file");
        } catch (IOException e) {
            throw invalid(spec, option, file, "cannot be read (" + e + ")");
        } catch (IllegalArgumentException e) {
            // RankerModelFile's messages start with the file already.
            throw new ParameterException(spec.commandLine(), "Invalid value for " + option + ": " + e.getMessage(), e,
                    spec.findOption(option), file.toString());
        }
    }

    /** The error for an input file the command cannot use. */
    static ParameterException invalid(CommandSpec spec, String option, Path file, String problem) {
        return new ParameterException(spec.commandLine(), "Invalid value for " + option + ": " + file + ": " + problem,
                spec.findOption(option), file.toString());
    }

    /** Writes {@code bytes} to {@code file} through a temporary sibling and an atomic rename. */
    static void writeAtomically(byte[] bytes, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Prints {@code summary} as one line of JSON on the command's output. */
    static void printSummary(CommandSpec spec, ObjectNode summary) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.MAPPER.writeValueAsString(summary));
        out.flush();
    }
}
