/**
 * Cut points, MACs at each cut, and splitting a backbone into stage graphs.
 *
 * <h2>What a valid cut is</h2>
 *
 * Take the dataflow graph of <em>dynamic</em> tensors: every tensor computed from a graph input,
 * leaving out constants (initializers, {@code Constant} outputs and anything computed only from
 * them: each stage gets its own copy of those it reads) and dead nodes (that reach no graph
 * output). Add a virtual source feeding the graph inputs and a virtual sink fed by the graph
 * outputs. A tensor {@code T} is a <b>valid cut</b> iff {@code T} dominates the sink: every path
 * from the source to the sink passes through {@code T}.
 *
 * <p>Operationally ({@link dev.offramp.exporter.split.CutAnalysis}): let {@code Before(T)} be the
 * producer of {@code T} and all its dynamic ancestors. {@code T} is valid iff no node outside
 * {@code Before(T)} reads a dynamic tensor other than {@code T} that is a graph input or is
 * produced inside {@code Before(T)}, and no graph output other than {@code T} is produced inside
 * it. (Such a read is exactly a source-to-sink path that avoids {@code T}, so the two definitions
 * agree.) {@code T} must also be interior: not a graph input or output. The check is direct rather
 * than through a dominator tree so that a refused cut can name the node that needs a tensor from
 * before it — the residual {@code Add}, the SE {@code Mul}, the U-Net {@code Concat}. Valid cuts
 * form a chain in topological order, so any subset of them, sorted, splits the backbone.
 *
 * <p><b>Candidates</b> are the valid cuts minus the redundant ones: where the next valid cut is
 * produced from this one by a single pass-through op (activation, normalization, elementwise op
 * with a constant, reshape), only the later is proposed (the {@code Relu} output, not the {@code
 * Conv} output before it).
 *
 * <p><b>Auto cuts</b> ({@link dev.offramp.exporter.split.BackboneAnalysis#autoCuts()}): a candidate
 * is a block output when the nodes since the previous candidate merge two dynamic tensors; a
 * residual stage is a run of consecutive block outputs of equal per-sample shape; the cuts are the
 * ends of every residual stage but the last (ResNet-18: ends of layer1, layer2 and layer3). Without
 * two such stages: up to three candidates nearest 25/50/75% of the MACs.
 *
 * <h2>API for {@code offramp build}</h2>
 *
 * <pre>{@code
 * OnnxGraph graph = OnnxGraph.load(path);
 * BackboneAnalysis analysis = BackboneAnalysis.analyze(graph, Optional.of(List.of(1L, 3L, 32L, 32L)));
 * analysis.cuts().requireInteriorCut();            // NoInteriorCutException with the user message
 * List<String> cuts = analysis.resolveCuts("auto"); // or "T1,T2"; CutException when invalid
 * List<StageGraph> stages = GraphSplitter.split(analysis, cuts);
 * List<Path> files = StageWriter.write(stages, outDir); // each file loaded back in ONNX Runtime
 * }</pre>
 *
 * <p>Each {@link dev.offramp.exporter.split.StageGraph} holds a complete {@code ModelProto}, its
 * input and output tensor names and its MACs. Stage contract: stage {@code k} reads cut {@code k-1}
 * (stage 0 the backbone inputs) and outputs cut {@code k} under its backbone name; the last stage
 * outputs the backbone outputs under their names. Opset imports and IR version are the backbone's;
 * dynamic batch (and spatial) dimensions stay dynamic; each stage carries only the initializers and
 * constant nodes it reads; {@code metadata_props} record {@code offramp.tool_version}, {@code
 * offramp.source_sha256}, {@code offramp.cuts} and {@code offramp.stage}. Stage MACs sum to the
 * backbone's total.
 *
 * <p>Limitations: control-flow ops ({@code If}, {@code Loop}) whose subgraphs read outer-scope
 * tensors are not analysed for those reads; custom-domain ops are kept but their MACs count 0.
 */
package dev.offramp.exporter.split;
