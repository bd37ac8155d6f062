package dev.feedserver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.feedserver.generation.text.BpeTokenizer;
import dev.feedserver.generation.text.LlamaEval;
import dev.feedserver.generation.text.LlamaModel;
import dev.feedserver.generation.text.LlamaSession;
import dev.feedserver.generation.text.Sampler;
import dev.feedserver.generation.text.WeightMode;
import dev.feedserver.nativelib.NativeKernels;
import dev.feedserver.server.http.Json;
import dev.feedserver.server.results.ResultFile;
import dev.feedserver.server.results.ResultFile.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code generation} suite: greedy tokens per second of stories260K on one thread for the
 * native float model, the native int8 model and the Java reference (the straightforward float
 * implementation), repeats interleaved so drift hits all three alike; plus the int8 quality
 * figures (identical greedy tokens, next-token agreement, perplexity on a fixed text). Writes
 * {@code generation-tokens.json} and {@code generation-tokens.png}.
 */
@Command(name = "generation", mixinStandardHelpOptions = true,
        description = "Tokens/s of stories260K (native float, native int8, Java reference float) and int8 quality.")
public final class GenerationSuite implements Callable<Integer> {

    /** The fixed text perplexity is measured on (the tests use the same one). */
    static final String FIXED_TEXT = "Once upon a time, there was a little dog named Max. Max liked to run in the "
            + "garden with his friend Sam. One day, Sam found a big box. \"What is in the box?\" asked Max. Sam "
            + "opened it and saw a red ball. They played with the ball all day and were very happy.";

    @Option(names = "--output", defaultValue = "bench/results", description = "Folder for the JSON and the plot (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--model-dir", defaultValue = "../shared/models/stories260K",
            description = "Folder with stories260K.bin and tok512.bin (default ${DEFAULT-VALUE}).")
    Path modelDir;

    @Option(names = "--tokens", defaultValue = "256", description = "Tokens generated per timed run, from BOS (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--repeats", defaultValue = "9", description = "Timed runs per implementation (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "Warm-up per implementation (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--group-size", defaultValue = "0", description = "int8 values per scale (0 = the default, 64).")
    int groupSize;

    @Option(names = "--quick", description = "Smoke run: 3 repeats of 64 tokens after a short warm-up; results are noisy.")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        if (quick) {
            repeats = 3;
            tokens = 64;
            warmupSeconds = 0.5;
        }
        Path checkpoint = modelDir.resolve("stories260K.bin");
        Path tokenizerFile = modelDir.resolve("tok512.bin");
        if (!Files.isRegularFile(checkpoint) || !Files.isRegularFile(tokenizerFile)) {
            System.err.println("generation: " + modelDir + " lacks stories260K.bin / tok512.bin (see --model-dir)");
            return 2;
        }
        Files.createDirectories(output);
        Map<String, LlamaModel> models = new LinkedHashMap<>();
        models.put("native_int8", LlamaModel.loadNative(checkpoint, WeightMode.INT8, groupSize));
        models.put("native_float", LlamaModel.loadNative(checkpoint, WeightMode.FLOAT32, 0));
        models.put("java_reference_float", LlamaModel.loadReference(checkpoint));
        try {
            return measure(models, BpeTokenizer.load(tokenizerFile, 512));
        } finally {
            models.values().forEach(LlamaModel::close);
        }
    }

    private int measure(Map<String, LlamaModel> models, BpeTokenizer tokenizer) throws Exception {
        for (LlamaModel model : models.values()) {
            long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
            while (System.nanoTime() < until) {
                greedy(model, tokens);
            }
        }
        Map<String, double[]> rates = new LinkedHashMap<>();
        models.keySet().forEach(name -> rates.put(name, new double[repeats]));
        List<String> order = new ArrayList<>(models.keySet());
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < order.size(); i++) { // rotate who goes first, so no one always follows the slow run
                String name = order.get((i + r) % order.size());
                long start = System.nanoTime();
                greedy(models.get(name), tokens);
                rates.get(name)[r] = tokens / ((System.nanoTime() - start) / 1e9);
            }
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        ObjectNode details = Json.object();
        details.put("model", "stories260K (dim 64, hidden 172, 5 layers, 8 heads, 4 kv heads, vocab 512)")
                .put("tokens_per_run", tokens).put("repeats", repeats).put("warmup_seconds", warmupSeconds)
                .put("quick", quick).put("isa", NativeKernels.info().isa())
                .put("int8_group_size", models.get("native_int8").groupSize())
                .put("method", "Greedy decoding from BOS, one thread, one session per run (KV cache for the run's "
                        + "tokens); tokens/s = tokens / wall time of the run; runs of the three implementations "
                        + "interleaved (the first of each round rotates); median, best and spread over the runs. "
                        + "On a shared machine the best run is the least disturbed one.");
        ObjectNode raw = details.putObject("runs_tokens_per_s");
        List<String> names = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        for (Map.Entry<String, double[]> e : rates.entrySet()) {
            double[] v = e.getValue().clone();
            Arrays.sort(v);
            double median = v[v.length / 2];
            raw.putPOJO(e.getKey(), e.getValue());
            metrics.put(e.getKey() + "_tokens_per_s", new Metric(median, "tokens/s"));
            metrics.put(e.getKey() + "_spread", new Metric((v[v.length - 1] - v[0]) / median, "(max-min)/median"));
            metrics.put(e.getKey() + "_best_tokens_per_s", new Metric(v[v.length - 1], "tokens/s"));
            names.add(e.getKey());
            medians.add(median);
            System.out.printf(Locale.ROOT, "%-22s %10.0f tokens/s (min %.0f, max %.0f)%n", e.getKey(), median, v[0],
                    v[v.length - 1]);
        }
        double int8 = medians.get(0), nativeFloat = medians.get(1), java = medians.get(2);
        metrics.put("int8_speedup_vs_java_float", new Metric(int8 / java, "x"));
        metrics.put("int8_speedup_vs_native_float", new Metric(int8 / nativeFloat, "x"));
        metrics.put("native_float_speedup_vs_java_float", new Metric(nativeFloat / java, "x"));
        quality(models.get("native_float"), models.get("native_int8"), tokenizer, metrics, details);
        metrics.put("native_float_weight_bytes", new Metric(models.get("native_float").residentBytes(), "bytes"));
        metrics.put("native_int8_weight_bytes", new Metric(models.get("native_int8").residentBytes(), "bytes"));
        Path file = output.resolve("generation-tokens.json");
        ResultFile.write(file, "generation-tokens", "./feedserver bench generation" + (quick ? " --quick" : "")
                + (groupSize != 0 ? " --group-size " + groupSize : ""),
                metrics, details);
        Charts.bars(output.resolve("generation-tokens.png"),
                String.format(Locale.ROOT, "stories260K greedy decoding, one thread (median of %d runs of %d tokens)",
                        repeats, tokens),
                "tokens per second", names, Map.of("tokens/s", medians), false);
        System.out.printf(Locale.ROOT, "int8 / java float %.2fx, int8 / native float %.2fx%nwrote %s%n", int8 / java,
                int8 / nativeFloat, file);
        return 0;
    }

