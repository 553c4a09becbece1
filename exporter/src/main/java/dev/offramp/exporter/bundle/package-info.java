/**
 * Writing a cascade bundle: {@link dev.offramp.exporter.bundle.StageMerger} merges each trained
 * head into its stage graph ({@link dev.offramp.exporter.bundle.HeadGraph}), gives the last stage a
 * {@code final_probs} softmax, and runs every merged graph in ONNX Runtime against the DJL heads
 * and the backbone before any file is written (tolerance 1e-4). Every merged stage gets a dynamic
 * batch dimension ({@link dev.offramp.exporter.bundle.BatchDims}), proven in ONNX Runtime by
 * running a batch of frames against single runs ({@link dev.offramp.exporter.bundle.BatchProof},
 * 1e-5); {@link dev.offramp.exporter.bundle.BundleWriter} then writes stage-*.onnx and
 * manifest.json (cascade's records) and reopens the bundle with {@code Bundle.open} (validation and
 * sha256).
 */
package dev.offramp.exporter.bundle;
