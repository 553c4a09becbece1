package dev.offramp.exporter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --input-shape 1,3,32,32}. */
final class InputShapeOption implements ITypeConverter<List<Long>> {
  @Override
  public List<Long> convert(String value) {
    List<Long> dims = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      try {
        long d = Long.parseLong(part.strip());
        if (d <= 0) {
          throw new NumberFormatException();
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a shape: expected positive integers separated by commas,"
                + " e.g. 1,3,32,32");
      }
    }
    return List.copyOf(dims);
  }

  static Optional<List<Long>> of(List<Long> shape) {
    return Optional.ofNullable(shape).filter(s -> !s.isEmpty());
  }
}
