package dev.offramp.benchmarks.e2e;

import dev.offramp.benchmarks.energy.EnergyCounter;
import dev.offramp.benchmarks.report.Machine;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.HoldOut;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code offramp bench}: the monolithic backbone, every profile of the cascade (plus its never-exit
 * run, for the chain overhead) and, when given, every profile of the baseline bundle, timed in one
 * process by {@link Interleaved} on the same preprocessed images at batch 1, same thread count.
 * Stateless; one call is one run.
 */
public final class EndToEndBench {
  /** Name of the never-exit variant of the main bundle. */
  public static final String NEVER_EXIT = "never-exit";

  private EndToEndBench() {}

  /**
   * What to run.
   *
   * @param bundle the (boosted) cascade bundle
   * @param backbone the backbone it was built from
   * @param data dataset SPEC
   * @param baseline the baseline bundle, if compared
   * @param split which split to classify
   * @param limit at most this many images (stratified, seeded), 0 = all
   * @param threads intra-op threads for every session (0 = ONNX Runtime default)
   * @param warmup unrecorded warm-up samples
   * @param seed seed of the limit and of the hold-out when the dataset has no valid split
   */
  public record Settings(
      Path bundle,
      Path backbone,
      String data,
      Optional<Path> baseline,
      Split split,
      int limit,
      int threads,
      int warmup,
      long seed) {
    public Settings {
      if (limit < 0 || threads < 0 || warmup < 0) {
        throw new IllegalArgumentException(
            "--limit, --threads and --warmup must be ≥ 0, found "
                + limit
                + ", "
                + threads
                + ", "
                + warmup);
      }
    }
  }

  /**
   * One variant's figures.
   *
   * @param name e.g. {@code monolithic}, {@code boosted:m0.02}
   * @param scheme {@code monolithic}, {@code boosted} or {@code baseline}
   * @param profile the profile, when a cascade under a profile
   * @param isDefault whether it is the bundle's default profile
   * @param accuracy 0..1
   * @param meanMacs MACs per frame, heads included
   * @param macsFraction over the backbone's MACs
   * @param latency per-frame wall latency
   * @param exitRates fraction answered per stage
   * @param energyJoulesPerFrame measured energy per frame, when a meter measured it
   * @param expectedAccuracy the manifest's calibration-split accuracy of the profile
   * @param expectedMacsFraction the manifest's calibration-split MAC fraction
   */
  public record VariantResult(
      String name,
      String scheme,
      Optional<String> profile,
      boolean isDefault,
      double accuracy,
      double meanMacs,
      double macsFraction,
      LatencyStats latency,
      double[] exitRates,
      Optional<Double> energyJoulesPerFrame,
      Optional<Double> expectedAccuracy,
      Optional<Double> expectedMacsFraction) {
    public VariantResult {
      exitRates = exitRates.clone();
    }

    /** A copy: the record keeps its own. */
    public double[] exitRates() {
      return exitRates.clone();
    }
  }

  /**
   * A run's results.
   *
   * @param machine what it ran on
   * @param settings the settings, as JSON-ready values
   * @param frames measured frames per variant
   * @param backboneMacs the backbone's MACs per frame
   * @param energyMethod the meter, or {@code none}
   * @param variants per variant, in run order
   */
  public record Result(
      Map<String, Object> machine,
      Map<String, Object> settings,
      int frames,
      long backboneMacs,
      String energyMethod,
      List<VariantResult> variants) {
    public Result {
      machine = Map.copyOf(machine);
      settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
      variants = List.copyOf(variants);
    }

    /** The variant named {@code name}. */
    public VariantResult variant(String name) {
      return variants.stream()
          .filter(v -> v.name().equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no variant "
                          + name
                          + "; have "
                          + variants.stream().map(v -> v.name()).toList()));
    }

    /** Mean latency of the never-exit cascade over the monolithic backbone's. */
    public double chainOverheadRatio() {
      return variant(mainScheme() + ":" + NEVER_EXIT).latency().meanMs()
          / variant("monolithic").latency().meanMs();
    }

    /** The same ratio on medians (less sensitive to preemption by other processes). */
    public double chainOverheadRatioP50() {
      return variant(mainScheme() + ":" + NEVER_EXIT).latency().p50Ms()
          / variant("monolithic").latency().p50Ms();
    }

    /** The scheme of the main bundle's variants. */
    public String mainScheme() {
      return variants.stream()
          .filter(v -> v.name().endsWith(":" + NEVER_EXIT))
          .findFirst()
          .orElseThrow()
          .scheme();
    }

