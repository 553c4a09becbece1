/**
 * Class Precision Margin (CPM) calibration of per-class exit thresholds.
 *
 * <p>For exit k and class c, on the calibration samples that reach exit k: among the samples the
 * branch predicts as c (argmax, ties to the lowest index, as {@code ExitRule}) with confidence ≥ t,
 * precision against the ground truth must be at least {@code P_c − m} (additive) or {@code P_c · (1
 * − m)} (multiplicative). θ[k][c] is the smallest such t with at least {@code min-support} samples
 * behind it; a class with no such t never exits at k ({@code NaN}, JSON null).
 *
 * <p>Choices (documented, each visible in report.json): {@code P_c} is the backbone's precision for
 * class c on the <em>whole</em> calibration split, not only on the samples reaching k, so every
 * exit is held to the same reference; a class the backbone never predicts on the split has no
 * reference precision and never exits early. Candidate thresholds are the confidences that occur,
 * so samples with equal confidence enter or leave the set together (ties). Which samples reach exit
 * k is decided by {@code cascade.exit.ExitRule} with the thresholds already chosen for exits 0..k−1
 * ({@link dev.offramp.exporter.calibrate.Calibration#survivors}), the same code the runtime uses.
 * Stateless and thread-safe.
 */
package dev.offramp.exporter.calibrate;
