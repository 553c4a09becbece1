/**
 * The cascade bundle and how to execute it, shared by the exporter (which writes bundles) and the
 * runtime (which runs them). Subpackages: {@code bundle} (format), {@code exit} (the exit rule),
 * {@code exec} (ONNX Runtime executor), {@code preprocess} (pixels to tensor). No camera, broker,
 * training or graph editing here.
 */
package dev.offramp.cascade;
