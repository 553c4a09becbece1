package dev.offramp.runtime.http;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The checks {@code /observe/health} runs, each over one {@link Readiness} condition. */
final class HealthChecks {
  private HealthChecks() {}

  /**
   * Liveness (pipeline and publisher threads go round) and readiness (bundle, capture, broker,
   * storage).
   */
  static List<HealthCheck> of(Readiness readiness) {
    return List.of(
        check("offramp", HealthCheckType.LIVENESS, up(readiness.threadsAlive()::getAsBoolean)),
        check("bundle", HealthCheckType.READINESS, up(readiness.bundleLoaded()::getAsBoolean)),
        check("capture", HealthCheckType.READINESS, up(readiness.captureOnline()::getAsBoolean)),
        check("broker", HealthCheckType.READINESS, up(readiness.brokerConnected()::getAsBoolean)),
        check("storage", HealthCheckType.READINESS, () -> storage(readiness)));
  }

  private static Supplier<HealthCheckResponse> up(Supplier<Boolean> condition) {
    return () -> HealthCheckResponse.builder().status(condition.get()).build();
  }

  private static HealthCheckResponse storage(Readiness readiness) {
    Optional<String> problem = readiness.storageProblem().get();
    HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(problem.isEmpty());
    problem.ifPresent(p -> b.detail("reason", "storage failing: " + p));
    return b.build();
  }

  private static HealthCheck check(
      String name, HealthCheckType type, Supplier<HealthCheckResponse> answer) {
    return new HealthCheck() {
      @Override
      public HealthCheckType type() {
        return type;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthCheckResponse call() {
        return answer.get();
      }
    };
  }
}
