/**
 * Writing a cascade bundle: each trained head is merged into its stage graph ({@link
 * dev.offramp.exporter.bundle.HeadGraph}), the last stage gains a {@code final_probs} softmax,
 * every merged graph is run in ONNX Runtime and compared with the DJL heads and the backbone before
 * any file is written ({@link dev.offramp.exporter.bundle.BundleWriter}, tolerance 1e-4), then
 * manifest.json (cascade's records), stage-*.onnx, report.json and the plots are written and the
 * bundle is reopened with {@code Bundle.open} (validation and sha256).
 */
package dev.offramp.exporter.bundle;
