package dev.feedserver.onnx.mlp;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Spearman rank correlation (average ranks for ties) and mean absolute error. */
final class Ranks {

    private Ranks() {
    }

    static double spearman(double[] a, double[] b) {
        return pearson(ranks(a), ranks(b));
    }

    static double meanAbsError(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    static double std(double[] a) {
        double mean = Arrays.stream(a).average().orElse(0);
        return Math.sqrt(Arrays.stream(a).map(v -> (v - mean) * (v - mean)).sum() / a.length);
    }

    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i]))
                .toArray(Integer[]::new);
        double[] rank = new double[v.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double average = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = average;
            }
            i = j + 1;
        }
        return rank;
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
