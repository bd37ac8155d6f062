package dev.feedserver.ranking.rank;

import dev.feedserver.nativelib.Fp8Format;
import dev.feedserver.nativelib.Int8Gemm;
import dev.feedserver.nativelib.NumberFormats;
import dev.feedserver.nativelib.QuantizedMlp;
import dev.feedserver.nativelib.Quantizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The ranker quantized for deployment ({@code *.fsq}, written by {@code feedserver quantize}):
 * every layer's weights as one byte per weight, int8 (symmetric per output channel, absmax/127,
 * the rule the native MLP uses at load) or FP8 E4M3 (per output channel, absmax/448), with the
 * channel scales, the float biases, and optionally one calibrated static activation scale per
 * layer input. About a quarter of the float file.
 *
 * <p>Serving reads it into a {@link RankerModel} whose weights are the decoded values; the
 * native MLP then re-quantizes them at load, which for int8 reproduces exactly the stored codes
 * (each channel's largest code is 127, so the scale comes back and every code rounds to itself),
 * and for FP8 quantizes the FP8 values to int8 (this CPU has no FP8 arithmetic: FP8 is a storage
 * format here). The calibrated activation scales are recorded for reference and for other
 * runtimes; the native path keeps dynamic per-row scales, which {@code model-eval} measures as
 * the more accurate choice.
 *
 * <pre>
 *   "FSRANQ\0\1"   magic, format version 1
 *   UTF  version;  int x5 schema; int hidden1, hidden2, heads; byte weight format (0 int8, 1 fp8-e4m3)
 *   float[heads] default objective weights; int n + n x (UTF, UTF) metadata
 *   per layer (3): int in, out; byte[out * in] codes (output-major); float[out] scales;
 *                  float[out] bias; float activation scale (NaN: not calibrated)
 *   int CRC32C of everything before
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class QuantizedModelFile {
    private static final byte[] MAGIC = {'F', 'S', 'R', 'A', 'N', 'Q', 0, 1};

    /** How the weights are stored. */
    public enum WeightFormat { INT8, FP8_E4M3 }

    /** A model read back: decoded float weights, how they were stored, and the calibration. */
    public record Loaded(RankerModel model, WeightFormat format, float[] activationScales, Map<String, String> metadata) {
    }

    private QuantizedModelFile() {
    }

    /** Whether {@code file} starts like a quantized model file. */
    public static boolean looksLikeOne(Path file) throws IOException {
        byte[] head = new byte[MAGIC.length - 1];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return false;
            }
        }
        return Arrays.equals(head, Arrays.copyOf(MAGIC, MAGIC.length - 1));
    }

    /**
     * Quantizes {@code model} and writes it to {@code file} atomically.
     *
     * @param activationScales one static scale per layer input (3), or null when not calibrated
     */
    public static void write(RankerModel model, WeightFormat format, float[] activationScales, Map<String, String> metadata,
                             Path file) throws IOException {
        List<QuantizedMlp.Layer> layers = model.denseLayers();
        if (activationScales != null && activationScales.length != layers.size()) {
            throw new IllegalArgumentException("one activation scale per layer (" + layers.size() + ") is needed, got "
                    + activationScales.length);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeUTF(model.version());
            FeatureSchema s = model.schema();
            for (int v : new int[] {s.factorDim(), s.contentDim(), s.clusters(), s.historyLength(), s.tagBuckets(),
                    model.hidden1(), model.hidden2(), Objective.COUNT}) {
                out.writeInt(v);
            }
            out.writeByte(format.ordinal());
            for (float w : model.defaultWeights().weights()) {
                out.writeFloat(w);
            }
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            for (int l = 0; l < layers.size(); l++) {
                QuantizedMlp.Layer layer = layers.get(l);
                Encoded encoded = encode(layer.weights(), layer.out(), layer.in(), format);
                out.writeInt(layer.in());
                out.writeInt(layer.out());
                out.write(encoded.codes());
                for (float scale : encoded.scales()) {
                    out.writeFloat(scale);
                }
                float[] bias = layer.bias() == null ? new float[layer.out()] : layer.bias();
                for (float b : bias) {
                    out.writeFloat(b);
                }
                out.writeFloat(activationScales == null ? Float.NaN : activationScales[l]);
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
            out.write(body);
            out.writeInt((int) crc.getValue());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a quantized model file.
     *
     * @throws IllegalArgumentException if it is not one, is of another format version, is
     *                                  truncated or fails its checksum (the message says which)
     */
    public static Loaded read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length - 1), Arrays.copyOf(MAGIC, MAGIC.length - 1))) {
            throw new IllegalArgumentException(file + ": not a quantized ranker model file (bad magic)");
        }
        if (all[MAGIC.length - 1] != MAGIC[MAGIC.length - 1]) {
            throw new IllegalArgumentException(file + ": quantized model format version " + all[MAGIC.length - 1] + " is not supported");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, all.length - 4, 4).getInt()) {
            throw new IllegalArgumentException(file + ": checksum mismatch (the file is corrupt or truncated)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length - 4 - MAGIC.length))) {
            String version = in.readUTF();
            FeatureSchema schema = new FeatureSchema(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
            int hidden1 = in.readInt();
            int hidden2 = in.readInt();
            int heads = in.readInt();
            if (heads != Objective.COUNT) {
                throw new IllegalArgumentException(file + ": model has " + heads + " heads, this build knows " + Objective.COUNT);
            }
            int formatCode = in.readByte();
            if (formatCode < 0 || formatCode >= WeightFormat.values().length) {
                throw new IllegalArgumentException(file + ": unknown weight format " + formatCode);
            }
            WeightFormat format = WeightFormat.values()[formatCode];
            float[] weights = new float[heads];
            for (int h = 0; h < heads; h++) {
                weights[h] = in.readFloat();
            }
            int n = in.readInt();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                metadata.put(in.readUTF(), in.readUTF());
            }
            int[][] shapes = {{schema.width(), hidden1}, {hidden1, hidden2}, {hidden2, heads}};
            List<QuantizedMlp.Layer> layers = new ArrayList<>(3);
            float[] activationScales = new float[3];
            Int8Gemm.Activation[] activations = {Int8Gemm.Activation.RELU, Int8Gemm.Activation.RELU, Int8Gemm.Activation.NONE};
            for (int l = 0; l < 3; l++) {
                int layerIn = in.readInt();
                int layerOut = in.readInt();
                if (layerIn != shapes[l][0] || layerOut != shapes[l][1]) {
                    throw new IllegalArgumentException(file + ": layer " + l + " is " + layerIn + " x " + layerOut + ", expected "
                            + shapes[l][0] + " x " + shapes[l][1]);
                }
                byte[] codes = in.readNBytes(layerIn * layerOut);
                if (codes.length != layerIn * layerOut) {
                    throw new EOFException();
                }
                float[] scales = readFloats(in, layerOut);
                float[] bias = readFloats(in, layerOut);
                activationScales[l] = in.readFloat();
                layers.add(new QuantizedMlp.Layer(layerIn, layerOut, decode(codes, scales, layerOut, layerIn, format), bias,
                        activations[l], l - 1));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(file + ": trailing bytes after the weights");
            }
            RankerModel model = RankerModel.fromLayers(schema, layers, version, new ObjectiveWeights(weights));
            return new Loaded(model, format, Float.isNaN(activationScales[0]) ? null : activationScales, metadata);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated", e);
        }
    }

    private record Encoded(byte[] codes, float[] scales) {
    }

    /** Output-major {@code out x in} weights to one code per weight and a scale per output channel. */
    private static Encoded encode(float[] weights, int out, int in, WeightFormat format) {
        long n = (long) out * in;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate(n * Float.BYTES, 64);
            MemorySegment.copy(weights, 0, w, ValueLayout.JAVA_FLOAT, 0, (int) n);
            MemorySegment codes = arena.allocate(n, 64);
            float[] scales = new float[out];
            if (format == WeightFormat.INT8) {
                MemorySegment s = arena.allocate((long) out * Float.BYTES, 64);
                Quantizer.get().quantizeS8Rows(w, out, in, in, s, codes);
                MemorySegment.copy(s, ValueLayout.JAVA_FLOAT, 0, scales, 0, out);
            } else {
                for (int j = 0; j < out; j++) {
                    float absmax = 0f;
                    for (int k = 0; k < in; k++) {
                        absmax = Math.max(absmax, Math.abs(weights[j * in + k]));
                    }
                    float scale = absmax / Fp8Format.E4M3.maxFinite();
                    scales[j] = scale > 0f ? scale : 1f;
                    for (int k = 0; k < in; k++) {
                        w.setAtIndex(ValueLayout.JAVA_FLOAT, (long) j * in + k, weights[j * in + k] / scales[j]);
                    }
                }
                NumberFormats.get().f32ToFp8(w, n, Fp8Format.E4M3, true, codes);
            }
            return new Encoded(codes.toArray(ValueLayout.JAVA_BYTE), scales);
        }
    }

    private static float[] decode(byte[] codes, float[] scales, int out, int in, WeightFormat format) {
        float[] weights = new float[out * in];
        if (format == WeightFormat.INT8) {
            for (int j = 0; j < out; j++) {
                for (int k = 0; k < in; k++) {
                    weights[j * in + k] = codes[j * in + k] * scales[j];
                }
            }
            return weights;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocate(codes.length, 64);
            MemorySegment.copy(codes, 0, c, ValueLayout.JAVA_BYTE, 0, codes.length);
            MemorySegment f = arena.allocate((long) codes.length * Float.BYTES, 64);
            NumberFormats.get().fp8ToF32(c, codes.length, Fp8Format.E4M3, f);
            for (int j = 0; j < out; j++) {
                for (int k = 0; k < in; k++) {
                    weights[j * in + k] = f.getAtIndex(ValueLayout.JAVA_FLOAT, (long) j * in + k) * scales[j];
                }
            }
        }
        return weights;
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.readFloat();
        }
        return out;
    }
}
