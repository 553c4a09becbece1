package dev.offramp.exporter.verify;

import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.exporter.graph.OnnxGraph;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the stages to verify: either a split directory ({@code stage-0.onnx …}, as {@code offramp
 * split} writes) or a bundle directory (with {@code manifest.json}, whose {@code stages[]} name
 * each file, its {@code input} and its {@code features} tensor; head outputs are ignored).
 */
public final class StageSources {
  /** The manifest file that marks a bundle directory. */
  public static final String MANIFEST = "manifest.json";

  private static final Pattern STAGE_FILE = Pattern.compile("stage-(\\d+)\\.onnx");

  private StageSources() {}

  /**
   * Lists the stages in {@code dir}, in chain order.
   *
   * @param backbone the backbone, whose outputs the last stage must reproduce
   * @throws VerificationException when the directory, its stage files or its manifest are not
   *     usable
   */
  public static List<StageSpec> discover(Path dir, OnnxGraph backbone) {
    if (!Files.isDirectory(dir)) {
      throw new VerificationException(
          dir + " is not a directory; pass the --out directory of `offramp split` or a bundle.");
    }
    Path manifest = dir.resolve(MANIFEST);
    return Files.isRegularFile(manifest)
        ? fromManifest(dir, manifest, backbone)
        : fromSplit(dir, backbone);
  }

  private static List<StageSpec> fromSplit(Path dir, OnnxGraph backbone) {
    TreeMap<Integer, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "stage-*.onnx")) {
      for (Path p : ds) {
        Matcher m = STAGE_FILE.matcher(String.valueOf(p.getFileName()));
        if (m.matches()) {
          files.put(Integer.parseInt(m.group(1)), p);
        }
      }
    } catch (IOException e) {
      throw new VerificationException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new VerificationException(
          dir + " holds neither " + MANIFEST + " nor stage-*.onnx files; nothing to verify.");
    }
    if (files.firstKey() != 0 || files.lastKey() != files.size() - 1) {
      throw new VerificationException(
          dir
              + " has stage files "
              + files.keySet()
              + "; expected stage-0 … stage-"
              + (files.size() - 1)
              + " without gaps.");
    }
    List<StageSpec> specs = new ArrayList<>();
    for (Path file : files.values()) {
      OnnxGraph stage = OnnxGraph.load(file);
      List<String> compared = stage.outputNames().stream().filter(backbone::hasTensor).toList();
      if (compared.isEmpty()) {
        throw new VerificationException(
            file
                + " outputs "
                + stage.outputNames()
                + ", none of which is a tensor of "
                + backbone.source()
                + "; was it cut from another backbone?");
      }
      specs.add(new StageSpec(file, stage.inputs().get(0).getName(), compared));
    }
    return List.copyOf(specs);
  }

  private static List<StageSpec> fromManifest(Path dir, Path manifest, OnnxGraph backbone) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(manifest.toFile());
    } catch (IOException e) {
      throw new VerificationException(manifest + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode stages = root.path("stages");
    if (!stages.isArray() || stages.isEmpty()) {
      throw new VerificationException(
          manifest + ": field 'stages' must be a non-empty array of {file, input, features}.");
    }
    List<StageSpec> specs = new ArrayList<>();
    for (int k = 0; k < stages.size(); k++) {
      JsonNode s = stages.get(k);
      String file = text(s, "file", manifest, k);
      String input = text(s, "input", manifest, k);
      JsonNode features = s.path("features");
      List<String> compared;
      if (features.isTextual()) {
        compared = List.of(features.asText());
      } else if (k == stages.size() - 1) {
        compared = backbone.outputs().stream().map(ValueInfoProto::getName).toList();
      } else {
        throw new VerificationException(
            manifest
                + ": stages["
                + k
                + "].features must name the stage's cut tensor (only the"
                + " last stage has features null).");
      }
      Path path = dir.resolve(file).normalize();
      if (!path.startsWith(dir.normalize()) || !Files.isRegularFile(path)) {
        throw new VerificationException(
            manifest + ": stages[" + k + "].file '" + file + "' is not a file inside " + dir);
      }
      specs.add(new StageSpec(path, input, compared));
    }
    return List.copyOf(specs);
  }

  private static String text(JsonNode stage, String field, Path manifest, int k) {
    JsonNode v = stage.path(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new VerificationException(
          manifest + ": stages[" + k + "]." + field + " is missing or not a string.");
    }
    return v.asText();
  }
}
