package dev.feedserver.ranking.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.nativelib.Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizedModelFileTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema(8, 16, 4, 3, 8);

    @Test
    void int8FilesDecodeToWeightsTheNativeMlpQuantizesBackToTheSameCodes(@TempDir Path dir) throws Exception {
        RankerModel model = RankerModel.initialise(SCHEMA, 32, 16, 4, "q-test");
        Path file = dir.resolve("m.fsq");
        QuantizedModelFile.write(model, QuantizedModelFile.WeightFormat.INT8, new float[] {0.5f, 0.25f, 0.125f}, Map.of("a", "b"), file);
        QuantizedModelFile.Loaded loaded = QuantizedModelFile.read(file);
        assertEquals(QuantizedModelFile.WeightFormat.INT8, loaded.format());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, loaded.activationScales());
        assertEquals("q-test", loaded.model().version());
        assertEquals(SCHEMA, loaded.model().schema());
        List<QuantizedMlp.Layer> original = model.denseLayers();
        List<QuantizedMlp.Layer> decoded = loaded.model().denseLayers();
        for (int l = 0; l < original.size(); l++) {
            QuantizedMlp.Layer a = original.get(l);
            QuantizedMlp.Layer b = decoded.get(l);
            assertArrayEquals(codes(a), codes(b), "layer " + l + ": serving re-quantizes the decoded weights to the stored codes");
            assertArrayEquals(a.bias(), b.bias());
        }
        // A quarter of the float file, give or take the scales.
        Path floatFile = dir.resolve("m.fsrank");
        RankerModelFile.write(model, Map.of(), floatFile);
        assertTrue(Files.size(file) < Files.size(floatFile) / 3, Files.size(file) + " vs " + Files.size(floatFile));
        // readAny tells the two apart.
        assertEquals("int8", RankerModelFile.readAny(file).metadata().get("weight_format"));
        assertEquals(model.version(), RankerModelFile.readAny(floatFile).model().version());
    }

    @Test
    void fp8FilesKeepWeightsWithinE4m3Precision(@TempDir Path dir) throws Exception {
        RankerModel model = RankerModel.initialise(SCHEMA, 32, 16, 5, "q-fp8");
        Path file = dir.resolve("m.fsq");
        QuantizedModelFile.write(model, QuantizedModelFile.WeightFormat.FP8_E4M3, null, Map.of(), file);
        QuantizedModelFile.Loaded loaded = QuantizedModelFile.read(file);
        assertNull(loaded.activationScales());
        List<QuantizedMlp.Layer> original = model.denseLayers();
        List<QuantizedMlp.Layer> decoded = loaded.model().denseLayers();
        for (int l = 0; l < original.size(); l++) {
            float[] a = original.get(l).weights();
            float[] b = decoded.get(l).weights();
            int in = original.get(l).in();
            for (int j = 0; j < original.get(l).out(); j++) {
                float absmax = 0f;
                for (int k = 0; k < in; k++) {
                    absmax = Math.max(absmax, Math.abs(a[j * in + k]));
                }
                for (int k = 0; k < in; k++) {
                    float w = a[j * in + k];
                    // E4M3: 3 mantissa bits (relative step 1/8, rounding error <= 1/16), subnormals below 2^-6 of the range.
                    float bound = Math.max(Math.abs(w) / 16f, absmax / 448f * 0.002f * 4f);
                    assertEquals(w, b[j * in + k], bound * 1.001f, "layer " + l + " channel " + j + " input " + k);
                }
            }
        }
    }

    @Test
    void damagedOrForeignFilesAreRefused(@TempDir Path dir) throws Exception {
        RankerModel model = RankerModel.initialise(SCHEMA, 16, 8, 6, "q-bad");
        Path file = dir.resolve("m.fsq");
        QuantizedModelFile.write(model, QuantizedModelFile.WeightFormat.INT8, null, Map.of(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Path damaged = dir.resolve("damaged.fsq");
        Files.write(damaged, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantizedModelFile.read(damaged));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Path floatFile = dir.resolve("f.fsrank");
        RankerModelFile.write(model, Map.of(), floatFile);
        e = assertThrows(IllegalArgumentException.class, () -> QuantizedModelFile.read(floatFile));
        assertTrue(e.getMessage().contains("not a quantized"), e.getMessage());
    }

    /** The int8 codes the native MLP's rule gives for a layer's weights. */
    private static byte[] codes(QuantizedMlp.Layer layer) {
        try (Arena arena = Arena.ofConfined()) {
            long n = (long) layer.in() * layer.out();
            MemorySegment w = arena.allocate(n * Float.BYTES, 64);
            MemorySegment.copy(layer.weights(), 0, w, ValueLayout.JAVA_FLOAT, 0, (int) n);
            MemorySegment scales = arena.allocate((long) layer.out() * Float.BYTES, 64);
            MemorySegment out = arena.allocate(n, 64);
            Quantizer.get().quantizeS8Rows(w, layer.out(), layer.in(), layer.in(), scales, out);
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
