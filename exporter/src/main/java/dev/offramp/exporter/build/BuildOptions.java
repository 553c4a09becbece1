package dev.offramp.exporter.build;

import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.data.DataSettings;
import dev.offramp.exporter.data.InputSettings;
import dev.offramp.exporter.train.TrainingOptions;
import java.nio.file.Path;

/**
 * Everything {@code offramp build} needs, composed of the settings each step owns; every part
 * validates itself and defaults live in {@code BuildCommand}.
 *
 * @param backbone the backbone ONNX file
 * @param out bundle directory
 * @param name bundle name
 * @param cuts {@code auto} or comma-separated tensor names
 * @param input how images become the input tensor
 * @param data which images train, calibrate and test
 * @param training schemes, optimiser and heads
 * @param calibration margins, CPM settings, target and default profile
 * @param evaluateTest evaluate the written bundle on the test split
 */
public record BuildOptions(
    Path backbone,
    Path out,
    String name,
    String cuts,
    InputSettings input,
    DataSettings data,
    TrainingOptions training,
    CalibrationOptions calibration,
    boolean evaluateTest) {}