    /** The main bundle's default-profile variant. */
    public Optional<VariantResult> defaultVariant() {
      return variants.stream()
          .filter(v -> v.isDefault() && v.scheme().equals(mainScheme()))
          .findFirst();
    }
  }

  /** Runs the benchmark. */
  public static Result run(
      Settings s, Optional<EnergyCounter> meter, java.io.PrintWriter progress) {
    Bundle main = Bundle.open(s.bundle());
    Optional<Bundle> base = s.baseline().map(Bundle::open);
    Manifest m = main.manifest();
    if (base.isPresent()) {
      Manifest b = base.get().manifest();
      if (!b.backbone().sha256().equals(m.backbone().sha256())
          || !java.util.Arrays.equals(b.input().shape(), m.input().shape())) {
        throw new IllegalArgumentException(
            "--baseline "
                + s.baseline().get()
                + " was built from another backbone or input shape than --bundle "
                + s.bundle()
                + "; expected both bundles from the same backbone");
      }
    }
    InputSpec in = m.input();
    int h = (int) in.shape()[2];
    int w = (int) in.shape()[3];
    Dataset data =
        DatasetLoader.load(
            s.data(),
            new InputOptions(w, h, in.color(), in.scale(), in.mean(), in.std()),
            0.1,
            s.seed());
    ImageSet images = data.split(s.split());
    if (s.limit() > 0) {
      images = HoldOut.limit(images, data.classes().size(), s.limit(), s.seed());
    }
    float[][] inputs = preprocess(images, in);
    int[] labels = images.labels();
    progress.printf(
        "bench: %d %s images, bundle %s%s, %d thread(s)%n",
        inputs.length,
        s.split().key(),
        m.name(),
        base.map(b -> " vs baseline " + b.manifest().name()).orElse(""),
        s.threads());

    ExecutionOptions opts = new ExecutionOptions(List.of(Provider.CPU), s.threads(), false);
    List<Variant> variants = new ArrayList<>();
    Map<String, String> schemes = new LinkedHashMap<>();
    Map<String, Profile> profiles = new LinkedHashMap<>();
    Map<String, Boolean> defaults = new LinkedHashMap<>();
    List<CascadeExecutor> executors = new ArrayList<>();
    String mainScheme = m.training().scheme();
    try (MonolithicVariant mono =
        new MonolithicVariant(
            s.backbone(),
            in.tensor(),
            in.shape(),
            m.backbone().outputs().get(0),
            m.classes().size(),
            s.threads(),
            m.backbone().macs())) {
      variants.add(mono);
      schemes.put(mono.name(), "monolithic");
      CascadeExecutor mainEx = CascadeExecutor.open(main, opts);
      executors.add(mainEx);
      String never = mainScheme + ":" + NEVER_EXIT;
      variants.add(new CascadeVariant(never, mainEx, ExitPolicy.neverExit()));
      schemes.put(never, mainScheme);
      addProfiles(main, mainEx, variants, schemes, profiles, defaults);
      if (base.isPresent()) {
        CascadeExecutor baseEx = CascadeExecutor.open(base.get(), opts);
        executors.add(baseEx);
        addProfiles(base.get(), baseEx, variants, schemes, profiles, defaults);
      }
      long t0 = System.nanoTime();
      List<Interleaved.Tally> tallies =
          Interleaved.run(
              variants,
              new Interleaved.Samples() {
                @Override
                public int size() {
                  return inputs.length;
                }

                @Override
                public float[] input(int i) {
                  return inputs[i];
                }

                @Override
                public int label(int i) {
                  return labels[i];
                }
              },
              Math.min(s.warmup(), inputs.length),
              System::nanoTime,
              meter,
              m.stages().size());
      progress.printf(
          "bench: %d variants x %d frames in %.1f s%n",
          variants.size(), inputs.length, (System.nanoTime() - t0) / 1e9);
      List<VariantResult> results = new ArrayList<>();
      for (Interleaved.Tally t : tallies) {
        Profile p = profiles.get(t.name());
        int stages = t.name().equals("monolithic") ? 1 : m.stages().size();
        double[] rates = new double[stages];
        for (int k = 0; k < stages; k++) {
          rates[k] = (double) t.exits().get(k) / t.frames();
        }
        results.add(
            new VariantResult(
                t.name(),
                schemes.get(t.name()),
                Optional.ofNullable(p).map(Profile::name),
                defaults.getOrDefault(t.name(), false),
                t.accuracy(),
                t.meanMacs(),
                t.meanMacs() / m.backbone().macs(),
                LatencyStats.of(t.nanos()),
                rates,
                t.joules().map(j -> j / t.frames()),
                Optional.ofNullable(p).map(x -> x.expected().accuracy()),
                Optional.ofNullable(p).map(x -> x.expected().macsFraction())));
      }
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("bundle", s.bundle().toString());
      settings.put("bundle_name", m.name());
      settings.put("backbone", s.backbone().toString());
      settings.put("backbone_sha256", m.backbone().sha256());
      settings.put("baseline", s.baseline().map(Path::toString).orElse(null));
      settings.put("data", s.data());
      settings.put("split", s.split().key());
      settings.put("limit", s.limit());
      settings.put("threads", s.threads());
      settings.put("warmup", s.warmup());
      settings.put("batch", 1);
      settings.put("seed", s.seed());
      settings.put(
          "order",
          "interleaved per image, round-robin over variants, first variant rotating by one per"
              + " image");
      return new Result(
          Machine.describe(),
          settings,
          inputs.length,
          m.backbone().macs(),
          meter.map(EnergyCounter::method).orElse("none"),
          results);
    } finally {
      executors.forEach(CascadeExecutor::close);
    }
  }

  private static void addProfiles(
      Bundle b,
      CascadeExecutor ex,
      List<Variant> variants,
      Map<String, String> schemes,
      Map<String, Profile> profiles,
      Map<String, Boolean> defaults) {
    Manifest m = b.manifest();
    String scheme = m.training().scheme();
    for (Profile p : m.profiles().values()) {
      String name = scheme + ":" + p.name();
      if (schemes.containsKey(name)) {
        throw new IllegalArgumentException(
            "two bundles of scheme "
                + scheme
                + " (variant "
                + name
                + "); expected --bundle and --baseline of different schemes");
      }
      variants.add(new CascadeVariant(name, ex, ExitPolicy.profile(p)));
      schemes.put(name, scheme);
      profiles.put(name, p);
      defaults.put(name, p.name().equals(m.defaultProfile()));
    }
  }

  private static float[][] preprocess(ImageSet images, InputSpec spec) {
    Preprocessor pre = new Preprocessor(spec);
    float[][] out = new float[images.size()][spec.elementCount()];
    byte[] px = new byte[images.imageBytes()];
    for (int i = 0; i < out.length; i++) {
      images.image(i, px);
      pre.fill(px, out[i], 0);
    }
    return out;
  }
}
