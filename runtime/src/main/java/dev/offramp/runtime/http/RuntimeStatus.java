package dev.offramp.runtime.http;

import dev.offramp.cascade.value.Required;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/status} answers (JSON, snake_case keys). Main supplies a fresh one per
 * request from the pipeline, metrics, publisher and capture.
 *
 * @param bundle bundle name from the manifest
 * @param profile exit profile in force
 * @param profiles profiles the bundle offers
 * @param paused whether classification is paused
 * @param fps frames per second, recent
 * @param exitHistogram frames answered per exit stage
 * @param frames frames classified since start
 * @param dropped frames dropped at capture since start
 * @param broker MQTT broker state ({@code connected}, {@code connecting}, {@code disconnected},
 *     {@code stopped}, or {@code disabled})
 * @param capture capture state per camera ({@code online}, {@code offline}, {@code reconnecting},
 *     {@code error})
 * @param energyMethod how energy is measured, e.g. {@code rapl:package}
 * @param framesSkipped frames capture skipped since start, by reason ({@code undecodable}, {@code
 *     too_large}, {@code unreadable}); the same counts as {@code offramp_frames_skipped_total}
 * @param providers the execution provider each stage actually got, after any fallback (e.g. {@code
 *     [tensorrt, tensorrt, cpu]})
 * @param budget budget mode: {@code enabled} and the latest decision ({@code profile}, {@code
 *     reason}, {@code measured}, {@code predicted}, {@code target}, {@code ts}); {@code
 *     {"configured": false}} without a budget
 * @param bundleUpdate the last bundle update: {@code state} ({@code active}, {@code validating},
 *     {@code refused}), running {@code bundle}, {@code source}, {@code error}, {@code previous};
 *     empty when updates are off
 */
public record RuntimeStatus(
    String bundle,
    String profile,
    List<String> profiles,
    boolean paused,
    double fps,
    List<Long> exitHistogram,
    long frames,
    long dropped,
    String broker,
    Map<String, String> capture,
    String energyMethod,
    Map<String, Long> framesSkipped,
    List<String> providers,
    Map<String, Object> budget,
    Map<String, Object> bundleUpdate) {
  public RuntimeStatus {
    Required.nonNull(
        "bundle, profile, broker, energyMethod", bundle, profile, broker, energyMethod);
    profiles = List.copyOf(profiles);
    exitHistogram = List.copyOf(exitHistogram);
    capture = Map.copyOf(capture);
    framesSkipped = Map.copyOf(framesSkipped);
    providers = List.copyOf(providers);
    budget = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(budget));
    bundleUpdate = Map.copyOf(bundleUpdate);
  }
}
