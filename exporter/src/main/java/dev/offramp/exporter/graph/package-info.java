/**
 * A typed, read-only view of ONNX backbones and what can be measured on them.
 *
 * <ul>
 *   <li>{@link dev.offramp.exporter.graph.OnnxGraph} loads a model with the ONNX protobuf classes
 *       ({@code ai.onnx.proto.OnnxMl}, from tribuo-util-onnx) and exposes nodes in topological
 *       order, producers and consumers, initializers, {@code Constant} nodes and the opset. It
 *       refuses files that are not ONNX or are truncated with a message that says so. What real
 *       exporters emit is handled: {@code Constant} nodes, initializers shared by several nodes,
 *       {@code Identity}/{@code Shape}/{@code Gather} chains (ordinary dynamic nodes), symbolic
 *       batch and spatial dimensions, opsets 9–21, initializers listed as inputs (IR &lt; 4).
 *   <li>{@link dev.offramp.exporter.graph.ShapeProbe} finds tensor shapes at a concrete input shape
 *       ({@link dev.offramp.exporter.graph.InputShapes}) by running the model once in ONNX Runtime
 *       with those tensors added as outputs.
 *   <li>{@link dev.offramp.exporter.graph.MacCounter} counts multiply-accumulates per node for
 *       {@code Conv}, {@code ConvTranspose}, {@code Gemm} and {@code MatMul}; other compute ops
 *       count 0 and are listed, never fatal.
 *   <li>{@link dev.offramp.exporter.graph.OnnxGraphBuilder} is the small typed vocabulary for
 *       building graphs in code ({@code b.conv(...)}, {@code b.relu(...)}, {@code b.add(...)}),
 *       used by the tests and available to code that merges heads into stages.
 * </ul>
 *
 * <p>Errors are unchecked: {@link dev.offramp.exporter.graph.OnnxModelException} for a model that
 * cannot be read or run, {@link IllegalArgumentException} for a shape that does not fit. Everything
 * here is immutable or stateless; the one ONNX Runtime environment is {@link
 * dev.offramp.exporter.graph.Ort#env()}.
 */
package dev.offramp.exporter.graph;
