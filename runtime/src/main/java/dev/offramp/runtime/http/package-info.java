/**
 * HTTP transport (Helidon SE 4): health and Prometheus metrics under {@code /observe}, the status
 * and result-stream API under {@code /api}, token-protected state changes, and the live page at
 * {@code /}. Routing and health checks are plain methods so tests can call them without a server.
 */
package dev.offramp.runtime.http;
