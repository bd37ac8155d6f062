package dev.feedserver.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.feedserver.nativelib.QuantizedMlp.Layer;
import dev.feedserver.onnx.mlp.MlpExportInfo;
import dev.feedserver.onnx.mlp.OnnxMlpExporter;
import dev.feedserver.ranking.rank.FeatureSchema;
import dev.feedserver.ranking.rank.ObjectiveWeights;
import dev.feedserver.ranking.rank.RankerModel;
import dev.feedserver.ranking.rank.RankerModelFile;
import dev.feedserver.server.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code export-onnx} and {@code import-onnx} run in-process through the real command line: a
 * model file survives the trip through ONNX bit for bit, and bad inputs end with status 2 and a
 * message naming the option, the file and the problem.
 */
class OnnxCommandsTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema(8, 16, 4, 3, 8);

    @TempDir
    Path dir;

    /** Exit status, standard output and standard error of one in-process run. */
    private record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, "one summary line: " + out);
            return Json.MAPPER.readTree(lines[0]);
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FeedServerCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path modelFile() throws Exception {
        RankerModel model = RankerModel.initialise(SCHEMA, 32, 16, 42, "cli-test-1")
                .withVersion("cli-test-1", ObjectiveWeights.DEFAULT.with("negative:-1.5"));
        Path file = dir.resolve("in.fsrank");
        RankerModelFile.write(model, Map.of("trained_on", "unit test"), file);
        return file;
    }

    @Test
    void aModelFileRoundTripsThroughOnnx() throws Exception {
        Path in = modelFile();
        Path onnx = dir.resolve("out/ranker.onnx");
        Run export = run("export-onnx", "--model", in.toString(), "--output", onnx.toString());
        assertEquals(0, export.code(), export.err());
        JsonNode summary = export.json();
        assertEquals("float", summary.get("form").asText());
        assertEquals("cli-test-1", summary.get("version").asText());
        assertEquals(SCHEMA.id(), summary.get("feature_schema").asText());
        assertEquals(Files.size(onnx), summary.get("bytes").asLong());
        assertEquals("[\"click\",\"like\",\"long_dwell\",\"negative\"]", summary.get("heads").toString());

        Path back = dir.resolve("back.fsrank");
        Run imported = run("import-onnx", "--onnx", onnx.toString(), "--output", back.toString());
        assertEquals(0, imported.code(), imported.err());
        assertEquals("onnx metadata", imported.json().get("schema_source").asText());
        assertEquals("[32,16]", imported.json().get("hidden").toString());

        RankerModel original = RankerModelFile.read(in).model();
        RankerModelFile.Loaded loaded = RankerModelFile.read(back);
        assertSameModel(original, loaded.model());
        assertEquals("cli-test-1", loaded.model().version());
        assertEquals(original.defaultWeights(), loaded.model().defaultWeights());
        assertEquals(onnx.toAbsolutePath().toString(), loaded.metadata().get("imported_from_onnx"));

        Run renamed = run("import-onnx", "--onnx", onnx.toString(), "--output", back.toString(), "--version", "v2");
        assertEquals(0, renamed.code(), renamed.err());
        assertEquals("v2", RankerModelFile.read(back).model().version());
    }

    @Test
    void helpListsTheOptions() {
        Run help = run("import-onnx", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--schema-from") && help.out().contains("--version=V"), help.out());
        Run exportHelp = run("export-onnx", "--help");
        assertEquals(0, exportHelp.code(), exportHelp.err());
        assertTrue(exportHelp.out().contains("--int8"), exportHelp.out());
    }

    @Test
    void int8ExportIsWrittenButNotImported() throws Exception {
        Path onnx = dir.resolve("int8.onnx");
        Run export = run("export-onnx", "--model", modelFile().toString(), "--output", onnx.toString(), "--int8");
        assertEquals(0, export.code(), export.err());
        assertEquals("int8", export.json().get("form").asText());
        Run imported = run("import-onnx", "--onnx", onnx.toString(), "--output", dir.resolve("x.fsrank").toString());
        assertEquals(2, imported.code());
        assertTrue(imported.err().contains("Invalid value for --onnx: " + onnx + ": ")
                && imported.err().contains("DynamicQuantizeLinear"), imported.err());
        assertFalse(Files.exists(dir.resolve("x.fsrank")));
    }

    @Test
    void aGraphWithoutMetadataTakesTheSchemaFromAnotherModelFile() throws Exception {
        Path in = modelFile();
        RankerModel model = RankerModelFile.read(in).model();
        List<Layer> layers = model.denseLayers();
        Path plain = dir.resolve("plain.onnx");
        Files.write(plain, OnnxMlpExporter.exportFloat(layers, new int[] {RankerModel.OUTPUT_LAYER},
                MlpExportInfo.of("other-tool", 3)));

        Run refused = run("import-onnx", "--onnx", plain.toString(), "--output", dir.resolve("p.fsrank").toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("stores no feature schema"), refused.err());
        assertTrue(refused.err().contains("--schema-from"), "the usage names the option: " + refused.err());

        Path out = dir.resolve("p.fsrank");
        Run ok = run("import-onnx", "--onnx", plain.toString(), "--output", out.toString(), "--schema-from", in.toString(),
                "--version", "from-other-tool");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(in.toAbsolutePath().toString(), ok.json().get("schema_source").asText());
        assertSameModel(model, RankerModelFile.read(out).model());
    }

    @Test
    void missingAndWrongFilesAreReportedWithStatus2() throws Exception {
        Path missing = dir.resolve("missing.fsrank");
        Run noModel = run("export-onnx", "--model", missing.toString(), "--output", dir.resolve("a.onnx").toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("Invalid value for --model: " + missing + ": no such file"), noModel.err());

        Path missingOnnx = dir.resolve("missing.onnx");
        Run noOnnx = run("import-onnx", "--onnx", missingOnnx.toString(), "--output", dir.resolve("b.fsrank").toString());
        assertEquals(2, noOnnx.code());
        assertTrue(noOnnx.err().contains("Invalid value for --onnx: " + missingOnnx + ": no such file"), noOnnx.err());

        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "these are notes, not a model\n");
        Run notOnnx = run("import-onnx", "--onnx", text.toString(), "--output", dir.resolve("c.fsrank").toString());
        assertEquals(2, notOnnx.code());
        assertTrue(notOnnx.err().contains("Invalid value for --onnx: " + text + ": not an ONNX model"), notOnnx.err());

        Path fsrankAsOnnx = modelFile();
        Run wrongKind = run("import-onnx", "--onnx", fsrankAsOnnx.toString(), "--output", dir.resolve("d.fsrank").toString());
        assertEquals(2, wrongKind.code());
        assertTrue(wrongKind.err().contains("not an ONNX model"), wrongKind.err());

        Run onnxAsModel = run("export-onnx", "--model", text.toString(), "--output", dir.resolve("e.onnx").toString());
        assertEquals(2, onnxAsModel.code());
        assertTrue(onnxAsModel.err().contains("Invalid value for --model: " + text + ": not a ranker model file"),
                onnxAsModel.err());

        Run badSchemaFrom = run("import-onnx", "--onnx", text.toString(), "--output", dir.resolve("f.fsrank").toString(),
                "--schema-from", missing.toString());
        assertEquals(2, badSchemaFrom.code());
        assertTrue(badSchemaFrom.err().contains("Invalid value for --schema-from: " + missing + ": no such file"),
                badSchemaFrom.err());
        for (String name : List.of("a.onnx", "b.fsrank", "c.fsrank", "d.fsrank", "e.onnx", "f.fsrank")) {
            assertFalse(Files.exists(dir.resolve(name)), name + " must not be written");
        }
    }

    private static void assertSameModel(RankerModel expected, RankerModel actual) {
        assertEquals(expected.schema(), actual.schema());
        List<Layer> a = expected.denseLayers();
        List<Layer> b = actual.denseLayers();
        for (int l = 0; l < a.size(); l++) {
            // assertArrayEquals on floats compares bits.
            assertArrayEquals(a.get(l).weights(), b.get(l).weights(), "layer " + l + " weights");
            assertArrayEquals(a.get(l).bias(), b.get(l).bias(), "layer " + l + " bias");
        }
    }
}
