package dev.feedserver.generation.text;

import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Every tensor of a checkpoint as float arrays, for the Java reference forward pass. Matrices
 * are row-major, {@code rows x cols}, one array per layer.
 *
 * <p>Threading and lifecycle: immutable after construction (the arrays must not be modified);
 * safe to share. Plain heap memory.
 *
 * @param tokenEmbedding vocab x dim
 * @param classifier     vocab x dim; the same array as tokenEmbedding when shared
 */
public record LlamaWeights(LlamaConfig config, float[] tokenEmbedding, float[][] rmsAtt, float[][] wq, float[][] wk,
                           float[][] wv, float[][] wo, float[][] rmsFfn, float[][] w1, float[][] w2, float[][] w3,
                           float[] rmsFinal, float[] classifier) {

    /** Reads the tensors in file order from the float view after the header. */
    static LlamaWeights read(LlamaConfig c, FloatBuffer in, Path path) {
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), layers = c.layers();
        float[] embedding = LlamaCheckpoint.floats(in, c.vocabSize() * d, "token_embedding", -1, path);
        float[][] rmsAtt = perLayer(in, layers, d, "rms_att_weight", path);
        float[][] wq = perLayer(in, layers, d * d, "wq", path);
        float[][] wk = perLayer(in, layers, kv * d, "wk", path);
        float[][] wv = perLayer(in, layers, kv * d, "wv", path);
        float[][] wo = perLayer(in, layers, d * d, "wo", path);
        float[][] rmsFfn = perLayer(in, layers, d, "rms_ffn_weight", path);
        float[][] w1 = perLayer(in, layers, h * d, "w1", path);
        float[][] w2 = perLayer(in, layers, d * h, "w2", path);
        float[][] w3 = perLayer(in, layers, h * d, "w3", path);
        float[] rmsFinal = LlamaCheckpoint.floats(in, d, "rms_final_weight", -1, path);
        in.position(in.position() + c.seqLen() * c.headSize()); // the legacy RoPE tables
        float[] classifier = c.sharedClassifier() ? embedding
                : LlamaCheckpoint.floats(in, c.vocabSize() * d, "classifier", -1, path);
        return new LlamaWeights(c, embedding, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal, classifier);
    }

    private static float[][] perLayer(FloatBuffer in, int layers, int n, String tensor, Path path) {
        float[][] out = new float[layers][];
        for (int l = 0; l < layers; l++) {
            out[l] = LlamaCheckpoint.floats(in, n, tensor, l, path);
        }
        return out;
    }

    /** Bytes of heap the arrays hold (the classifier counted once when shared). */
    public long bytes() {
        long floats = tokenEmbedding.length + rmsFinal.length + (classifier == tokenEmbedding ? 0 : classifier.length);
        for (int l = 0; l < config.layers(); l++) {
            floats += rmsAtt[l].length + wq[l].length + wk[l].length + wv[l].length + wo[l].length + rmsFfn[l].length
                    + w1[l].length + w2[l].length + w3[l].length;
        }
        return floats * Float.BYTES;
    }
}
