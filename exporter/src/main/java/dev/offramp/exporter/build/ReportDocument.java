package dev.offramp.exporter.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.offramp.exporter.report.ProfileReport;
import dev.offramp.exporter.report.ReportWriter;
import java.util.List;
import java.util.Map;

/**
 * report.json: the record of one build, written by {@link ReportWriter#json} (snake_case keys in
 * the order of the components below). Built by {@link BuildReport}.
 */
record ReportDocument(
    String tool,
    String toolVersion,
    String bundle,
    Backbone backbone,
    Dataset dataset,
    Training training,
    List<Head> heads,
    Map<String, List<Branch>> branches,
    Calibration calibration,
    Evaluation evaluation,
    Map<String, Double> timing) {
  ReportDocument {
    heads = List.copyOf(heads);
  }

  record Backbone(String file, String sha256, long macs) {}

  record Dataset(
      String spec,
      List<String> classes,
      Splits splits,
      List<HoldOut> holdOuts,
      Digests digests,
      int trainLimit) {
    Dataset {
      classes = List.copyOf(classes);
      holdOuts = List.copyOf(holdOuts);
    }
  }

  record Splits(int train, int trainAvailable, int valid, int test) {}

  record HoldOut(
      String split, String from, double fraction, long seed, int count, boolean stratified) {}

  record Digests(String method, String train, String valid, String test) {}

  record Training(
      String scheme,
      boolean compareBaseline,
      String weighting,
      String targets,
      double distillTemperature,
      int epochs,
      int batchSize,
      double lr,
      String optimizer,
      long seed,
      double trainMargin,
      String engine) {}

  record Head(
      int exit,
      String cut,
      List<Integer> cutShape,
      int grid,
      int width,
      int layers,
      long headMacs,
      double headMacsFraction) {
    Head {
      cutShape = List.copyOf(cutShape);
    }
  }

  record Branch(
      int exit,
      int trainSamples,
      double trainWeight,
      int validReaching,
      List<Double> epochLoss,
      double finalLoss,
      double trainAccuracy,
      double trainSeconds) {
    Branch {
      epochLoss = ReportWriter.copy(epochLoss);
    }
  }

  record Calibration(
      String split,
      String source,
      String sourceSpec,
      boolean mayOverlapBackboneTraining,
      int imagesSharedWithTrain,
      String sourceNote,
      String method,
      String marginMode,
      int minSupport,
      String calibrateOn,
      String referencePrecision,
      List<Double> backboneClassPrecision,
      String defaultProfile,
      String defaultProfileRule,
      Target target,
      Map<String, List<ProfileReport>> profiles) {
    Calibration {
      backboneClassPrecision = ReportWriter.copy(backboneClassPrecision);
    }
  }

  /**
   * The target profile; the {@code test_*} and {@code met_on_test} keys only when the test split
   * was evaluated.
   */
  record Target(
      String profile,
      double maxDropPoints,
      Double minSaving,
      String rule,
      Grid grid,
      double margin,
      OutOfFoldEstimate estimate,
      boolean metOnCalibration,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double testDropPoints,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double testDropSePoints,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double testSaving,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean metOnTest) {}

  record Grid(double from, double to, double step) {}

  /** The chosen margin's out-of-fold estimate on the calibration split, which it was judged by. */
  record OutOfFoldEstimate(
      int folds,
      double dropPoints,
      double dropSePoints,
      double confidenceZ,
      double dropUpperBoundPoints,
      double saving) {}

  record Evaluation(String split, String method, Map<String, List<ProfileReport>> profiles) {}
}
