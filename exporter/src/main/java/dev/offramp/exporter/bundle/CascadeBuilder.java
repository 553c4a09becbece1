package dev.offramp.exporter.bundle;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.bundle.BackboneInfo;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.Expected;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.ManifestJson;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.bundle.Sha256;
import dev.offramp.cascade.bundle.StageSpec;
import dev.offramp.cascade.bundle.TrainingInfo;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.Cpm;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.data.CalibrationSource;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetException;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.HoldOut;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.evaluate.BundleEvaluator;
import dev.offramp.exporter.evaluate.CascadeMetrics;
import dev.offramp.exporter.evaluate.ExpectedAgreement;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.FeatureExtractor;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.Ort;
import dev.offramp.exporter.report.ReportWriter;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.split.GraphSplitter;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.train.BranchTraining;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.TrainSettings;
import dev.offramp.exporter.train.TrainedHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole {@code offramp build} pipeline: analyse and split the backbone, load the dataset, cache
 * features, train the branches (boosted and/or baseline), calibrate one profile per margin, merge
 * heads into stages, prove the merged graphs against DJL and the backbone, write and reopen the
 * bundle, evaluate it on the test split, write report.json and plots. Stateless; one call builds
 * one bundle.
 */
public final class CascadeBuilder {
  private static final Logger LOG = System.getLogger(CascadeBuilder.class.getName());

  /** Largest allowed |ONNX − reference| when proving merged graphs. */
  public static final double TOLERANCE = 1e-4;

  /** Heads together should stay under this share of the backbone's MACs. */
  public static final double HEAD_BUDGET = 0.02;

  private static final int CHECK_SAMPLES = 32;

  private CascadeBuilder() {}

