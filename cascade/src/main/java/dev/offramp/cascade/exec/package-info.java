/**
 * Executing a cascade bundle with ONNX Runtime: {@link dev.offramp.cascade.exec.CascadeExecutor}
 * (the cascade's semantics: which stage answers, invalid probabilities, continuing a chain), the
 * {@link dev.offramp.cascade.exec.ExitPolicy} modes, and execution-provider selection with CPU
 * fallback ({@code SessionFactory}, {@code ProviderOptionKeys}). The native side has one owner: the
 * package-private {@code PinnedStages} holds every session, pinned tensor and direct buffer of an
 * executor (zero-copy hand-off between stages), after {@code StageGraphs} has checked each graph
 * against its manifest entry. Batched runs ({@code CascadeExecutor.classifyBatch}, when every stage
 * input declares a symbolic batch dimension) have their own pinned tensors in {@code PinnedStages}:
 * one set per stage and batch size, made the first time that size reaches that stage and closed
 * with the executor (measured against per-call tensors: see {@code BatchCascadeBenchmark} and the
 * README). The ONNX Runtime environment is the process-wide one, and every module gets it from
 * {@link dev.offramp.cascade.exec.OrtRuntime}, which creates it on a large-stack thread.
 *
 * <p>Depends on {@code bundle}, {@code exit}, {@code text} and {@code value}; the only package of
 * the module that touches ONNX Runtime (CascadeArchitectureTest).
 */
package dev.offramp.cascade.exec;
