/**
 * HTTP transport (Helidon SE 4): health and Prometheus metrics under {@code /observe}, the status
 * and result-stream API under {@code /api}, token-protected state changes, and the live page at
 * {@code /}. Routing and health checks are plain methods so tests can call them without a server.
 * Every door is bounded: request bodies ({@code http.max-body-bytes}, 413), echoed values ({@link
 * dev.offramp.runtime.text.SafeText}), result-stream clients (count, queue, stall time); an address
 * that cannot be bound stops start-up.
 */
package dev.offramp.runtime.http;
