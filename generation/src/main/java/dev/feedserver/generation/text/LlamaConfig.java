package dev.feedserver.generation.text;

/**
 * The shape of a Llama-architecture decoder, as in a llama2.c checkpoint header.
 *
 * <p>Threading and lifecycle: an immutable value.
 *
 * @param dim              model width
 * @param hiddenDim        feed-forward width
 * @param layers           decoder layers
 * @param heads            query heads
 * @param kvHeads          key/value heads ({@code < heads}: grouped-query attention)
 * @param vocabSize        vocabulary size
 * @param seqLen           longest context
 * @param sharedClassifier whether the classifier is the token embedding
 */
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                          boolean sharedClassifier) {

    /** Width of one attention head. */
    public int headSize() {
        return dim / heads;
    }

    /** Width of the keys and values of one position: {@code headSize * kvHeads}. */
    public int kvDim() {
        return headSize() * kvHeads;
    }
}
