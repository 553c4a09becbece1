/**
 * HTTP transport (Helidon SE 4): health and Prometheus metrics under {@code /observe}, the status
 * and result-stream API under {@code /api}, token-protected state changes, and the live page at
 * {@code /}. Routing and health checks are plain methods so tests can call them without a server.
 * Every door is bounded: request bodies ({@code http.max-body-bytes}, 413), echoed values ({@link
 * dev.offramp.runtime.text.SafeText}), result-stream clients (count, queue, stall time); an address
 * that cannot be bound stops start-up.
 *
 * <p>{@link dev.offramp.runtime.http.HttpApi} registers the routes and the switch PUTs; {@link
 * dev.offramp.runtime.http.BearerGate} checks the token and reads bounded values; {@link
 * dev.offramp.runtime.http.BundleRoutes} hands uploads and rollbacks to the bundle updater; {@link
 * dev.offramp.runtime.http.HealthChecks} turns {@link dev.offramp.runtime.http.Readiness} into
 * checks; {@link dev.offramp.runtime.http.ResultStream} is the event stream. Depends on {@code
 * pipeline}, {@code control}, {@code bundle}, {@code mqtt} (the result codec) and {@code text};
 * nothing in the runtime depends on it but the composition root.
 */
package dev.offramp.runtime.http;
