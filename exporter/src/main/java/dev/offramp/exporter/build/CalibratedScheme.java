package dev.offramp.exporter.build;

import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.evaluate.ExpectedAgreement;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained scheme calibrated at every margin of a build plus its target profile: per profile the
 * thresholds and the metrics on the calibration split (and on the test split when the scheme was
 * scored on one). Profiles are in manifest order: the margins ascending, then the target.
 *
 * @param valid metrics on the calibration split, per profile
 * @param test metrics on the test split, per profile; empty when not scored
 * @param tables thresholds per profile name
 * @param target the target search's choice
 * @param agreement per profile name, the agreement of each exit's answers with the backbone per
 *     exit and class on the calibration split ({@code [exit][class]}, NaN where that class never
 *     exits there): what the live audit expects
 */
public record CalibratedScheme(
    List<ProfileMetrics> valid,
    List<ProfileMetrics> test,
    Map<String, ThresholdTable> tables,
    TargetSearch.Choice target,
    Map<String, double[][]> agreement) {
  private static final Logger LOG = System.getLogger(CalibratedScheme.class.getName());

  /** Copies the collections, keeping the order of {@code tables}. */
  public CalibratedScheme {
    valid = List.copyOf(valid);
    test = List.copyOf(test);
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    agreement = Collections.unmodifiableMap(new LinkedHashMap<>(agreement));
  }

  /**
   * Calibrates {@code scheme} at every margin of {@code c} and searches the target margin.
   *
   * @param survivors the CPM settings survivors were picked with (the target search's base)
   * @param label the scheme's name, for the log
   */
  public static CalibratedScheme of(
      TrainedScheme scheme, CalibrationOptions c, Calibration.Settings survivors, String label) {
    List<ProfileMetrics> valid = new ArrayList<>();
    List<ProfileMetrics> test = new ArrayList<>();
    Map<String, ThresholdTable> tables = new LinkedHashMap<>();
    for (double m : c.margins()) {
      String name = CalibrationOptions.profileName(m);
      ThresholdTable table = scheme.calibrate(c.at(m));
      valid.add(scheme.validMetrics(name, m, table));
      scheme.testMetrics(name, m, table).ifPresent(test::add);
      tables.put(name, table);
    }
    TargetSearch.Choice choice = scheme.search(survivors, c.target());
    LOG.log(Level.INFO, label + " " + TargetSearch.describe(choice, c.target()));
    valid.add(choice.metrics());
    scheme.testMetrics(c.targetName(), choice.margin(), choice.thresholds()).ifPresent(test::add);
    tables.put(c.targetName(), choice.thresholds());
    Map<String, double[][]> agreement = new LinkedHashMap<>();
    tables.forEach(
        (name, table) -> agreement.put(name, ExpectedAgreement.of(scheme.validStages(), table)));
    return new CalibratedScheme(valid, test, tables, choice, agreement);
  }
}
