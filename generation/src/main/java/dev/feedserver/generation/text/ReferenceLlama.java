package dev.feedserver.generation.text;

/**
 * The Llama forward pass in plain single-threaded Java float loops: the fallback when the native
 * library cannot load, the reference the native paths are tested against, and the benchmark's
 * "straightforward float implementation". RMSNorm (eps 1e-5), rotary embeddings on adjacent
 * pairs ({@code 10000^(-2i/headSize)}), grouped-query attention over a float KV cache, SwiGLU,
 * and the classifier; the same arithmetic as {@code native/src/llama_forward.cpp} except for
 * summation order in the dot products and {@link Math#exp} for {@code expf}.
 *
 * <p>Threading: the weights are immutable and shared; each {@link Session} is used by one thread
 * at a time. Lifecycle: plain heap memory; nothing to free.
 */
public final class ReferenceLlama {

    private static final float RMS_EPS = 1e-5f;

    private final LlamaWeights w;
    private final LlamaConfig c;
    private final float[] ropeCos;
    private final float[] ropeSin;

    /** A reference model over {@code weights}. */
    public ReferenceLlama(LlamaWeights weights) {
        this.w = weights;
        this.c = weights.config();
        int half = c.headSize() / 2;
        ropeCos = new float[c.seqLen() * half];
        ropeSin = new float[c.seqLen() * half];
        for (int pos = 0; pos < c.seqLen(); pos++) {
            for (int i = 0; i < half; i++) {
                float freq = (float) (1.0 / Math.pow(10000.0, (float) (2 * i) / (float) c.headSize()));
                float angle = pos * freq;
                ropeCos[pos * half + i] = (float) Math.cos(angle);
                ropeSin[pos * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** The model's shape. */
    public LlamaConfig config() {
        return c;
    }

    /** Bytes of heap the weights and RoPE tables hold. */
    public long bytes() {
        return w.bytes() + 2L * ropeCos.length * Float.BYTES;
    }

    /** A new session for positions {@code 0 .. maxSeq-1} (0 = the model's seq_len). */
    public Session newSession(int maxSeq) {
        if (maxSeq < 0 || maxSeq > c.seqLen()) {
            throw new IllegalArgumentException("maxSeq must be 0 (= seq_len) or 1.." + c.seqLen() + " (got " + maxSeq
                    + ")");
        }
        return new Session(maxSeq == 0 ? c.seqLen() : maxSeq);
    }

    /** Bytes a session with {@code maxSeq} positions holds (KV cache and scratch). */
    public long sessionBytes(int maxSeq) {
        int seq = maxSeq == 0 ? c.seqLen() : maxSeq;
        return ((long) c.dim() * 4 + 2L * c.hiddenDim() + (long) c.heads() * seq
                + 2L * c.layers() * seq * c.kvDim()) * Float.BYTES;
    }

    /** One generation's KV cache and scratch. Threading: one thread at a time. */
    public final class Session implements LlamaSession {

        private final int maxSeq;
        private final float[] x, xb, xb2, q, hb, hb2, att;
        private final float[][] keys, values; // [layer][pos * kvDim + i]
        private int filled;
        private boolean closed;

        private Session(int maxSeq) {
            this.maxSeq = maxSeq;
            x = new float[c.dim()];
            xb = new float[c.dim()];
            xb2 = new float[c.dim()];
            q = new float[c.dim()];
            hb = new float[c.hiddenDim()];
            hb2 = new float[c.hiddenDim()];
            att = new float[c.heads() * maxSeq];
            keys = new float[c.layers()][maxSeq * c.kvDim()];
            values = new float[c.layers()][maxSeq * c.kvDim()];
        }

        @Override
        public int maxSeq() {
            return maxSeq;
        }

        @Override
        public void forward(int token, int pos, float[] logits) {
            if (closed) {
                throw new IllegalStateException("forward: the session is closed");
            }
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("forward: token " + token + " is outside the vocabulary 0.."
                        + (c.vocabSize() - 1));
            }
            if (pos < 0 || pos >= maxSeq || pos > filled) {
                throw new IllegalArgumentException("forward: pos " + pos + " must be in 0.." + Math.min(filled, maxSeq - 1));
            }
            if (logits.length < c.vocabSize()) {
                throw new IllegalArgumentException("forward: logits has " + logits.length + " floats but vocab_size is "
                        + c.vocabSize());
            }
            step(token, pos, logits);
            filled = pos + 1;
        }

        @Override
        public void close() {
            closed = true;
        }

        private void step(int token, int pos, float[] logits) {
            int d = c.dim(), kvDim = c.kvDim(), hidden = c.hiddenDim();
            System.arraycopy(w.tokenEmbedding(), token * d, x, 0, d);
            for (int l = 0; l < c.layers(); l++) {
                rmsnorm(xb, x, w.rmsAtt()[l], d);
                matmul(q, 0, w.wq()[l], xb, d, d);
                matmul(keys[l], pos * kvDim, w.wk()[l], xb, kvDim, d);
                matmul(values[l], pos * kvDim, w.wv()[l], xb, kvDim, d);
                rope(q, 0, d, pos);
                rope(keys[l], pos * kvDim, kvDim, pos);
                attention(l, pos);
                matmul(xb2, 0, w.wo()[l], xb, d, d);
                for (int i = 0; i < d; i++) {
                    x[i] += xb2[i];
                }
                rmsnorm(xb, x, w.rmsFfn()[l], d);
                matmul(hb, 0, w.w1()[l], xb, hidden, d);
                matmul(hb2, 0, w.w3()[l], xb, hidden, d);
                for (int i = 0; i < hidden; i++) {
                    float a = hb[i];
                    hb[i] = a * (1.0f / (1.0f + (float) Math.exp(-a))) * hb2[i];
                }
                matmul(xb, 0, w.w2()[l], hb, d, hidden);
                for (int i = 0; i < d; i++) {
                    x[i] += xb[i];
                }
            }
            rmsnorm(x, x, w.rmsFinal(), d);
            matmul(logits, 0, w.classifier(), x, c.vocabSize(), d);
        }

        private void attention(int layer, int pos) {
            int hs = c.headSize(), kvDim = c.kvDim(), share = c.heads() / c.kvHeads();
            float scale = 1.0f / (float) Math.sqrt(hs);
            float[] k = keys[layer], v = values[layer];
            for (int h = 0; h < c.heads(); h++) {
                int qAt = h * hs, attAt = h * maxSeq, kvAt = (h / share) * hs;
                for (int t = 0; t <= pos; t++) {
                    float dot = 0.0f;
                    for (int i = 0; i < hs; i++) {
                        dot += q[qAt + i] * k[t * kvDim + kvAt + i];
                    }
                    att[attAt + t] = dot * scale;
                }
                softmax(att, attAt, pos + 1);
                for (int i = 0; i < hs; i++) {
                    xb[qAt + i] = 0.0f;
                }
                for (int t = 0; t <= pos; t++) {
                    float a = att[attAt + t];
                    for (int i = 0; i < hs; i++) {
                        xb[qAt + i] += a * v[t * kvDim + kvAt + i];
                    }
                }
            }
        }

        private void rope(float[] vec, int at, int n, int pos) {
            int half = c.headSize() / 2;
            for (int i = 0; i < n; i += 2) {
                int j = (i % c.headSize()) / 2;
                float cos = ropeCos[pos * half + j], sin = ropeSin[pos * half + j];
                float a = vec[at + i], b = vec[at + i + 1];
                vec[at + i] = a * cos - b * sin;
                vec[at + i + 1] = a * sin + b * cos;
            }
        }
    }

    private static void rmsnorm(float[] out, float[] x, float[] weight, int n) {
        float ss = 0.0f;
        for (int i = 0; i < n; i++) {
            ss += x[i] * x[i];
        }
        ss = ss / n + RMS_EPS;
        float inv = 1.0f / (float) Math.sqrt(ss);
        for (int i = 0; i < n; i++) {
            out[i] = weight[i] * (inv * x[i]);
        }
    }

    private static void softmax(float[] x, int at, int n) {
        float max = x[at];
        for (int i = 1; i < n; i++) {
            max = Math.max(max, x[at + i]);
        }
        float sum = 0.0f;
        for (int i = 0; i < n; i++) {
            x[at + i] = (float) Math.exp(x[at + i] - max);
            sum += x[at + i];
        }
        for (int i = 0; i < n; i++) {
            x[at + i] /= sum;
        }
    }

    /** out[outAt + r] = sum_k m[r * cols + k] * v[k], r < rows. */
    private static void matmul(float[] out, int outAt, float[] m, float[] v, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float sum = 0.0f;
            int at = r * cols;
            for (int k = 0; k < cols; k++) {
                sum += m[at + k] * v[k];
            }
            out[outAt + r] = sum;
        }
    }
}
