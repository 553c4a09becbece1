package dev.offramp.exporter.graph;

import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Concrete input shapes for probing a graph: the model's declared shape with symbolic dimensions
 * resolved. A symbolic batch (first) dimension becomes 1; any other symbolic dimension needs an
 * explicit shape from the user.
 */
public final class InputShapes {
  private InputShapes() {}

  /** How the user of a command gives the input shape, so that its errors name that flag. */
  public enum ShapeFlag {
    /** {@code --input-shape N,C,H,W} (inspect, split, verify). */
    INPUT_SHAPE,
    /** {@code --size WxH} (build): batch and channels come from the model. */
    SIZE,
    /** No flag: the command takes the shape from the model (bench grid). */
    NONE;

    /** How the requested shape {@code req} was written. */
    String written(List<Long> req) {
      return switch (this) {
        case SIZE -> "--size " + req.get(req.size() - 1) + "x" + req.get(req.size() - 2);
        case INPUT_SHAPE, NONE -> "--input-shape " + join(req);
      };
    }

    String flagName() {
      return this == SIZE ? "--size" : "--input-shape";
    }

    String hint(List<Object> declared) {
      return switch (this) {
        case INPUT_SHAPE ->
            "pass --input-shape with concrete values, e.g. --input-shape " + example(declared);
        case SIZE -> "pass --size WxH, the width and height to build for, e.g. --size 32x32";
        case NONE ->
            "this command takes the shape from the model: export it with a fixed height and"
                + " width (or run build with --size WxH)";
      };
    }
  }

  /**
   * Resolves the shape of every graph input.
   *
   * @param requested the user's shape for the (single) input, e.g. {@code [1, 3, 32, 32]}
   * @return shape per input name, in input order
   * @throws IllegalArgumentException when a shape cannot be determined or does not fit the model
   */
  public static Map<String, List<Long>> resolve(OnnxGraph graph, Optional<List<Long>> requested) {
    return resolve(graph, requested, ShapeFlag.INPUT_SHAPE);
  }

  /**
   * {@link #resolve(OnnxGraph, Optional)} for a command whose shape flag is {@code flag}: its
   * errors name that flag.
   */
  public static Map<String, List<Long>> resolve(
      OnnxGraph graph, Optional<List<Long>> requested, ShapeFlag flag) {
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    if (requested.isPresent() && graph.inputs().size() != 1) {
      throw new IllegalArgumentException(
          flag.flagName()
              + " sets the shape of a single-input model, but "
              + graph.source()
              + " has inputs "
              + graph.inputNames()
              + "; give those inputs static shapes in the export instead.");
    }
    for (ValueInfoProto in : graph.inputs()) {
      List<Object> declared = declaredDims(in);
      if (requested.isPresent()) {
        shapes.put(in.getName(), checkRequested(in.getName(), declared, requested.get(), flag));
        continue;
      }
      List<Long> dims = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (int i = 0; i < declared.size(); i++) {
        if (declared.get(i) instanceof Long v) {
          dims.add(v);
        } else if (i == 0) {
          dims.add(1L);
        } else {
          unknown.add(declared.get(i).toString());
          dims.add(-1L);
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "input '"
                + in.getName()
                + "' of "
                + graph.source()
                + " has symbolic dimensions "
                + unknown
                + " (declared shape "
                + declared
                + "); "
                + flag.hint(declared));
      }
      shapes.put(in.getName(), List.copyOf(dims));
    }
    return shapes;
  }

  /** The declared dimensions: a {@code Long} for a fixed size, a {@code String} otherwise. */
  public static List<Object> declaredDims(ValueInfoProto info) {
    List<Object> dims = new ArrayList<>();
    if (!info.getType().hasTensorType() || !info.getType().getTensorType().hasShape()) {
      return dims;
    }
    for (TensorShapeProto.Dimension d : info.getType().getTensorType().getShape().getDimList()) {
      if (d.hasDimValue() && d.getDimValue() > 0) {
        dims.add(d.getDimValue());
      } else {
        dims.add(d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
      }
    }
    return dims;
  }

  private static List<Long> checkRequested(
      String name, List<Object> declared, List<Long> req, ShapeFlag flag) {
    if (!declared.isEmpty() && declared.size() != req.size()) {
      throw new IllegalArgumentException(
          flag.written(req)
              + " gives "
              + req.size()
              + " dimensions, but input '"
              + name
              + "' is declared as "
              + declared
              + " ("
              + declared.size()
              + " dimensions).");
    }
    for (int i = 0; i < req.size(); i++) {
      if (req.get(i) <= 0) {
        throw new IllegalArgumentException(
            flag.written(req) + ": every dimension must be positive.");
      }
      if (i < declared.size() && declared.get(i) instanceof Long v && !v.equals(req.get(i))) {
        throw new IllegalArgumentException(
            flag.written(req)
                + " does not fit input '"
                + name
                + "': dimension "
                + i
                + " is fixed to "
                + v
                + " in the model (declared shape "
                + declared
                + ")"
                + (flag == ShapeFlag.SIZE ? "; leave --size out to use the model's size." : "."));
      }
    }
    return List.copyOf(req);
  }

  private static String example(List<Object> declared) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      Object d = declared.get(i);
      parts.add(d instanceof Long ? d.toString() : i == 0 ? "1" : "N");
    }
    return String.join(",", parts).replace("N", "32");
  }

  private static String join(List<Long> dims) {
    return String.join(",", dims.stream().map(String::valueOf).toList());
  }
}
