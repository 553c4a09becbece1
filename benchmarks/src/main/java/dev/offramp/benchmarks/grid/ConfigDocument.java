package dev.offramp.benchmarks.grid;

import java.util.List;

/**
 * One finished grid configuration, {@code configs/<id>.json}: written by {@link GridRunner}
 * (snake_case keys through {@link dev.offramp.benchmarks.report.Json}), read back by {@link
 * GridReport} and by a resumed run.
 */
record ConfigDocument(
    String id,
    String placement,
    List<String> cuts,
    List<Double> cutMacsFractions,
    Head head,
    double margin,
    GridSettings.Fingerprint settings,
    String backboneSha256,
    long backboneMacs,
    int testSamples,
    int calibrationSamples,
    int trainSamples,
    double backboneAccuracy,
    Scheme boosted,
    Scheme baseline,
    String winner) {
  ConfigDocument {
    cuts = List.copyOf(cuts);
    cutMacsFractions = List.copyOf(cutMacsFractions);
  }

  /** The heads' size and their MACs summed over the exits. */
  record Head(
      String name, int grid, int width, int layers, long macsTotal, double macsFractionTotal) {}

  /**
   * One scheme at this configuration: test metrics, the oracle bound and calibration figures;
   * {@code shareOfOracleReduction} is null where the oracle saves nothing.
   */
  record Scheme(
      double accuracy,
      double accuracyDropPoints,
      double macsFraction,
      double computeReduction,
      List<Double> exitRates,
      double oracleMacsFraction,
      Double shareOfOracleReduction,
      double calibrationAccuracy,
      double calibrationMacsFraction,
      List<Integer> branchTrainSamples,
      double trainSeconds) {
    Scheme {
      exitRates = List.copyOf(exitRates);
      branchTrainSamples = List.copyOf(branchTrainSamples);
    }
  }
}
