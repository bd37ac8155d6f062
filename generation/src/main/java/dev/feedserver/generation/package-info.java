/**
 * Content generation: the model runtime and the planner/executor of multi-stage jobs.
 * {@code registry} knows the models the process can load and what each costs;
 * {@code scheduler} runs stage tasks on them within a memory budget; {@code models} holds the
 * models that ship with the process (MiniLM, FreeTTS speech, ONNX files). See
 * {@code docs/generation.md}.
 */
package dev.feedserver.generation;
