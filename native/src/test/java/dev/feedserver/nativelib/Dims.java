package dev.feedserver.nativelib;

import java.util.stream.IntStream;

/** Vector lengths under test: 1..130 (every tail length of every SIMD width) plus larger odd sizes. */
final class Dims {

    static final int[] ALL = IntStream.concat(IntStream.rangeClosed(1, 130), IntStream.of(255, 256, 257, 1000))
            .toArray();

    static final int MAX = 1000;

    private Dims() {}
}
