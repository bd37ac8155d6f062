package dev.feedserver.ranking.rank;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The ranker's model file ({@code *.fsrank}): versioned, self-describing and checksummed.
 *
 * <pre>
 *   "FSRANK\0\1"                 magic, the last byte the format version (1)
 *   UTF  model version           e.g. ranker-20261129T1402-movielens
 *   int  factorDim, contentDim, clusters, historyLength, tagBuckets   (the FeatureSchema)
 *   int  hidden1, hidden2, heads
 *   float[heads]  default objective weights
 *   int  n, then n x (UTF key, UTF value)   free-form metadata (training data, report)
 *   float[] w0, b0, w1, b1, wh, bh         input-major, big-endian
 *   int  CRC32C of every byte before it
 * </pre>
 *
 * A file is written to a temporary name and renamed, so a reader never sees half a model.
 * Stateless and thread-safe.
 */
public final class RankerModelFile {
    private static final byte[] MAGIC = {'F', 'S', 'R', 'A', 'N', 'K', 0, 1};

    private RankerModelFile() {
    }

    /** A model read back with its metadata. */
    public record Loaded(RankerModel model, Map<String, String> metadata) {
    }

    /** Writes {@code model} with {@code metadata} to {@code file} atomically. */
    public static void write(RankerModel model, Map<String, String> metadata, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.w0.length * 4 + 4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeUTF(model.version());
            FeatureSchema s = model.schema;
            for (int v : new int[] {s.factorDim(), s.contentDim(), s.clusters(), s.historyLength(), s.tagBuckets(),
                    model.hidden1, model.hidden2, model.heads}) {
                out.writeInt(v);
            }
            for (float w : model.defaultWeights().weights()) {
                out.writeFloat(w);
            }
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            for (float[] array : new float[][] {model.w0, model.b0, model.w1, model.b1, model.wh, model.bh}) {
                writeFloats(out, array);
            }
        }
        CRC32C crc = new CRC32C();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.write(body);
            out.writeInt((int) crc.getValue());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a model file.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is not a ranker model file, is of an unknown format
     *                                  version, is truncated or fails its checksum (the message says which)
     */
    public static Loaded read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 4) {
            throw new IllegalArgumentException(file + ": too short to be a ranker model file");
        }
        for (int i = 0; i < MAGIC.length - 1; i++) {
            if (all[i] != MAGIC[i]) {
                throw new IllegalArgumentException(file + ": not a ranker model file (bad magic)");
            }
        }
        if (all[MAGIC.length - 1] != MAGIC[MAGIC.length - 1]) {
            throw new IllegalArgumentException(file + ": ranker model format version " + all[MAGIC.length - 1]
                    + " is not supported (this build reads version " + MAGIC[MAGIC.length - 1] + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = ByteBuffer.wrap(all, all.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException(file + ": checksum mismatch (the file is corrupt or truncated)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                new ByteArrayInputStream(all, MAGIC.length, all.length - 4 - MAGIC.length)))) {
            String version = in.readUTF();
            FeatureSchema schema = new FeatureSchema(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
            int hidden1 = in.readInt();
            int hidden2 = in.readInt();
            int heads = in.readInt();
            if (heads != Objective.COUNT) {
                throw new IllegalArgumentException(file + ": model has " + heads + " heads, this build knows " + Objective.COUNT);
            }
            if (hidden1 < 1 || hidden2 < 1 || hidden1 > 65_536 || hidden2 > 65_536) {
                throw new IllegalArgumentException(file + ": implausible hidden widths " + hidden1 + ", " + hidden2);
            }
            float[] weights = new float[heads];
            for (int h = 0; h < heads; h++) {
                weights[h] = in.readFloat();
            }
            int n = in.readInt();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                metadata.put(in.readUTF(), in.readUTF());
            }
            int inputs = schema.width();
            RankerModel model = new RankerModel(schema, hidden1, hidden2,
                    readFloats(in, (long) inputs * hidden1), readFloats(in, hidden1), readFloats(in, (long) hidden1 * hidden2),
                    readFloats(in, hidden2), readFloats(in, (long) hidden2 * heads), readFloats(in, heads),
                    version, new ObjectiveWeights(weights));
            if (in.read() != -1) {
                throw new IllegalArgumentException(file + ": trailing bytes after the weights");
            }
            return new Loaded(model, metadata);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated", e);
        }
    }

    /**
     * Reads either kind of ranker file: a float model ({@code .fsrank}) or a quantized one
     * ({@link QuantizedModelFile}, {@code .fsq}; its weight format and calibration are added to
     * the metadata), told apart by their magic.
     */
    public static Loaded readAny(Path file) throws IOException {
        if (!QuantizedModelFile.looksLikeOne(file)) {
            return read(file);
        }
        QuantizedModelFile.Loaded q = QuantizedModelFile.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(q.metadata());
        metadata.put("weight_format", q.format().name().toLowerCase(java.util.Locale.ROOT));
        if (q.activationScales() != null) {
            metadata.put("activation_scales", java.util.Arrays.toString(q.activationScales()));
        }
        return new Loaded(q.model(), metadata);
    }

    private static void writeFloats(DataOutputStream out, float[] array) throws IOException {
        out.writeInt(array.length);
        ByteBuffer buffer = ByteBuffer.allocate(array.length * 4);
        buffer.asFloatBuffer().put(array);
        out.write(buffer.array());
    }

    private static float[] readFloats(InputStream stream, long expected) throws IOException {
        DataInputStream in = (DataInputStream) stream;
        int n = in.readInt();
        if (n != expected) {
            throw new IllegalArgumentException("expected an array of " + expected + " floats, found " + n);
        }
        byte[] raw = in.readNBytes(n * 4);
        if (raw.length != n * 4) {
            throw new EOFException();
        }
        float[] out = new float[n];
        ByteBuffer.wrap(raw).asFloatBuffer().get(out);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(out[i])) {
                // A NaN or infinite weight would turn every score it touches into NaN: refuse the file.
                throw new IllegalArgumentException("model weight " + i + " of an array of " + n + " is " + out[i] + "; weights must be finite");
            }
        }
        return out;
    }
}
