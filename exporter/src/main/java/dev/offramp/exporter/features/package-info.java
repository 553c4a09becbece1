/**
 * The feature cache: the backbone runs once over each split in ONNX Runtime, batched, with the cut
 * tensors added as extra graph outputs; per cut only the head input is kept (the cut map
 * adaptive-average-pooled to C×G×G, computed by {@link AdaptivePool}), plus the backbone's final
 * probabilities (softmax of its first output, the logits). Everything is float32 in plain arrays:
 * for Fashion-MNIST's 60k images and the demo's three cuts at G=4 that is about 60k × (16+32+64)·16
 * + 10 floats ≈ 0.43 GB; the exact figure is logged per split. One pass can keep a cut at several
 * grids ({@link FeatureCache}): the benchmarks' grid extracts every placement and head grid in one
 * pass per split.
 */
package dev.offramp.exporter.features;
