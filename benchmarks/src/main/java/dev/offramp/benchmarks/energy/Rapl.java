package dev.offramp.benchmarks.energy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Intel/AMD RAPL package energy through powercap sysfs ({@code
 * sys/class/powercap/intel-rapl:0/energy_uj} under a configurable root, so tests read recorded
 * trees). The counter wraps at {@code max_energy_range_uj}; {@link #joules()} unfolds the wrap,
 * which is safe as long as it is read more often than one wrap period (minutes). It counts the
 * whole package, so other processes' energy is included: the benchmark reports it as such.
 *
 * <p>Used only while the runtime's meters ({@code dev.offramp.runtime.energy}) are not on main; the
 * method string matches the runtime's ({@code rapl:package}). Not thread-safe.
 */
public final class Rapl implements EnergyCounter {
  /** Where the package-0 zone lives, relative to the root. */
  public static final String ZONE = "sys/class/powercap/intel-rapl:0";

  private final Path energy;
  private final long range;
  private long last;
  private long unfolded;

  private Rapl(Path energy, long range, long first) {
    this.energy = energy;
    this.range = range;
    this.last = first;
  }

  /** Opens RAPL under {@code root} when its counter is present and readable. */
  public static Optional<Rapl> probe(Path root) {
    Path zone = root.resolve(ZONE);
    Path e = zone.resolve("energy_uj");
    if (!Files.isReadable(e)) {
      return Optional.empty();
    }
    try {
      long first = read(e);
      Path max = zone.resolve("max_energy_range_uj");
      long range = Files.isReadable(max) ? read(max) : 0;
      return Optional.of(new Rapl(e, range, first));
    } catch (IOException | NumberFormatException ex) {
      return Optional.empty(); // present but unreadable (e.g. root-only since CVE-2020-8694)
    }
  }

  /** Where {@link #probe} looks, for messages. */
  public static Path counterPath(Path root) {
    return root.resolve(ZONE).resolve("energy_uj");
  }

  private static long read(Path p) throws IOException {
    return Long.parseLong(Files.readString(p, StandardCharsets.US_ASCII).strip());
  }

  @Override
  public String method() {
    return "rapl:package";
  }

  @Override
  public double joules() {
    long now;
    try {
      now = read(energy);
    } catch (IOException e) {
      throw new UncheckedIOException("reading RAPL counter " + energy + ": " + e.getMessage(), e);
    }
    long delta = now - last;
    if (delta < 0) {
      delta += range > 0 ? range + 1 : 0; // wrapped (or reset when the range is unknown)
      delta = Math.max(delta, 0);
    }
    unfolded += delta;
    last = now;
    return unfolded / 1e6;
  }
}
