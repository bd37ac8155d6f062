/**
 * Content generation: the model runtime (INT8 text generation in {@code native/}, ONNX models),
 * the memory-budget scheduler and the planner/executor of multi-stage jobs.
 *
 * <p>Empty at the foundation stage on purpose: the module exists so the dependency graph
 * ({@code server -> generation -> native}) is in place; the generation-runtime and agent issues
 * fill it. Nothing in the server calls into it yet.
 */
package dev.feedserver.generation;
