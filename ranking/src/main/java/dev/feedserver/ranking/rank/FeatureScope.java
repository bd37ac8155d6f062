package dev.feedserver.ranking.rank;

/**
 * What a feature family depends on, which decides where the ranker's first layer computes its
 * contribution: once per request, once per item (cached), or per (user, candidate) pair.
 */
public enum FeatureScope {
    /** The user and the request only (user vector, history, context): computed once per request. */
    REQUEST,
    /** The item only, and changing only when the item changes: its first-layer part is precomputed per item. */
    ITEM,
    /** Depends on both, or changes with every event: assembled per candidate into the batch the int8 GEMM reads. */
    CANDIDATE
}
