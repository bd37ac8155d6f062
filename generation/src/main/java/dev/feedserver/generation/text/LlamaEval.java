package dev.feedserver.generation.text;

/**
 * Measurements that compare models on the same tokens: perplexity on a fixed text and the greedy
 * token sequence from a prompt (for the share of identical tokens between float and int8).
 *
 * <p>Threading: stateless; each call opens and closes its own session.
 */
public final class LlamaEval {

    private LlamaEval() {}

    /**
     * exp of the mean negative log-likelihood of {@code tokens[1..]} given the tokens before them
     * (natural log, softmax in double).
     *
     * @throws IllegalArgumentException if fewer than two tokens or more than the context holds
     */
    public static double perplexity(LlamaModel model, int[] tokens) {
        if (tokens.length < 2 || tokens.length > model.config().seqLen()) {
            throw new IllegalArgumentException("perplexity needs 2.." + model.config().seqLen() + " tokens (got "
                    + tokens.length + ")");
        }
        int vocab = model.config().vocabSize();
        float[] logits = new float[vocab];
        double nll = 0.0;
        try (LlamaSession session = model.newSession(tokens.length)) {
            for (int i = 0; i + 1 < tokens.length; i++) {
                session.forward(tokens[i], i, logits);
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, logits[v]);
                }
                double sum = 0.0;
                for (int v = 0; v < vocab; v++) {
                    sum += Math.exp(logits[v] - max);
                }
                nll -= logits[tokens[i + 1]] - max - Math.log(sum);
            }
        }
        return Math.exp(nll / (tokens.length - 1));
    }

    /** The {@code steps} tokens greedy decoding produces after {@code prompt} (EOS does not stop it). */
    public static int[] greedyTokens(LlamaModel model, int[] prompt, int steps) {
        int total = prompt.length + steps;
        if (prompt.length < 1 || total - 1 > model.config().seqLen()) {
            throw new IllegalArgumentException("prompt of " + prompt.length + " tokens plus " + steps
                    + " steps does not fit the context of " + model.config().seqLen());
        }
        float[] logits = new float[model.config().vocabSize()];
        int[] out = new int[steps];
        try (LlamaSession session = model.newSession(total - 1)) {
            for (int i = 0; i < prompt.length; i++) {
                session.forward(prompt[i], i, logits);
            }
            for (int s = 0; s < steps; s++) {
                out[s] = Sampler.argmax(logits, logits.length);
                if (s + 1 < steps) {
                    session.forward(out[s], prompt.length + s, logits);
                }
            }
        }
        return out;
    }

    /**
     * Teacher-forced agreement: the share of positions of {@code tokens} (after the first) at which
     * both models' argmax next tokens are equal, both reading the same prefix. Unlike comparing two
     * free-running greedy sequences, one early difference does not decide every later position.
     */
    public static double nextTokenAgreement(LlamaModel a, LlamaModel b, int[] tokens) {
        if (tokens.length < 1 || tokens.length > Math.min(a.config().seqLen(), b.config().seqLen())) {
            throw new IllegalArgumentException("needs 1..seq_len tokens (got " + tokens.length + ")");
        }
        float[] la = new float[a.config().vocabSize()];
        float[] lb = new float[b.config().vocabSize()];
        int same = 0;
        try (LlamaSession sa = a.newSession(tokens.length); LlamaSession sb = b.newSession(tokens.length)) {
            for (int i = 0; i < tokens.length; i++) {
                sa.forward(tokens[i], i, la);
                sb.forward(tokens[i], i, lb);
                same += Sampler.argmax(la, la.length) == Sampler.argmax(lb, lb.length) ? 1 : 0;
            }
        }
        return (double) same / tokens.length;
    }

    /** Share of positions where two token sequences of equal length agree. */
    public static double agreement(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("sequences must be non-empty and of equal length (" + a.length + ", "
                    + b.length + ")");
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }
}