    private static void quality(LlamaModel f32, LlamaModel q8, BpeTokenizer tokenizer, Map<String, Metric> metrics,
                                ObjectNode details) {
        int[] bos = {BpeTokenizer.BOS};
        int[] floatGreedy = LlamaEval.greedyTokens(f32, bos, 200);
        int[] forced = new int[200];
        forced[0] = BpeTokenizer.BOS;
        System.arraycopy(floatGreedy, 0, forced, 1, 199);
        int[] text = tokenizer.encode(FIXED_TEXT, true, false);
        double pplFloat = LlamaEval.perplexity(f32, text);
        double pplInt8 = LlamaEval.perplexity(q8, text);
        metrics.put("int8_identical_greedy_tokens_200", new Metric(
                LlamaEval.agreement(floatGreedy, LlamaEval.greedyTokens(q8, bos, 200)), "share"));
        metrics.put("int8_next_token_agreement_200", new Metric(LlamaEval.nextTokenAgreement(f32, q8, forced), "share"));
        metrics.put("perplexity_float", new Metric(pplFloat, "perplexity"));
        metrics.put("perplexity_int8", new Metric(pplInt8, "perplexity"));
        metrics.put("perplexity_change_int8", new Metric(pplInt8 / pplFloat - 1, "relative"));
        details.put("fixed_text", FIXED_TEXT).put("fixed_text_tokens", text.length)
                .put("quality_method", "identical greedy tokens: free-running greedy decoding from BOS for 200 steps, "
                        + "float vs int8, position by position; next-token agreement: both models read the float "
                        + "greedy text and their argmax next tokens are compared; perplexity: exp of the mean negative "
                        + "log-likelihood of the fixed text's tokens after BOS");
    }

    /** Greedy decoding of {@code n} tokens from BOS. */
    private static void greedy(LlamaModel model, int n) {
        float[] logits = new float[model.config().vocabSize()];
        try (LlamaSession session = model.newSession(n)) {
            int token = BpeTokenizer.BOS;
            for (int pos = 0; pos < n; pos++) {
                session.forward(token, pos, logits);
                token = Sampler.argmax(logits, logits.length);
            }
        }
    }
}