  /** Runs the build. */
  public static BuildResult build(BuildOptions o) {
    long start = System.nanoTime();
    Map<String, Double> timing = new LinkedHashMap<>();
    OnnxGraph graph = OnnxGraph.load(o.backbone());
    String inputName = graph.inputNames().get(0);
    String logitsName = graph.outputNames().get(0);
    List<Object> declared = InputShapes.declaredDims(graph.inputs().get(0));
    Optional<List<Long>> requested = Optional.empty();
    int channels = 1;
    if (declared.size() == 4 && declared.get(1) instanceof Long c) {
      channels = Math.toIntExact(c);
    }
    if (o.size().isPresent()) {
      int[] wh = InputOptions.parseSize(o.size().get());
      requested = Optional.of(List.of(1L, (long) channels, (long) wh[1], (long) wh[0]));
    }
    BackboneAnalysis analysis = BackboneAnalysis.analyze(graph, requested);
    List<String> cuts = analysis.resolveCuts(o.cuts());
    List<Long> inShape = analysis.inputShapes().get(inputName);
    if (inShape.size() != 4) {
      throw new IllegalArgumentException(
          "backbone input '" + inputName + "': expected NCHW (4 dimensions), found " + inShape);
    }
    ColorMode color =
        o.color()
            .map(InputOptions::parseColor)
            .orElse(inShape.get(1) == 1 ? ColorMode.GRAY : ColorMode.RGB);
    if (InputOptions.channels(color) != inShape.get(1)) {
      throw new IllegalArgumentException(
          "--color "
              + color
              + " gives "
              + InputOptions.channels(color)
              + " channels, but the backbone's input '"
              + inputName
              + "' has "
              + inShape.get(1)
              + "; use --color gray for 1 channel, rgb or bgr for 3");
    }
    InputOptions in =
        new InputOptions(
            (int) (long) inShape.get(3),
            (int) (long) inShape.get(2),
            color,
            o.scale(),
            o.mean(),
            o.std());
    InputSpec spec = in.toSpec(inputName);
    List<Long> outShape = analysis.shapes().get(logitsName);
    long backboneMacs = analysis.totalMacs();
    mark(timing, "analyse", start);

    long t = System.nanoTime();
    Dataset data =
        DatasetLoader.load(o.data(), o.calibrationData(), in, o.validFraction(), o.seed());
    CalibrationSource calSource = CalibrationSource.of(data, o.calibrationData());
    if (calSource.mayOverlapBackboneTraining() || calSource.sharedWithTrain() > 0) {
      LOG.log(Level.WARNING, "calibration split: " + calSource.summary());
    }
    int classes = data.classes().size();
    if (outShape != null && !outShape.isEmpty() && outShape.get(outShape.size() - 1) != classes) {
      throw new DatasetException(
          "the backbone's output '"
              + logitsName
              + "' has "
              + outShape.get(outShape.size() - 1)
              + " classes but dataset "
              + o.data()
              + " has "
              + classes
              + " ("
              + data.classes()
              + "); expected the same: use the dataset the backbone was trained on");
    }
    ImageSet train = data.train();
    if (o.trainLimit() > 0) {
      train = HoldOut.limit(train, classes, o.trainLimit(), o.seed());
    }
    mark(timing, "load_data", t);

    List<CutSpec> cutSpecs = new ArrayList<>();
    List<HeadShape> shapes = new ArrayList<>();
    long headMacsTotal = 0;
    for (int k = 0; k < cuts.size(); k++) {
      List<Long> s = analysis.shapes().get(cuts.get(k));
      if (s == null || s.size() != 4) {
        throw new IllegalArgumentException(
            "cut " + cuts.get(k) + ": expected an NCHW feature map, found shape " + s);
      }
      int g = o.headGrid()[Math.min(k, o.headGrid().length - 1)];
      CutSpec cs =
          new CutSpec(
              cuts.get(k), (int) (long) s.get(1), (int) (long) s.get(2), (int) (long) s.get(3), g);
      cutSpecs.add(cs);
      HeadShape hs =
          new HeadShape(
              cs.channels(), cs.height(), cs.width(), g, o.headWidth(), o.headLayers(), classes);
      shapes.add(hs);
      headMacsTotal += hs.macs();
    }
    if (headMacsTotal > HEAD_BUDGET * backboneMacs) {
      LOG.log(
          Level.WARNING,
          String.format(
              Locale.ROOT,
              "heads cost %d MACs = %.2f%% of the backbone's %d, above the %.0f%% budget;"
                  + " lower --head-grid or --head-width",
              headMacsTotal,
              100.0 * headMacsTotal / backboneMacs,
              backboneMacs,
              100 * HEAD_BUDGET));
    }

    t = System.nanoTime();
    boolean dynamicBatch = !declared.isEmpty() && !(declared.get(0) instanceof Long);
    SplitFeatures fTrain;
    SplitFeatures fValid;
    SplitFeatures fTest;
    try (FeatureExtractor fx =
        new FeatureExtractor(
            graph.model(), inputName, logitsName, cutSpecs, spec, dynamicBatch, classes)) {
      fTrain = fx.extract(train, "train");
      fValid = fx.extract(data.valid(), "valid");
      fTest = o.evaluateTest() ? fx.extract(data.test(), "test") : null;
    }
    LOG.log(
        Level.INFO,
        String.format(
            Locale.ROOT,
            "feature cache: %.1f MB",
            (fTrain.bytes() + fValid.bytes() + (fTest == null ? 0 : fTest.bytes())) / 1e6));
    mark(timing, "features", t);

    double trainMargin = o.effectiveTrainMargin();
    Calibration.Settings survivorCal =
        new Calibration.Settings(
            trainMargin, o.marginMode(), o.minSupport(), o.calibrateOnSurvivors());
    TrainSettings ts =
        new TrainSettings(o.epochs(), o.batchSize(), o.lr(), o.seed(), o.temperature());
    List<Scheme> schemes = new ArrayList<>(List.of(o.scheme()));
    if (o.compareBaseline() && o.scheme() != Scheme.BASELINE) {
      schemes.add(Scheme.BASELINE);
    }
    double[] reference = Cpm.backbonePrecision(fValid.backboneProbs(), fValid.labels(), classes);
    long[] macsThrough = new long[cuts.size() + 2];
    List<StageGraph> stages = GraphSplitter.split(analysis, cuts);
    for (int s = 0; s < stages.size(); s++) {
      long head = s < shapes.size() ? shapes.get(s).macs() : 0;
      macsThrough[s + 1] = macsThrough[s] + stages.get(s).macs() + head;
    }

    Map<String, List<ProfileMetrics>> validMetrics = new LinkedHashMap<>();
    Map<String, List<ProfileMetrics>> testMetrics = new LinkedHashMap<>();
    Map<String, List<BranchTraining.Branch>> branchInfo = new LinkedHashMap<>();
    List<BranchTraining.Outcome> outcomes = new ArrayList<>();
    Map<String, ThresholdTable> mainTables = new LinkedHashMap<>();
    String targetName = TargetSearch.profileName(o.target());
    TargetSearch.Choice mainChoice = null;
    float[][][] mainValidStage = null;
    Bundle bundle;
    String defaultProfile;
    try {
      for (Scheme scheme : schemes) {
        t = System.nanoTime();
        BranchTraining.Outcome out =
            BranchTraining.run(
                shapes,
                fTrain,
                fValid,
                new BranchTraining.Settings(
                    scheme, o.softWeighting(), o.labelTargets(), ts, survivorCal));
        outcomes.add(out);
        branchInfo.put(scheme.key(), out.branches());
        mark(timing, "train_" + scheme.key(), t);
        List<ProfileMetrics> vm = new ArrayList<>();
        List<ProfileMetrics> tm = new ArrayList<>();
        float[][][] validStage = stack(out.validExitProbs(), fValid.backboneProbs());
        float[][][] testStage = null;
        if (fTest != null && scheme != o.scheme()) {
          List<float[][]> testExit = new ArrayList<>();
          for (int k = 0; k < out.heads().size(); k++) {
            TrainedHead h = out.heads().get(k);
            testExit.add(
                BranchTraining.rows(
                    h.probabilities(fTest.pooled().get(k), fTest.size()), fTest.size(), classes));
          }
          testStage = stack(testExit, fTest.backboneProbs());
        }
        for (double m : o.margins()) {
          ThresholdTable table =
              Calibration.calibrate(
                  out.validExitProbs(),
                  fValid.labels(),
                  reference,
                  new Calibration.Settings(
                      m, o.marginMode(), o.minSupport(), o.calibrateOnSurvivors()));
          vm.add(
              CascadeMetrics.compute(
                  BuildOptions.profileName(m),
                  m,
                  validStage,
                  fValid.labels(),
                  table,
                  macsThrough,
                  backboneMacs));
          if (testStage != null) {
            tm.add(
                CascadeMetrics.compute(
                    BuildOptions.profileName(m),
                    m,
                    testStage,
                    fTest.labels(),
                    table,
                    macsThrough,
                    backboneMacs));
          }
          if (scheme == o.scheme()) {
            mainTables.put(BuildOptions.profileName(m), table);
          }
        }
        TargetSearch.Choice choice =
            TargetSearch.search(
                out.validExitProbs(),
                validStage,
                fValid.labels(),
                reference,
                survivorCal,
                macsThrough,
                backboneMacs,
                o.target());
        LOG.log(Level.INFO, scheme.key() + " " + TargetSearch.describe(choice, o.target()));
        vm.add(choice.metrics());
        if (testStage != null) {
          tm.add(
              CascadeMetrics.compute(
                  targetName,
                  choice.margin(),
                  testStage,
                  fTest.labels(),
                  choice.thresholds(),
                  macsThrough,
                  backboneMacs));
        }
        if (scheme == o.scheme()) {
          mainTables.put(targetName, choice.thresholds());
          mainChoice = choice;
          mainValidStage = validStage;
        }
        validMetrics.put(scheme.key(), vm);
        if (!tm.isEmpty()) {
          testMetrics.put(scheme.key(), tm);
        }
      }
      BranchTraining.Outcome main = outcomes.get(0);
      List<ProfileMetrics> mainValid = validMetrics.get(o.scheme().key());
      defaultProfile = chooseDefault(o, mainValid);

      t = System.nanoTime();
      List<ModelProto> merged = new ArrayList<>();
      for (int s = 0; s < stages.size(); s++) {
        ModelProto mp = stages.get(s).model();
        if (s < cuts.size()) {
          mp = HeadGraph.withHead(mp, s, cuts.get(s), main.heads().get(s).result().weights());
        } else {
          mp = HeadGraph.withFinalSoftmax(mp, logitsName);
        }
        merged.add(mp);
      }
      prove(merged, stages, cuts, spec, data.valid(), fValid, main, inputName);
      mark(timing, "merge_and_prove", t);

      Map<String, Profile> profiles = new LinkedHashMap<>();
      for (ProfileMetrics pm : mainValid) {
        profiles.put(
            pm.name(),
            new Profile(
                pm.name(),
                pm.margin(),
                mainTables.get(pm.name()),
                new Expected(
                    pm.accuracy(),
                    pm.macsFraction(),
                    pm.exitRates(),
                    ExpectedAgreement.of(mainValidStage, mainTables.get(pm.name()))),
                pm.name().equals(targetName) ? Optional.of(o.target()) : Optional.empty()));
      }
      bundle =
          write(
              o,
              merged,
              stages,
              cuts,
              shapes,
              spec,
              data.classes(),
              graph,
              backboneMacs,
              profiles,
              defaultProfile);
    } finally {
      outcomes.forEach(BranchTraining.Outcome::close);
    }

    if (fTest != null) {
      t = System.nanoTime();
      float[][][] probs = BundleEvaluator.stageProbabilities(bundle, data.test());
      testMetrics.put(
          o.scheme().key(),
          BundleEvaluator.metrics(
              bundle.manifest(), probs, data.test().labels(), Optional.empty()));
      mark(timing, "evaluate_test", t);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    timing.put("total", seconds);
    String targetSummary = TargetSearch.describe(mainChoice, o.target());
    ReportWriter.write(
        bundle,
        o,
        data,
        calSource,
        mainChoice,
        train.size(),
        trainMargin,
        shapes,
        branchInfo,
        validMetrics,
        testMetrics,
        reference,
        timing);
    return new BuildResult(
        bundle, validMetrics, testMetrics, seconds, calSource, "target profile " + targetSummary);
  }

  private static void mark(Map<String, Double> timing, String what, long since) {
    timing.put(what, (System.nanoTime() - since) / 1e9);
  }

  /** [sample][stage][class] from per-exit arrays plus the backbone's. */
  static float[][][] stack(List<float[][]> exits, float[][] backbone) {
    int n = backbone.length;
    float[][][] out = new float[n][exits.size() + 1][];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < exits.size(); k++) {
        out[i][k] = exits.get(k)[i];
      }
      out[i][exits.size()] = backbone[i];
    }
    return out;
  }

  /**
   * The default profile: {@code --default-profile} if given, else the target profile ({@code
   * --max-drop}, {@code --min-saving}; see {@link TargetSearch}).
   */
  static String chooseDefault(BuildOptions o, List<ProfileMetrics> valid) {
    if (o.defaultProfile().isPresent()) {
      String want = o.defaultProfile().get();
      if (valid.stream().noneMatch(p -> p.name().equals(want))) {
        throw new IllegalArgumentException(
            "--default-profile "
                + want
                + ": no such profile; the margins and the target give "
                + valid.stream().map(ProfileMetrics::name).toList());
      }
      return want;
    }
    return TargetSearch.profileName(o.target());
  }

  /**
   * Runs the merged stages chained in ONNX Runtime on the first valid images and checks every
   * exit's probabilities against the DJL head, the forwarded features against the next stage's
   * input, and {@code final_probs} against the cached backbone softmax.
   */
  private static void prove(
      List<ModelProto> merged,
      List<StageGraph> stages,
      List<String> cuts,
      InputSpec spec,
      ImageSet valid,
      SplitFeatures fValid,
      BranchTraining.Outcome main,
      String inputName) {
    int n = Math.min(CHECK_SAMPLES, valid.size());
    int classes = fValid.backboneProbs()[0].length;
    List<OrtSession> sessions = new ArrayList<>();
    try {
      for (int s = 0; s < merged.size(); s++) {
        sessions.add(Ort.session(merged.get(s).toByteArray(), "merged stage " + s));
      }
      Preprocessor pre = new Preprocessor(spec);
      byte[] px = new byte[valid.imageBytes()];
      double worst = 0;
      for (int i = 0; i < n; i++) {
        float[] in = new float[spec.elementCount()];
        valid.image(i, px);
        pre.fill(px, in, 0);
        float[] x = in;
        long[] shape = spec.shape();
        for (int s = 0; s < merged.size(); s++) {
          String feed = s == 0 ? inputName : cuts.get(s - 1);
          try (OnnxTensor tensor = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
              OrtSession.Result r = sessions.get(s).run(Map.of(feed, tensor))) {
            boolean last = s == merged.size() - 1;
            String probsName = last ? HeadGraph.FINAL_PROBS : HeadGraph.probsName(s);
            float[] got = floats(r.get(probsName).orElseThrow());
            float[] want;
            if (last) {
              want = fValid.backboneProbs()[i];
            } else {
              float[] pooled = new float[main.heads().get(s).shape().inputSize()];
              System.arraycopy(fValid.pooled().get(s), i * pooled.length, pooled, 0, pooled.length);
              want = main.heads().get(s).probabilities(pooled, 1);
            }
            for (int c = 0; c < classes; c++) {
              double d = Math.abs(got[c] - want[c]);
              worst = Math.max(worst, d);
              if (d > TOLERANCE) {
                throw new IllegalStateException(
                    "merged stage "
                        + s
                        + " output "
                        + probsName
                        + " differs from "
                        + (last ? "the backbone's softmax" : "the DJL head")
                        + " on valid image "
                        + i
                        + ", class "
                        + c
                        + ": "
                        + got[c]
                        + " vs "
                        + want[c]
                        + " (tolerance "
                        + TOLERANCE
                        + "); the bundle was not written");
              }
            }
            if (!last) {
              OnnxValue f = r.get(cuts.get(s)).orElseThrow();
              x = floats(f);
              shape = ((OnnxTensor) f).getInfo().getShape();
            }
          } catch (OrtException e) {
            throw new IllegalStateException(
                "merged stage " + s + " failed in ONNX Runtime: " + e.getMessage(), e);
          }
        }
      }
      LOG.log(
          Level.INFO,
          String.format(
              Locale.ROOT,
              "merged stages match DJL heads and the backbone on %d images (max |diff| %.2e)",
              n,
              worst));
    } finally {
      for (OrtSession s : sessions) {
        try {
          s.close();
        } catch (OrtException e) {
          LOG.log(Level.WARNING, "closing a check session: " + e.getMessage());
        }
      }
    }
  }

  private static float[] floats(OnnxValue v) {
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  private static Bundle write(
      BuildOptions o,
      List<ModelProto> merged,
      List<StageGraph> stages,
      List<String> cuts,
      List<HeadShape> shapes,
      InputSpec spec,
      List<String> classes,
      OnnxGraph graph,
      long backboneMacs,
      Map<String, Profile> profiles,
      String defaultProfile) {
    try {
      Files.createDirectories(o.out());
      List<StageSpec> specs = new ArrayList<>();
      for (int s = 0; s < merged.size(); s++) {
        boolean last = s == merged.size() - 1;
        String file = stages.get(s).fileName();
        Path p = o.out().resolve(file);
        Files.write(p, merged.get(s).toByteArray());
        specs.add(
            new StageSpec(
                file,
                Sha256.hex(p),
                s == 0 ? spec.tensor() : cuts.get(s - 1),
                last ? Optional.empty() : Optional.of(cuts.get(s)),
                last ? HeadGraph.FINAL_PROBS : HeadGraph.probsName(s),
                stages.get(s).macs(),
                last ? 0 : shapes.get(s).macs()));
      }
      Manifest m =
          new Manifest(
              Manifest.FORMAT,
              o.name(),
              classes,
              spec,
              new BackboneInfo(graph.sha256(), backboneMacs, graph.outputNames()),
              specs,
              profiles,
              defaultProfile,
              new TrainingInfo(
                  o.scheme().key(),
                  o.labelTargets() ? "labels" : "backbone",
                  o.calibrateOnSurvivors() ? "survivors" : "all",
                  o.seed()));
      ManifestJson.write(m, o.out().resolve(Bundle.MANIFEST));
      return Bundle.open(o.out());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bundle to " + o.out() + ": " + e, e);
    }
  }
}
